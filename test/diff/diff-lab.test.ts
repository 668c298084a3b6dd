import { describe, expect, it } from 'vitest';
import { diffLab } from '../../src/diff/diff-lab.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { requiresStopPath } from '../../src/model/vm-settings.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import { appliedLive, cloneLive, demoLab, demoHost, GB, nic, demoVm } from '../support/lab-builder.js';

function diff(lab: Lab, live: Map<string, HostState>, mode: 'apply' | 'destroy' = 'apply') {
  const result = diffLab({ lab, desired: desiredState({ lab }), live, requiresStop: requiresStopPath, mode });
  return { ...result, byAddress: new Map(result.changes.map((pc) => [pc.change.address, pc.change])) };
}

const actions = (r: ReturnType<typeof diff>) =>
  Object.fromEntries(r.changes.map((pc) => [pc.change.address, pc.change.action]));

describe('diffLab', () => {
  const lab = demoLab();
  const applied = appliedLive(lab);

  it('creates everything on an empty host', () => {
    const r = diff(lab, new Map([['hv01', demoHost('hv01')]]));
    expect(actions(r)).toEqual({
      'network.LabNet': 'create',
      'nat.LabNet': 'create',
      'portMapping.LabNet.tcp.8443': 'create',
      'network.Backend': 'create',
      'vm.dc01': 'create',
      'vm.web01': 'create',
    });
    expect(r.conflicts).toEqual([]);
  });

  it('finds nothing to do on the state an apply leaves', () => {
    const r = diff(lab, applied);
    expect(r.changes.every((pc) => pc.change.action === 'noop')).toBe(true);
    expect(r.conflicts).toEqual([]);
  });

  it('updates a running VM and marks offline settings as requiring stop', () => {
    const live = cloneLive(applied);
    const dc = live.get('hv01')!.vms.find((v) => v.name === 'dc01')!;
    dc.processors = 4;
    dc.automaticStopAction = 'save';
    const c = diff(lab, live).byAddress.get('vm.dc01')!;
    expect(c.action).toBe('update');
    expect(c.requiresStop).toBe(true);
    expect(c.diff).toEqual([
      { path: 'processors', before: 4, after: 2, requiresStop: true },
      { path: 'automaticStopAction', before: 'save', after: 'shutDown' },
    ]);
  });

  it('uses the requiresStop predicate it is given', () => {
    const live = cloneLive(applied);
    live.get('hv01')!.vms.find((v) => v.name === 'dc01')!.checkpointType = 'standard';
    const never = diffLab({ lab, desired: desiredState({ lab }), live, requiresStop: () => false });
    const always = diffLab({ lab, desired: desiredState({ lab }), live, requiresStop: () => true });
    expect(never.changes.find((pc) => pc.change.address === 'vm.dc01')!.change.requiresStop).toBe(false);
    expect(always.changes.find((pc) => pc.change.address === 'vm.dc01')!.change.requiresStop).toBe(true);
  });

  it('does not ask for a stop for settings Hyper-V changes live', () => {
    const live = cloneLive(applied);
    live.get('hv01')!.vms.find((v) => v.name === 'web01')!.adapters[0]!.macAddressSpoofing = true;
    const c = diff(lab, live).byAddress.get('vm.web01')!;
    expect(c).toMatchObject({
      action: 'update',
      requiresStop: false,
      diff: [{ path: 'network[0].macAddressSpoofing', before: true, after: false }],
    });
  });

  it('replaces a VM whose generation changed', () => {
    const next = demoLab({
      vms: [
        demoVm('dc01', { generation: 1, image: 'ws2012', firmware: { secureBoot: false } }),
        demoLab().vms[1]!,
      ],
    });
    const c = diff(next, applied).byAddress.get('vm.dc01')!;
    expect(c.action).toBe('replace');
    expect(c.diff.find((d) => d.path === 'generation')).toEqual({
      path: 'generation',
      before: 2,
      after: 1,
      forcesReplace: true,
    });
    expect(c.reason).toContain('generation 2 -> 1');
  });

  it('replaces a VM whose OS disk is not a child of the wanted image', () => {
    const next = demoLab({
      images: [
        { name: 'ws2016', path: 'E:\\Gold\\ws2016-v2.vhdx', os: 'windows', generation: 2 },
        demoLab().images[1]!,
      ],
    });
    const c = diff(next, applied).byAddress.get('vm.dc01')!;
    expect(c.action).toBe('replace');
    expect(c.diff[0]).toEqual({
      path: 'image',
      before: 'D:\\Images\\ws2016.vhdx',
      after: 'E:\\Gold\\ws2016-v2.vhdx',
      forcesReplace: true,
    });
  });

  it('compares paths case-insensitively, sizes as numbers and MACs in one notation', () => {
    const live = cloneLive(applied);
    const h = live.get('hv01')!;
    const dc = h.vms.find((v) => v.name === 'dc01')!;
    dc.disks[0]!.path = dc.disks[0]!.path.toUpperCase();
    h.vhds = h.vhds.map((v) => ({
      ...v,
      path: v.path.toLowerCase(),
      parentPath: v.parentPath?.toUpperCase() ?? null,
    }));
    dc.adapters[0]!.mac = dc.adapters[0]!.mac.toLowerCase();
    expect(diff(lab, live).byAddress.get('vm.dc01')!.action).toBe('noop');
  });

  describe('ownership', () => {
    it('reports an unmarked VM with a wanted name as a conflict, never adopting it', () => {
      const live = cloneLive(applied);
      live.get('hv01')!.vms.find((v) => v.name === 'dc01')!.notes = 'built by hand';
      const r = diff(lab, live);
      expect(r.conflicts).toEqual([
        expect.objectContaining({
          address: 'vm.dc01',
          host: 'hv01',
          message: expect.stringContaining('not managed by labform'),
        }),
      ]);
      expect(r.byAddress.has('vm.dc01')).toBe(false);
    });

    it('reports an unmarked switch with a wanted name as a conflict', () => {
      const live = new Map([
        [
          'hv01',
          demoHost('hv01', {
            switches: [
              { name: 'labnet', type: 'internal', notes: '', adapter: null, allowManagementOS: true },
            ],
          }),
        ],
      ]);
      const r = diff(lab, live);
      expect(r.conflicts.map((c) => c.address)).toEqual(['network.LabNet']);
    });

    it('reports a NAT not ours with the wanted prefix as a conflict', () => {
      const live = new Map([
        ['hv01', demoHost('hv01', { nats: [{ name: 'DockerNAT', internalPrefix: '192.168.50.0/24' }] })],
      ]);
      const r = diff(lab, live);
      expect(r.conflicts).toEqual([
        expect.objectContaining({ address: 'nat.LabNet', message: expect.stringContaining('DockerNAT') }),
      ]);
    });

    it("treats another lab's VM with a wanted name as a conflict and leaves its other resources alone", () => {
      const otherNet = {
        name: 'OtherNet',
        type: 'private' as const,
        hosts: ['hv01'],
        dns: [],
        reserve: [],
        portMappings: [],
      };
      const other = appliedLive(
        demoLab({
          name: 'other',
          networks: [otherNet],
          vms: [
            demoVm('dc01', { network: [nic('OtherNet')] }),
            demoVm('files01', { network: [nic('OtherNet')] }),
          ],
        }),
      );
      const live = other;
      expect(live.get('hv01')!.switches.map((s) => s.name)).toEqual(['OtherNet']);
      const r = diff(lab, live);
      expect(r.conflicts).toEqual([
        expect.objectContaining({
          address: 'vm.dc01',
          message: expect.stringContaining('belongs to lab other'),
        }),
      ]);
      expect(r.changes.filter((pc) => pc.change.action === 'delete')).toEqual([]);
    });
  });

  describe('deletions', () => {
    it('deletes owned resources no longer in the manifest, and nothing unowned', () => {
      const bigger = demoLab({
        vms: [
          ...demoLab().vms,
          demoVm('old01', {
            disks: [{ kind: 'new', size: GB, path: 'D:\\Labs\\demo\\old01\\old01-data1.vhdx' }],
          }),
        ],
        networks: [
          ...demoLab().networks,
          { name: 'Gone', type: 'internal', hosts: ['hv01'], dns: [], reserve: [], portMappings: [] },
        ],
      });
      const live = appliedLive(bigger);
      const h = live.get('hv01')!;
      h.natMappings.push({
        nat: 'labform-demo.LabNet',
        protocol: 'udp',
        externalPort: 53,
        internalAddress: '192.168.50.10',
        internalPort: 53,
      });
      h.vms.push({ ...structuredClone(h.vms[0]!), name: 'handmade', notes: '' });
      h.switches.push({
        name: 'Default Switch',
        type: 'internal',
        notes: '',
        adapter: null,
        allowManagementOS: true,
      });
      h.vhds.push({
        path: 'D:\\Labs\\demo\\stray.vhdx',
        format: 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: GB,
        attached: false,
      });
      h.vhds.push({
        path: 'D:\\Other\\keep.vhdx',
        format: 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: GB,
        attached: false,
      });
      // Inside the storage path written another way (case, slashes, a subfolder): the lab's; a
      // folder whose name only starts like it is not.
      h.vhds.push({
        path: 'd:/labs/DEMO/sub/Stray2.vhdx',
        format: 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: GB,
        attached: false,
      });
      h.vhds.push({
        path: 'D:\\Labs\\demo-old\\prefix.vhdx',
        format: 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: GB,
        attached: false,
      });
      const r = diff(lab, live);
      const deletes = r.changes
        .filter((pc) => pc.change.action === 'delete')
        .map((pc) => pc.change.address)
        .sort();
      expect(deletes).toEqual(
        [
          'disk.old01-data1.vhdx',
          'disk.old01.vhdx',
          'disk.stray.vhdx',
          'disk.Stray2.vhdx',
          'network.Gone',
          'portMapping.LabNet.udp.53',
          'vm.old01',
        ].sort(),
      );
      expect(
        r.changes.every(
          (pc) => pc.change.action !== 'delete' || pc.change.reason === 'removed from the manifest',
        ),
      ).toBe(true);
    });

    it('never deletes a disk under the storage path that a VM of nobody we know uses', () => {
      const live = cloneLive(applied);
      const h = live.get('hv01')!;
      h.vms.push({
        ...structuredClone(h.vms[0]!),
        name: 'handmade',
        notes: '',
        disks: [
          {
            controllerType: 'SCSI',
            controllerNumber: 0,
            controllerLocation: 0,
            path: 'D:\\Labs\\demo\\handmade.vhdx',
            supportPersistentReservations: false,
          },
        ],
      });
      h.vhds.push({
        path: 'D:\\Labs\\demo\\handmade.vhdx',
        format: 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: GB,
        attached: true,
      });
      expect(diff(lab, live).changes.filter((pc) => pc.change.action === 'delete')).toEqual([]);
    });

    it('deletes every owned resource in destroy mode and leaves images alone', () => {
      const r = diff(lab, applied, 'destroy');
      expect(r.changes.every((pc) => pc.change.action === 'delete')).toBe(true);
      expect(r.changes.map((pc) => pc.change.address).sort()).toEqual(
        [
          'vm.dc01',
          'vm.web01',
          'network.LabNet',
          'network.Backend',
          'nat.LabNet',
          'portMapping.LabNet.tcp.8443',
          'disk.dc01.vhdx',
          'disk.web01.vhdx',
        ].sort(),
      );
    });
  });

  it('finds a clustered VM on any node of its cluster and never deletes the copies other nodes list', () => {
    const clustered = demoLab({
      hosts: [
        { name: 'hv01', connect: { kind: 'local' }, shell: 'powershell', storagePath: 'D:\\Labs\\demo' },
        { name: 'hv02', connect: { kind: 'local' }, shell: 'powershell', storagePath: 'D:\\Labs\\demo' },
      ],
      clusters: [{ name: 'hvclu', nodes: ['hv01', 'hv02'], sharedVolume: 'C:\\ClusterStorage\\Volume1' }],
      networks: [
        { name: 'LabNet', type: 'internal', hosts: ['hv01', 'hv02'], dns: [], reserve: [], portMappings: [] },
      ],
      vms: [
        demoVm('c1', {
          cluster: 'hvclu',
          path: 'C:\\ClusterStorage\\Volume1\\demo\\c1',
          osDiskPath: 'C:\\ClusterStorage\\Volume1\\demo\\c1\\c1.vhdx',
        }),
      ],
    });
    const live = appliedLive(clustered);
    const h1 = live.get('hv01')!;
    const h2 = live.get('hv02')!;
    // Failed over to hv02: every node lists it, hv02 runs it.
    h2.vms.push(structuredClone(h1.vms[0]!));
    h2.vhds.push(...structuredClone(h1.vhds));
    const r = diff(clustered, live);
    expect(r.changes.filter((pc) => pc.change.action !== 'noop')).toEqual([]);
    h1.vms = [];
    const moved = diff(clustered, live);
    expect(moved.changes.find((pc) => pc.change.address === 'vm.c1')!.change.action).toBe('noop');
  });

  describe('drift', () => {
    it("starts a VM stopped behind labform's back again", () => {
      const live = cloneLive(applied);
      live.get('hv01')!.vms.find((v) => v.name === 'web01')!.state = 'Off';
      const c = diff(lab, live).byAddress.get('vm.web01')!;
      expect(c).toMatchObject({
        action: 'update',
        requiresStop: false,
        diff: [{ path: 'state', before: 'Off', after: 'Running' }],
      });
    });

    it("creates a VM removed behind labform's back, reusing its OS disk when it is still the image's child", () => {
      const live = cloneLive(applied);
      live.get('hv01')!.vms = live.get('hv01')!.vms.filter((v) => v.name !== 'web01');
      const r = diff(lab, live);
      const pc = r.changes.find((x) => x.change.address === 'vm.web01')!;
      expect(pc.change.action).toBe('create');
      expect(pc.liveOsDisk?.path).toBe('D:\\Labs\\demo\\web01\\web01.vhdx');
      expect(r.changes.filter((x) => x.change.action === 'delete')).toEqual([]);
    });

    it('sets memory back when it was changed by hand', () => {
      const live = cloneLive(applied);
      live.get('hv01')!.vms.find((v) => v.name === 'dc01')!.memory.startup = 4 * GB;
      const c = diff(lab, live).byAddress.get('vm.dc01')!;
      expect(c.diff).toEqual([{ path: 'memory.startup', before: 4 * GB, after: 2 * GB, requiresStop: true }]);
    });

    it('puts a missing host address back on the NAT switch', () => {
      const live = cloneLive(applied);
      live.get('hv01')!.hostAddresses = live
        .get('hv01')!
        .hostAddresses.filter((a) => !a.interfaceAlias.includes('LabNet'));
      const c = diff(lab, live).byAddress.get('network.LabNet')!;
      expect(c).toMatchObject({
        action: 'update',
        diff: [{ path: 'hostAddress', before: null, after: '192.168.50.1/24' }],
      });
    });

    it('re-points a port mapping changed by hand', () => {
      const live = cloneLive(applied);
      live.get('hv01')!.natMappings[0]!.internalPort = 444;
      expect(diff(lab, live).byAddress.get('portMapping.LabNet.tcp.8443')).toMatchObject({
        action: 'update',
        diff: [{ path: 'internalPort', before: 444, after: 443 }],
      });
    });
  });
});
