import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { desiredState } from '../../src/desired/desired-state.js';
import type { DesiredVm } from '../../src/desired/desired-resource.js';
import { discoverWithRoleProbes } from '../../src/app/role-state.js';

// Each example on the in-memory simulator and virtual time: exact simulated figures, no waiting.
const examples = path.resolve(import.meta.dirname, '../../examples');

function exampleLab(name: string, domainJoin?: 'online' | 'offline'): Lab {
  const file = path.join(examples, `${name}.yaml`);
  let text = readFileSync(file, 'utf8');
  if (domainJoin) text = text.replace(/^settings:\n/m, `settings:\n  domainJoin: ${domainJoin}\n`);
  const { lab, diagnostics } = loadLabFromText({ text, file });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

async function applyOnSim(lab: Lab) {
  const clock = new VirtualClock();
  const provider = await createSim({ lab, clock, store: createMemoryStore() });
  const credentials = createCredentialResolver({ lab });
  const plan = async () =>
    (await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' })).plan;
  const result = await executePlan({
    plan: await plan(),
    provider,
    credentials,
    clock,
    parallelism: lab.settings.parallelism,
    perHostParallelism: lab.settings.perHostParallelism,
    journal: memoryJournal(),
  });
  // What `show` reports for the roles: every guest task probed in its guest.
  const tasks = guestTasks({ lab });
  const vms = desiredState({ lab }).filter((d): d is DesiredVm => d.kind === 'vm');
  const { probed } = await discoverWithRoleProbes({ lab, vms, tasks, provider, credentials });
  expect(probed.unknown).toEqual([]);
  const notDone = tasks
    .filter((t) => !probed.doneTasks.has(`${t.vm}|${t.key}`))
    .map((t) => `${t.vm}/${t.key}`);
  return { result, next: await plan(), notDone, roleStates: [...probed.state.values()] };
}

describe.each(['nat-lab', 'gpu-passthrough', 'linux-cluster', 'guarded-fabric'])(
  'examples/%s.yaml on the simulator',
  (name) => {
    it('applies from nothing; every guest task probes done; the next plan has nothing to do', async () => {
      const lab = exampleLab(name);
      const { result, next, notDone, roleStates } = await applyOnSim(lab);
      expect(result.rootCauses.map((r) => `${r.id}: ${r.error?.message ?? ''}`)).toEqual([]);
      expect(result.counts.failed).toBe(0);
      expect(next.steps.map((s) => s.id)).toEqual([]);
      expect(next.changes.filter((c) => c.action !== 'noop').map((c) => c.address)).toEqual([]);
      expect(notDone).toEqual([]);
      expect(roleStates.every((s) => s === 'done')).toBe(true);
    });
  },
);

describe('guarded-fabric makespan by join mode', () => {
  it('offline join does not make the simulated apply slower', async () => {
    const online = await applyOnSim(exampleLab('guarded-fabric', 'online'));
    const offline = await applyOnSim(exampleLab('guarded-fabric', 'offline'));
    expect(online.result.rootCauses).toEqual([]);
    expect(offline.result.rootCauses).toEqual([]);
    // Printed for the closing note (simulated seconds).
    console.log(
      `guarded-fabric makespan: online ${online.result.makespanMs / 1000}s, offline ${offline.result.makespanMs / 1000}s`,
    );
    expect(offline.result.makespanMs).toBeLessThanOrEqual(online.result.makespanMs);
  });
});
