import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { checkpointGraph, restoreGraph } from '../../src/plan/checkpoint-steps.js';
import { labVmDependencies } from '../../src/plan/vm-order.js';
import { estimatedCriticalPath } from '../../src/executor/figures.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan } from '../../src/app/make-plan.js';
import { discoverLab } from '../../src/app/discover-lab.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import type { Provider } from '../../src/providers/provider.js';

// In-process, on virtual time and an in-memory simulator: exact simulated figures, no real waiting.
async function labOf(file: string): Promise<Lab> {
  const { lab, diagnostics } = await loadLab({ file: path.resolve(file) });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

async function setup(file: string, store = createMemoryStore(), faults?: { permanent: string[] }) {
  const lab = await labOf(file);
  const clock = new VirtualClock();
  const provider = await createSim({ lab, clock, store, faults });
  const credentials = createCredentialResolver({ lab });
  return { lab, clock, provider, credentials, store };
}

async function apply(
  s: {
    lab: Lab;
    clock: VirtualClock;
    provider: Provider;
    credentials: ReturnType<typeof createCredentialResolver>;
  },
  mode: 'apply' | 'destroy' = 'apply',
) {
  const { plan } = await makePlan({
    lab: s.lab,
    provider: s.provider,
    credentials: s.credentials,
    logger: silentLogger,
    mode,
  });
  const journal = memoryJournal();
  const result = await executePlan({
    plan,
    provider: s.provider,
    credentials: s.credentials,
    clock: s.clock,
    parallelism: s.lab.settings.parallelism,
    perHostParallelism: s.lab.settings.perHostParallelism,
    journal,
  });
  return { plan, result, journal };
}

const SMALL = 'test/fixtures/executor/small-lab.yaml';
const OTHER = 'test/fixtures/executor/other-lab.yaml';

describe('executor on the simulator (virtual time)', () => {
  it('applies the small lab; the next plan has no steps; makespan is bounded by the critical path', async () => {
    const s = await setup(SMALL);
    const { plan, result } = await apply(s);
    expect(result.rootCauses).toEqual([]);
    expect(result.counts.failed).toBe(0);
    // Nothing ran side by side in a way that beats physics: the makespan is at least the chain.
    expect(result.makespanMs).toBeGreaterThanOrEqual(result.criticalPath.ms);
    expect(result.sequentialMs).toBeGreaterThan(result.makespanMs);
    expect(estimatedCriticalPath(plan.steps).ms).toBeGreaterThan(0);
    const next = await makePlan({
      lab: s.lab,
      provider: s.provider,
      credentials: s.credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    expect(next.plan.steps).toEqual([]);
  });

  it('a permanent failure skips its dependents; a re-run converges', async () => {
    const store = createMemoryStore();
    const failing = await setup(SMALL, store, { permanent: ['createVm:web01'] });
    const { result } = await apply(failing);
    expect(result.rootCauses.map((r) => r.id)).toEqual([expect.stringContaining('web01')]);
    expect(result.counts['skipped-dependency']).toBeGreaterThan(0);
    const dc = result.steps.filter((r) => r.address === 'vm.dc01' || r.address.startsWith('role.dc01'));
    expect(dc.filter((r) => r.outcome !== 'done' && r.outcome !== 'skipped-done')).toEqual([]);
    const fixed = await setup(SMALL, store);
    const again = await apply(fixed);
    expect(again.result.rootCauses).toEqual([]);
    expect(
      (
        await makePlan({
          lab: fixed.lab,
          provider: fixed.provider,
          credentials: fixed.credentials,
          logger: silentLogger,
          mode: 'apply',
        })
      ).plan.steps,
    ).toEqual([]);
  });

  it('destroy removes only this lab; the other lab on the host still matches its manifest', async () => {
    const store = createMemoryStore();
    const small = await setup(SMALL, store);
    const other = await setup(OTHER, store);
    expect((await apply(small)).result.rootCauses).toEqual([]);
    expect((await apply(other)).result.rootCauses).toEqual([]);
    const destroyed = await apply(small, 'destroy');
    expect(destroyed.result.rootCauses).toEqual([]);
    const host = (await discoverLab({ lab: other.lab, provider: other.provider })).get('hv01')!;
    expect(host.vms.map((v) => v.name)).toEqual(['other01']);
    expect(host.switches.map((sw) => sw.name)).toEqual(['OtherNet']);
    expect(host.nats).toEqual([]);
    expect(
      (
        await makePlan({
          lab: other.lab,
          provider: other.provider,
          credentials: other.credentials,
          logger: silentLogger,
          mode: 'apply',
        })
      ).plan.steps,
    ).toEqual([]);
    expect(
      (
        await makePlan({
          lab: small.lab,
          provider: small.provider,
          credentials: small.credentials,
          logger: silentLogger,
          mode: 'destroy',
        })
      ).plan.steps,
    ).toEqual([]);
  });

  it('checkpoint and restore round trip', async () => {
    const s = await setup(SMALL);
    await apply(s);
    const deps = labVmDependencies(s.lab);
    const run = (graph: ReturnType<typeof checkpointGraph>) =>
      executePlan({
        plan: graph,
        provider: s.provider,
        credentials: s.credentials,
        clock: s.clock,
        parallelism: 8,
        perHostParallelism: 4,
      });
    const cp = await run(
      checkpointGraph({
        lab: s.lab,
        live: await discoverLab({ lab: s.lab, provider: s.provider }),
        name: 'clean',
        deps,
      }),
    );
    expect(cp.rootCauses).toEqual([]);
    const order = cp.steps
      .filter((r) => r.id.endsWith('/stop'))
      .sort((a, b) => a.startedAt! - b.startedAt!)
      .map((r) => r.id);
    expect(order).toEqual(['vm.web01/stop', 'vm.dc01/stop']);
    const live = await discoverLab({ lab: s.lab, provider: s.provider });
    for (const vm of live.get('hv01')!.vms) {
      expect(vm.checkpoints).toContain('clean');
      expect(vm.state).toBe('Running');
    }
    const restored = await run(restoreGraph({ lab: s.lab, live, name: 'clean', deps }));
    expect(restored.rootCauses).toEqual([]);
    const starts = restored.steps.filter((r) => r.id.endsWith('/start'));
    const dcReady = restored.steps.find((r) => r.id === 'vm.dc01/wait-ad-ready')!;
    expect(starts.find((r) => r.id === 'vm.web01/start')!.startedAt).toBeGreaterThanOrEqual(dcReady.endedAt!);
    expect(
      (
        await makePlan({
          lab: s.lab,
          provider: s.provider,
          credentials: s.credentials,
          logger: silentLogger,
          mode: 'apply',
        })
      ).plan.steps,
    ).toEqual([]);
  });
});
