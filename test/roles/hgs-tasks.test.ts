import { describe, expect, it } from 'vitest';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { scheduleTasks, taskId } from '../../src/roles/task-graph.js';
import type { GuestTask, TaskRef } from '../../src/roles/guest-task.js';
import { guardedFabric, roleLab, nic, roleVm } from '../support/lab-builder.js';
import { keysOf, positionOf, task } from './find-task.js';

/** Every task `t` transitively waits for (previous tasks of its VM and `after` edges). */
function ancestors(tasks: readonly GuestTask[], t: TaskRef): Set<string> {
  const seen = new Set<string>();
  const visit = (ref: TaskRef) => {
    const i = positionOf(tasks, ref.vm, ref.key);
    const cur = tasks[i]!;
    const prev = tasks
      .slice(0, i)
      .filter((x) => x.vm === cur.vm)
      .at(-1);
    for (const p of [...(prev ? [prev] : []), ...cur.after]) {
      const id = taskId(p);
      if (!seen.has(id)) {
        seen.add(id);
        visit(p);
      }
    }
  };
  visit(t);
  return seen;
}

describe('hostGuardianService (AD attestation) in the guarded fabric', () => {
  const tasks = guestTasks({ lab: guardedFabric('ad') });

  it('installs HGS in its own forest, waits for its AD, then initialises', () => {
    expect(keysOf(tasks, 'hgs01').filter((k) => !k.startsWith('base/'))).toEqual([
      'hostGuardianService/features',
      'hostGuardianService/install',
      'hostGuardianService/initialize',
      'hostGuardianService/dnsForwarder.fabric.lab',
      'hostGuardianService/trust.fabric.lab',
      'hostGuardianService/hostGroup.fabric.lab',
    ]);
    expect(task(tasks, 'hgs01', 'hostGuardianService/features').operation).toEqual({
      op: 'installFeatures',
      features: ['HostGuardianServiceRole'],
    });
    const install = task(tasks, 'hgs01', 'hostGuardianService/install');
    expect(install.operation).toEqual({ op: 'installHgs', domain: 'hgs.lab', safeModePassword: 'lab-admin' });
    expect(install.rebootCredential).toBe('lab-admin');
    expect(install.then).toEqual({ wait: 'adReady', credential: 'lab-admin' });
    expect(task(tasks, 'hgs01', 'hostGuardianService/initialize').operation).toEqual({
      op: 'initializeHgs',
      serviceName: 'hgs',
      attestation: 'ad',
    });
    for (const t of tasks.filter((x) => x.vm === 'hgs01' && !x.key.startsWith('base/')))
      expect(t.address).toBe('role.hgs01.hostGuardianService');
  });

  it('forwards DNS both ways and trusts the fabric domain after its AD is ready', () => {
    expect(task(tasks, 'hgs01', 'hostGuardianService/dnsForwarder.fabric.lab').operation).toEqual({
      op: 'addDnsForwarder',
      domain: 'fabric.lab',
      masterServers: ['10.10.42.10'],
    });
    const back = task(tasks, 'dc01', 'hostGuardianService@hgs01/dnsForwarder.hgs.lab');
    expect(back.operation).toEqual({
      op: 'addDnsForwarder',
      domain: 'hgs.lab',
      masterServers: ['10.10.42.20'],
    });
    expect(back.address).toBe('role.hgs01.hostGuardianService');
    expect(back.credential).toBe('fabric-admin');
    const trust = task(tasks, 'hgs01', 'hostGuardianService/trust.fabric.lab');
    expect(trust.operation).toEqual({
      op: 'createTrust',
      remoteDomain: 'fabric.lab',
      remoteCredential: 'fabric-admin',
    });
    expect(trust.after).toEqual(
      expect.arrayContaining([
        { vm: 'dc01', key: 'domainController/forest' },
        { vm: 'dc01', key: back.key },
      ]),
    );
  });

  it('creates the guarded hosts group on the fabric DC after both hosts joined, then registers it on the HGS', () => {
    const group = task(tasks, 'dc01', 'hostGuardianService@hgs01/adGroup.GuardedHosts');
    expect(group.operation).toEqual({ op: 'createAdGroup', name: 'GuardedHosts', members: ['GH01', 'GH02'] });
    expect(group.after).toEqual([
      { vm: 'gh01', key: 'domainMember/join' },
      { vm: 'gh02', key: 'domainMember/join' },
    ]);
    const hostGroup = task(tasks, 'hgs01', 'hostGuardianService/hostGroup.fabric.lab');
    expect(hostGroup.operation).toEqual({
      op: 'addAttestationHostGroup',
      name: 'GuardedHosts',
      groupName: 'GuardedHosts',
      fabricDomain: 'fabric.lab',
      from: expect.objectContaining({ credential: expect.any(String) }),
    });
    expect(hostGroup.after).toEqual([{ vm: 'dc01', key: group.key }]);
    // The fabric DC's own roles come first; the HGS plumbing waits for the hosts at the end.
    expect(keysOf(tasks, 'dc01').slice(-2)).toEqual([
      'hostGuardianService@hgs01/dnsForwarder.hgs.lab',
      group.key,
    ]);
  });

  it('guarded hosts: features, then client configuration after the HGS is initialised and the host group registered', () => {
    expect(keysOf(tasks, 'gh01').filter((k) => !k.startsWith('base/'))).toEqual([
      'domainMember/join',
      'hyperV/features',
      'guardedHost/features',
      'guardedHost/configure',
    ]);
    expect(task(tasks, 'gh01', 'guardedHost/features').operation).toEqual({
      op: 'installFeatures',
      features: ['Hyper-V', 'HostGuardian'],
    });
    const configure = task(tasks, 'gh01', 'guardedHost/configure');
    expect(configure.operation).toEqual({
      op: 'configureGuardedHost',
      attestationServerUrl: 'http://hgs.hgs.lab/Attestation',
      keyProtectionServerUrl: 'http://hgs.hgs.lab/KeyProtection',
    });
    const waits = ancestors(tasks, configure);
    for (const id of [
      'hgs01/hostGuardianService/initialize',
      'hgs01/hostGuardianService/hostGroup.fabric.lab',
      'dc01/hostGuardianService@hgs01/dnsForwarder.hgs.lab',
      'dc01/hostGuardianService@hgs01/adGroup.GuardedHosts',
      'gh02/domainMember/join',
      'dc01/domainController/forest',
    ]) {
      expect(waits).toContain(id);
    }
  });

  it('members (VMM, hosts) join only after the fabric DC answers', () => {
    for (const name of ['vmm01', 'gh01', 'gh02'])
      expect(task(tasks, name, 'domainMember/join').after).toEqual([
        { vm: 'dc01', key: 'domainController/forest' },
      ]);
  });

  it('schedules without cycles, offline join shortening the makespan', () => {
    const online = scheduleTasks({ tasks: guestTasks({ lab: guardedFabric('ad', 'online') }) });
    const offline = scheduleTasks({ tasks: guestTasks({ lab: guardedFabric('ad', 'offline') }) });
    expect(offline.makespanS).toBeLessThan(online.makespanS);
    // The client configuration, then the guest's records of its roles.
    const end = online.criticalPath.filter((k) => !k.endsWith('/record')).at(-1);
    expect(end).toMatch(/guardedHost\/configure$/);
    expect(online.criticalPath.at(-1)).toMatch(/guardedHost\/record$/);
  });
});

