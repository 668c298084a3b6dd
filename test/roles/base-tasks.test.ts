import { describe, expect, it } from 'vitest';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { labAdapterMacs } from '../../src/roles/adapter-mac.js';
import { dcRole, roleLab, memberRole, roleNetwork, nic, roleVm } from '../support/lab-builder.js';
import { keysOf, task } from './find-task.js';

describe('base configuration of Windows guests', () => {
  it('probes the computer name, then configures each addressed adapter by MAC', () => {
    const l = roleLab({
      networks: [roleNetwork('LabNet'), roleNetwork('Backup', { prefix: '10.1.0.0/24' })],
      vms: [
        roleVm('web01', {
          computerName: 'WEB01',
          network: [
            nic('LabNet', '10.0.0.20'),
            nic('Backup', 'none'),
            nic('Backup', 'dhcp', { mac: '00155DAABBCC' }),
          ],
        }),
      ],
    });
    const tasks = guestTasks({ lab: l });
    const macs = labAdapterMacs(l).get('web01')!;
    expect(keysOf(tasks, 'web01')).toEqual([
      'base/computerName',
      `base/network/${macs[0]}`,
      'base/network/00155DAABBCC',
    ]);
    expect(task(tasks, 'web01', 'base/computerName').operation).toEqual({
      op: 'setComputerName',
      computerName: 'WEB01',
    });
    expect(task(tasks, 'web01', `base/network/${macs[0]}`).operation).toEqual({
      op: 'setNetwork',
      mac: macs[0],
      dhcp: false,
      addresses: [{ address: '10.0.0.20', prefixLength: 24 }],
      dns: [],
    });
    expect(task(tasks, 'web01', 'base/network/00155DAABBCC').operation).toMatchObject({
      op: 'setNetwork',
      dhcp: true,
      addresses: [],
    });
    for (const t of tasks) {
      expect(t.address).toBe('vm.web01');
      expect(t.credential).toBe('lab-admin');
      expect(t.host).toBe('hv01');
      expect(t.os).toBe('windows');
    }
  });

  it("uses a NAT network's gateway (default: its first usable address) and no gateway elsewhere", () => {
    const l = roleLab({
      networks: [
        roleNetwork('Nat', { type: 'nat', prefix: '192.168.50.0/24' }),
        roleNetwork('Nat2', { type: 'nat', prefix: '192.168.60.0/24', gateway: '192.168.60.254' }),
        roleNetwork('LabNet'),
      ],
      vms: [
        roleVm('a', {
          network: [nic('Nat', '192.168.50.10'), nic('Nat2', '192.168.60.10'), nic('LabNet', '10.0.0.10')],
        }),
      ],
    });
    const ops = guestTasks({ lab: l })
      .filter((t) => t.operation.op === 'setNetwork')
      .map((t) => t.operation);
    expect(ops.map((o) => (o as { gateway?: string }).gateway)).toEqual([
      '192.168.50.1',
      '192.168.60.254',
      undefined,
    ]);
  });

  it("prefers the network's dns over the domain's DCs", () => {
    const l = roleLab({
      networks: [roleNetwork('LabNet', { dns: ['10.0.0.53'] })],
      vms: [
        roleVm('dc01', { network: [nic('LabNet', '10.0.0.10')], roles: [dcRole()] }),
        roleVm('m1', { network: [nic('LabNet', '10.0.0.11')], roles: [memberRole()] }),
      ],
    });
    const tasks = guestTasks({ lab: l });
    for (const t of tasks.filter((x) => x.operation.op === 'setNetwork'))
      expect(t.operation).toMatchObject({ dns: ['10.0.0.53'] });
  });

  it('points DCs at themselves (root first, additional DCs last) and members at their DCs on every adapter', () => {
    const l = roleLab({
      networks: [roleNetwork('LabNet'), roleNetwork('Other', { prefix: '10.9.0.0/24' })],
      vms: [
        roleVm('dc01', { network: [nic('LabNet', '10.0.0.10')], roles: [dcRole()] }),
        roleVm('dc02', { network: [nic('LabNet', '10.0.0.11')], roles: [dcRole()] }),
        roleVm('m1', {
          network: [nic('LabNet', '10.0.0.20'), nic('Other', '10.9.0.20')],
          roles: [memberRole()],
        }),
        roleVm('solo', { network: [nic('LabNet', '10.0.0.30')] }),
      ],
    });
    const tasks = guestTasks({ lab: l });
    const dnsOf = (name: string) =>
      tasks
        .filter((t) => t.vm === name && t.operation.op === 'setNetwork')
        .map((t) => (t.operation as { dns: string[] }).dns);
    expect(dnsOf('dc01')).toEqual([['10.0.0.10', '10.0.0.11']]);
    expect(dnsOf('dc02')).toEqual([['10.0.0.10', '10.0.0.11']]);
    // The join points every adapter at the domain's DCs; the base configuration asks for the
    // same list, so a joined member is not re-addressed on every apply.
    expect(dnsOf('m1')).toEqual([
      ['10.0.0.10', '10.0.0.11'],
      ['10.0.0.10', '10.0.0.11'],
    ]);
    expect(dnsOf('solo')).toEqual([[]]);
  });

  it("gives a DC's early tasks the domain admin as the alternate credential for re-runs", () => {
    const l = roleLab({
      vms: [roleVm('dc01', { network: [nic('LabNet', '10.0.0.10')], roles: [dcRole()] })],
    });
    const tasks = guestTasks({ lab: l });
    const base = task(tasks, 'dc01', 'base/computerName');
    expect(base.credential).toBe('lab-admin');
    expect(base.alternateCredential).toBe('corp-admin');
  });

  it('configures nothing in a VM without an image', () => {
    const l = roleLab({
      vms: [roleVm('bare', { image: undefined, credential: undefined, network: [nic('LabNet', 'dhcp')] })],
    });
    expect(guestTasks({ lab: l })).toEqual([]);
  });

  it('rejects a configured guest without a credential', () => {
    const l = roleLab({ vms: [roleVm('a', { credential: undefined })] });
    expect(() => guestTasks({ lab: l })).toThrow(/no credential/);
  });
});

