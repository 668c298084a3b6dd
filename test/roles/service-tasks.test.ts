import { describe, expect, it } from 'vitest';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { dcRole, roleLab, memberRole, roleNetwork, nic, roleVm } from '../support/lab-builder.js';
import { keysOf, positionOf, task } from './find-task.js';

describe('hyperV', () => {
  it('installs Hyper-V (with its reboots, in the estimate)', () => {
    const tasks = guestTasks({
      lab: roleLab({ vms: [roleVm('nested', { nestedVirtualization: true, roles: [{ kind: 'hyperV' }] })] }),
    });
    const t = task(tasks, 'nested', 'hyperV/features');
    expect(t.operation).toEqual({ op: 'installFeatures', features: ['Hyper-V'] });
    expect(t.address).toBe('role.nested.hyperV');
    expect(t.estimateS).toBeGreaterThan(task(tasks, 'nested', 'base/computerName').estimateS!);
  });
});

describe('fileServer', () => {
  it('creates each share', () => {
    const tasks = guestTasks({
      lab: roleLab({
        vms: [
          roleVm('fs01', {
            roles: [
              {
                kind: 'fileServer',
                shares: [
                  { name: 'A', path: 'C:\\A', fullAccess: ['Everyone'] },
                  { name: 'B', path: 'C:\\B', fullAccess: [] },
                ],
              },
            ],
          }),
        ],
      }),
    });
    expect(keysOf(tasks, 'fs01').slice(1)).toEqual(['fileServer/share.A', 'fileServer/share.B']);
    expect(task(tasks, 'fs01', 'fileServer/share.A').operation).toEqual({
      op: 'createShare',
      name: 'A',
      path: 'C:\\A',
      fullAccess: ['Everyone'],
    });
  });
});

describe('dhcpServer', () => {
  const scopes = [{ network: 'Nat', start: '192.168.50.100', end: '192.168.50.150' }];
  const nat = roleNetwork('Nat', { type: 'nat', prefix: '192.168.50.0/24' });

  it('on a DC: scopes with the network prefix, gateway and DC DNS, authorised after AD answers', () => {
    const tasks = guestTasks({
      lab: roleLab({
        networks: [nat],
        vms: [
          roleVm('dc01', {
            network: [nic('Nat', '192.168.50.10')],
            roles: [dcRole(), { kind: 'dhcpServer', scopes }],
          }),
        ],
      }),
    });
    expect(keysOf(tasks, 'dc01').slice(2)).toEqual([
      'domainController/features',
      'domainController/forest',
      'dhcpServer/features',
      'dhcpServer/scope.Nat.192.168.50.100',
      'dhcpServer/authorize',
    ]);
    expect(task(tasks, 'dc01', 'dhcpServer/features').operation).toEqual({
      op: 'installFeatures',
      features: ['DHCP'],
    });
    expect(task(tasks, 'dc01', 'dhcpServer/scope.Nat.192.168.50.100').operation).toEqual({
      op: 'addDhcpScope',
      name: 'Nat',
      start: '192.168.50.100',
      end: '192.168.50.150',
      prefixLength: 24,
      router: '192.168.50.1',
      dnsServers: ['192.168.50.10'],
      dnsDomain: 'corp.lab',
    });
    const authorize = task(tasks, 'dc01', 'dhcpServer/authorize');
    expect(authorize.operation).toEqual({
      op: 'authorizeDhcp',
      dnsName: 'DC01.corp.lab',
      address: '192.168.50.10',
    });
    expect(authorize.credential).toBe('corp-admin');
    expect(positionOf(tasks, 'dc01', 'dhcpServer/authorize')).toBeGreaterThan(
      positionOf(tasks, 'dc01', 'domainController/forest'),
    );
  });

  it('listed before the domain role, authorisation still waits for the join', () => {
    const tasks = guestTasks({
      lab: roleLab({
        networks: [nat],
        vms: [
          roleVm('dc01', { network: [nic('Nat', '192.168.50.10')], roles: [dcRole()] }),
          roleVm('dh01', {
            network: [nic('Nat', '192.168.50.11')],
            roles: [
              {
                kind: 'dhcpServer',
                scopes: [{ ...scopes[0]!, router: '192.168.50.254', dnsDomain: 'x.lab' }],
              },
              memberRole(),
            ],
          }),
        ],
      }),
    });
    expect(keysOf(tasks, 'dh01').slice(2)).toEqual([
      'dhcpServer/features',
      'dhcpServer/scope.Nat.192.168.50.100',
      'domainMember/join',
      'dhcpServer/authorize',
    ]);
    expect(task(tasks, 'dh01', 'dhcpServer/scope.Nat.192.168.50.100').operation).toMatchObject({
      router: '192.168.50.254',
      dnsDomain: 'x.lab',
      dnsServers: ['192.168.50.10'],
    });
    expect(task(tasks, 'dh01', 'dhcpServer/authorize').address).toBe('role.dh01.dhcpServer');
  });

  it('in a workgroup: not authorised', () => {
    const tasks = guestTasks({
      lab: roleLab({
        networks: [nat],
        vms: [
          roleVm('dh01', { network: [nic('Nat', '192.168.50.11')], roles: [{ kind: 'dhcpServer', scopes }] }),
        ],
      }),
    });
    expect(tasks.some((t) => t.operation.op === 'authorizeDhcp')).toBe(false);
    expect(task(tasks, 'dh01', 'dhcpServer/scope.Nat.192.168.50.100').operation).not.toHaveProperty(
      'dnsDomain',
    );
  });
});

