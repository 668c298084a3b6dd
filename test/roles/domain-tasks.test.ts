import { describe, expect, it } from 'vitest';
import { buildGuestTasks, chooseJoinMode, guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { dcRole, roleLab, memberRole, roleNetwork, nic, roleVm } from '../support/lab-builder.js';
import { keysOf, positionOf, task } from './find-task.js';
import type { Lab } from '../../src/manifest/lab.js';

function corp(domainJoin: Lab['settings']['domainJoin'] = 'online', members = 2, dcs = 2): Lab {
  const base = roleLab({ vms: [] });
  return roleLab({
    settings: { ...base.settings, domainJoin },
    vms: [
      roleVm('dc01', { network: [nic('LabNet', '10.0.0.10')], roles: [dcRole()] }),
      ...(dcs > 1 ? [roleVm('dc02', { network: [nic('LabNet', '10.0.0.11')], roles: [dcRole()] })] : []),
      ...Array.from({ length: members }, (_, i) =>
        roleVm(`m${i + 1}`, {
          network: [nic('LabNet', `10.0.0.${20 + i}`)],
          roles: [memberRole('corp.lab', 'OU=Lab,DC=corp,DC=lab')],
        }),
      ),
    ],
  });
}

describe('domainController', () => {
  it('the first DC installs AD DS and DNS, creates the forest, and waits for AD as the domain admin', () => {
    const tasks = guestTasks({ lab: corp() });
    // Then, on the first DC, each member's computer object moved to its `ou` (when already joined).
    expect(keysOf(tasks, 'dc01').filter((k) => !k.startsWith('base/'))).toEqual([
      'domainController/features',
      'domainController/forest',
      'domainMember@m1/ou',
      'domainMember@m2/ou',
    ]);
    expect(task(tasks, 'dc01', 'domainController/features').operation).toEqual({
      op: 'installFeatures',
      features: ['AD-Domain-Services', 'DNS'],
    });
    const forest = task(tasks, 'dc01', 'domainController/forest');
    expect(forest.address).toBe('role.dc01.domainController');
    expect(forest.operation).toEqual({
      op: 'createForest',
      domain: 'corp.lab',
      netbios: 'CORP',
      safeModePassword: 'dsrm',
      domainAdmin: 'corp-admin',
    });
    expect(forest.credential).toBe('lab-admin');
    expect(forest.rebootCredential).toBe('corp-admin');
    expect(forest.then).toEqual({ wait: 'adReady', credential: 'corp-admin' });
    expect(forest.after).toEqual([]);
  });

  it('later DCs join the domain after the first DC answers, then wait for their own AD', () => {
    const tasks = guestTasks({ lab: corp() });
    const extra = task(tasks, 'dc02', 'domainController/additional');
    expect(extra.operation).toEqual({
      op: 'addDomainController',
      domain: 'corp.lab',
      safeModePassword: 'dsrm',
      domainAdmin: 'corp-admin',
    });
    expect(extra.after).toEqual([{ vm: 'dc01', key: 'domainController/forest' }]);
    expect(extra.then).toEqual({ wait: 'adReady', credential: 'corp-admin' });
    expect(extra.rebootCredential).toBe('corp-admin');
  });

  it('runs tasks after the promotion as the domain admin', () => {
    const l = corp();
    l.vms[0]!.roles.push({
      kind: 'fileServer',
      shares: [{ name: 'Data', path: 'C:\\Data', fullAccess: ['CORP\\Domain Admins'] }],
    });
    const share = task(guestTasks({ lab: l }), 'dc01', 'fileServer/share.Data');
    expect(share.credential).toBe('corp-admin');
    expect(share.alternateCredential).toBeUndefined();
  });
});

describe('domainMember', () => {
  it('online: Add-Computer with DNS at the domain DCs, after the first DC is AD-ready', () => {
    const tasks = guestTasks({ lab: corp('online') });
    const join = task(tasks, 'm1', 'domainMember/join');
    expect(join.address).toBe('role.m1.domainMember');
    expect(join.operation).toEqual({
      op: 'joinDomain',
      domain: 'corp.lab',
      joinCredential: 'corp-admin',
      ou: 'OU=Lab,DC=corp,DC=lab',
      dns: ['10.0.0.10', '10.0.0.11'],
    });
    expect(join.after).toEqual([{ vm: 'dc01', key: 'domainController/forest' }]);
    expect(join.credential).toBe('lab-admin');
    expect(positionOf(tasks, 'm1', 'domainMember/join')).toBeGreaterThan(
      positionOf(tasks, 'm1', 'base/computerName'),
    );
  });

  it('offline: the account is provisioned on the first DC as its domain admin', () => {
    const join = task(guestTasks({ lab: corp('offline') }), 'm2', 'domainMember/join');
    expect(join.operation).toEqual({
      op: 'offlineDomainJoin',
      domain: 'corp.lab',
      joinCredential: 'corp-admin',
      ou: 'OU=Lab,DC=corp,DC=lab',
      dns: ['10.0.0.10', '10.0.0.11'],
      dc: { host: 'hv01', vm: 'dc01', credential: 'corp-admin' },
    });
    expect(join.after).toEqual([{ vm: 'dc01', key: 'domainController/forest' }]);
  });

  it('offline join is estimated shorter than online', () => {
    const online = task(guestTasks({ lab: corp('online') }), 'm1', 'domainMember/join');
    const offline = task(guestTasks({ lab: corp('offline') }), 'm1', 'domainMember/join');
    expect(offline.estimateS!).toBeLessThan(online.estimateS!);
  });

  it('auto picks offline when a join lies on the critical path', () => {
    // One DC: the members' joins after its AD are the last thing the lab waits for.
    const choice = chooseJoinMode({ lab: corp('auto', 2, 1) });
    expect(choice.offlineS).toBeLessThan(choice.onlineS);
    expect(choice.mode).toBe('offline');
    expect(task(guestTasks({ lab: corp('auto', 2, 1) }), 'm1', 'domainMember/join').operation.op).toBe(
      'offlineDomainJoin',
    );
  });

  it('auto keeps online joins when they do not decide the makespan', () => {
    const l = corp('auto', 1, 1);
    // A long script on the DC after its forest dominates the lab; the member's join is off the critical path.
    l.vms[0]!.roles.push(
      { kind: 'script', run: 'long', shell: 'powershell', reboots: true },
      { kind: 'script', run: 'longer', shell: 'powershell', reboots: true },
    );
    const choice = chooseJoinMode({ lab: l });
    expect(choice.offlineS).toBe(choice.onlineS);
    expect(choice.mode).toBe('online');
    expect(task(guestTasks({ lab: l }), 'm1', 'domainMember/join').operation.op).toBe('joinDomain');
  });

  it('settings.domainJoin overrides the choice', () => {
    const l = corp('online');
    expect(
      task(buildGuestTasks({ lab: l, joinMode: 'offline' }), 'm1', 'domainMember/join').operation.op,
    ).toBe('offlineDomainJoin');
    expect(task(guestTasks({ lab: l }), 'm1', 'domainMember/join').operation.op).toBe('joinDomain');
  });

  it('a member lists only the DCs it shares a network with', () => {
    const l = roleLab({
      networks: [roleNetwork('A'), roleNetwork('B', { prefix: '10.2.0.0/24' })],
      vms: [
        roleVm('dc01', { network: [nic('A', '10.0.0.10')], roles: [dcRole()] }),
        roleVm('dc02', { network: [nic('B', '10.2.0.10')], roles: [dcRole()] }),
        roleVm('m1', { network: [nic('B', '10.2.0.20')], roles: [memberRole()] }),
      ],
    });
    const join = task(guestTasks({ lab: l }), 'm1', 'domainMember/join');
    expect((join.operation as { dns: string[] }).dns).toEqual(['10.2.0.10']);
  });
});