describe('Linux guests', () => {
  it('run only their bash scripts, with no base network configuration', () => {
    const l = roleLab({
      vms: [
        roleVm('centos1', {
          image: 'centos',
          os: 'linux',
          credential: 'linux-admin',
          network: [nic('LabNet', 'dhcp')],
          roles: [
            {
              kind: 'script',
              run: 'yum install -y pcs',
              test: 'rpm -q pcs >/dev/null && echo true',
              shell: 'bash',
              reboots: false,
            },
            { kind: 'script', run: 'systemctl enable --now pcsd', shell: 'bash', reboots: true },
          ],
        }),
      ],
    });
    const tasks = guestTasks({ lab: l });
    // The record tasks each role ends with are pinned in role-record.test.ts.
    const work = tasks.filter((t) => t.operation.op !== 'recordRole');
    expect(keysOf(tasks, 'centos1')).toEqual(['script/run', 'script.2/run']);
    expect(work.map((t) => t.os)).toEqual(['linux', 'linux']);
    expect(work.map((t) => t.credential)).toEqual(['linux-admin', 'linux-admin']);
    expect(work.map((t) => t.address)).toEqual(['role.centos1.script', 'role.centos1.script.2']);
    expect(tasks[0]!.operation).toMatchObject({
      op: 'runScript',
      shell: 'bash',
      test: 'rpm -q pcs >/dev/null && echo true',
      reboots: false,
    });
    expect(tasks[1]!.operation).toMatchObject({ op: 'runScript', shell: 'bash', reboots: true });
  });

  it('refuse roles a Linux guest cannot take', () => {
    const l = roleLab({ vms: [roleVm('c', { image: 'centos', os: 'linux', roles: [{ kind: 'hyperV' }] })] });
    expect(() => guestTasks({ lab: l })).toThrow(/Linux guest/);
  });
});
