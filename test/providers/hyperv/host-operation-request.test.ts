import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostScriptPaths } from '../../../src/providers/hyperv/host-library.js';
import {
  operationRequest,
  vmSettingsParameters,
} from '../../../src/providers/hyperv/host-operation-request.js';
import { Secret } from '../../../src/secrets/secret.js';
import type { HostOperation } from '../../../src/model/host-operation.js';

const credential = (name: string) => ({ name, username: 'Administrator', password: new Secret('s3cret!') });

describe('host operation -> library request', () => {
  it('maps every operation to a library function (no operation left out)', () => {
    const ops: HostOperation[] = [
      {
        op: 'createSwitch',
        name: 'Uplink',
        type: 'external',
        notes: 'n',
        adapter: 'Ethernet',
        allowManagementOS: false,
      },
      { op: 'removeSwitch', name: 's' },
      { op: 'setHostAddress', switchName: 's', address: '10.0.0.1', prefixLength: 24 },
      { op: 'removeHostAddress', switchName: 's', address: '10.0.0.1' },
      { op: 'createNat', name: 'n', internalPrefix: '10.0.0.0/24' },
      { op: 'removeNat', name: 'n' },
      {
        op: 'addNatMapping',
        nat: 'n',
        protocol: 'udp',
        externalPort: 53,
        internalAddress: '10.0.0.2',
        internalPort: 53,
      },
      { op: 'removeNatMapping', nat: 'n', protocol: 'udp', externalPort: 53 },
      { op: 'createVhd', path: 'a.vhdx', size: 1, format: 'vhdx', type: 'fixed' },
      { op: 'removeVhd', path: 'a.vhdx' },
      { op: 'injectAnswerFile', vhdPath: 'a.vhdx', computerName: 'A', credential: 'admin', timeZone: 'UTC' },
      { op: 'createVm', name: 'v', generation: 2, path: 'D:\\v', memoryStartup: 1, notes: '' },
      { op: 'configureVm', name: 'v', settings: { processors: 2 } },
      { op: 'startVm', name: 'v' },
      { op: 'stopVm', name: 'v' },
      { op: 'removeVm', name: 'v' },
      {
        op: 'attachDisk',
        vm: 'v',
        path: 'a.vhdx',
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: true,
      },
      { op: 'detachDisk', vm: 'v', controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 1 },
      {
        op: 'addAdapter',
        vm: 'v',
        name: 'a',
        switchName: 's',
        mac: '00:15:5d:01:02:03',
        macAddressSpoofing: true,
        vlan: 5,
      },
      { op: 'setAdapter', vm: 'v', name: 'a', vlan: null },
      { op: 'removeAdapter', vm: 'v', name: 'a' },
      { op: 'assignDevice', vm: 'v', locationPath: 'p' },
      { op: 'removeDevice', vm: 'v', locationPath: 'p' },
      { op: 'checkpointVm', vm: 'v', checkpoint: 'c' },
      { op: 'restoreCheckpoint', vm: 'v', checkpoint: 'c' },
      { op: 'removeCheckpoint', vm: 'v', checkpoint: 'c' },
      { op: 'addClusterRole', vm: 'v', cluster: 'c' },
    ];
    const commands = ops.map((op) => operationRequest(op, credential).command);
    expect(new Set(commands).size).toBe(ops.length);
    for (const command of commands) expect(command).toMatch(/^[A-Z][a-z]+-Labform[A-Za-z]+$/);
  });

  it('passes values as parameters: a static MAC normalised, a null VLAN as untagged, the password as a Secret', () => {
    expect(
      operationRequest(
        {
          op: 'addAdapter',
          vm: 'v',
          name: 'a',
          switchName: 's',
          mac: '00:15:5d:01:02:03',
          macAddressSpoofing: true,
          vlan: 5,
        },
        credential,
      ).parameters,
    ).toEqual({
      VMName: 'v',
      Name: 'a',
      SwitchName: 's',
      StaticMacAddress: '00155D010203',
      MacAddressSpoofing: true,
      VlanId: 5,
    });
    expect(
      operationRequest({ op: 'setAdapter', vm: 'v', name: 'a', vlan: null }, credential).parameters,
    ).toEqual({ VMName: 'v', Name: 'a', VlanId: 0 });
    const inject = operationRequest(
      { op: 'injectAnswerFile', vhdPath: 'a.vhdx', computerName: 'A', credential: 'admin', timeZone: 'UTC' },
      credential,
    );
    expect(inject.parameters.Password).toBeInstanceOf(Secret);
    expect(JSON.stringify(inject)).not.toContain('s3cret!');
  });

  it('gives dynamic memory its bounds and Hyper-V enum names for stop action and checkpoint type', () => {
    expect(
      vmSettingsParameters({
        memory: { startup: 4, dynamic: true },
        automaticStopAction: 'shutDown',
        checkpointType: 'production',
      }),
    ).toEqual({
      MemoryStartupBytes: 4,
      DynamicMemory: true,
      MemoryMinimumBytes: 4,
      MemoryMaximumBytes: 4,
      VmSettings: { AutomaticStopAction: 'ShutDown', CheckpointType: 'Production' },
    });
    expect(vmSettingsParameters({})).toEqual({});
  });

  it('gives a graceful stop a request timeout beyond its own', () => {
    const request = operationRequest({ op: 'stopVm', name: 'v', timeoutMs: 60_000 }, credential);
    expect(request.parameters).toEqual({ Name: 'v', Force: false, TimeoutMs: 60_000 });
    expect(request.timeoutMs).toBeGreaterThan(60_000);
  });
});

