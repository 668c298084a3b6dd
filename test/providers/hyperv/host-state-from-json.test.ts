import { describe, expect, it } from 'vitest';
import {
  heartbeatFrom,
  hostStateFromJson,
  type RawHostState,
} from '../../../src/providers/hyperv/host-state-from-json.js';
import { normaliseMac } from '../../../src/model/mac.js';
import { emptyHost as emptyHostState } from '../../support/lab-builder.js';

const emptyHost: RawHostState = {
  computerName: 'HV01',
  totalMemory: 100,
  freeMemory: 50,
  vms: null,
  switches: null,
  nats: null,
  natMappings: null,
  hostAddresses: null,
  vhds: null,
  files: null,
  hostAssignableDevices: null,
  cluster: null,
};

const rawVm = {
  name: 'dc01',
  id: 'id-1',
  state: 'Running',
  notes: null,
  generation: 1,
  path: 'D:\\Labs\\dc01',
  processorCount: 2,
  memoryStartup: 2048,
  dynamicMemoryEnabled: true,
  memoryMinimum: 512,
  memoryMaximum: 4096,
  lowMemoryMappedIoSpace: 1,
  highMemoryMappedIoSpace: 2,
  settings: {
    AutomaticStopAction: 'TurnOff',
    CheckpointType: 'ProductionOnly',
    GuestControlledCacheTypes: 'False',
  },
  uptimeSeconds: 42,
  heartbeat: 'OkApplicationsHealthy',
  heartbeatService: { enabled: true, primaryStatusDescription: 'OK' },
  exposeVirtualizationExtensions: false,
  tpmEnabled: false,
  firmware: null,
  snapshots: null,
  disks: [
    {
      controllerType: 'IDE',
      controllerNumber: 0,
      controllerLocation: 1,
      path: 'D:\\Labs\\dc01\\OS.VHDX',
      supportPersistentReservations: false,
    },
  ],
  adapters: [
    {
      name: 'LabNet',
      switchName: '',
      macAddress: '00-15-5d-0a-0b-0c',
      dynamicMacAddressEnabled: true,
      macAddressSpoofing: 'Off',
      vlanMode: 'Untagged',
      accessVlanId: 0,
      ipAddresses: ['192.168.50.10', 'fe80::1', '10.0.0.1/24'],
    },
  ],
  assignedDevices: [{ locationPath: 'PCIROOT(1)', instanceId: 'PCI\\1' }],
  isClustered: true,
};

