/**
 * The discovery script's answer (Get-LabformHostState, plain JSON with Hyper-V's own names and
 * enum names as strings) mapped to `HostState`: MACs normalised, enums to labform's names,
 * sizes as bytes, "attached" completed from the VMs' drives.
 */
import type {
  HeartbeatStatus,
  HostState,
  LiveAssignableDevice,
  LiveVhd,
  LiveVm,
  LiveVmAdapter,
  VmState,
} from '../../model/live-state.js';
import type { RawAdapter, RawHeartbeat, RawHostState, RawImageState, RawVm } from './raw-host-state.js';
import type { ImageEdition, ImageRecord, LiveImageBuild } from '../../model/image-build.js';
import { normaliseMac } from '../../model/mac.js';
import { seedSummaryFromRecord } from '../../model/cloud-init-seed.js';
import { simpleSettingsFromHyperV } from '../../model/vm-settings.js';

export type { RawHeartbeat, RawHostState } from './raw-host-state.js';

const VM_STATES: readonly VmState[] = ['Off', 'Running', 'Starting', 'Stopping', 'Saved', 'Paused'];

export function vmStateFrom(state: string | undefined): VmState {
  return VM_STATES.find((s) => s === state) ?? 'Other';
}

/**
 * The heartbeat as labform names it: Get-VM's Heartbeat enum name first (not localized), else
 * the integration service's PrimaryStatusDescription (`OK`, `No Contact`, `Lost Communication`).
 */
export function heartbeatFrom(raw: RawHeartbeat): HeartbeatStatus {
  if (raw.heartbeatService && !raw.heartbeatService.enabled) return 'Disabled';
  const vmHeartbeat = raw.heartbeat ?? '';
  if (vmHeartbeat.startsWith('Ok')) return 'OK';
  if (
    vmHeartbeat === 'NoContact' ||
    vmHeartbeat === 'LostCommunication' ||
    vmHeartbeat === 'Error' ||
    vmHeartbeat === 'Disabled'
  )
    return vmHeartbeat;
  const primary = (raw.heartbeatService?.primaryStatusDescription ?? '').replace(/\s+/g, '').toLowerCase();
  if (primary === 'ok') return 'OK';
  if (primary === 'nocontact') return 'NoContact';
  if (primary === 'lostcommunication') return 'LostCommunication';
  if (primary === 'degraded' || primary === 'error' || primary === 'non-recoverableerror') return 'Error';
  // A VM that is not running has no guest to answer: Hyper-V shows no heartbeat status at all.
  return 'Unknown';
}

function vhdFormatFrom(value: string, path: string): LiveVhd['format'] {
  const v = value.toLowerCase();
  if (v === 'vhdset' || v === 'vhds') return 'vhds';
  if (v === 'vhd') return 'vhd';
  if (v === 'vhdx') return 'vhdx';
  return /\.vhds$/i.test(path) ? 'vhds' : /\.vhd$/i.test(path) ? 'vhd' : 'vhdx';
}

function vhdTypeFrom(value: string): LiveVhd['type'] {
  const v = value.toLowerCase();
  return v === 'fixed' ? 'fixed' : v === 'differencing' ? 'differencing' : 'dynamic';
}

/** Guests report addresses with and without prefix length, IPv6 link-local included: keep IPv4, no prefix. */
function guestAddresses(list: string[] | null): string[] {
  return (list ?? []).map((a) => a.split('/')[0]!).filter((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a));
}

function adapterFrom(raw: RawAdapter): LiveVmAdapter {
  return {
    name: raw.name,
    switchName: raw.switchName ? raw.switchName : null,
    mac: normaliseMac(raw.macAddress ?? ''),
    staticMac: !raw.dynamicMacAddressEnabled,
    macAddressSpoofing: raw.macAddressSpoofing === 'On',
    vlan: raw.vlanMode === 'Access' && raw.accessVlanId > 0 ? raw.accessVlanId : null,
    addresses: guestAddresses(raw.ipAddresses),
  };
}

