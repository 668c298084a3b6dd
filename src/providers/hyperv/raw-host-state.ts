/**
 * The discovery script's answer as it arrives (Get-LabformHostState in scripts/host-state.ps1):
 * Hyper-V's own property names, enum values as their names, lists possibly null.
 */

export interface RawHeartbeat {
  state?: string;
  heartbeat?: string | null;
  heartbeatService?: { enabled: boolean; primaryStatusDescription: string | null } | null;
}

export interface RawAdapter {
  name: string;
  switchName: string | null;
  macAddress: string;
  dynamicMacAddressEnabled: boolean;
  macAddressSpoofing: string;
  vlanMode: string;
  accessVlanId: number;
  ipAddresses: string[] | null;
}

export interface RawVm extends RawHeartbeat {
  name: string;
  id: string;
  state: string;
  notes: string | null;
  generation: number;
  path: string;
  processorCount: number;
  memoryStartup: number;
  dynamicMemoryEnabled: boolean;
  memoryMinimum: number;
  memoryMaximum: number;
  lowMemoryMappedIoSpace: number;
  highMemoryMappedIoSpace: number;
  /** Get-VM's properties named by the request's VmProperties (the simple settings), as strings. */
  settings: Record<string, string> | null;
  uptimeSeconds: number;
  exposeVirtualizationExtensions: boolean;
  tpmEnabled: boolean;
  firmware: { secureBoot: string; secureBootTemplate: string | null } | null;
  snapshots: string[] | null;
  disks:
    | {
        controllerType: string;
        controllerNumber: number;
        controllerLocation: number;
        path: string;
        supportPersistentReservations: boolean;
      }[]
    | null;
  /** Absent from answers of scripts older than DVD support. */
  dvdDrives?:
    | { controllerType: string; controllerNumber: number; controllerLocation: number; path: string | null }[]
    | null;
  adapters: RawAdapter[] | null;
  assignedDevices: { locationPath: string; instanceId: string }[] | null;
  isClustered: boolean;
}

export interface RawHostState {
  computerName: string;
  totalMemory: number;
  /** Get-VMHost LogicalProcessorCount (absent from an older host script). */
  logicalProcessors?: number;
  /** Get-VMHost VirtualHardDiskPath. */
  virtualHardDiskPath?: string;
  freeMemory: number;
  vms: RawVm[] | null;
  /** netAdapterNames: the host adapter(s) behind an external switch, mapped back from their interface descriptions. */
  switches:
    | {
        name: string;
        switchType: string;
        notes: string | null;
        netAdapterNames: string[] | string | null;
        allowManagementOS: boolean;
      }[]
    | null;
  nats: { name: string; internalIPInterfaceAddressPrefix: string }[] | null;
  natMappings:
    | {
        natName: string;
        protocol: string;
        externalPort: number;
        internalIPAddress: string;
        internalPort: number;
      }[]
    | null;
  hostAddresses: { interfaceAlias: string; ipAddress: string; prefixLength: number }[] | null;
  /** Get-NetAdapter -Physical (absent when the NetAdapter module is not there). */
  physicalAdapters?: { name: string; interfaceDescription: string | null }[] | null;
  vhds:
    | {
        path: string;
        vhdFormat: string;
        vhdType: string;
        parentPath: string | null;
        size: number;
        fileSize?: number | null;
        attached: boolean;
      }[]
    | null;
  files: { path: string; exists: boolean }[] | null;
  /** `files:` sources asked for (Get-LabformHostState -Sources): files or folders. */
  sources?: { path: string; exists: boolean }[] | null;
  /** Images built from an ISO, when the request named some (host-image.ps1 Get-LabformImageStates). */
  images?: RawImageState[] | null;
  /** cloud-init seeds, when the request named some (host-cloud-init.ps1 Get-LabformCloudInitSeedStates). */
  cloudInit?: {
    sshPublicKey: string | null;
    /** `summary`: the record's `seed` (what the seed configures), absent from older records. */
    seeds: { path: string; instanceId: string | null; summary?: unknown }[] | null;
  } | null;
  hostAssignableDevices: { locationPath: string; instanceId: string }[] | null;
  /** Asked-for devices found through PnP; those Hyper-V already lists (dismounted or assigned) win. */
  mountedDevices?: { locationPath: string; instanceId: string }[] | null;
  cluster: { name: string; nodes: string[] | null; sharedVolumes: string[] | null } | null;
}

/** One image's state as host-image.ps1 answers (lists possibly null, the record as written by Build-LabformImage). */
export interface RawImageState {
  path: string;
  exists: boolean;
  record: {
    format: string;
    iso: { path: string; size: number; modified: string } | null;
    edition: { index: number; name: string } | null;
    editions: { index: number; name: string }[] | null;
    size: number;
    generation: number;
    updates: string[] | null;
  } | null;
  iso: { path: string; size: number; modified: string } | null;
  editions: { index: number; name: string }[] | null;
  missingUpdates: string[] | null;
  dependents: string[] | null;
  leftover: boolean;
}