describe('discovery answer -> HostState', () => {
  it('maps an empty host (null lists from PowerShell) to empty arrays', () => {
    const state = hostStateFromJson('hv01', emptyHost);
    expect(state).toEqual(emptyHostState('hv01', { computerName: 'HV01', freeMemory: 50, totalMemory: 100 }));
  });

  it('normalises enums, MACs, addresses, generation 1 firmware, devices and attachment', () => {
    const state = hostStateFromJson('hv01', {
      ...emptyHost,
      vms: [rawVm],
      switches: [
        {
          name: 'Uplink',
          switchType: 'External',
          notes: null,
          netAdapterNames: ['Ethernet 2'],
          allowManagementOS: true,
        },
      ],
      natMappings: [
        {
          natName: 'n',
          protocol: 'UDP',
          externalPort: 53,
          internalIPAddress: '192.168.50.10',
          internalPort: 53,
        },
      ],
      vhds: [
        {
          path: 'd:\\labs\\dc01\\os.vhdx',
          vhdFormat: 'VHDX',
          vhdType: 'Differencing',
          parentPath: 'D:\\Images\\a.vhdx',
          size: 10,
          fileSize: 4194304,
          attached: false,
        },
        {
          path: 'C:\\ClusterStorage\\Volume1\\s.vhds',
          vhdFormat: 'VHDSet',
          vhdType: 'Fixed',
          parentPath: '',
          size: 5,
          fileSize: null,
          attached: false,
        },
      ],
      hostAssignableDevices: [{ locationPath: 'PCIROOT(2)', instanceId: 'PCI\\2' }],
      cluster: { name: 'hvclu', nodes: ['hv01'], sharedVolumes: null },
    });
    const vm = state.vms[0]!;
    expect(vm).toMatchObject({
      notes: '',
      generation: 1,
      firmware: null,
      automaticStopAction: 'turnOff',
      checkpointType: 'production',
      checkpoints: [],
      heartbeat: 'OK',
      uptimeSeconds: 42,
      clustered: true,
      assignedDevices: ['PCIROOT(1)'],
    });
    expect(vm.adapters).toEqual([
      {
        name: 'LabNet',
        switchName: null,
        mac: '00155D0A0B0C',
        staticMac: false,
        macAddressSpoofing: false,
        vlan: null,
        addresses: ['192.168.50.10', '10.0.0.1'],
      },
    ]);
    expect(state.switches[0]).toEqual({
      name: 'Uplink',
      type: 'external',
      notes: '',
      adapter: 'Ethernet 2',
      allowManagementOS: true,
    });
    expect(state.natMappings[0]!.protocol).toBe('udp');
    expect(state.vhds).toEqual([
      {
        path: 'd:\\labs\\dc01\\os.vhdx',
        format: 'vhdx',
        type: 'differencing',
        parentPath: 'D:\\Images\\a.vhdx',
        size: 10,
        fileSize: 4194304,
        attached: true,
      },
      {
        path: 'C:\\ClusterStorage\\Volume1\\s.vhds',
        format: 'vhds',
        type: 'fixed',
        parentPath: null,
        size: 5,
        attached: false,
      },
    ]);
    expect(state.assignableDevices).toEqual([
      { locationPath: 'PCIROOT(2)', instanceId: 'PCI\\2', dismounted: true, assignedTo: null },
      { locationPath: 'PCIROOT(1)', instanceId: 'PCI\\1', dismounted: true, assignedTo: 'dc01' },
    ]);
    expect(state.cluster).toEqual({ name: 'hvclu', nodes: ['hv01'], sharedVolumes: [] });
  });

  it('reads the heartbeat from the Get-VM enum, else the integration service, whatever the language of the host', () => {
    expect(heartbeatFrom({ heartbeat: 'OkApplicationsUnknown' })).toBe('OK');
    expect(heartbeatFrom({ heartbeat: 'LostCommunication' })).toBe('LostCommunication');
    expect(
      heartbeatFrom({
        heartbeat: '',
        heartbeatService: { enabled: true, primaryStatusDescription: 'No Contact' },
      }),
    ).toBe('NoContact');
    expect(
      heartbeatFrom({
        heartbeat: '',
        heartbeatService: { enabled: true, primaryStatusDescription: 'Lost Communication' },
      }),
    ).toBe('LostCommunication');
    expect(
      heartbeatFrom({
        heartbeat: 'OkApplicationsHealthy',
        heartbeatService: { enabled: false, primaryStatusDescription: 'OK' },
      }),
    ).toBe('Disabled');
    expect(
      heartbeatFrom({
        state: 'Off',
        heartbeat: '',
        heartbeatService: { enabled: true, primaryStatusDescription: '' },
      }),
    ).toBe('Unknown');
  });

  it('normalises MACs written in any of the usual ways', () => {
    expect(normaliseMac('00-15-5d-01-02-03')).toBe('00155D010203');
    expect(normaliseMac('00:15:5D:01:02:03')).toBe('00155D010203');
    expect(normaliseMac('00155d010203')).toBe('00155D010203');
  });
});

describe('hostStateFromJson: DVD drives', () => {
  it('keeps each drive with its slot; an empty drive (Path empty or null) has path null; an answer without drives has none', () => {
    const withDrives = {
      ...rawVm,
      dvdDrives: [
        { controllerType: 'IDE', controllerNumber: 1, controllerLocation: 0, path: 'D:\\ISO\\SQL2016.iso' },
        { controllerType: 'IDE', controllerNumber: 1, controllerLocation: 1, path: '' },
        { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 2, path: null },
      ],
    };
    const state = hostStateFromJson('hv01', {
      ...emptyHost,
      vms: [withDrives as never, { ...rawVm, name: 'old', id: 'id-2' } as never],
    });
    expect(state.vms[0]!.dvdDrives).toEqual([
      { controllerType: 'IDE', controllerNumber: 1, controllerLocation: 0, path: 'D:\\ISO\\SQL2016.iso' },
      { controllerType: 'IDE', controllerNumber: 1, controllerLocation: 1, path: null },
      { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 2, path: null },
    ]);
    expect(state.vms[1]!.dvdDrives).toEqual([]);
  });
});
