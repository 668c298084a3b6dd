import { describe, expect, it } from 'vitest';
import { buildSteps } from '../../src/plan/build-steps.js';
import { diffLab } from '../../src/diff/diff-lab.js';
import { diffRoles } from '../../src/diff/diff-roles.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { requiresStopPath } from '../../src/model/vm-settings.js';
import { UserError } from '../../src/errors.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import type { GuestTask } from '../../src/roles/guest-task.js';
import type { HostStep, Step } from '../../src/plan/plan.js';
import { appliedLive, cloneLive, demoLab, demoHost, GB, demoVm } from '../support/lab-builder.js';
import { runsBefore, task } from '../support/steps.js';

function steps(
  lab: Lab,
  live: Map<string, HostState>,
  tasks: GuestTask[] = [],
  options: { mode?: 'apply' | 'destroy'; done?: Set<string> } = {},
): Step[] {
  const desired = desiredState({ lab });
  const { changes } = diffLab({ lab, desired, live, requiresStop: requiresStopPath, mode: options.mode });
  const roles = diffRoles({ desired, state: new Map(), mode: options.mode });
  return buildSteps({ lab, changes: [...changes, ...roles], tasks, live, doneTasks: options.done });
}

const fresh = () => new Map([['hv01', demoHost('hv01')]]);
const dcTasks = (): GuestTask[] => [
  task('dc01', 'base/computerName'),
  task('dc01', 'domainController/forest', {
    rebootCredential: 'domain-admin',
    then: { wait: 'adReady', credential: 'domain-admin' },
  }),
  task('web01', 'base/computerName'),
  task('web01', 'script/join', {
    address: 'vm.web01',
    after: [{ vm: 'dc01', key: 'domainController/forest' }],
  }),
];

