import { describe, expect, it } from 'vitest';
import { ctx, GiB, MARK, MiB, newSim, refused, windowsVm } from './sim-fixtures.js';
import type { VmSettings } from '../../../src/model/host-operation.js';

const newVm = (name: string, generation: 1 | 2 = 2, memoryStartup = 2 * GiB) => ({
  op: 'createVm' as const,
  name,
  generation,
  path: `D:\\Labs\\t\\${name}`,
  memoryStartup,
  notes: MARK,
});

describe('VM rules', () => {
  it('keeps VM names unique per host ("already exists")', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', newVm('dc01'), ctx());
    const e = await refused(sim.run('hv01', newVm('DC01'), ctx()));
    expect(e.record).toMatchObject({
      category: 'ResourceExists',
      fullyQualifiedErrorId: 'ObjectAlreadyExists,Microsoft.HyperV.PowerShell.Commands.NewVM',
    });
    expect(e.message).toMatch(/already exists/);
    await sim.run('hv02', newVm('dc01'), ctx());
  });

  const runningRefusals: [string, Partial<VmSettings>, string][] = [
    ['processors', { processors: 4 }, 'SetVMProcessor'],
    ['static memory size', { memory: { startup: 4 * GiB, dynamic: false } }, 'SetVMMemory'],
    [
      'dynamic memory',
      { memory: { startup: 2 * GiB, dynamic: true, minimum: 512 * MiB, maximum: 4 * GiB } },
      'SetVMMemory',
    ],
    ['MMIO', { mmio: { low: 3000 * MiB, high: 33000 * MiB } }, 'SetVM'],
    ['cache types', { guestControlledCacheTypes: true }, 'SetVM'],
    ['nested virtualization', { nestedVirtualization: true }, 'SetVMProcessor'],
    ['TPM', { tpm: true }, 'EnableVMTPM'],
    ['firmware', { firmware: { secureBoot: false } }, 'SetVMFirmware'],
  ];
  for (const [what, settings, cmdlet] of runningRefusals) {
    it(`refuses changing ${what} while the VM runs, accepts it while off`, async () => {
      const { sim } = await newSim();
      await windowsVm(sim, { name: 'vm1' });
      const e = await refused(sim.run('hv01', { op: 'configureVm', name: 'vm1', settings }, ctx()));
      expect(e.record).toMatchObject({
        message: 'The operation cannot be performed while the virtual machine is in its current state.',
        category: 'InvalidOperation',
        fullyQualifiedErrorId: `InvalidState,Microsoft.HyperV.PowerShell.Commands.${cmdlet}`,
      });
      await sim.run('hv01', { op: 'stopVm', name: 'vm1' }, ctx());
      await sim.run('hv01', { op: 'configureVm', name: 'vm1', settings }, ctx());
    });
  }

  it('accepts settings Hyper-V changes online (notes, stop action) and unchanged values while running', async () => {
    const { sim } = await newSim();
    await windowsVm(sim, { name: 'vm1' });
    await sim.run(
      'hv01',
      {
        op: 'configureVm',
        name: 'vm1',
        settings: { notes: 'x', automaticStopAction: 'shutDown', processors: 1 },
      },
      ctx(),
    );
    const state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.vms[0]).toMatchObject({
      notes: 'x',
      automaticStopAction: 'shutDown',
      processors: 1,
      state: 'Running',
    });
  });

  it('allows TPM and secure boot only on generation 2; the generation is fixed at creation', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', newVm('old', 1), ctx());
    const tpm = await refused(
      sim.run('hv01', { op: 'configureVm', name: 'old', settings: { tpm: true } }, ctx()),
    );
    expect(tpm.message).toMatch(/generation 2.*generation is fixed/);
    const sb = await refused(
      sim.run(
        'hv01',
        { op: 'configureVm', name: 'old', settings: { firmware: { secureBoot: true } } },
        ctx(),
      ),
    );
    expect(sb.message).toMatch(/Set-VMFirmware/);
    const state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.vms[0]).toMatchObject({ generation: 1, firmware: null, tpm: false });
  });

  it('refuses nested virtualization with dynamic memory, whichever comes second', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', newVm('a'), ctx());
    await sim.run(
      'hv01',
      {
        op: 'configureVm',
        name: 'a',
        settings: { memory: { startup: 2 * GiB, dynamic: true, minimum: 512 * MiB, maximum: 4 * GiB } },
      },
      ctx(),
    );
    const e1 = await refused(
      sim.run('hv01', { op: 'configureVm', name: 'a', settings: { nestedVirtualization: true } }, ctx()),
    );
    expect(e1.message).toMatch(/Set-VMProcessor: Cannot enable nested virtualization/);
    await sim.run('hv01', newVm('b'), ctx());
    await sim.run('hv01', { op: 'configureVm', name: 'b', settings: { nestedVirtualization: true } }, ctx());
    const e2 = await refused(
      sim.run(
        'hv01',
        { op: 'configureVm', name: 'b', settings: { memory: { startup: 2 * GiB, dynamic: true } } },
        ctx(),
      ),
    );
    expect(e2.message).toMatch(/Set-VMMemory/);
  });

  it('checks memory values: multiples of 2 MB, minimum <= startup <= maximum, MMIO low <= 3.5 GB', async () => {
    const { sim } = await newSim();
    await refused(sim.run('hv01', newVm('odd', 2, 1000 * MiB + 1), ctx()));
    await sim.run('hv01', newVm('a'), ctx());
    await refused(
      sim.run(
        'hv01',
        {
          op: 'configureVm',
          name: 'a',
          settings: { memory: { startup: 2 * GiB, dynamic: true, minimum: 4 * GiB, maximum: 8 * GiB } },
        },
        ctx(),
      ),
    );
    await refused(
      sim.run(
        'hv01',
        { op: 'configureVm', name: 'a', settings: { mmio: { low: 4 * GiB, high: 8 * GiB } } },
        ctx(),
      ),
    );
  });

  it('refuses removing a running VM', async () => {
    const { sim } = await newSim();
    await windowsVm(sim, { name: 'vm1' });
    const e = await refused(sim.run('hv01', { op: 'removeVm', name: 'vm1' }, ctx()));
    expect(e.record?.fullyQualifiedErrorId).toBe(
      'InvalidState,Microsoft.HyperV.PowerShell.Commands.RemoveVM',
    );
    await sim.run('hv01', { op: 'stopVm', name: 'vm1' }, ctx());
    await sim.run('hv01', { op: 'removeVm', name: 'vm1' }, ctx());
    expect((await sim.discover('hv01', { paths: [], files: [] })).vms).toEqual([]);
  });

  it('refuses starting a VM whose startup memory exceeds the host free memory', async () => {
    const { sim } = await newSim();
    await sim.seed('hv01', (t) => t.freeMemory(3 * GiB));
    await windowsVm(sim, { name: 'a', memory: 2 * GiB });
    await sim.run('hv01', newVm('b', 2, 2 * GiB), ctx());
    const e = await refused(sim.run('hv01', { op: 'startVm', name: 'b' }, ctx()));
    expect(e.record).toMatchObject({
      category: 'ResourceUnavailable',
      fullyQualifiedErrorId: 'OutOfMemory,Microsoft.HyperV.PowerShell.Commands.StartVM',
    });
    expect(e.record?.message).toBe(
      "'b' failed to start. Not enough memory in the system to start the virtual machine b.",
    );
    expect((await sim.discover('hv01', { paths: [], files: [] })).freeMemory).toBe(1 * GiB);
  });

  it('refuses operations on a VM that does not exist with Get-VM wording', async () => {
    const { sim } = await newSim();
    const e = await refused(sim.run('hv01', { op: 'startVm', name: 'ghost' }, ctx()));
    expect(e.record?.message).toBe('Hyper-V was unable to find a virtual machine with name "ghost".');
  });

  it('assigns a device only to a VM that is off, dismounting it from the host first', async () => {
    const { sim } = await newSim();
    const device = 'PCIROOT(40)#PCI(0200)#PCI(0000)';
    let state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.assignableDevices).toMatchObject([
      { locationPath: device, dismounted: false, assignedTo: null },
    ]);
    await windowsVm(sim, { name: 'gpu01' });
    const running = await refused(
      sim.run('hv01', { op: 'assignDevice', vm: 'gpu01', locationPath: device }, ctx()),
    );
    expect(running.record?.fullyQualifiedErrorId).toBe(
      'InvalidState,Microsoft.HyperV.PowerShell.Commands.AddVMAssignableDevice',
    );
    await sim.run('hv01', { op: 'stopVm', name: 'gpu01' }, ctx());
    await sim.run('hv01', { op: 'assignDevice', vm: 'gpu01', locationPath: device }, ctx());
    state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.assignableDevices).toMatchObject([
      { locationPath: device, dismounted: true, assignedTo: 'gpu01' },
    ]);
    expect(state.vms[0]!.assignedDevices).toEqual([device]);
    await sim.run('hv01', newVm('other'), ctx());
    const taken = await refused(
      sim.run('hv01', { op: 'assignDevice', vm: 'other', locationPath: device }, ctx()),
    );
    expect(taken.message).toMatch(/already assigned to virtual machine 'gpu01'/);
    const unknown = await refused(
      sim.run('hv01', { op: 'assignDevice', vm: 'other', locationPath: 'PCIROOT(0)#PCI(9999)' }, ctx()),
    );
    expect(unknown.record?.category).toBe('ObjectNotFound');
    // Removed from the VM, the device goes back to the host (Microsoft's DDA guide: mount, enable).
    await sim.run('hv01', { op: 'removeDevice', vm: 'gpu01', locationPath: device }, ctx());
    state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.assignableDevices).toMatchObject([{ dismounted: false, assignedTo: null }]);
  });

  it('keeps checkpoint names unique per VM and refuses restoring a missing one', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', newVm('a'), ctx());
    await sim.run('hv01', { op: 'checkpointVm', vm: 'a', checkpoint: 'base' }, ctx());
    const dup = await refused(sim.run('hv01', { op: 'checkpointVm', vm: 'a', checkpoint: 'base' }, ctx()));
    expect(dup.record?.category).toBe('ResourceExists');
    const missing = await refused(
      sim.run('hv01', { op: 'restoreCheckpoint', vm: 'a', checkpoint: 'nope' }, ctx()),
    );
    expect(missing.record?.category).toBe('ObjectNotFound');
    await sim.run('hv01', { op: 'configureVm', name: 'a', settings: { processors: 4 } }, ctx());
    await sim.run('hv01', { op: 'restoreCheckpoint', vm: 'a', checkpoint: 'base' }, ctx());
    const state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.vms[0]).toMatchObject({ processors: 1, checkpoints: ['base'], state: 'Off' });
  });

  it('refuses checkpoints when they are disabled', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', newVm('a'), ctx());
    await sim.run('hv01', { op: 'configureVm', name: 'a', settings: { checkpointType: 'disabled' } }, ctx());
    await refused(sim.run('hv01', { op: 'checkpointVm', vm: 'a', checkpoint: 'x' }, ctx()));
  });

  it('refuses adapters on a missing switch and hot add on generation 1', async () => {
    const { sim } = await newSim();
    await sim.run('hv01', newVm('a'), ctx());
    const e = await refused(
      sim.run(
        'hv01',
        { op: 'addAdapter', vm: 'a', name: 'n', switchName: 'Nope', macAddressSpoofing: false },
        ctx(),
      ),
    );
    expect(e.record?.message).toBe('Hyper-V was unable to find a virtual switch with name "Nope".');
    await sim.run('hv01', { op: 'createSwitch', name: 'S', type: 'private', notes: '' }, ctx());
    await sim.run('hv01', newVm('g1', 1, 512 * MiB), ctx());
    await sim.run('hv01', { op: 'startVm', name: 'g1' }, ctx());
    await refused(
      sim.run(
        'hv01',
        { op: 'addAdapter', vm: 'g1', name: 'n', switchName: 'S', macAddressSpoofing: false },
        ctx(),
      ),
    );
    await sim.run(
      'hv01',
      {
        op: 'addAdapter',
        vm: 'a',
        name: 'n',
        switchName: 'S',
        mac: '00-15-5D-01-02-03',
        macAddressSpoofing: true,
        vlan: 10,
      },
      ctx(),
    );
    const state = await sim.discover('hv01', { paths: [], files: [] });
    expect(state.vms.find((v) => v.name === 'a')!.adapters).toEqual([
      {
        name: 'n',
        switchName: 'S',
        mac: '00155D010203',
        staticMac: true,
        macAddressSpoofing: true,
        vlan: 10,
        addresses: [],
      },
    ]);
  });
});