describe('iscsiTarget', () => {
  it('installs the target server and a target for the initiators by their addresses', () => {
    const l = roleLab({
      networks: [roleNetwork('LabNet'), roleNetwork('Storage', { prefix: '10.5.0.0/24' })],
      vms: [
        roleVm('san01', {
          network: [nic('LabNet', '10.0.0.5'), nic('Storage', '10.5.0.5')],
          roles: [
            {
              kind: 'iscsiTarget',
              disks: [{ name: 'lun1', size: 10 * 1024 ** 3 }],
              initiators: ['n1', 'n2'],
            },
          ],
        }),
        roleVm('n1', { network: [nic('LabNet', '10.0.0.11'), nic('Storage', '10.5.0.11')] }),
        roleVm('n2', { network: [nic('Storage', '10.5.0.12')] }),
      ],
    });
    const tasks = guestTasks({ lab: l });
    expect(task(tasks, 'san01', 'iscsiTarget/features').operation).toEqual({
      op: 'installFeatures',
      features: ['FS-iSCSITarget-Server'],
    });
    expect(task(tasks, 'san01', 'iscsiTarget/target').operation).toEqual({
      op: 'createIscsiTarget',
      targetName: 'test',
      disks: [{ name: 'lun1', size: 10 * 1024 ** 3 }],
      initiatorAddresses: ['10.0.0.11', '10.5.0.11', '10.5.0.12'],
    });
  });
});

describe('script', () => {
  const run = 'Install-WindowsFeature Web-Server';

  it('runs with a stable id from its text, its own credential and reboot flag', () => {
    const make = () =>
      guestTasks({
        lab: roleLab({
          vms: [
            roleVm('web', {
              roles: [
                {
                  kind: 'script',
                  run,
                  test: '(Get-WindowsFeature Web-Server).Installed',
                  shell: 'powershell',
                  credential: 'web-admin',
                  reboots: true,
                },
              ],
            }),
          ],
        }),
      });
    const t = task(make(), 'web', 'script/run');
    expect(t.operation).toMatchObject({
      op: 'runScript',
      run,
      test: '(Get-WindowsFeature Web-Server).Installed',
      shell: 'powershell',
      reboots: true,
    });
    expect(t.credential).toBe('web-admin');
    expect(t.rebootCredential).toBe('web-admin');
    expect(t.address).toBe('role.web.script');
    expect((t.operation as { id: string }).id).toMatch(/^[0-9a-f]{16}$/);
    expect(task(make(), 'web', 'script/run').operation).toEqual(t.operation);
  });

  it('gives two scripts distinct ids and keys; an edited script gets a new id', () => {
    const one = { kind: 'script' as const, run, shell: 'powershell' as const, reboots: false };
    const tasks = guestTasks({
      lab: roleLab({
        vms: [roleVm('web', { roles: [one, one, { ...one, run: `${run} -IncludeManagementTools` }] })],
      }),
    });
    const ids = tasks
      .filter((t) => t.operation.op === 'runScript')
      .map((t) => (t.operation as { id: string }).id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe(`${ids[0]}-2`);
    expect(keysOf(tasks, 'web').slice(1)).toEqual(['script/run', 'script.2/run', 'script.3/run']);
    expect(tasks.slice(1, 4).map((t) => t.address)).toEqual([
      'role.web.script',
      'role.web.script.2',
      'role.web.script.3',
    ]);
    expect(tasks[1]!.credential).toBe('lab-admin');
    expect(tasks[1]!.rebootCredential).toBeUndefined();
  });
});

describe('script titles', () => {
  it('name the first line that says what the script does', () => {
    const tasks = guestTasks({
      lab: roleLab({
        vms: [
          roleVm('c1', {
            image: 'centos',
            os: 'linux',
            roles: [
              {
                kind: 'script',
                run: '# prepare\nset -euo pipefail\n\nyum install -y pcs\n',
                shell: 'bash',
                reboots: false,
              },
            ],
          }),
        ],
      }),
    });
    expect(tasks[0]!.title).toBe('run script on c1: yum install -y pcs');
  });
});
