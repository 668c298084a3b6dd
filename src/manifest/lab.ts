/**
 * The typed, validated and expanded lab: what the manifest pipeline hands to everything
 * after it. `count` is expanded, defaults applied, sizes are bytes, durations are
 * milliseconds, `ip: auto` is replaced by the assigned static address, `{lab}` replaced.
 */
import type { SecretSource } from '../model/secret-source.js';
import type { SimpleVmSettingsByManifestKey } from '../model/vm-settings.js';
import type { LiveDrive } from '../model/drive-layout.js';

export interface Lab {
  apiVersion: 'labform/v1';
  kind: 'Lab';
  name: string;
  description?: string;
  /** Absolute path of the manifest file. */
  file: string;
  settings: LabSettings;
  hosts: HostSpec[];
  clusters: ClusterSpec[];
  images: ImageSpec[];
  credentials: CredentialSpec[];
  networks: NetworkSpec[];
  disks: DiskSpec[];
  vms: VmSpec[];
  guestClusters: GuestClusterSpec[];
  /** JSON pointer (of the original document) -> position, for diagnostics found later (plan). */
  positions: Record<string, { line: number; column: number }>;
}

export interface LabSettings {
  /** With `{lab}` replaced; undefined when not set (then hosts use their own or their Hyper-V default folder). */
  storagePath?: string;
  parallelism: number;
  perHostParallelism: number;
  /** Milliseconds. */
  timeouts: { heartbeat: number; powershellDirect: number; adReady: number; step: number };
  /** Windows time zone id written into answer files (`settings.timeZone`). Default `UTC`. */
  timeZone: string;
  /**
   * How members join their domain (`settings.domainJoin`): `offline` provisions the account on
   * the DC (djoin) and applies the blob in the member; `online` uses Add-Computer; `auto`
   * (default) picks offline where it shortens the critical path.
   */
  domainJoin: 'auto' | 'online' | 'offline';
  /**
   * Where the Windows features of a VM's roles are installed (`settings.featureInstall`):
   * `offline` puts them into the new OS disk before the first boot (Install-WindowsFeature
   * -Vhd), `online` in the running guest; `auto` (default) picks offline where it shortens the
   * critical path (src/roles/lab-guest-tasks.ts).
   */
  featureInstall: 'auto' | 'online' | 'offline';
}

export type HostConnection =
  | { kind: 'local' }
  | { kind: 'ssh'; user?: string; host: string; port?: number }
  /**
   * PowerShell remoting (WinRM): HTTP on 5985 by default, HTTPS (`winrms://`) on 5986. `credential`
   * names a manifest credential for New-PSSession -Credential (a workgroup host); `user` from the
   * URL replaces that credential's user name.
   */
  | { kind: 'winrm'; host: string; user?: string; port?: number; https?: boolean; credential?: string };

export interface HostSpec {
  name: string;
  connect: HostConnection;
  shell: 'powershell' | 'pwsh';
  /**
   * Resolved: host storagePath, else settings.storagePath, with `{lab}` replaced; else
   * `%VirtualHardDiskPath%\<lab>` until discovery reads the host's default folder
   * (see default-storage.ts).
   */
  storagePath: string;
  /** Neither the host nor settings set storagePath: the host's Hyper-V default folder is used. */
  storagePathDefault?: boolean;
}

export interface ClusterSpec {
  name: string;
  nodes: string[];
  sharedVolume: string;
}

export type OsKind = 'windows' | 'linux';
export type Generation = 1 | 2;

export interface ImageSpec {
  name: string;
  path: string;
  os: OsKind;
  generation: Generation;
  /**
   * Linux images: labform writes a cloud-init NoCloud seed for each guest (src/model/cloud-init-seed.ts);
   * false for an image without cloud-init. Absent: true for Linux (usesCloudInit). Never for Windows images.
   */
  cloudInit?: boolean;
  /** Built from installation media by labform (`images[].from`); absent: the disk must already exist. */
  from?: ImageSource;
}

/** Whether labform configures the guests of this image through a cloud-init NoCloud seed. */
export function usesCloudInit(image: Pick<ImageSpec, 'os' | 'cloudInit'>): boolean {
  return image.os === 'linux' && image.cloudInit !== false;
}

/** Whether a VM gets a cloud-init seed disk: a Linux guest of an image with cloud-init. */
export function hasCloudInitSeed(lab: Pick<Lab, 'images'>, vm: Pick<VmSpec, 'image'>): boolean {
  const image = vm.image === undefined ? undefined : lab.images.find((i) => i.name === vm.image);
  return image !== undefined && usesCloudInit(image);
}

/** What an image is built from: an edition of a Windows ISO, a disk size, offline updates. */
export interface ImageSource {
  iso: string;
  /** By name, or by 1-based index, as Get-WindowsImage lists them. */
  edition: string | number;
  /** Bytes of the new dynamic VHDX (default 40GB). */
  size: number;
  updates: string[];
}

export interface CredentialSpec {
  name: string;
  username: string;
  password: SecretSource;
}

export type NetworkType = 'nat' | 'internal' | 'private' | 'external';

