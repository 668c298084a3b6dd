/**
 * Each role of a Windows guest ends with its record (src/roles/role-record.ts): one task per
 * role, after every task of the VM's own roles, reached with the credential the guest answers
 * to by then, holding what each task made and never a credential or a secret.
 */
import { describe, expect, it } from 'vitest';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { parseRoleRecords, recordedOperation } from '../../src/roles/role-record.js';
import { dcRole, labSettings, memberRole, nic, roleLab, roleVm } from '../support/lab-builder.js';

describe('role records', () => {
  const lab = roleLab({
    settings: labSettings({ domainJoin: 'online' }),
    vms: [
      roleVm('dc01', {
        network: [nic('LabNet', '10.0.0.2/24')],
        roles: [
          dcRole(),
          { kind: 'fileServer', shares: [{ name: 'data', path: 'C:\\Data', fullAccess: ['Everyone'] }] },
        ],
      }),
      roleVm('web01', {
        network: [nic('LabNet', '10.0.0.3/24')],
        roles: [
          memberRole('corp.lab', 'OU=Web,DC=corp,DC=lab'),
          { kind: 'script', run: 'Write-Output one', shell: 'powershell', reboots: false },
        ],
      }),
    ],
  });
  const tasks = guestTasks({ lab });
  const own = (vm: string) => tasks.filter((t) => t.vm === vm && !t.key.includes('@'));

  it('one record task per role, after all the VM own tasks, in role order', () => {
    const dc = own('dc01');
    const records = dc.filter((t) => t.operation.op === 'recordRole');
    expect(records.map((t) => [t.key, t.address])).toEqual([
      ['domainController/record', 'role.dc01.domainController'],
      ['fileServer/record', 'role.dc01.fileServer'],
    ]);
    expect(dc.slice(-2)).toEqual(records);
  });

  it('reached with the credential the guest answers to by then (the domain admin on a DC)', () => {
    for (const t of own('dc01').filter((x) => x.operation.op === 'recordRole'))
      expect(t.credential).toBe('corp-admin');
    for (const t of own('web01').filter((x) => x.operation.op === 'recordRole'))
      expect(t.credential).toBe('lab-admin');
  });

  it('a share without fullAccess is recorded as before fullAccess was kept: its name and path', () => {
    expect(recordedOperation({ op: 'createShare', name: 'data', path: 'C:\\Data', fullAccess: [] })).toEqual({
      op: 'createShare',
      name: 'data',
      path: 'C:\\Data',
    });
  });

  it('records what each task made (share with its Full access, join with its OU, script text), never a credential', () => {
    const texts = tasks.flatMap((t) => (t.operation.op === 'recordRole' ? [t.operation.record] : []));
    const records = parseRoleRecords(JSON.stringify(texts));
    expect(records.find((r) => r.address === 'role.dc01.fileServer')).toEqual({
      address: 'role.dc01.fileServer',
      tasks: [
        {
          key: 'fileServer/share.data',
          operation: { op: 'createShare', name: 'data', path: 'C:\\Data', fullAccess: ['Everyone'] },
        },
      ],
    });
    expect(records.find((r) => r.address === 'role.web01.domainMember')!.tasks).toEqual([
      {
        key: 'domainMember/join',
        operation: { op: 'joinDomain', domain: 'corp.lab', ou: 'OU=Web,DC=corp,DC=lab' },
      },
    ]);
    expect(records.find((r) => r.address === 'role.web01.script')!.tasks[0]!.operation).toMatchObject({
      op: 'runScript',
      run: 'Write-Output one',
    });
    for (const text of texts) expect(text).not.toMatch(/corp-admin|dsrm|lab-admin/);
  });

  it("a member's OU move runs on the domain's first DC, after the member's join", () => {
    const move = tasks.find((t) => t.operation.op === 'moveComputer')!;
    expect(move).toMatchObject({
      vm: 'dc01',
      address: 'role.web01.domainMember',
      key: 'domainMember@web01/ou',
      credential: 'corp-admin',
      after: [{ vm: 'web01', key: 'domainMember/join' }],
      operation: { op: 'moveComputer', computerName: 'WEB01', ou: 'OU=Web,DC=corp,DC=lab' },
    });
  });

  it('a Linux guest records each bash script role last, with its id and text, as a Windows guest does', () => {
    const linux = roleLab({
      vms: [
        roleVm('lx01', {
          image: 'centos',
          os: 'linux',
          credential: 'linux-admin',
          files: [{ from: 'D:\\Media\\app', to: '/opt/app' }],
          roles: [
            { kind: 'script', run: 'touch /opt/one', shell: 'bash', reboots: false },
            {
              kind: 'script',
              run: 'touch /opt/two',
              test: 'test -f /opt/two && echo true',
              shell: 'bash',
              reboots: true,
            },
          ],
        }),
      ],
    });
    const all = guestTasks({ lab: linux });
    const records = all.filter((t) => t.operation.op === 'recordRole');
    expect(all.slice(-2)).toEqual(records);
    expect(records.map((t) => [t.key, t.address, t.os, t.credential])).toEqual([
      ['script/record', 'role.lx01.script', 'linux', 'linux-admin'],
      ['script.2/record', 'role.lx01.script.2', 'linux', 'linux-admin'],
    ]);
    const second = records[1]!.operation;
    if (second.op !== 'recordRole') throw new Error('not a record');
    // The copy (vm.lx01) is no role: it has no record.
    expect(JSON.parse(second.record)).toEqual({
      address: 'role.lx01.script.2',
      tasks: [
        {
          key: 'script.2/run',
          operation: {
            op: 'runScript',
            id: expect.stringMatching(/^[0-9a-f]{16}$/),
            shell: 'bash',
            run: 'touch /opt/two',
          },
        },
      ],
    });
  });
});
