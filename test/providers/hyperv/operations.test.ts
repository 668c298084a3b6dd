import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import type { HostOperation } from '../../../src/model/host-operation.js';
import { ALL_VM_SETTINGS } from '../../support/vm-settings.js';

const GiB = 1024 ** 3;
const IMAGE = 'D:\\Images\\ws2022.vhdx';
const LAB = 'D:\\Labs\\test';
const MARK = 'labform:lab=test';

describePwsh('Hyper-V provider: every host operation against the fake module', () => {
  let fake: FakeHyperV;
  const run = (op: HostOperation) => fake.provider.run('hv01', op, fake.context(`op.${op.op}`));
  const discover = () =>
    fake.provider.discover('hv01', { paths: [LAB], files: [IMAGE, 'D:\\Images\\missing.vhdx'] });

  beforeAll(async () => {
    fake = await createFakeHyperV({
      seeds: {
        hv01: {
          images: [{ path: IMAGE, os: 'windows' }],
          devices: [{ locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)' }],
        },
      },
    });
  }, 60_000);
  afterAll(async () => fake?.dispose());

  it('discovers an empty host: arrays stay arrays, memory and files are read', async () => {
    const state = await discover();
    expect(state.host).toBe('hv01');
    expect(state.computerName).toBe('FAKEHV');
    expect(state.vms).toEqual([]);
    expect(state.switches).toEqual([]);
    expect(state.nats).toEqual([]);
    expect(state.natMappings).toEqual([]);
    expect(state.hostAddresses).toEqual([
      { interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 },
    ]);
    expect(state.files).toEqual([
      { path: IMAGE, exists: true },
      { path: 'D:\\Images\\missing.vhdx', exists: false },
    ]);
    expect(state.vhds).toEqual([
      { path: IMAGE, format: 'vhdx', type: 'dynamic', parentPath: null, size: 40 * GiB, attached: false },
    ]);
    expect(state.totalMemory).toBe(128 * GiB);
    expect(state.freeMemory).toBe(64 * GiB);
    expect(state.cluster).toBeNull();
  }, 60_000);

  it('reports the default virtual hard disk folder and lists a lab folder under it (no storagePath)', async () => {
    const folder = 'C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks';
    await run({
      op: 'createVhd',
      path: `${folder}\\test\\x\\x-data1.vhdx`,
      size: GiB,
      format: 'vhdx',
      type: 'dynamic',
    });
    const state = await fake.provider.discover('hv01', { paths: ['%VirtualHardDiskPath%\\test'], files: [] });
    expect(state.virtualHardDiskPath).toBe(folder);
    expect(state.vhds.map((v) => v.path)).toEqual([`${folder}\\test\\x\\x-data1.vhdx`]);
    await run({ op: 'removeVhd', path: `${folder}\\test\\x\\x-data1.vhdx` });
  });

  it('creates a NAT network: switch, host address, WinNAT, a port mapping', async () => {
    await run({ op: 'createSwitch', name: 'LabNet', type: 'internal', notes: MARK });
    await run({ op: 'setHostAddress', switchName: 'LabNet', address: '192.168.50.1', prefixLength: 24 });
    await run({ op: 'createNat', name: 'labform-test.LabNet', internalPrefix: '192.168.50.0/24' });
    await run({
      op: 'addNatMapping',
      nat: 'labform-test.LabNet',
      protocol: 'tcp',
      externalPort: 8443,
      internalAddress: '192.168.50.10',
      internalPort: 443,
    });
    await run({ op: 'createSwitch', name: 'Backend', type: 'private', notes: MARK });
    const state = await discover();
    expect(state.switches).toEqual([
      { name: 'LabNet', type: 'internal', notes: MARK, adapter: null, allowManagementOS: true },
      { name: 'Backend', type: 'private', notes: MARK, adapter: null, allowManagementOS: false },
    ]);
    expect(state.hostAddresses).toContainEqual({
      interfaceAlias: 'vEthernet (LabNet)',
      address: '192.168.50.1',
      prefixLength: 24,
    });
    expect(state.nats).toEqual([{ name: 'labform-test.LabNet', internalPrefix: '192.168.50.0/24' }]);
    expect(state.natMappings).toEqual([
      {
        nat: 'labform-test.LabNet',
        protocol: 'tcp',
        externalPort: 8443,
        internalAddress: '192.168.50.10',
        internalPort: 443,
      },
    ]);
    const calls = fake.state().calls.map((c: any) => c.cmdlet);
    expect(calls).toEqual(
      expect.arrayContaining(['New-VMSwitch', 'New-NetIPAddress', 'New-NetNat', 'Add-NetNatStaticMapping']),
    );
  }, 60_000);

  it('creates a VM with an OS disk from the image, a data disk, adapters and settings', async () => {
    await run({
      op: 'createVhd',
      path: `${LAB}\\dc01\\dc01-os.vhdx`,
      size: 0,
      format: 'vhdx',
      type: 'differencing',
      parentPath: IMAGE,
    });
    await run({
      op: 'createVhd',
      path: `${LAB}\\dc01\\dc01-data1.vhdx`,
      size: 10 * GiB,
      format: 'vhdx',
      type: 'dynamic',
    });
    await run({
      op: 'createVhd',
      path: `${LAB}\\dc01\\dc01-data2.vhdx`,
      size: GiB,
      format: 'vhdx',
      type: 'fixed',
    });
    await run({
      op: 'injectAnswerFile',
      vhdPath: `${LAB}\\dc01\\dc01-os.vhdx`,
      computerName: 'DC01',
      credential: 'lab-admin',
      timeZone: 'W. Europe Standard Time',
    });
    await run({
      op: 'createVm',
      name: 'dc01',
      generation: 2,
      path: `${LAB}\\dc01`,
      memoryStartup: 2 * GiB,
      notes: MARK,
    });
    await run({ op: 'configureVm', name: 'dc01', settings: ALL_VM_SETTINGS });
    await run({
      op: 'attachDisk',
      vm: 'dc01',
      path: `${LAB}\\dc01\\dc01-os.vhdx`,
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 0,
      supportPersistentReservations: false,
    });
    await run({
      op: 'attachDisk',
      vm: 'dc01',
      path: `${LAB}\\dc01\\dc01-data1.vhdx`,
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 1,
      supportPersistentReservations: false,
    });
    await run({
      op: 'addAdapter',
      vm: 'dc01',
      name: 'LabNet',
      switchName: 'LabNet',
      mac: '00-15-5D-01-02-03',
      macAddressSpoofing: true,
      vlan: 10,
    });
    await run({
      op: 'addAdapter',
      vm: 'dc01',
      name: 'Backend',
      switchName: 'Backend',
      macAddressSpoofing: false,
    });
    await run({ op: 'assignDevice', vm: 'dc01', locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)' });

    const state = await discover();
    const vm = state.vms.find((v) => v.name === 'dc01')!;
    expect(vm).toMatchObject({
      state: 'Off',
      notes: MARK,
      generation: 2,
      path: `${LAB}\\dc01`,
      ...ALL_VM_SETTINGS,
      checkpoints: [],
      uptimeSeconds: 0,
      assignedDevices: ['PCIROOT(40)#PCI(0200)#PCI(0000)'],
      clustered: false,
    });
    expect(vm.disks).toEqual([
      {
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
        path: `${LAB}\\dc01\\dc01-os.vhdx`,
        supportPersistentReservations: false,
      },
      {
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        path: `${LAB}\\dc01\\dc01-data1.vhdx`,
        supportPersistentReservations: false,
      },
    ]);
    expect(vm.adapters[0]).toEqual({
      name: 'LabNet',
      switchName: 'LabNet',
      mac: '00155D010203',
      staticMac: true,
      macAddressSpoofing: true,
      vlan: 10,
      addresses: [],
    });
    expect(vm.adapters[1]).toMatchObject({
      name: 'Backend',
      switchName: 'Backend',
      staticMac: false,
      macAddressSpoofing: false,
      vlan: null,
    });
    expect(state.vhds.map((v) => [v.path, v.type, v.parentPath, v.attached])).toEqual(
      expect.arrayContaining([
        [`${LAB}\\dc01\\dc01-os.vhdx`, 'differencing', IMAGE, true],
        [`${LAB}\\dc01\\dc01-data1.vhdx`, 'dynamic', null, true],
        [`${LAB}\\dc01\\dc01-data2.vhdx`, 'fixed', null, false],
      ]),
    );
    expect(state.assignableDevices).toEqual([
      {
        locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)',
        instanceId: expect.any(String),
        dismounted: true,
        assignedTo: 'dc01',
      },
    ]);
    // The answer file was written through System.Xml with the values as data.
    const osDisk = fake.state().vhds.find((v: any) => v.path.endsWith('dc01-os.vhdx'));
    expect(osDisk.answerFile).toMatchObject({
      computerName: 'DC01',
      adminUser: 'Administrator',
      adminPassword: { salt: expect.any(String), hash: expect.any(String) },
    });
    const unattend: string = osDisk.unattend;
    expect(unattend).toContain('<ComputerName>DC01</ComputerName>');
    expect(unattend).toContain('<TimeZone>W. Europe Standard Time</TimeZone>');
    expect(unattend).not.toContain('Pa$$w0rd');
    const encoded = Buffer.from('Pa$$w0rd!"`;$(whoami)AdministratorPassword', 'utf16le').toString('base64');
    expect(unattend).toContain(`<Value>${encoded}</Value>`);
  }, 120_000);

  it('starts, reports heartbeat and uptime, checkpoints, restores, stops', async () => {
    await run({ op: 'startVm', name: 'dc01' });
    expect(await fake.provider.heartbeat('hv01', 'dc01', fake.context())).toBe('OK');
    let state = await discover();
    expect(state.vms[0]).toMatchObject({ state: 'Running', heartbeat: 'OK' });
    expect(state.freeMemory).toBe(60 * GiB);
    await run({ op: 'checkpointVm', vm: 'dc01', checkpoint: 'before-roles' });
    await run({ op: 'setAdapter', vm: 'dc01', name: 'Backend', macAddressSpoofing: true, vlan: 20 });
    await run({ op: 'stopVm', name: 'dc01', timeoutMs: 5_000 });
    expect(await fake.provider.heartbeat('hv01', 'dc01', fake.context())).toBe('Unknown');
    await run({ op: 'restoreCheckpoint', vm: 'dc01', checkpoint: 'before-roles' });
    state = await discover();
    // A standard checkpoint of a running VM comes back saved, with the adapter as it was then.
    expect(state.vms[0]).toMatchObject({ state: 'Saved', checkpoints: ['before-roles'] });
    expect(state.vms[0]!.adapters[1]).toMatchObject({ macAddressSpoofing: false, vlan: null });
    await run({ op: 'setAdapter', vm: 'dc01', name: 'Backend', macAddressSpoofing: true, vlan: 20 });
    await run({ op: 'removeCheckpoint', vm: 'dc01', checkpoint: 'before-roles' });
    await run({ op: 'startVm', name: 'dc01' });
    await run({ op: 'stopVm', name: 'dc01', force: true });
    state = await discover();
    expect(state.vms[0]).toMatchObject({ state: 'Off', checkpoints: [], uptimeSeconds: 0 });
  }, 120_000);

  it('changes adapters and disks, then removes everything it created', async () => {
    await run({
      op: 'setAdapter',
      vm: 'dc01',
      name: 'Backend',
      switchName: 'LabNet',
      vlan: null,
      macAddressSpoofing: false,
    });
    let vm = (await discover()).vms[0]!;
    expect(vm.adapters[1]).toMatchObject({ switchName: 'LabNet', vlan: null, macAddressSpoofing: false });
    await run({ op: 'removeDevice', vm: 'dc01', locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)' });
    await run({ op: 'removeAdapter', vm: 'dc01', name: 'Backend' });
    await run({ op: 'removeAdapter', vm: 'dc01', name: 'LabNet' });
    await run({
      op: 'detachDisk',
      vm: 'dc01',
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 1,
    });
    vm = (await discover()).vms[0]!;
    expect(vm.adapters).toEqual([]);
    expect(vm.assignedDevices).toEqual([]);
    expect(vm.disks.map((d) => d.controllerLocation)).toEqual([0]);
    await run({ op: 'removeVhd', path: `${LAB}\\dc01\\dc01-data1.vhdx` });
    await run({ op: 'removeVm', name: 'dc01' });
    await run({ op: 'removeVhd', path: `${LAB}\\dc01\\dc01-os.vhdx` });
    await run({ op: 'removeVhd', path: `${LAB}\\dc01\\dc01-data2.vhdx` });
    await run({ op: 'removeNatMapping', nat: 'labform-test.LabNet', protocol: 'tcp', externalPort: 8443 });
    await run({ op: 'removeNat', name: 'labform-test.LabNet' });
    await run({ op: 'removeHostAddress', switchName: 'LabNet', address: '192.168.50.1' });
    await run({ op: 'removeSwitch', name: 'LabNet' });
    await run({ op: 'removeSwitch', name: 'Backend' });
    const state = await discover();
    expect(state.vms).toEqual([]);
    expect(state.switches).toEqual([]);
    expect(state.nats).toEqual([]);
    expect(state.natMappings).toEqual([]);
    expect(state.vhds.map((v) => v.path)).toEqual([IMAGE]);
    expect(state.hostAddresses).toEqual([
      { interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 },
    ]);
    // The device went back to the host: not listed as dismounted any more.
    expect(state.assignableDevices).toEqual([]);
  }, 120_000);
});