export interface PortMappingSpec {
  protocol: 'tcp' | 'udp';
  externalPort: number;
  vm: string;
  internalPort: number;
  /** Resolved: the VM's address on this network. */
  internalAddress: string;
}

export interface NetworkSpec {
  name: string;
  type: NetworkType;
  /** Hosts the switch exists on (nat: exactly one). */
  hosts: string[];
  /** CIDR, e.g. `192.168.50.0/24`. Required for nat. */
  prefix?: string;
  /** nat: the host's address on the switch (default: first usable address). */
  gateway?: string;
  /** internal: optional host address on the switch. */
  hostAddress?: string;
  /** DNS servers for adapters on this network; default: the lab's DC(s) on this network. */
  dns: string[];
  reserve: string[];
  vlan?: number;
  portMappings: PortMappingSpec[];
  /** external only. */
  adapter?: string;
  allowManagementOS?: boolean;
}

export interface DiskSpec {
  name: string;
  path: string;
  /** Bytes. */
  size: number;
  format: 'vhdx' | 'vhds';
  type: 'dynamic' | 'fixed';
  shared: boolean;
}

export interface MemorySpec {
  /** Bytes. */
  startup: number;
  dynamic: boolean;
  minimum?: number;
  maximum?: number;
}

export type AdapterIp =
  | { kind: 'static'; address: string; prefixLength: number; auto: boolean }
  | { kind: 'dhcp' }
  /** No `ip:` given: labform does not configure addresses on this adapter. */
  | { kind: 'none' };

export interface AdapterSpec {
  network: string;
  ip: AdapterIp;
  /** Normalised `00155D010203` (upper case, no separators), or undefined for dynamic. */
  mac?: string;
  macAddressSpoofing: boolean;
  /** From the network, if any. */
  vlan?: number;
}

export type VmDiskSpec =
  /** A new data disk in the VM's folder. `path` is resolved: `<vm.path>\<vm>-data<i>.vhdx`. */
  | { kind: 'new'; size: number; path: string }
  /** A disk from `disks:`. */
  | { kind: 'disk'; disk: string };

/** The simple settings (model/vm-settings.ts) sit on the VM under their manifest keys. */
export interface VmSpec extends SimpleVmSettingsByManifestKey {
  name: string;
  /** The host the VM lives on (for a cluster VM: the pinned node, else the first node). */
  host: string;
  cluster?: string;
  computerName: string;
  image?: string;
  os: OsKind;
  generation: Generation;
  processors: number;
  memory: MemorySpec;
  credential?: string;
  /** The VM's folder: `<storagePath>\<vm name>` (cluster VMs: on the shared volume). */
  path: string;
  /** OS disk path (differencing child of the image) when `image` is set. */
  osDiskPath?: string;
  disks: VmDiskSpec[];
  network: AdapterSpec[];
  firmware: {
    secureBoot: boolean;
    secureBootTemplate?: 'MicrosoftWindows' | 'MicrosoftUEFICertificateAuthority';
  };
  tpm: boolean;
  nestedVirtualization: boolean;
  /** Bytes. */
  mmio?: { low: number; high: number };
  assignDevices: { locationPath: string }[];
  /** ISO files in DVD drives, in drive order. */
  dvd: string[];
  /**
   * The drives the VM has on its host now (set from discovery, `resolveLabFromLive`): they keep
   * their slots (src/model/drive-layout.ts). Absent before discovery and for a VM still to create.
   */
  liveDrives?: LiveDrive[];
  /** Host files and folders copied into the guest before its roles (`files:`), in manifest order. */
  files: GuestFileCopySpec[];
  roles: RoleSpec[];
  /** Pointer of this VM's entry in the original document (before count expansion). */
  pointer: string;
}

/** One `files:` entry: a host path (file or folder) and the guest path its copy becomes. */
export interface GuestFileCopySpec {
  from: string;
  to: string;
}

export type RoleSpec =
  | {
      kind: 'domainController';
      domain: string;
      netbios: string;
      safeModePassword: string;
      domainAdmin: string;
    }
  | { kind: 'domainMember'; domain: string; joinCredential: string; ou?: string }
  | {
      kind: 'hostGuardianService';
      domain: string;
      attestation: 'tpm' | 'hostKey' | 'ad';
      serviceName: string;
      join?: string;
    }
  | { kind: 'guardedHost'; hgs: string }
  | { kind: 'hyperV' }
  | { kind: 'fileServer'; shares: { name: string; path: string; fullAccess: string[] }[] }
  | {
      kind: 'dhcpServer';
      scopes: { network: string; start: string; end: string; router?: string; dnsDomain?: string }[];
    }
  | { kind: 'iscsiTarget'; disks: { name: string; size: number }[]; initiators: string[] }
  | {
      kind: 'script';
      run: string;
      test?: string;
      shell: 'powershell' | 'bash';
      credential?: string;
      reboots: boolean;
    };

export type RoleKind = RoleSpec['kind'];

export interface GuestClusterSpec {
  name: string;
  nodes: string[];
  address: string;
  witness?: { disk: string } | { share: string };
  sharedVolumes: string[];
}
