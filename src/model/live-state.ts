/**
 * What `discover()` reads from one host in one round trip. Plain data (JSON-serialisable):
 * the simulator and the Hyper-V provider must produce identical shapes for identical hosts.
 * Sizes are bytes; MACs are `00155D010203` (upper case, no separators); paths as the host
 * reports them (compare case-insensitively).
 */
import type { GuestProbeOutcome } from './guest-probes.js';
import type { SimpleVmSettings } from './vm-settings.js';
import type { LiveImageBuild } from './image-build.js';
import type { CloudInitSeedSummary } from './cloud-init-seed.js';

/** Hyper-V VMState names (Get-VM .State), the ones labform distinguishes. */
export type VmState = 'Off' | 'Running' | 'Starting' | 'Stopping' | 'Saved' | 'Paused' | 'Other';

/** Heartbeat integration service primary status (Get-VMIntegrationService Heartbeat). */
export type HeartbeatStatus = 'OK' | 'NoContact' | 'LostCommunication' | 'Error' | 'Disabled' | 'Unknown';

export interface LiveVmDisk {
  controllerType: 'IDE' | 'SCSI';
  controllerNumber: number;
  controllerLocation: number;
  path: string;
  supportPersistentReservations: boolean;
}

export interface LiveDvdDrive {
  controllerType: 'IDE' | 'SCSI';
  controllerNumber: number;
  controllerLocation: number;
  /** The ISO in the drive; null when the drive is empty. */
  path: string | null;
}

export interface LiveVmAdapter {
  name: string;
  switchName: string | null;
  mac: string;
  /** True when the MAC address was set statically. */
  staticMac: boolean;
  macAddressSpoofing: boolean;
  vlan: number | null;
  /** Addresses the guest reports through the KVP integration service, without prefix length. */
  addresses: string[];
}

export interface LiveVm extends SimpleVmSettings {
  name: string;
  id: string;
  state: VmState;
  /** Owner mark lives here (see ownership/mark.ts). */
  notes: string;
  generation: 1 | 2;
  path: string;
  processors: number;
  memory: { startup: number; dynamic: boolean; minimum: number; maximum: number };
  /** Generation 2 only; null on generation 1. */
  firmware: { secureBoot: boolean; secureBootTemplate: string | null } | null;
  tpm: boolean;
  nestedVirtualization: boolean;
  mmio: { low: number; high: number };
  checkpoints: string[];
  heartbeat: HeartbeatStatus;
  /** Seconds since start, 0 when off. */
  uptimeSeconds: number;
  disks: LiveVmDisk[];
  adapters: LiveVmAdapter[];
  /** DVD drives (Get-VMDvdDrive): where they sit and the ISO they hold (null when empty). */
  dvdDrives: LiveDvdDrive[];
  /** Location paths of devices assigned with Add-VMAssignableDevice. */
  assignedDevices: string[];
  /** Registered as a clustered role (Add-ClusterVirtualMachineRole). */
  clustered: boolean;
}

export interface LiveSwitch {
  name: string;
  type: 'internal' | 'private' | 'external';
  notes: string;
  /** External switches: the physical adapter's interface description or name. */
  adapter: string | null;
  allowManagementOS: boolean;
}

/** A physical network adapter of the host (Get-NetAdapter -Physical): what an external switch binds. */
export interface LivePhysicalAdapter {
  name: string;
  interfaceDescription: string;
}

export interface LiveNat {
  name: string;
  internalPrefix: string;
}

export interface LiveNatMapping {
  nat: string;
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
}

export interface LiveHostAddress {
  interfaceAlias: string;
  address: string;
  prefixLength: number;
}

export interface LiveVhd {
  path: string;
  format: 'vhdx' | 'vhds' | 'vhd';
  type: 'dynamic' | 'fixed' | 'differencing';
  parentPath: string | null;
  size: number;
  /**
   * Bytes the file takes on disk, when the host says (Hyper-V's Get-VHD FileSize). The simulator
   * has no model of how much a guest writes, so it reports none.
   */
  fileSize?: number;
  /** Attached to a VM (or mounted on the host). */
  attached: boolean;
}