function vmFrom(raw: RawVm): LiveVm {
  const generation = raw.generation === 1 ? 1 : 2;
  return {
    name: raw.name,
    id: raw.id,
    state: vmStateFrom(raw.state),
    notes: raw.notes ?? '',
    generation,
    path: raw.path,
    processors: raw.processorCount,
    memory: {
      startup: raw.memoryStartup,
      dynamic: raw.dynamicMemoryEnabled,
      minimum: raw.memoryMinimum,
      maximum: raw.memoryMaximum,
    },
    firmware:
      generation === 2 && raw.firmware
        ? {
            secureBoot: raw.firmware.secureBoot === 'On',
            secureBootTemplate: raw.firmware.secureBootTemplate ? raw.firmware.secureBootTemplate : null,
          }
        : null,
    tpm: raw.tpmEnabled,
    nestedVirtualization: raw.exposeVirtualizationExtensions,
    mmio: { low: raw.lowMemoryMappedIoSpace, high: raw.highMemoryMappedIoSpace },
    ...simpleSettingsFromHyperV(raw.settings),
    checkpoints: [...(raw.snapshots ?? [])],
    heartbeat: heartbeatFrom(raw),
    uptimeSeconds: raw.state === 'Running' ? raw.uptimeSeconds : 0,
    disks: (raw.disks ?? []).map((d) => ({
      controllerType: d.controllerType === 'IDE' ? 'IDE' : 'SCSI',
      controllerNumber: d.controllerNumber,
      controllerLocation: d.controllerLocation,
      path: d.path,
      supportPersistentReservations: d.supportPersistentReservations,
    })),
    dvdDrives: (raw.dvdDrives ?? []).map((d) => ({
      controllerType: d.controllerType === 'IDE' ? 'IDE' : 'SCSI',
      controllerNumber: d.controllerNumber,
      controllerLocation: d.controllerLocation,
      path: d.path ? d.path : null,
    })),
    adapters: (raw.adapters ?? []).map(adapterFrom),
    assignedDevices: (raw.assignedDevices ?? []).map((d) => d.locationPath),
    clustered: raw.isClustered,
  };
}

/**
 * The manifest names an external switch's host adapter by name (`Ethernet`); discovery maps the
 * switch's interface description(s) back to names. A Switch Embedded Teaming switch has several:
 * they are listed sorted, comma separated.
 */
function switchAdapter(names: string[] | string | null): string | null {
  const list = (Array.isArray(names) ? names : names ? [names] : []).filter((n) => n);
  return list.length ? [...list].sort().join(', ') : null;
}

