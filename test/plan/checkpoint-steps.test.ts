import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { checkpointGraph, restoreGraph } from '../../src/plan/checkpoint-steps.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { vmDependencies } from '../../src/plan/vm-order.js';
import { UserError } from '../../src/errors.js';
import { FakeProvider, fakeCredentials } from '../support/fake-provider.js';
import { domainLab, hostWith, liveVm } from '../support/lab-builder.js';

const lab = domainLab();
const deps = vmDependencies({ lab });

async function execute(graph: ReturnType<typeof checkpointGraph>) {
  const clock = new VirtualClock();
  const provider = new FakeProvider(clock, {
    durations: { stopVm: 20_000, startVm: 5000, checkpointVm: 3000, restoreCheckpoint: 3000 },
  });
  const result = await executePlan({
    plan: graph,
    provider,
    credentials: fakeCredentials(),
    clock,
    parallelism: 8,
    perHostParallelism: 4,
  });
  return { provider, result };
}

const span = (provider: FakeProvider, key: string) => {
  const call = provider.calls.find((c) => c.key === key);
  if (!call) throw new Error(`no call ${key}`);
  return { start: call.start, end: call.end! };
};

describe('checkpoint and restore step graphs', () => {
  it('derives VM dependencies from roles', () => {
    expect([...deps.get('web01')!]).toEqual(['dc01']);
    expect([...deps.get('dc01')!]).toEqual([]);
  });

  it('checkpoint: members stop before the DC, all are off before any checkpoint, DC up (AD ready) before members start', async () => {
    const live = new Map([
      [
        'hv01',
        hostWith([liveVm('dc01'), liveVm('web01'), liveVm('sql01'), liveVm('tool01', { state: 'Off' })]),
      ],
    ]);
    const graph = checkpointGraph({ lab, live, name: 'before-demo', deps });
    const { provider, result } = await execute(graph);
    expect(result.rootCauses).toEqual([]);
    expect(span(provider, 'stopVm:dc01').start).toBeGreaterThanOrEqual(span(provider, 'stopVm:web01').end);
    expect(span(provider, 'stopVm:dc01').start).toBeGreaterThanOrEqual(span(provider, 'stopVm:sql01').end);
    const lastStop = span(provider, 'stopVm:dc01').end;
    for (const vm of ['dc01', 'web01', 'sql01', 'tool01'])
      expect(span(provider, `checkpointVm:${vm}`).start).toBeGreaterThanOrEqual(lastStop);
    // tool01 was off: checkpointed, not stopped or started.
    expect(provider.runKeys()).not.toContain('stopVm:tool01');
    expect(provider.runKeys()).not.toContain('startVm:tool01');
    const adReady = provider.calls.find((c) => c.kind === 'adReady' && c.key === 'dc01')!;
    expect(adReady.credential).toBe('domain-admin');
    expect(span(provider, 'startVm:web01').start).toBeGreaterThanOrEqual(adReady.start);
    expect(span(provider, 'startVm:dc01').start).toBeGreaterThanOrEqual(
      span(provider, 'checkpointVm:web01').end,
    );
  });

  it('checkpoint refuses a name already taken', () => {
    const live = new Map([['hv01', hostWith([liveVm('dc01', { checkpoints: ['x'] })])]]);
    expect(() => checkpointGraph({ lab, live, name: 'X', deps })).toThrow(UserError);
  });

  it('ignores VMs that are not ours', () => {
    const live = new Map([
      [
        'hv01',
        hostWith([
          liveVm('dc01'),
          liveVm('web01', { notes: 'labform:lab=other' }),
          liveVm('sql01', { notes: '' }),
        ]),
      ],
    ]);
    const graph = checkpointGraph({ lab, live, name: 'c1', deps });
    const vms = new Set(graph.steps.map((s) => s.address));
    expect([...vms]).toEqual(['vm.dc01']);
  });

  it('restore: every VM back to the checkpoint, started in dependency order', async () => {
    const live = new Map([
      [
        'hv01',
        hostWith(
          ['dc01', 'web01', 'sql01', 'tool01'].map((n) =>
            liveVm(n, { checkpoints: ['c1'], state: n === 'web01' ? 'Off' : 'Running' }),
          ),
        ),
      ],
    ]);
    const { provider, result } = await execute(restoreGraph({ lab, live, name: 'c1', deps }));
    expect(result.rootCauses).toEqual([]);
    const keys = provider.runKeys();
    for (const vm of ['dc01', 'web01', 'sql01', 'tool01']) {
      expect(keys).toContain(`restoreCheckpoint:${vm}`);
      expect(keys).toContain(`startVm:${vm}`);
    }
    expect(keys).not.toContain('stopVm:web01');
    expect(span(provider, 'startVm:sql01').start).toBeGreaterThanOrEqual(span(provider, 'startVm:dc01').end);
  });

  it('restore refuses when a VM lacks the checkpoint', () => {
    const live = new Map([['hv01', hostWith([liveVm('dc01', { checkpoints: ['c1'] }), liveVm('web01')])]]);
    expect(() => restoreGraph({ lab, live, name: 'c1', deps })).toThrow(
      'checkpoint "c1" does not exist on web01',
    );
  });
});

describe('power order of a lab whose guest tasks point both ways (guarded fabric)', () => {
  it('keeps DCs and HGS first: a DC task after a member joined does not make a cycle', async () => {
    const { loadLab } = await import('../../src/manifest/load-lab.js');
    const { labVmDependencies, dependentsOf } = await import('../../src/plan/vm-order.js');
    const { lab } = await loadLab({ file: 'examples/guarded-fabric.yaml' });
    const deps = labVmDependencies(lab!);
    for (const [vm, on] of deps)
      for (const other of on)
        expect(`${vm} needs ${other}: ${dependentsOf(vm, deps).has(other)}`).toBe(
          `${vm} needs ${other}: false`,
        );
    expect([...deps.get('gh01')!].sort()).toEqual(['dc01', 'hgs01']);
    expect(deps.get('dc01')!.has('gh01')).toBe(false);
  });
});
