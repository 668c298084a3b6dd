import { describe, expect, it } from 'vitest';
import { ctx, newSim, STORE, target, wait, windowsVm } from './sim-fixtures.js';
import { DC_IP, DC_MAC, FIRST_BOOT, forest, labNet, memberVm } from './guest-scenario.js';
import { DEFAULT_TIMING as T } from '../../../src/providers/sim/time/timing-profile.js';
import type { HeartbeatStatus } from '../../../src/model/live-state.js';
import type { SimProvider } from '../../../src/providers/sim/sim-provider.js';
import type { VirtualClock } from '../../../src/clock/virtual-clock.js';

/** Heartbeat sampled every second for `seconds`, consecutive repeats collapsed. */
async function heartbeatTrace(
  sim: SimProvider,
  clock: VirtualClock,
  vm: string,
  seconds: number,
): Promise<HeartbeatStatus[]> {
  const trace: HeartbeatStatus[] = [];
  for (let i = 0; i < seconds; i++) {
    const status = await sim.heartbeat('hv01', vm, ctx());
    if (trace[trace.length - 1] !== status) trace.push(status);
    await wait(clock, 1000);
  }
  return trace;
}

describe('timing model (virtual clock)', () => {
  it('operations take simulated time from the timing profile', async () => {
    const { sim, clock } = await newSim();
    const t0 = clock.now();
    await sim.run(
      'hv01',
      { op: 'createVm', name: 'a', generation: 2, path: `${STORE}\\a`, memoryStartup: 1024 ** 3, notes: '' },
      ctx(),
    );
    expect(clock.now() - t0).toBe(T.host.createVm);
    const t1 = clock.now();
    await sim.run(
      'hv01',
      { op: 'createVhd', path: `${STORE}\\f.vhdx`, size: 100 * 1024 ** 3, format: 'vhdx', type: 'fixed' },
      ctx(),
    );
    expect(clock.now() - t1).toBe(T.host.createDynamicVhd + 100 * T.host.fixedVhdPerGiB);
  });

  it('boots to heartbeat in tens of seconds; PowerShell Direct answers some seconds later', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a' });
    expect(await heartbeatTrace(sim, clock, 'a', 45)).toEqual(['NoContact', 'OK']);
    // 45 s after start: heartbeat OK since 40 s, PowerShell Direct from 48 s.
    expect(await sim.guestReachable(target('a'), ctx())).toBe(false);
    await wait(clock, 3000);
    expect(await sim.guestReachable(target('a'), ctx())).toBe(true);
    const uptime = (await sim.discover('hv01', { paths: [], files: [] })).vms[0]!.uptimeSeconds;
    expect(uptime).toBe(48);
  });

  it('a reboot shows LostCommunication, then NoContact, then OK', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a' });
    await wait(clock, FIRST_BOOT);
    const result = await sim.runGuest(target('a'), { op: 'setComputerName', computerName: 'WEB01' }, ctx());
    expect(result.rebooted).toBe(true);
    expect(await heartbeatTrace(sim, clock, 'a', 40)).toEqual(['LostCommunication', 'NoContact', 'OK']);
  });

  it('a Hyper-V install reboots twice: the heartbeat flaps OK in between', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'hv', nested: true });
    await wait(clock, FIRST_BOOT);
    const result = await sim.runGuest(target('hv'), { op: 'installFeatures', features: ['Hyper-V'] }, ctx());
    expect(result.rebooted).toBe(true);
    expect(await heartbeatTrace(sim, clock, 'hv', 100)).toEqual([
      'LostCommunication',
      'NoContact',
      'OK',
      'LostCommunication',
      'NoContact',
      'OK',
    ]);
  });

  it('Active Directory answers only minutes after a DC reboot', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock, { waitForAd: false });
    const dc = target('dc01', 'domain-admin');
    // Right after the promotion reboot: nothing answers.
    expect(await sim.adReady(dc, ctx())).toBe(false);
    await wait(clock, T.boot.rebootShutdown + T.boot.bootToHeartbeat + T.boot.powershellDirectAfterHeartbeat);
    expect(await sim.guestReachable(dc, ctx())).toBe(true);
    expect(await sim.adReady(dc, ctx())).toBe(false);
    await wait(clock, T.boot.adAfterPromotion - T.boot.powershellDirectAfterHeartbeat - 1000);
    expect(await sim.adReady(dc, ctx())).toBe(false);
    await wait(clock, 1000);
    expect(await sim.adReady(dc, ctx())).toBe(true);
    // A plain reboot of the DC: AD answers 3 minutes after its heartbeat.
    await sim.runGuest(
      dc,
      { op: 'runScript', id: 'reboot', run: 'Restart-Computer', shell: 'powershell', reboots: true },
      ctx(),
    );
    expect(await sim.adReady(dc, ctx())).toBe(false);
    await wait(clock, T.boot.rebootShutdown + T.boot.bootToHeartbeat + T.boot.adAfterBoot - 1000);
    expect(await sim.adReady(dc, ctx())).toBe(false);
    await wait(clock, 1000);
    expect(await sim.adReady(dc, ctx())).toBe(true);
  });

  it('reports guest addresses once the guest has set them, and not while it restarts', async () => {
    const { sim, clock } = await newSim();
    await labNet(sim);
    await windowsVm(sim, { name: 'a', switchName: 'LabNet', mac: DC_MAC });
    await wait(clock, FIRST_BOOT);
    const addresses = async () =>
      (await sim.discover('hv01', { paths: [], files: [] })).vms[0]!.adapters[0]!.addresses;
    expect(await addresses()).toEqual([]);
    await sim.runGuest(
      target('a'),
      {
        op: 'setNetwork',
        mac: DC_MAC,
        dhcp: false,
        addresses: [{ address: DC_IP, prefixLength: 24 }],
        dns: [],
      },
      ctx(),
    );
    expect(await addresses()).toEqual([DC_IP]);
    await sim.runGuest(target('a'), { op: 'setComputerName', computerName: 'A2' }, ctx());
    expect(await addresses()).toEqual([]);
    await wait(clock, 40_000);
    expect(await addresses()).toEqual([DC_IP]);
  });

  it('leases DHCP addresses from a running DHCP server guest on the same switch', async () => {
    const { sim, clock } = await newSim();
    await forest(sim, clock);
    const dc = target('dc01', 'domain-admin');
    await sim.runGuest(dc, { op: 'installFeatures', features: ['DHCP'] }, ctx());
    await sim.runGuest(
      dc,
      {
        op: 'addDhcpScope',
        name: 'LabNet',
        start: '192.168.50.100',
        end: '192.168.50.199',
        prefixLength: 24,
        dnsServers: [DC_IP],
      },
      ctx(),
    );
    await memberVm(sim, clock, 'c1', '00155D000020', '192.168.50.20');
    await sim.runGuest(
      target('c1'),
      { op: 'setNetwork', mac: '00155D000020', dhcp: true, addresses: [], dns: [] },
      ctx(),
    );
    const vm = (await sim.discover('hv01', { paths: [], files: [] })).vms.find((v) => v.name === 'c1')!;
    expect(vm.adapters[0]!.addresses).toHaveLength(1);
    expect(vm.adapters[0]!.addresses[0]).toMatch(/^192\.168\.50\.1\d\d$/);
  });

  it('a graceful stop takes 20 s; a guest that does not answer is turned off after the timeout', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a' });
    await wait(clock, FIRST_BOOT);
    let t = clock.now();
    await sim.run('hv01', { op: 'stopVm', name: 'a' }, ctx());
    expect(clock.now() - t).toBe(T.host.stopVmGraceful);
    await sim.run('hv01', { op: 'startVm', name: 'a' }, ctx());
    t = clock.now();
    await sim.run('hv01', { op: 'stopVm', name: 'a', force: true }, ctx());
    expect(clock.now() - t).toBe(T.host.stopVmForce);
  });
});