export interface LiveAssignableDevice {
  locationPath: string;
  instanceId: string;
  /** Dismounted from the host (Dismount-VMHostAssignableDevice) and free to assign. */
  dismounted: boolean;
  /** The VM it is assigned to, if any. */
  assignedTo: string | null;
}

export interface HostState {
  host: string;
  /** Name of the computer as the host reports it. */
  computerName: string;
  vms: LiveVm[];
  switches: LiveSwitch[];
  nats: LiveNat[];
  natMappings: LiveNatMapping[];
  hostAddresses: LiveHostAddress[];
  /**
   * The host's physical network adapters (Get-NetAdapter -Physical), bound to a switch or not.
   * Absent when the host did not say (an older state): plan-time adapter checks are then skipped.
   */
  physicalAdapters?: LivePhysicalAdapter[];
  /** VHD/VHDX/VHDS files under the lab's storage paths, images and disk paths asked for. */
  vhds: LiveVhd[];
  /** Which of the asked-for files (images) exist. */
  files: { path: string; exists: boolean }[];
  /** Which of the asked-for `files:` sources (a file or a folder) exist; absent when none were asked. */
  sources?: { path: string; exists: boolean }[];
  assignableDevices: LiveAssignableDevice[];
  /** Bytes. */
  freeMemory: number;
  totalMemory: number;
  /**
   * Get-VMHost LogicalProcessorCount: the most virtual processors one VM of this host can have.
   * Absent when not known (hosts this plan does not touch): nothing is checked against it.
   */
  logicalProcessors?: number;
  /**
   * Get-VMHost VirtualHardDiskPath: the host's default folder for virtual hard disks. A lab
   * without storagePath keeps its files in `<this>\<lab>` on the host.
   */
  virtualHardDiskPath?: string;
  /** Host cluster membership, when the host is a cluster node. */
  cluster: { name: string; nodes: string[]; sharedVolumes: string[] } | null;
  /**
   * Answers to the guest probes the scope asked for (DiscoveryScope.probes): one per requested
   * VM that runs on this host with the lab's mark. Absent when no probes were asked.
   */
  guestProbes?: GuestProbeOutcome[];
  /** Images built from an ISO that the scope asked about (`DiscoveryScope.images`). */
  images?: LiveImageBuild[];
  /**
   * The SSH public key of the account labform runs as on the host (`%USERPROFILE%\.ssh\id_ed25519.pub`,
   * else `id_rsa.pub`): what cloud-init seeds authorize, and what ssh from the host logs in with.
   * Null when the account has none; absent when the host was not asked (no cloud-init seed in scope).
   */
  sshPublicKey?: string | null;
  /** The cloud-init seeds the scope asked about (`DiscoveryScope.seeds`): the instance-id each holds, null when none is complete. */
  cloudInitSeeds?: LiveCloudInitSeed[];
}

/** A seed disk as its record says it was last written (src/model/cloud-init-seed.ts). */
export interface LiveCloudInitSeed {
  path: string;
  instanceId: string | null;
  /** What the seed configures, as its record says; absent from a record written before records held it. */
  summary?: CloudInitSeedSummary;
}

/** What discovery should look at besides the VMs and switches (which it reads whole). */
export interface DiscoveryScope {
  /** Folders whose VHD files are listed recursively. */
  paths: string[];
  /** Individual files to report existence (and VHD details) for: images, shared disks. */
  files: string[];
  /**
   * Location paths of devices to assign (`assignDevices`): reported even while still mounted on
   * the host, which Hyper-V's own cmdlets do not list (the Hyper-V provider asks PnP for them).
   */
  devices?: string[];
  /** Sources of `files:` copies (a file or a folder each): reported as existing or not. */
  sources?: string[];
  /** Images built from an ISO on this host: their record, the ISO, its editions, what depends on them. */
  images?: { path: string; iso: string; updates: string[] }[];
  /** cloud-init seed disks of Linux guests on this host: their records, and the host account's SSH key. */
  seeds?: string[];
}
