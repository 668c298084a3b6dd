import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { makePlan } from '../../src/app/make-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import { FakeProvider, emptyHost, fakeCredentials } from '../support/fake-provider.js';
import { domainLab, liveVm } from '../support/lab-builder.js';

describe('destroy through the real planner', () => {
  it("removes only what this lab owns: never another lab's or unmarked resources", async () => {
    const lab = domainLab();
    const clock = new VirtualClock();
    const host = {
      ...emptyHost('hv01'),
      vms: [
        liveVm('dc01'),
        liveVm('web01', { state: 'Off' }),
        liveVm('sql01', { notes: 'labform:lab=other' }),
        liveVm('tool01', { notes: 'hand-made, keep' }),
        liveVm('stray', { notes: 'labform:lab=other' }),
      ],
      switches: [
        {
          name: 'LabNet',
          type: 'internal' as const,
          notes: 'labform:lab=other',
          adapter: null,
          allowManagementOS: true,
        },
        {
          name: 'Mine',
          type: 'internal' as const,
          notes: 'labform:lab=demo',
          adapter: null,
          allowManagementOS: true,
        },
      ],
    };
    const provider = new FakeProvider(clock, { hosts: { hv01: host } });
    const { plan } = await makePlan({
      lab,
      provider,
      credentials: fakeCredentials(),
      logger: silentLogger,
      mode: 'destroy',
    });
    const result = await executePlan({
      plan,
      provider,
      credentials: fakeCredentials(),
      clock,
      parallelism: 8,
      perHostParallelism: 4,
    });
    expect(result.rootCauses).toEqual([]);
    const touched = provider.runKeys();
    expect(touched).toContain('removeVm:dc01');
    expect(touched).toContain('removeVm:web01');
    expect(touched).toContain('removeSwitch:Mine');
    for (const key of touched) expect(key).not.toMatch(/:(sql01|tool01|stray|LabNet)$/);
    // A running VM is stopped before it is removed.
    expect(touched.indexOf('stopVm:dc01')).toBeLessThan(touched.indexOf('removeVm:dc01'));
    expect(touched).not.toContain('stopVm:web01');
  });
});
