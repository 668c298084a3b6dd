/**
 * Desired resources: what the lab wants on its hosts, with addresses and dependencies.
 * Properties are normalised so they compare directly with live state (bytes, upper-case MACs).
 */
import type { ResourceKind } from '../model/change.js';
import type { ImageSource, RoleKind } from '../manifest/lab.js';
import type { DriveSlot } from '../model/dvd-slots.js';
import type { SimpleVmSettings } from '../model/vm-settings.js';
import type { CloudInitSeedInput } from '../model/cloud-init-seed.js';

interface DesiredBase {
  address: string;
  kind: ResourceKind;
  /** The host it lives on (the first one for multi-host switches). */
  host: string;
  /** Addresses this resource needs first. */
  dependsOn: string[];
  /** JSON pointer of the manifest entry, for diagnostics. */
  pointer: string;
}

export interface DesiredNetwork extends DesiredBase {
  kind: 'network';
  name: string;
  hosts: string[];
  switchType: 'internal' | 'private' | 'external';
  notes: string;
  adapter?: string;
  allowManagementOS?: boolean;
  /** The host's address on `vEthernet (<name>)`: a NAT gateway or an internal hostAddress. */
  hostAddress?: { address: string; prefixLength: number };
}

export interface DesiredNat extends DesiredBase {
  kind: 'nat';
  name: string;
  network: string;
  internalPrefix: string;
}

export interface DesiredPortMapping extends DesiredBase {
  kind: 'portMapping';
  nat: string;
  network: string;
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
}

export interface DesiredDisk extends DesiredBase {
  kind: 'disk';
  name: string;
  path: string;
  size: number;
  format: 'vhdx' | 'vhds';
  type: 'dynamic' | 'fixed';
  shared: boolean;
}

export interface DesiredVmDisk {
  path: string;
  controllerType: 'IDE' | 'SCSI';
  controllerNumber: number;
  controllerLocation: number;
  supportPersistentReservations: boolean;
  /** A new data disk the VM owns (created with it); absent for `disks:` entries and the OS disk. */
  create?: { size: number };
  /** The `disk.<name>` address when the disk comes from `disks:`. */
  diskAddress?: string;
}

export interface DesiredDvdDrive extends DriveSlot {
  path: string;
}

export interface DesiredAdapter {
  name: string;
  switchName: string;
  /** Static MAC, normalised; undefined for dynamic. */
  mac?: string;
  macAddressSpoofing: boolean;
  vlan: number | null;
}

/**
 * A Linux guest's cloud-init NoCloud seed disk (src/model/cloud-init-seed.ts): where it is, and
 * what it holds but the host account's SSH key, which discovery reads (HostState.sshPublicKey).
 */
export interface DesiredCloudInit {
  disk: DesiredVmDisk;
  seed: Omit<CloudInitSeedInput, 'sshAuthorizedKeys'>;
}

export interface DesiredVm extends DesiredBase, SimpleVmSettings {
  kind: 'vm';
  name: string;
  cluster?: string;
  os: 'windows' | 'linux';
  computerName: string;
  credential?: string;
  image?: { name: string; path: string; os: 'windows' | 'linux' };
  generation: 1 | 2;
  path: string;
  processors: number;
  memory: { startup: number; dynamic: boolean; minimum?: number; maximum?: number };
  /** Null on generation 1. */
  firmware: { secureBoot: boolean; secureBootTemplate: string | null } | null;
  tpm: boolean;
  nestedVirtualization: boolean;
  mmio?: { low: number; high: number };
  notes: string;
  /** The OS disk, a differencing child of the image. */
  osDisk?: DesiredVmDisk & { parentPath: string };
  dataDisks: DesiredVmDisk[];
  adapters: DesiredAdapter[];
  /** The cloud-init seed of a Linux guest whose image has cloud-init. */
  cloudInit?: DesiredCloudInit;
  /** ISOs in DVD drives, each at its slot (src/model/dvd-slots.ts). */
  dvdDrives: DesiredDvdDrive[];
  assignedDevices: string[];
  clustered: boolean;
}

/** An image labform builds from an ISO, on every host whose VMs use it. */
export interface DesiredImage extends DesiredBase {
  kind: 'image';
  name: string;
  path: string;
  hosts: string[];
  generation: 1 | 2;
  from: ImageSource;
}

export interface DesiredRole extends DesiredBase {
  kind: 'role';
  vm: string;
  role: RoleKind;
}

export interface DesiredGuestCluster extends DesiredBase {
  kind: 'guestCluster';
  name: string;
  nodes: string[];
}

export type DesiredResource =
  | DesiredNetwork
  | DesiredNat
  | DesiredPortMapping
  | DesiredDisk
  | DesiredImage
  | DesiredVm
  | DesiredRole
  | DesiredGuestCluster;
