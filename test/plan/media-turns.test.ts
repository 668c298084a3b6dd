/**
 * Image builds from one ISO on one host take turns; the first turn goes to the image the
 * lab's longest chain waits for, whatever order the manifest lists the images in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';

const file = path.resolve('examples/guarded-fabric.yaml');

/** guarded-fabric with its two images listed in the given order. */
function guardedFabric(order: 'core-first' | 'desktop-first') {
  const text = readFileSync(file, 'utf8');
  const core = text.slice(text.indexOf('  - name: ws2016-core'), text.indexOf('  - name: ws2016-desktop'));
  const desktop = text.slice(text.indexOf('  - name: ws2016-desktop'), text.indexOf('\ncredentials:') + 1);
  const swapped = order === 'core-first' ? text : text.replace(core + desktop, desktop + core);
  const { lab, diagnostics } = loadLabFromText({ text: swapped, file });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  expect(lab.images.map((i) => i.name)).toEqual(
    order === 'core-first' ? ['ws2016-core', 'ws2016-desktop'] : ['ws2016-desktop', 'ws2016-core'],
  );
  return lab;
}

async function planAndApply(order: 'core-first' | 'desktop-first') {
  const lab = guardedFabric(order);
  const clock = new VirtualClock();
  const provider = await createSim({ lab, clock, memory: true });
  const credentials = createCredentialResolver({ lab });
  const { plan } = await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' });
  const result = await executePlan({
    plan,
    provider,
    credentials,
    clock,
    parallelism: lab.settings.parallelism,
    perHostParallelism: lab.settings.perHostParallelism,
  });
  await provider.close();
  return { plan, result };
}

describe('image builds sharing an ISO', () => {
  it('builds the image the domain controller needs first, in either manifest order, one build at a time', async () => {
    for (const order of ['core-first', 'desktop-first'] as const) {
      const { plan, result } = await planAndApply(order);
      const core = plan.steps.find((s) => s.id === 'image.ws2016-core/build')!;
      const desktop = plan.steps.find((s) => s.id === 'image.ws2016-desktop/build')!;
      expect(desktop.dependsOn).toContain(core.id);
      expect(core.dependsOn).not.toContain(desktop.id);
      expect(result.rootCauses).toEqual([]);
      const ran = new Map(result.steps.map((r) => [r.id, r]));
      // Never both mounting the ISO at once.
      expect(ran.get(desktop.id)!.startedAt).toBeGreaterThanOrEqual(ran.get(core.id)!.endedAt!);
      // The DC's chain starts with the core image: it is on the critical path, the desktop one is not.
      expect(result.criticalPath.steps[0]).toBe(core.id);
      expect(result.criticalPath.steps).not.toContain(desktop.id);
    }
  });
});
