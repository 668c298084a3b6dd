import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { hostsLab } from '../../support/lab-builder.js';

describePwsh('Hyper-V provider: sessions per host, boot timing, close', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    fake = await createFakeHyperV({
      lab: hostsLab({ hosts: ['hv01', 'hv02'] }),
      seeds: {
        hv01: { computerName: 'HV01' },
        hv02: {
          computerName: 'HV02',
          hostAddresses: [{ interfaceAlias: 'Ethernet', address: '10.254.0.11', prefixLength: 24 }],
        },
      },
      // Long enough that the guest is still booting for the whole test.
      bootSeconds: 3600,
    });
  }, 60_000);
  afterAll(async () => fake?.dispose());

  it('talks to each host through its own session and state', async () => {
    const ctx = fake.context();
    await fake.provider.run('hv02', { op: 'createSwitch', name: 'OnlyOn2', type: 'private', notes: '' }, ctx);
    const [one, two] = await Promise.all([
      fake.provider.discover('hv01', { paths: [], files: [] }),
      fake.provider.discover('hv02', { paths: [], files: [] }),
    ]);
    expect(one.computerName).toBe('HV01');
    expect(one.switches).toEqual([]);
    expect(two.computerName).toBe('HV02');
    expect(two.switches.map((s) => s.name)).toEqual(['OnlyOn2']);
    expect(two.hostAddresses[0]!.address).toBe('10.254.0.11');
  }, 60_000);

  it("runs a host's requests through several sessions at once without losing a change", async () => {
    const ctx = fake.context();
    // perHostParallelism 4: up to four fake processes read, change and write hv01's state at once.
    const names = Array.from({ length: 12 }, (_, i) => `Parallel${i + 1}`);
    await Promise.all(
      names.map((name) =>
        fake.provider.run('hv01', { op: 'createSwitch', name, type: 'private', notes: '' }, ctx),
      ),
    );
    const state = await fake.provider.discover('hv01', { paths: [], files: [] });
    expect(state.switches.map((s) => s.name).sort()).toEqual([...names].sort());
  }, 120_000);

  it('reports NoContact while the guest boots and Unknown when the VM is off', async () => {
    const ctx = fake.context('vm.slow');
    await fake.provider.run(
      'hv01',
      {
        op: 'createVm',
        name: 'slow',
        generation: 2,
        path: 'D:\\Labs\\test\\slow',
        memoryStartup: 1024 ** 3,
        notes: '',
      },
      ctx,
    );
    expect(await fake.provider.heartbeat('hv01', 'slow', ctx)).toBe('Unknown');
    await fake.provider.run('hv01', { op: 'startVm', name: 'slow' }, ctx);
    expect(await fake.provider.heartbeat('hv01', 'slow', ctx)).toBe('NoContact');
    const state = await fake.provider.discover('hv01', { paths: [], files: [] });
    expect(state.vms[0]).toMatchObject({ name: 'slow', state: 'Running', heartbeat: 'NoContact' });
  }, 60_000);

  it('answers requiresStop like the simulator', () => {
    expect(fake.provider.requiresStop('processors')).toBe(true);
    expect(fake.provider.requiresStop('mmio.low')).toBe(true);
    expect(fake.provider.requiresStop('assignDevices[1].locationPath')).toBe(true);
    expect(fake.provider.requiresStop('notes')).toBe(false);
    expect(fake.provider.requiresStop('automaticStopAction')).toBe(false);
  });

  it('closes its sessions: nothing can be sent afterwards', async () => {
    await fake.provider.close();
    await expect(fake.provider.discover('hv01', { paths: [], files: [] })).rejects.toThrow();
  }, 60_000);
});
