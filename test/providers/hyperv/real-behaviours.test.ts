/**
 * Behaviours of real Hyper-V that labform relies on, pinned against the fake module (which
 * models each with its source; docs/hyperv-behaviours.md lists them). Each test fails if the
 * provider goes back to the assumption the behaviour contradicts.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, fakeState, type FakeHyperV } from './helpers/fake-host.js';
import type { HostOperation } from '../../../src/model/host-operation.js';

const GiB = 1024 ** 3;
const LAB = 'D:\\Labs\\test';
const DEVICE = 'PCIROOT(40)#PCI(0200)#PCI(0000)';

describePwsh('Hyper-V as it really behaves (fake module with sources)', () => {
  let fake: FakeHyperV;
  const run = (op: HostOperation) => fake.provider.run('hv01', op, fake.context(`op.${op.op}`));
  const discover = () => fake.provider.discover('hv01', { paths: [LAB], files: [] });
  const reseed = (change: (state: any) => void = () => undefined) => {
    const state: any = fakeState({ devices: [{ locationPath: DEVICE }] });
    state.netAdapters = [
      { name: 'Ethernet', interfaceDescription: 'Intel(R) Ethernet Controller X710 for 10GbE SFP+' },
      { name: 'Ethernet 2', interfaceDescription: 'Intel(R) Ethernet Controller X710 for 10GbE SFP+ #2' },
    ];
    change(state);
    writeFileSync(fake.statePath('hv01'), JSON.stringify(state));
  };

  beforeAll(async () => {
    fake = await createFakeHyperV();
  }, 60_000);
  beforeEach(() => reseed());
  afterAll(async () => fake?.dispose());

  it('maps an external switch back to the host adapter NAME the manifest uses, not its interface description', async () => {
    await run({
      op: 'createSwitch',
      name: 'Uplink',
      type: 'external',
      notes: 'labform:lab=test',
      adapter: 'Ethernet 2',
      allowManagementOS: true,
    });
    const uplink = (await discover()).switches.find((s) => s.name === 'Uplink')!;
    expect(uplink).toMatchObject({ type: 'external', adapter: 'Ethernet 2', allowManagementOS: true });
  });

  it('names every member of a Switch Embedded Teaming switch, which has no single interface description', async () => {
    reseed((state) => {
      state.switches = [
        {
          id: '00000000-0000-4000-8000-0000000000aa',
          name: 'SET',
          notes: '',
          type: 'External',
          adapterNames: ['Ethernet', 'Ethernet 2'],
          adapterDescriptions: state.netAdapters.map((n: any) => n.interfaceDescription),
          embeddedTeaming: true,
          allowManagementOS: true,
        },
      ];
    });
    const set = (await discover()).switches.find((s) => s.name === 'SET')!;
    expect(set.adapter).toBe('Ethernet, Ethernet 2');
  });

  it('removes the adapter New-VM always adds, so a new VM has exactly the adapters labform gives it', async () => {
    await run({
      op: 'createVm',
      name: 'vm1',
      generation: 2,
      path: `${LAB}\\vm1`,
      memoryStartup: GiB,
      notes: 'labform:lab=test',
    });
    expect((await discover()).vms[0]!.adapters).toEqual([]);
    const calls = fake.state().calls.map((c: any) => c.cmdlet);
    expect(calls.slice(calls.indexOf('New-VM'))).toContain('Remove-VMNetworkAdapter');
  });

  it('acts on one adapter by its MAC when two share a name (Remove-VMNetworkAdapter -Name would take both)', async () => {
    await run({ op: 'createSwitch', name: 'LabNet', type: 'private', notes: '' });
    await run({
      op: 'createVm',
      name: 'vm1',
      generation: 2,
      path: `${LAB}\\vm1`,
      memoryStartup: GiB,
      notes: '',
    });
    await run({
      op: 'addAdapter',
      vm: 'vm1',
      name: 'LabNet',
      switchName: 'LabNet',
      mac: '00155D000011',
      macAddressSpoofing: false,
    });
    await run({
      op: 'addAdapter',
      vm: 'vm1',
      name: 'LabNet',
      switchName: 'LabNet',
      mac: '00155D000022',
      macAddressSpoofing: false,
    });
    await run({
      op: 'setAdapter',
      vm: 'vm1',
      name: 'LabNet',
      mac: '00155D000022',
      macAddressSpoofing: true,
      vlan: 7,
    });
    await run({ op: 'removeAdapter', vm: 'vm1', name: 'LabNet', mac: '00155D000011' });
    const adapters = (await discover()).vms[0]!.adapters;
    expect(adapters.map((a) => [a.mac, a.macAddressSpoofing, a.vlan])).toEqual([['00155D000022', true, 7]]);
    // Without a MAC, an ambiguous name is refused rather than guessed.
    await run({
      op: 'addAdapter',
      vm: 'vm1',
      name: 'LabNet',
      switchName: 'LabNet',
      macAddressSpoofing: false,
    });
    await expect(run({ op: 'removeAdapter', vm: 'vm1', name: 'LabNet' })).rejects.toThrow(/will not guess/);
  });

  it('reports a dynamic MAC as 000000000000 until the VM first starts', async () => {
    await run({ op: 'createSwitch', name: 'LabNet', type: 'private', notes: '' });
    await run({
      op: 'createVm',
      name: 'vm1',
      generation: 2,
      path: `${LAB}\\vm1`,
      memoryStartup: GiB,
      notes: '',
    });
    await run({
      op: 'addAdapter',
      vm: 'vm1',
      name: 'LabNet',
      switchName: 'LabNet',
      macAddressSpoofing: false,
    });
    expect((await discover()).vms[0]!.adapters[0]!.mac).toBe('000000000000');
    await run({ op: 'startVm', name: 'vm1' });
    expect((await discover()).vms[0]!.adapters[0]!.mac).toMatch(/^00155D[0-9A-F]{6}$/);
  });

  it('disables a device in PnP before dismounting it, and enables it again when it is given back', async () => {
    await run({
      op: 'createVm',
      name: 'vm1',
      generation: 2,
      path: `${LAB}\\vm1`,
      memoryStartup: GiB,
      notes: '',
    });
    await run({ op: 'assignDevice', vm: 'vm1', locationPath: DEVICE });
    expect(fake.state().devices[0]).toMatchObject({ dismounted: true, assignedTo: 'vm1', disabled: true });
    const calls = fake.state().calls.map((c: any) => c.cmdlet);
    expect(calls.indexOf('Disable-PnpDevice')).toBeGreaterThan(-1);
    expect(calls.indexOf('Disable-PnpDevice')).toBeLessThan(calls.indexOf('Dismount-VMHostAssignableDevice'));
    await run({ op: 'removeDevice', vm: 'vm1', locationPath: DEVICE });
    expect(fake.state().devices[0]).toMatchObject({ dismounted: false, assignedTo: null, disabled: false });
    const state = await fake.provider.discover('hv01', { paths: [LAB], files: [], devices: [DEVICE] });
    expect(state.assignableDevices).toEqual([
      expect.objectContaining({ locationPath: DEVICE, dismounted: false, assignedTo: null }),
    ]);
  });
});