describe('the cloud-init seed request and script', () => {
  const seedOp: HostOperation = {
    op: 'writeCloudInitSeed',
    vm: 'web01',
    path: 'D:\\Labs\\lnx\\web01\\web01-cidata.vhdx',
    instanceId: 'labform-0123456789abcdef',
    files: {
      'meta-data': 'instance-id: x\n',
      'user-data': '#cloud-config\n',
      'network-config': 'version: 2\n',
    },
    summary: {
      hostname: 'web01',
      user: 'labuser',
      network: { '00:15:5d:00:00:01': 'dhcp' },
      sshAuthorizedKeys: ['ssh-ed25519 SHA256:abc labform@hv01'],
    },
  };

  it('sends the files as text parameters, 64 MB, safe to retry (the write starts by clearing what an attempt left)', () => {
    expect(operationRequest(seedOp, credential)).toEqual({
      command: 'Write-LabformCloudInitSeed',
      parameters: {
        VMName: 'web01',
        Path: 'D:\\Labs\\lnx\\web01\\web01-cidata.vhdx',
        InstanceId: 'labform-0123456789abcdef',
        MetaData: 'instance-id: x\n',
        UserData: '#cloud-config\n',
        NetworkConfig: 'version: 2\n',
        Summary:
          '{"hostname":"web01","user":"labuser","network":{"00:15:5d:00:00:01":"dhcp"},"sshAuthorizedKeys":["ssh-ed25519 SHA256:abc labform@hv01"]}',
        SizeBytes: 64 * 1024 * 1024,
      },
      safeToRetry: true,
    });
  });

  it('makes a FAT32 volume labelled cidata on a partial disk, dismounts in finally, renames, and writes the record last', () => {
    const text = readFileSync(
      hostScriptPaths().find((p) => p.endsWith('host-cloud-init.ps1'))!,
      'utf8',
    );
    const body = text.slice(text.indexOf('function Write-LabformCloudInitSeed'));
    const steps = [
      'Remove-Item -LiteralPath $partial',
      'New-VHD -Path $partial -SizeBytes $SizeBytes -Dynamic',
      'Mount-VHD -Path $partial -Passthru',
      'Initialize-Disk -Number $number -PartitionStyle MBR',
      'New-Partition -DiskNumber $number -UseMaximumSize -MbrType FAT32',
      "Format-Volume -Partition $partition -FileSystem FAT32 -NewFileSystemLabel 'cidata'",
      "':\\meta-data'",
      "':\\user-data'",
      "':\\network-config'",
      '} finally {',
      'Dismount-VHD -Path $partial',
      'Remove-Item -LiteralPath $record',
      'Rename-Item -LiteralPath $partial',
      'Set-Content -LiteralPath $record',
    ];
    // Each in turn, after the one before: the order the script does them in.
    let at = 0;
    for (const needle of steps) {
      const found = body.indexOf(needle, at);
      expect(found, needle).toBeGreaterThanOrEqual(0);
      at = found + needle.length;
    }
  });
});