describe('hostGuardianService with tpm or hostKey attestation', () => {
  it.each([
    ['tpm', 'addAttestationTpmHost'],
    ['hostKey', 'addAttestationHostKey'],
  ] as const)(
    '%s: registers each host on the HGS from its own guest, before its client configuration',
    (attestation, op) => {
      const tasks = guestTasks({ lab: guardedFabric(attestation) });
      expect(tasks.some((t) => t.operation.op === 'createTrust' || t.operation.op === 'createAdGroup')).toBe(
        false,
      );
      for (const gh of ['gh01', 'gh02']) {
        const register = task(tasks, 'hgs01', `guardedHost@${gh}/register`);
        expect(register.address).toBe(`role.${gh}.guardedHost`);
        expect(register.operation).toEqual({
          op,
          name: gh.toUpperCase(),
          from: { host: 'hv01', vm: gh, credential: 'lab-admin' },
        });
        expect(register.after).toEqual([{ vm: gh, key: 'guardedHost/features' }]);
        expect(task(tasks, gh, 'guardedHost/configure').after).toEqual(
          expect.arrayContaining([
            { vm: 'hgs01', key: 'hostGuardianService/initialize' },
            { vm: 'hgs01', key: register.key },
          ]),
        );
      }
      // Hosts still resolve the HGS names through the fabric DC.
      expect(task(tasks, 'dc01', 'hostGuardianService@hgs01/dnsForwarder.hgs.lab').operation.op).toBe(
        'addDnsForwarder',
      );
    },
  );
});

