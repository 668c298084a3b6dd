import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import type { Step } from '../../src/plan/plan.js';
import type { Provider } from '../../src/providers/provider.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { ownershipPolicy } from '../../src/ownership/guard.js';
import { hostsLab } from '../support/lab-builder.js';

describe('the executor checks ownership itself, whatever the provider does', () => {
  it('a removeVm step of an unmarked VM fails before the provider is asked, and the VM stays', async () => {
    const lab = hostsLab({ name: 'guarded', hosts: ['hv01'] });
    const clock = new VirtualClock();
    const sim = await createSim({ lab, clock, memory: true });
    await sim.seed('hv01', (t) => t.vm({ name: 'stray', notes: 'someone else' }));
    // A provider that forgot its own check: the executor's must hold on its own.
    const runs: string[] = [];
    const careless: Provider = {
      ...sim,
      run: (host, op, ctx) => (runs.push(op.op), sim.run(host, op, { ...ctx, ownership: undefined })),
    };
    const steps: Step[] = [
      {
        type: 'host',
        id: 'vm.stray/stop',
        address: 'vm.stray',
        host: 'hv01',
        title: 'stop stray',
        dependsOn: [],
        timeoutMs: 60_000,
        operation: { op: 'stopVm', name: 'stray', force: true },
      },
      {
        type: 'host',
        id: 'vm.stray/remove',
        address: 'vm.stray',
        host: 'hv01',
        title: 'remove VM stray',
        dependsOn: [],
        timeoutMs: 60_000,
        operation: { op: 'removeVm', name: 'stray' },
      },
    ];
    const result = await executePlan({
      plan: { lab: lab.name, steps },
      provider: careless,
      credentials: createCredentialResolver({ lab, env: {} }),
      clock,
      parallelism: 2,
      perHostParallelism: 2,
      ownership: ownershipPolicy(lab),
    });
    expect(runs).toEqual([]);
    expect(result.rootCauses.map((r) => r.error?.message)).toEqual([
      expect.stringMatching(/refusing to stopVm VM stray: it carries no labform ownership mark/),
      expect.stringMatching(/refusing to removeVm VM stray: it carries no labform ownership mark/),
    ]);
    expect((await sim.discover('hv01', { paths: [], files: [] })).vms.map((v) => v.name)).toEqual(['stray']);
  });
});
