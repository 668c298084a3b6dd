import { describe, expect, it } from 'vitest';
import { ctx, newSim, target, wait, windowsVm, IMAGE, STORE } from './sim-fixtures.js';

describe('simulator smoke', () => {
  it('creates a VM, boots it, reaches PowerShell Direct', async () => {
    const { sim, clock } = await newSim();
    await sim.run('hv01', { op: 'createSwitch', name: 'LabNet', type: 'internal', notes: 'x' }, ctx());
    await windowsVm(sim, { name: 'dc01', switchName: 'LabNet' });
    expect(await sim.heartbeat('hv01', 'dc01', ctx())).toBe('NoContact');
    await wait(clock, 41_000);
    expect(await sim.heartbeat('hv01', 'dc01', ctx())).toBe('OK');
    expect(await sim.guestReachable(target('dc01'), ctx())).toBe(false);
    await wait(clock, 8_000);
    expect(await sim.guestReachable(target('dc01'), ctx())).toBe(true);
    const state = await sim.discover('hv01', { paths: [STORE], files: [IMAGE] });
    expect(state.vms.map((v) => v.name)).toEqual(['dc01']);
    expect(state.vhds.length).toBe(2);
    expect(state.files).toEqual([{ path: IMAGE, exists: true }]);
  });
});
