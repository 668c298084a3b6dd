import { describe, expect, it } from 'vitest';
import { desiredState } from '../../src/desired/desired-state.js';
import { roleAddress } from '../../src/model/address.js';
import type {
  DesiredNat,
  DesiredNetwork,
  DesiredPortMapping,
  DesiredVm,
} from '../../src/desired/desired-resource.js';
import { demoLab, nic, demoVm } from '../support/lab-builder.js';

describe('desiredState', () => {
  it('gives every resource an address and its dependencies', () => {
    const lab = demoLab();
    const desired = desiredState({ lab });
    const byAddress = new Map(desired.map((d) => [d.address, d]));
    expect([...byAddress.keys()]).toEqual([
      'network.LabNet',
      'nat.LabNet',
      'portMapping.LabNet.tcp.8443',
      'network.Backend',
      'vm.dc01',
      'vm.web01',
      'role.dc01.domainController',
    ]);
    expect(byAddress.get('nat.LabNet')!.dependsOn).toEqual(['network.LabNet']);
    expect(byAddress.get('portMapping.LabNet.tcp.8443')!.dependsOn).toEqual(['nat.LabNet']);
    expect(byAddress.get('vm.web01')!.dependsOn.sort()).toEqual(['network.Backend', 'network.LabNet']);
    expect(byAddress.get('role.dc01.domainController')!.dependsOn).toEqual(['vm.dc01']);
  });

  it('makes a NAT network an internal switch with the gateway on the host and a NAT named for the lab', () => {
    const desired = desiredState({ lab: demoLab() });
    const net = desired.find((d) => d.address === 'network.LabNet') as DesiredNetwork;
    expect(net.switchType).toBe('internal');
    expect(net.notes).toBe('labform:lab=demo');
    expect(net.hostAddress).toEqual({ address: '192.168.50.1', prefixLength: 24 });
    const nat = desired.find((d) => d.kind === 'nat') as DesiredNat;
    expect(nat.name).toBe('labform-demo.LabNet');
    expect(nat.internalPrefix).toBe('192.168.50.0/24');
    const mapping = desired.find((d) => d.kind === 'portMapping') as DesiredPortMapping;
    expect(mapping).toMatchObject({
      nat: 'labform-demo.LabNet',
      protocol: 'tcp',
      externalPort: 8443,
      internalAddress: '192.168.50.20',
      internalPort: 443,
    });
  });

  it('normalises VM settings: OS disk as a differencing child of the image, SCSI slots, MACs, ownership notes', () => {
    const lab = demoLab({
      disks: [
        {
          name: 'shared',
          path: 'C:\\ClusterStorage\\Volume1\\shared.vhdx',
          size: 10 * 1024 ** 3,
          format: 'vhdx',
          type: 'dynamic',
          shared: true,
        },
      ],
      vms: [
        demoVm('app01', {
          disks: [
            { kind: 'new', size: 1024 ** 3, path: 'D:\\Labs\\demo\\app01\\app01-data1.vhdx' },
            { kind: 'disk', disk: 'shared' },
          ],
          network: [
            nic('LabNet', '192.168.50.30', { mac: '00-15-5d-01-02-03', macAddressSpoofing: true, vlan: 10 }),
          ],
          memory: { startup: 1024 ** 3, dynamic: true, minimum: 512 * 1024 ** 2, maximum: 4 * 1024 ** 3 },
        }),
      ],
    });
    const d = desiredState({ lab }).find((x) => x.kind === 'vm') as DesiredVm;
    expect(d.osDisk).toMatchObject({
      path: 'D:\\Labs\\demo\\app01\\app01.vhdx',
      parentPath: 'D:\\Images\\ws2016.vhdx',
      controllerType: 'SCSI',
      controllerLocation: 0,
    });
    expect(
      d.dataDisks.map((x) => [
        x.controllerType,
        x.controllerLocation,
        x.supportPersistentReservations,
        Boolean(x.create),
      ]),
    ).toEqual([
      ['SCSI', 1, false, true],
      ['SCSI', 2, true, false],
    ]);
    expect(d.dependsOn).toContain('disk.shared');
    expect(d.adapters[0]).toEqual({
      name: 'LabNet',
      switchName: 'LabNet',
      mac: '00155D010203',
      macAddressSpoofing: true,
      vlan: 10,
    });
    expect(d.memory).toEqual({
      startup: 1024 ** 3,
      dynamic: true,
      minimum: 512 * 1024 ** 2,
      maximum: 4 * 1024 ** 3,
    });
    expect(d.notes).toBe('labform:lab=demo');
    expect(d.firmware).toEqual({ secureBoot: true, secureBootTemplate: 'MicrosoftWindows' });
  });

  it('puts a generation 1 OS disk on IDE and has no firmware settings', () => {
    const lab = demoLab({
      vms: [
        demoVm('old01', {
          generation: 1,
          image: 'ws2012',
          firmware: { secureBoot: false },
          disks: [{ kind: 'new', size: 1024 ** 3, path: 'D:\\x.vhdx' }],
        }),
      ],
    });
    const d = desiredState({ lab }).find((x) => x.kind === 'vm') as DesiredVm;
    expect(d.osDisk?.controllerType).toBe('IDE');
    expect(d.dataDisks[0]).toMatchObject({ controllerType: 'SCSI', controllerLocation: 0 });
    expect(d.firmware).toBeNull();
  });

  it('gives adapters static MACs known before the VM exists, one per adapter', () => {
    const d = desiredState({ lab: demoLab() }).find((x) => x.address === 'vm.web01') as DesiredVm;
    expect(d.adapters.map((a) => a.mac)).toHaveLength(2);
    for (const a of d.adapters) expect(a.mac).toMatch(/^00155D[0-9A-F]{6}$/);
    expect(new Set(d.adapters.map((a) => a.mac)).size).toBe(2);
  });

  it('numbers a second role of the same kind in one VM', () => {
    const lab = demoLab({
      vms: [
        demoVm('s1', {
          roles: [
            { kind: 'script', run: 'a', shell: 'powershell', reboots: false },
            { kind: 'script', run: 'b', shell: 'powershell', reboots: false },
          ],
        }),
      ],
    });
    const roles = desiredState({ lab })
      .filter((d) => d.kind === 'role')
      .map((d) => d.address);
    expect(roles).toEqual(['role.s1.script', 'role.s1.script.2']);
    expect(roleAddress('s1', 'script', 3)).toBe('role.s1.script.3');
  });

  it('adds guest clusters depending on their nodes', () => {
    const lab = demoLab({
      vms: [demoVm('sql1'), demoVm('sql2')],
      guestClusters: [
        { name: 'sqlclu', nodes: ['sql1', 'sql2'], address: '192.168.50.40', sharedVolumes: [] },
      ],
    });
    const gc = desiredState({ lab }).find((d) => d.kind === 'guestCluster')!;
    expect(gc.address).toBe('guestCluster.sqlclu');
    expect(gc.dependsOn).toEqual(['vm.sql1', 'vm.sql2']);
  });

  it('creates a shared disk on the host of its users that carries the fewest of the lab VMs', async () => {
    const { loadLab } = await import('../../src/manifest/load-lab.js');
    // linux-cluster: centos1, 3 and 5 on hyperv01, centos2 and 4 on hyperv02; both shared disks
    // are used by all five, so hyperv02 (two VMs) creates them and hyperv01's queue stays short.
    const { lab } = await loadLab({ file: 'examples/linux-cluster.yaml' });
    const disks = desiredState({ lab: lab! }).filter((d) => d.kind === 'disk');
    expect(disks.map((d) => [d.address, d.host])).toEqual([
      ['disk.cluster-data', 'hyperv02'],
      ['disk.quorum', 'hyperv02'],
    ]);
    // With one user only, the disk is its VM's host whatever the counts.
    lab!.vms = lab!.vms.map((vm) =>
      vm.host === 'hyperv02' ? { ...vm, disks: vm.disks.filter((x) => x.kind !== 'disk') } : vm,
    );
    const single = desiredState({ lab: lab! }).filter((d) => d.kind === 'disk');
    expect(single.map((d) => d.host)).toEqual(['hyperv01', 'hyperv01']);
  });
});
