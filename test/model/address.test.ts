import { describe, expect, it } from 'vitest';
import {
  diskAddress,
  guestClusterAddress,
  natAddress,
  networkAddress,
  parseAddress,
  parseStepId,
  portMappingAddress,
  roleAddress,
  stepId,
  vmAddress,
  vmOfAddress,
  vmOnHostAddress,
} from '../../src/model/address.js';
import {
  adapterPath,
  diskFieldPath,
  diskSlotPath,
  dvdSlotPath,
  parseDiffPath,
} from '../../src/model/diff-path.js';

describe('resource addresses', () => {
  it('parses back what the builders make, names with dots included', () => {
    const cases = [
      [vmAddress('web.01'), { kind: 'vm', vm: 'web.01' }],
      [vmOnHostAddress('dc01', 'hv02'), { kind: 'vm', vm: 'dc01', host: 'hv02' }],
      [roleAddress('web.01', 'domainMember'), { kind: 'role', vm: 'web.01', role: 'domainMember', n: 1 }],
      [roleAddress('sql.2', 'script', 2), { kind: 'role', vm: 'sql.2', role: 'script', n: 2 }],
      [networkAddress('Lab.Net'), { kind: 'network', network: 'Lab.Net' }],
      [natAddress('LabNat'), { kind: 'nat', network: 'LabNat' }],
      [
        portMappingAddress('Lab.Nat', 'tcp', 8443),
        { kind: 'portMapping', network: 'Lab.Nat', protocol: 'tcp', externalPort: 8443 },
      ],
      [diskAddress('quorum'), { kind: 'disk', disk: 'quorum' }],
      [guestClusterAddress('sql'), { kind: 'guestCluster', cluster: 'sql' }],
    ] as const;
    for (const [address, parsed] of cases) expect(parseAddress(address), address).toEqual(parsed);
    expect(roleAddress('dc01', 'domainController')).toBe('role.dc01.domainController');
    expect(roleAddress('dc01', 'script', 2)).toBe('role.dc01.script.2');
    expect(diskAddress('data', 2)).toBe('disk.data.2');
  });

  it('finds the VM of a VM or role address, and nothing in other text', () => {
    expect(vmOfAddress('role.web.01.domainMember')).toBe('web.01');
    expect(vmOfAddress('vm.dc01')).toBe('dc01');
    expect(vmOfAddress('network.LabNet')).toBeUndefined();
    expect(parseAddress('vm.')).toBeUndefined();
    expect(parseAddress('hello')).toBeUndefined();
    expect(parseAddress('volume.x')).toBeUndefined();
  });

  it('splits step ids into address and action', () => {
    expect(stepId(vmAddress('web.01'), 'ready')).toBe('vm.web.01/ready');
    expect(parseStepId('vm.web.01/wait-heartbeat')).toEqual({
      address: 'vm.web.01',
      action: 'wait-heartbeat',
    });
    expect(parseStepId('role.dc01.domainController/forest')).toEqual({
      address: 'role.dc01.domainController',
      action: 'forest',
    });
    expect(parseStepId('no-slash')).toBeUndefined();
  });
});

describe('diff paths', () => {
  const slot = { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 3 } as const;
  it('parses back disk, DVD and adapter paths; anything else is a setting', () => {
    expect(parseDiffPath(diskSlotPath(slot))).toEqual({ kind: 'disk', slot });
    expect(parseDiffPath(diskFieldPath(slot, 'size'))).toEqual({ kind: 'disk', slot, field: 'size' });
    expect(parseDiffPath(diskFieldPath(slot, 'supportPersistentReservations'))).toEqual({
      kind: 'disk',
      slot,
      field: 'supportPersistentReservations',
    });
    expect(parseDiffPath(dvdSlotPath({ ...slot, controllerType: 'IDE' }))).toEqual({
      kind: 'dvd',
      slot: { ...slot, controllerType: 'IDE' },
    });
    expect(parseDiffPath(adapterPath(2))).toEqual({ kind: 'adapter', index: 2 });
    expect(parseDiffPath(adapterPath(0, 'mac'))).toEqual({ kind: 'adapter', index: 0, field: 'mac' });
    expect(parseDiffPath('memory.startup')).toEqual({ kind: 'setting', path: 'memory.startup' });
  });
});
