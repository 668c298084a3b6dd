import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { estimatedCriticalPath } from '../../src/executor/figures.js';
import { formatDuration } from '../../src/executor/duration.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';

// Every shipped example applies on the simulator in virtual time, converges, and its makespan
// is reported against its longest dependency chain (printed for the benchmark notes).
const examples = readdirSync('examples').filter((f) => f.endsWith('.yaml'));

describe('examples on the simulator (virtual time)', () => {
  for (const example of examples) {
    it(`${example}: applies, converges, makespan vs critical path`, async () => {
      const { lab, diagnostics } = await loadLab({ file: path.resolve('examples', example) });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const clock = new VirtualClock();
      const provider = await createSim({ lab: lab!, clock, memory: true });
      const credentials = createCredentialResolver({ lab: lab! });
      const { plan } = await makePlan({
        lab: lab!,
        provider,
        credentials,
        logger: silentLogger,
        mode: 'apply',
      });
      const result = await executePlan({
        plan,
        provider,
        credentials,
        clock,
        parallelism: lab!.settings.parallelism,
        perHostParallelism: lab!.settings.perHostParallelism,
      });
      expect(result.rootCauses.map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
      expect(result.makespanMs).toBeGreaterThanOrEqual(result.criticalPath.ms);
      const estimate = estimatedCriticalPath(plan.steps);
      console.log(
        `${example}: ${plan.steps.length} steps; makespan ${formatDuration(result.makespanMs)}; critical path (actual) ${formatDuration(result.criticalPath.ms)} over ${result.criticalPath.steps.length} steps; plan estimate ${formatDuration(estimate.ms)}; sequential ${formatDuration(result.sequentialMs)}`,
      );
      const next = await makePlan({ lab: lab!, provider, credentials, logger: silentLogger, mode: 'apply' });
      expect(next.plan.steps.map((s) => s.id)).toEqual([]);
    }, 120_000);
  }
});