describe('buildSteps', () => {
  const lab = demoLab();

  it('creates and starts a VM without an image, with no guest waits (nothing inside can answer)', () => {
    const blank = demoLab({
      vms: [demoVm('blank', { image: undefined, osDiskPath: undefined, credential: undefined, roles: [] })],
    });
    const s = steps(blank, fresh());
    const ids = s.map((x) => x.id);
    expect(ids).toContain('vm.blank/start');
    expect(ids.filter((id) => id.startsWith('vm.blank/wait-'))).toEqual([]);
  });

  it("wires a VM's steps to what its dependsOn names: an adapter moved to a new network waits for its switch", () => {
    const applied = appliedLive(lab);
    const moved = demoLab({
      networks: [...lab.networks, { ...lab.networks[1]!, name: 'Front', type: 'internal' }],
      vms: lab.vms.map((v) =>
        v.name === 'web01' ? { ...v, network: [v.network[0]!, { ...v.network[1]!, network: 'Front' }] } : v,
      ),
    });
    const s = steps(moved, applied);
    const adapterStep = s.find((x) => x.address === 'vm.web01' && /-adapter-2$/.test(x.id))!;
    expect(adapterStep).toBeDefined();
    expect(runsBefore(s, 'network.Front/create-switch', adapterStep.id)).toBe(true);
    // Its other adapter's network needs no change: nothing waits on it.
    expect(s.some((x) => x.address === 'network.LabNet')).toBe(false);
  });

  it('orders networking: switch -> host address -> NAT -> mappings', () => {
    const s = steps(lab, fresh());
    expect(runsBefore(s, 'network.LabNet/create-switch', 'network.LabNet/set-host-address')).toBe(true);
    expect(runsBefore(s, 'network.LabNet/set-host-address', 'nat.LabNet/create')).toBe(true);
    expect(runsBefore(s, 'nat.LabNet/create', 'portMapping.LabNet.tcp.8443/add')).toBe(true);
  });

  it('builds a VM: OS disk -> answer file -> create -> configure -> attach / adapters -> start -> heartbeat -> PowerShell Direct -> guest tasks', () => {
    const s = steps(lab, fresh(), dcTasks());
    const chain = [
      'vm.dc01/create-os-disk',
      'vm.dc01/inject-answer-file',
      'vm.dc01/attach-os-disk',
      'vm.dc01/start',
      'vm.dc01/wait-heartbeat',
      'vm.dc01/wait-powershell-direct',
      'vm.dc01/computerName',
      'role.dc01.domainController/forest',
      'role.dc01.domainController/wait-ad-ready',
    ];
    for (let i = 1; i < chain.length; i++)
      expect(runsBefore(s, chain[i - 1]!, chain[i]!), `${chain[i - 1]} before ${chain[i]}`).toBe(true);
    expect(runsBefore(s, 'vm.dc01/create', 'vm.dc01/configure')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/configure', 'vm.dc01/add-adapter-1')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/add-adapter-1', 'vm.dc01/start')).toBe(true);
    expect(runsBefore(s, 'network.LabNet/create-switch', 'vm.dc01/add-adapter-1')).toBe(true);
    const inject = s.find((x) => x.id === 'vm.dc01/inject-answer-file') as HostStep;
    expect(inject.operation).toMatchObject({
      op: 'injectAnswerFile',
      computerName: 'DC01',
      credential: 'lab-admin',
      timeZone: 'UTC',
    });
  });

  it('turns tasks into probed guest steps, `then` into waits, `after` into cross-VM edges', () => {
    const s = steps(lab, fresh(), dcTasks());
    const forest = s.find((x) => x.id === 'role.dc01.domainController/forest')!;
    expect(forest).toMatchObject({
      type: 'guest',
      probe: true,
      credential: 'lab-admin',
      rebootCredential: 'domain-admin',
      vm: 'dc01',
      timeoutMs: 1_800_000,
    });
    const ad = s.find((x) => x.id === 'role.dc01.domainController/wait-ad-ready')!;
    expect(ad).toMatchObject({
      type: 'wait',
      wait: 'adReady',
      credential: 'domain-admin',
      timeoutMs: 1_200_000,
    });
    expect(runsBefore(s, 'role.dc01.domainController/wait-ad-ready', 'vm.web01/join')).toBe(true);
    expect(runsBefore(s, 'vm.web01/computerName', 'vm.web01/join')).toBe(true);
    expect(s.find((x) => x.id === 'vm.dc01/wait-heartbeat')).toMatchObject({
      timeoutMs: 600_000,
      stablePolls: 3,
    });
  });

  it('skips guest steps the plan-time probe found done, but keeps the AD wait a pending task needs', () => {
    const live = appliedLive(lab);
    const s = steps(lab, live, dcTasks(), {
      done: new Set(['dc01|base/computerName', 'dc01|domainController/forest', 'web01|base/computerName']),
    });
    // A run killed right after the promotion: the forest is done, but AD may not answer yet, and web01's join needs it.
    expect(s.map((x) => x.id).sort()).toEqual(
      [
        'vm.web01/join',
        'vm.web01/wait-heartbeat',
        'vm.web01/wait-powershell-direct',
        'role.dc01.domainController/wait-ad-ready',
        'vm.dc01/wait-heartbeat',
        'vm.dc01/wait-powershell-direct',
      ].sort(),
    );
    expect(runsBefore(s, 'role.dc01.domainController/wait-ad-ready', 'vm.web01/join')).toBe(true);
    expect(s.every((x) => x.type !== 'host')).toBe(true);
  });

  it('keeps no wait of a done task when nothing pending needs it', () => {
    const s = steps(lab, appliedLive(lab), dcTasks(), {
      done: new Set([
        'dc01|base/computerName',
        'dc01|domainController/forest',
        'web01|base/computerName',
        'web01|script/join',
      ]),
    });
    expect(s).toEqual([]);
  });

  it('makes no host steps for an unchanged lab', () => {
    const s = steps(lab, appliedLive(lab), [], {});
    expect(s).toEqual([]);
  });

  it('stops a VM for settings that need it: stop -> configure -> start -> waits', () => {
    const live = cloneLive(appliedLive(lab));
    live.get('hv01')!.vms.find((v) => v.name === 'dc01')!.processors = 8;
    const s = steps(lab, live);
    // dc01 is a domain controller: after its restart the plan also waits for Active Directory.
    expect(s.filter((x) => x.address === 'vm.dc01').map((x) => x.id)).toEqual([
      'vm.dc01/stop',
      'vm.dc01/configure',
      'vm.dc01/start',
      'vm.dc01/wait-heartbeat',
      'vm.dc01/wait-powershell-direct',
      'vm.dc01/wait-ad-ready',
    ]);
    expect(runsBefore(s, 'vm.dc01/stop', 'vm.dc01/configure')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/configure', 'vm.dc01/start')).toBe(true);
    expect((s.find((x) => x.id === 'vm.dc01/configure') as HostStep).operation).toEqual({
      op: 'configureVm',
      name: 'dc01',
      settings: { processors: 2 },
    });
  });

  it('finishes an interrupted create: attaches the OS disk already made, then starts', () => {
    const live = cloneLive(appliedLive(lab));
    const web = live.get('hv01')!.vms.find((v) => v.name === 'web01')!;
    web.state = 'Off';
    web.disks = [];
    const s = steps(lab, live);
    expect(s.map((x) => x.id)).not.toContain('vm.web01/create-os-disk');
    expect(runsBefore(s, 'vm.web01/attach-SCSI-0-0', 'vm.web01/start')).toBe(true);
    expect(runsBefore(s, 'vm.web01/start', 'vm.web01/wait-powershell-direct')).toBe(true);
  });

  it('replaces a VM left without its OS disk: the disk (and answer file) are made again', () => {
    const live = cloneLive(appliedLive(lab));
    const h = live.get('hv01')!;
    h.vms.find((v) => v.name === 'web01')!.disks = [];
    h.vhds = h.vhds.filter((v) => !v.path.includes('web01'));
    const s = steps(lab, live);
    expect(runsBefore(s, 'vm.web01/remove', 'vm.web01/create')).toBe(true);
    expect(runsBefore(s, 'vm.web01/create-os-disk', 'vm.web01/inject-answer-file')).toBe(true);
    expect(runsBefore(s, 'vm.web01/inject-answer-file', 'vm.web01/attach-os-disk')).toBe(true);
    expect(s.map((x) => x.id)).not.toContain('vm.web01/remove-os-disk');
  });

  it('changes live settings without a stop', () => {
    const live = cloneLive(appliedLive(lab));
    live.get('hv01')!.vms.find((v) => v.name === 'web01')!.adapters[1]!.vlan = 7;
    const s = steps(lab, live);
    expect(s.map((x) => x.id)).toEqual(['vm.web01/set-adapter-2']);
  });

  it('replaces: delete steps first, then create steps', () => {
    const next = demoLab({
      vms: [
        demoVm('dc01', { generation: 1, image: 'ws2012', firmware: { secureBoot: false } }),
        demoLab().vms[1]!,
      ],
    });
    const s = steps(next, appliedLive(lab));
    expect(runsBefore(s, 'vm.dc01/stop', 'vm.dc01/remove')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/remove', 'vm.dc01/create')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/remove', 'vm.dc01/remove-os-disk')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/remove-os-disk', 'vm.dc01/create-os-disk')).toBe(true);
    expect((s.find((x) => x.id === 'vm.dc01/create') as HostStep).operation).toMatchObject({
      op: 'createVm',
      generation: 1,
    });
  });

  it('deletes in reverse: mappings before NAT, VMs stopped and removed before their disks and switch', () => {
    const s = steps(lab, appliedLive(lab), [], { mode: 'destroy' });
    expect(runsBefore(s, 'portMapping.LabNet.tcp.8443/remove', 'nat.LabNet/remove')).toBe(true);
    expect(runsBefore(s, 'nat.LabNet/remove', 'network.LabNet/remove-switch')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/stop', 'vm.dc01/remove')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/remove', 'disk.dc01.vhdx/remove')).toBe(true);
    expect(runsBefore(s, 'vm.web01/remove', 'network.Backend/remove-switch')).toBe(true);
    expect(runsBefore(s, 'vm.dc01/remove', 'network.LabNet/remove-switch')).toBe(true);
    expect(s.every((x) => x.type === 'host')).toBe(true);
  });

  it('deletes by what each live resource needs: a switch waits only for the VMs on it', () => {
    const s = steps(lab, appliedLive(lab), [], { mode: 'destroy' });
    const backend = s.find((x) => x.id === 'network.Backend/remove-switch')!;
    // Only web01 has an adapter on Backend; dc01 and the NAT of LabNet do not hold it.
    expect(runsBefore(s, 'vm.web01/remove', backend.id)).toBe(true);
    expect(runsBefore(s, 'vm.dc01/remove', backend.id)).toBe(false);
    expect(runsBefore(s, 'nat.LabNet/remove', backend.id)).toBe(false);
    expect(runsBefore(s, 'vm.web01/remove', 'disk.dc01.vhdx/remove')).toBe(false);
  });

  it('removes a shared disk on a cluster shared volume after the VMs of every host that attach it', () => {
    const live = cloneLive(appliedLive(lab));
    const shared = 'C:\\ClusterStorage\\Volume1\\quorum.vhdx';
    const hv01 = live.get('hv01')!;
    hv01.vhds.push({
      path: shared,
      format: 'vhdx',
      type: 'fixed',
      parentPath: null,
      size: GB,
      attached: true,
    });
    const slot = { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 5 } as const;
    hv01.vms
      .find((v) => v.name === 'dc01')!
      .disks.push({ ...slot, path: shared, supportPersistentReservations: true });
    const node = structuredClone(hv01.vms.find((v) => v.name === 'web01')!);
    node.name = 'node2';
    node.adapters = [];
    node.disks = [{ ...slot, path: shared, supportPersistentReservations: true }];
    live.set('hv02', demoHost('hv02', { vms: [node] }));
    // The lab's own disk (destroy removes it), attached on both hosts.
    const twoHosts = demoLab({
      hosts: [...lab.hosts, { ...lab.hosts[0]!, name: 'hv02' }],
      disks: [{ name: 'quorum', path: shared, size: GB, format: 'vhdx', type: 'fixed', shared: true }],
    });
    const s = steps(twoHosts, live, [], { mode: 'destroy' });
    const remove = s.find(
      (x) => x.type === 'host' && x.operation.op === 'removeVhd' && x.operation.path === shared,
    )!;
    expect(remove).toBeDefined();
    expect(runsBefore(s, 'vm.dc01/remove', remove.id)).toBe(true);
    expect(
      runsBefore(
        s,
        s.find((x) => x.host === 'hv02' && x.id.endsWith('/remove') && x.address.startsWith('vm.'))!.id,
        remove.id,
      ),
    ).toBe(true);
  });

  it('removes a differencing child before its parent', () => {
    const live = cloneLive(appliedLive(lab));
    live.get('hv01')!.vhds.push(
      {
        path: 'D:\\Labs\\demo\\base.vhdx',
        format: 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: GB,
        attached: false,
      },
      {
        path: 'D:\\Labs\\demo\\child.vhdx',
        format: 'vhdx',
        type: 'differencing',
        parentPath: 'd:\\labs\\demo\\BASE.vhdx',
        size: GB,
        attached: false,
      },
    );
    const s = steps(lab, live);
    expect(runsBefore(s, 'disk.child.vhdx/remove', 'disk.base.vhdx/remove')).toBe(true);
  });

  it('creates parent disks before the VMs that attach them', () => {
    const withDisk = demoLab({
      disks: [
        {
          name: 'shared',
          path: 'C:\\ClusterStorage\\Volume1\\shared.vhdx',
          size: 10 * GB,
          format: 'vhdx',
          type: 'dynamic',
          shared: true,
        },
      ],
      vms: [
        demoVm('n1', {
          disks: [
            { kind: 'disk', disk: 'shared' },
            { kind: 'new', size: GB, path: 'D:\\Labs\\demo\\n1\\n1-data2.vhdx' },
          ],
        }),
      ],
    });
    const s = steps(withDisk, fresh());
    expect(runsBefore(s, 'disk.shared/create', 'vm.n1/attach-disk-1')).toBe(true);
    expect(runsBefore(s, 'vm.n1/create-disk-2', 'vm.n1/attach-disk-2')).toBe(true);
    expect(runsBefore(s, 'vm.n1/attach-disk-1', 'vm.n1/start')).toBe(true);
    expect((s.find((x) => x.id === 'vm.n1/attach-disk-1') as HostStep).operation).toMatchObject({
      controllerType: 'SCSI',
      controllerLocation: 1,
      supportPersistentReservations: true,
    });
  });

  it('registers a cluster VM as a clustered role after its guest tasks', () => {
    const clustered = demoLab({
      clusters: [{ name: 'hvclu', nodes: ['hv01'], sharedVolume: 'C:\\ClusterStorage\\Volume1' }],
      vms: [demoVm('c1', { cluster: 'hvclu' })],
    });
    const s = steps(clustered, fresh(), [task('c1', 'base/computerName')]);
    expect(runsBefore(s, 'vm.c1/computerName', 'vm.c1/add-cluster-role')).toBe(true);
    expect((s.find((x) => x.id === 'vm.c1/add-cluster-role') as HostStep).operation).toEqual({
      op: 'addClusterRole',
      vm: 'c1',
      cluster: 'hvclu',
    });
  });

  it('removes an old NAT before creating the new one on the same host (WinNAT holds one)', () => {
    const live = new Map([
      ['hv01', demoHost('hv01', { nats: [{ name: 'labform-demo.OldNet', internalPrefix: '10.1.0.0/24' }] })],
    ]);
    const s = steps(lab, live);
    expect(runsBefore(s, 'nat.OldNet/remove', 'nat.LabNet/create')).toBe(true);
  });

  it('gives steps stable, unique ids and only existing dependencies, with host, title, timeout and estimate', () => {
    const a = steps(lab, fresh(), dcTasks());
    const b = steps(lab, fresh(), dcTasks());
    expect(a.map((x) => x.id)).toEqual(b.map((x) => x.id));
    const ids = new Set(a.map((x) => x.id));
    expect(ids.size).toBe(a.length);
    for (const x of a) {
      for (const d of x.dependsOn) expect(ids.has(d)).toBe(true);
      expect(x.host).toBe('hv01');
      expect(x.title.length).toBeGreaterThan(0);
      expect(x.timeoutMs).toBeGreaterThan(0);
      expect(x.estimateS).toBeGreaterThan(0);
    }
  });

  it('reports a cycle as an error naming it', () => {
    const cyclic = [
      task('dc01', 'base/a', { after: [{ vm: 'web01', key: 'base/b' }] }),
      task('web01', 'base/b', { after: [{ vm: 'dc01', key: 'base/a' }] }),
    ];
    let error: unknown;
    try {
      steps(lab, fresh(), cyclic);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/cycle: .*vm\.(dc01\/a|web01\/b) -> .*vm\.(web01\/b|dc01\/a)/);
  });
});