describe('power states', () => {
  it('a guest that does not answer the shutdown request is turned off after the timeout', async () => {
    const { sim, clock } = await newSim();
    await sim.run(
      'hv01',
      {
        op: 'createVm',
        name: 'blank',
        generation: 2,
        path: `${STORE}\\blank`,
        memoryStartup: 1024 ** 3,
        notes: '',
      },
      ctx(),
    );
    await sim.run('hv01', { op: 'startVm', name: 'blank' }, ctx());
    const t = clock.now();
    await sim.run('hv01', { op: 'stopVm', name: 'blank', timeoutMs: 30_000 }, ctx());
    expect(clock.now() - t).toBe(30_000 + T.host.stopVmForce);
    expect((await sim.discover('hv01', { paths: [], files: [] })).vms[0]!.state).toBe('Off');
  });

  it('a standard checkpoint of a running VM restores to Saved; starting resumes in seconds with the guest as it was', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a' });
    await sim.run('hv01', { op: 'configureVm', name: 'a', settings: { checkpointType: 'standard' } }, ctx());
    await wait(clock, FIRST_BOOT);
    await sim.run('hv01', { op: 'checkpointVm', vm: 'a', checkpoint: 'before' }, ctx());
    await sim.runGuest(target('a'), { op: 'setComputerName', computerName: 'RENAMED' }, ctx());
    await sim.run('hv01', { op: 'restoreCheckpoint', vm: 'a', checkpoint: 'before' }, ctx());
    expect((await sim.discover('hv01', { paths: [], files: [] })).vms[0]).toMatchObject({
      state: 'Saved',
      heartbeat: 'Unknown',
      uptimeSeconds: 0,
    });
    await sim.run('hv01', { op: 'startVm', name: 'a' }, ctx());
    await wait(clock, T.boot.resumeToHeartbeat + T.boot.powershellDirectAfterHeartbeat);
    expect(await sim.heartbeat('hv01', 'a', ctx())).toBe('OK');
    const probe = await sim.probeGuest(
      target('a'),
      [
        { op: 'setComputerName', computerName: 'RENAMED' },
        { op: 'setComputerName', computerName: 'A' },
      ],
      ctx(),
    );
    expect(probe.map((p) => p.done)).toEqual([false, true]);
  });

  it('probes for many operations of a VM cost one round trip', async () => {
    const { sim, clock } = await newSim();
    await windowsVm(sim, { name: 'a' });
    await wait(clock, FIRST_BOOT);
    const before = sim.roundTrips('hv01');
    const ops = [
      { op: 'installFeatures' as const, features: ['DNS'] },
      { op: 'createShare' as const, name: 's', path: 'C:\\s', fullAccess: [] },
      { op: 'setComputerName' as const, computerName: 'A' },
    ];
    expect((await sim.probeGuest(target('a'), ops, ctx())).map((p) => p.done)).toEqual([false, false, true]);
    expect(sim.roundTrips('hv01') - before).toBe(1);
  });
});