const samePath = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Map the discovery answer of `host` to the shape both providers share. */
export function hostStateFromJson(host: string, raw: RawHostState): HostState {
  const vms = (raw.vms ?? []).map(vmFrom);
  const drives = vms.flatMap((vm) => vm.disks.map((d) => d.path));
  const devices: LiveAssignableDevice[] = [
    ...(raw.hostAssignableDevices ?? []).map((d) => ({
      locationPath: d.locationPath,
      instanceId: d.instanceId,
      dismounted: true,
      assignedTo: null,
    })),
    ...(raw.vms ?? []).flatMap((vm) =>
      (vm.assignedDevices ?? []).map((d) => ({
        locationPath: d.locationPath,
        instanceId: d.instanceId,
        dismounted: true,
        assignedTo: vm.name,
      })),
    ),
  ];
  for (const d of raw.mountedDevices ?? []) {
    if (!devices.some((known) => known.locationPath.toLowerCase() === d.locationPath.toLowerCase())) {
      devices.push({
        locationPath: d.locationPath,
        instanceId: d.instanceId,
        dismounted: false,
        assignedTo: null,
      });
    }
  }
  return {
    host,
    computerName: raw.computerName,
    vms,
    switches: (raw.switches ?? []).map((s) => {
      const type =
        s.switchType.toLowerCase() === 'external'
          ? 'external'
          : s.switchType.toLowerCase() === 'private'
            ? 'private'
            : 'internal';
      return {
        name: s.name,
        type,
        notes: s.notes ?? '',
        adapter: type === 'external' ? switchAdapter(s.netAdapterNames) : null,
        allowManagementOS: s.allowManagementOS,
      };
    }),
    nats: (raw.nats ?? []).map((n) => ({ name: n.name, internalPrefix: n.internalIPInterfaceAddressPrefix })),
    natMappings: (raw.natMappings ?? []).map((m) => ({
      nat: m.natName,
      protocol: m.protocol.toLowerCase() === 'udp' ? 'udp' : 'tcp',
      externalPort: m.externalPort,
      internalAddress: m.internalIPAddress,
      internalPort: m.internalPort,
    })),
    hostAddresses: (raw.hostAddresses ?? []).map((a) => ({
      interfaceAlias: a.interfaceAlias,
      address: a.ipAddress,
      prefixLength: a.prefixLength,
    })),
    ...(raw.physicalAdapters
      ? {
          physicalAdapters: raw.physicalAdapters.map((a) => ({
            name: a.name,
            interfaceDescription: a.interfaceDescription ?? '',
          })),
        }
      : {}),
    vhds: (raw.vhds ?? []).map((v) => ({
      path: v.path,
      format: vhdFormatFrom(v.vhdFormat, v.path),
      type: vhdTypeFrom(v.vhdType),
      parentPath: v.parentPath ? v.parentPath : null,
      size: v.size,
      ...(typeof v.fileSize === 'number' ? { fileSize: v.fileSize } : {}),
      attached: v.attached || drives.some((d) => samePath(d, v.path)),
    })),
    files: (raw.files ?? []).map((f) => ({ path: f.path, exists: f.exists })),
    ...(raw.sources
      ? { sources: raw.sources.map((f) => ({ path: f.path, exists: Boolean(f.exists) })) }
      : {}),
    ...(raw.images ? { images: raw.images.map(imageStateFrom) } : {}),
    ...(raw.cloudInit
      ? {
          sshPublicKey: raw.cloudInit.sshPublicKey ? raw.cloudInit.sshPublicKey : null,
          cloudInitSeeds: (raw.cloudInit.seeds ?? []).map((s) => {
            const summary = s.instanceId ? seedSummaryFromRecord(s.summary) : undefined;
            return {
              path: s.path,
              instanceId: s.instanceId ? s.instanceId : null,
              ...(summary ? { summary } : {}),
            };
          }),
        }
      : {}),
    assignableDevices: devices,
    freeMemory: raw.freeMemory,
    totalMemory: raw.totalMemory,
    ...(raw.logicalProcessors ? { logicalProcessors: raw.logicalProcessors } : {}),
    ...(raw.virtualHardDiskPath ? { virtualHardDiskPath: raw.virtualHardDiskPath } : {}),
    cluster: raw.cluster
      ? {
          name: raw.cluster.name,
          nodes: [...(raw.cluster.nodes ?? [])],
          sharedVolumes: [...(raw.cluster.sharedVolumes ?? [])],
        }
      : null,
  };
}

const edition = (e: { index: number; name: string }): ImageEdition => ({
  index: Number(e.index),
  name: String(e.name),
});

/** A record that is not labform's (or is damaged) counts as none: the image is used as found. */
function imageRecordFrom(raw: RawImageState['record']): ImageRecord | null {
  if (!raw || raw.format !== 'labform-image/1' || !raw.iso || !raw.edition) return null;
  return {
    format: 'labform-image/1',
    iso: { path: raw.iso.path, size: Number(raw.iso.size), modified: String(raw.iso.modified) },
    edition: edition(raw.edition),
    editions: (raw.editions ?? []).map(edition),
    size: Number(raw.size),
    generation: Number(raw.generation) === 1 ? 1 : 2,
    updates: [...(raw.updates ?? [])],
  };
}

function imageStateFrom(raw: RawImageState): LiveImageBuild {
  return {
    path: raw.path,
    exists: raw.exists,
    record: imageRecordFrom(raw.record),
    iso: raw.iso
      ? { path: raw.iso.path, size: Number(raw.iso.size), modified: String(raw.iso.modified) }
      : null,
    editions: raw.editions ? raw.editions.map(edition) : null,
    missingUpdates: [...(raw.missingUpdates ?? [])],
    dependents: [...(raw.dependents ?? [])],
    leftover: raw.leftover,
  };
}