describe('extra HGS nodes and HGS-only hosts', () => {
  it('a node with `join` joins the first node after it is initialised, then answers to the HGS admin', () => {
    const l = guardedFabric('ad');
    l.vms.splice(
      2,
      0,
      roleVm('hgs02', {
        credential: 'other-admin',
        network: [nic('FabricNet', '10.10.42.21')],
        roles: [
          {
            kind: 'hostGuardianService',
            domain: 'hgs.lab',
            attestation: 'ad',
            serviceName: 'hgs',
            join: 'hgs01',
          },
          { kind: 'script', run: 'x', shell: 'powershell', reboots: false },
        ],
      }),
    );
    const tasks = guestTasks({ lab: l });
    const join = task(tasks, 'hgs02', 'hostGuardianService/join');
    expect(join.operation).toEqual({
      op: 'joinHgs',
      domain: 'hgs.lab',
      primaryAddress: '10.10.42.20',
      safeModePassword: 'other-admin',
      credential: 'lab-admin',
    });
    expect(join.after).toEqual([{ vm: 'hgs01', key: 'hostGuardianService/initialize' }]);
    expect(join.rebootCredential).toBe('lab-admin');
    expect(join.then).toEqual({ wait: 'adReady', credential: 'lab-admin' });
    expect(task(tasks, 'hgs02', 'script/run').credential).toBe('lab-admin');
    expect(task(tasks, 'hgs02', 'base/computerName').alternateCredential).toBe('lab-admin');
    // The fabric DC forwards the HGS domain to both nodes; hgs02 looks up names at hgs01 first.
    expect(task(tasks, 'dc01', 'hostGuardianService@hgs01/dnsForwarder.hgs.lab').operation).toMatchObject({
      masterServers: ['10.10.42.20', '10.10.42.21'],
    });
    const dns = tasks.find((t) => t.vm === 'hgs02' && t.operation.op === 'setNetwork')!.operation as {
      dns: string[];
    };
    expect(dns.dns).toEqual(['10.10.42.20', '10.10.42.21']);
  });

  it('a guarded host in no domain uses the HGS for DNS and waits only for the HGS', () => {
    const l = roleLab({
      vms: [
        roleVm('hgs01', {
          network: [nic('LabNet', '10.0.0.20')],
          roles: [
            { kind: 'hostGuardianService', domain: 'hgs.lab', attestation: 'hostKey', serviceName: 'hgs' },
          ],
        }),
        roleVm('gh01', {
          network: [nic('LabNet', '10.0.0.41')],
          roles: [{ kind: 'guardedHost', hgs: 'hgs01' }],
        }),
      ],
    });
    const tasks = guestTasks({ lab: l });
    const dns = tasks.find((t) => t.vm === 'gh01' && t.operation.op === 'setNetwork')!.operation as {
      dns: string[];
    };
    expect(dns.dns).toEqual(['10.0.0.20']);
    expect(task(tasks, 'gh01', 'guardedHost/configure').after).toEqual([
      { vm: 'hgs01', key: 'hostGuardianService/initialize' },
      { vm: 'hgs01', key: 'guardedHost@gh01/register' },
    ]);
  });

  it('two HGS clusters get distinct guarded-host groups', () => {
    const l = guardedFabric('ad');
    l.vms.push(
      roleVm('hgs11', {
        network: [nic('FabricNet', '10.10.42.50')],
        roles: [{ kind: 'hostGuardianService', domain: 'hgs2.lab', attestation: 'ad', serviceName: 'hgs' }],
      }),
      roleVm('gh11', {
        network: [nic('FabricNet', '10.10.42.51')],
        roles: [
          { kind: 'domainMember', domain: 'fabric.lab', joinCredential: 'fabric-admin' },
          { kind: 'guardedHost', hgs: 'hgs11' },
        ],
      }),
    );
    const tasks = guestTasks({ lab: l });
    expect(
      task(tasks, 'dc01', 'hostGuardianService@hgs01/adGroup.GuardedHosts-hgs01').operation,
    ).toMatchObject({ members: ['GH01', 'GH02'] });
    expect(
      task(tasks, 'dc01', 'hostGuardianService@hgs11/adGroup.GuardedHosts-hgs11').operation,
    ).toMatchObject({ members: ['GH11'] });
  });
});
