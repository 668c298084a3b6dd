/**
 * The persisted shape of one simulated host (`<stateDir>/sim/hosts/<host>.json`) and of the
 * storage every host sees (`<stateDir>/sim/shared.json`: cluster shared volumes and SMB
 * shares). Plain JSON; timestamps are simulated milliseconds. No secret values: passwords
 * the guest model must remember are salted hashes.
 */
import type {
  LiveAssignableDevice,
  LiveHostAddress,
  LiveNat,
  LiveNatMapping,
  LivePhysicalAdapter,
  LiveSwitch,
  LiveVhd,
  LiveVm,
  LiveVmAdapter,
} from '../../model/live-state.js';
import type { IpAssignment } from '../../model/guest-operation.js';
import type { SimpleSettingKey } from '../../model/vm-settings.js';
import type { ImageEdition, ImageRecord } from '../../model/image-build.js';
import type { CloudInitSeedSummary } from '../../model/cloud-init-seed.js';

export const HOST_FORMAT = 'labform-sim-host/1';
export const SHARED_FORMAT = 'labform-sim-shared/1';

export interface PasswordHash {
  salt: string;
  hash: string;
}

/** A VHD file as discovery reports it; `attached` is worked out from the VMs at discovery. */
export interface SimVhd extends Omit<LiveVhd, 'attached'> {
  /** A golden image present from the start, or built from an ISO (never modified). */
  image?: { os: 'windows' | 'linux'; generation: 1 | 2 };
  /** What labform built it from (`<image>.labform.json` on a real host: src/model/image-build.ts). */
  record?: ImageRecord;
  /** The file's read-only attribute (a built image's, as Convert-WindowsImage users set it by hand). */
  readOnly?: boolean;
  /** Windows features installed into the disk before its first boot (Install-WindowsFeature -Vhd). */
  offlineFeatures?: string[];
  /** A cloud-init NoCloud seed disk (FAT32 volume `cidata`): the files on it, and its record (instance-id, summary). */
  cloudInit?: {
    instanceId: string;
    files: { 'meta-data': string; 'user-data': string; 'network-config': string };
    /** Absent in a state written before records held it. */
    summary?: CloudInitSeedSummary;
  };
  /** unattend.xml written into it (Windows OS disks before first boot). */
  answerFile?: {
    computerName: string;
    adminUser: string;
    adminPassword: PasswordHash;
    timeZone: string;
    offlineJoin?: string;
  };
}

/** A file on the host that is not a VHD (an ISO, installation media); bytes. */
export interface SimFile {
  path: string;
  size: number;
  /** SHA-256 of its content (hex); absent: derived from path and size (host-files.ts). */
  sha256?: string;
  /** LastWriteTimeUtc as Get-Item's `.ToString('o')` gives it; absent: a fixed date (simulatedFileModified). */
  modified?: string;
  /** A Windows installation ISO: the editions of its sources\install.wim, as Get-WindowsImage lists them. */
  editions?: ImageEdition[];
}

/** A VM network adapter; the guest's addresses live in the guest model, not on the adapter. */
export type SimAdapter = Omit<LiveVmAdapter, 'addresses'>;

/** A (re)boot of the guest: when it began and what kind it is (decides how long it takes). */
export interface BootEvent {
  at: number;
  kind: 'first' | 'cold' | 'reboot' | 'resume';
  /** This boot follows a promotion (forest, DC, HGS): AD takes longer to answer. */
  promotion?: boolean;
}

export interface SimGuestNetwork {
  dhcp: boolean;
  addresses: IpAssignment[];
  gateway?: string;
  dns: string[];
}

export interface SimDc {
  domain: string;
  netbios: string;
  forestRoot: boolean;
  /** The domain Administrator's password (salted hash); forest roots and HGS own it. */
  admin: { user: string; password: PasswordHash };
  /**
   * Computer objects placed in an OU (upper-case computer name -> the OU's distinguished name,
   * by Add-Computer -OUPath, djoin /machineou or Move-ADObject); the others are in the domain's
   * default Computers container. Absent in older state files.
   */
  computerOus?: Record<string, string>;
}

export interface SimGuest {
  os: 'windows' | 'linux';
  /** False when no answer file was written: Windows waits at the out-of-box screens. */
  provisioned: boolean;
  computerName: string;
  localAdmin: { user: string; password: PasswordHash } | null;
  networks: Record<string, SimGuestNetwork>;
  features: string[];
  /** Joined domain (FQDN), also set on domain controllers. */
  domain: string | null;
  dc: SimDc | null;
  hgs: {
    domain: string;
    initialized: boolean;
    serviceName?: string;
    attestation?: 'tpm' | 'hostKey' | 'ad';
  } | null;
  dnsForwarders: { domain: string; masterServers: string[] }[];
  groups: { name: string; members: string[] }[];
  trusts: string[];
  attestation: {
    hostGroups: { name: string; groupName: string; fabricDomain: string }[];
    tpmHosts: string[];
    hostKeys: string[];
  };
  hgsClient: { attestationServerUrl: string; keyProtectionServerUrl: string } | null;
  /**
   * SMB shares and their allow entries: `fullAccess` the accounts with Full, `readAccess` those
   * with Read (New-SmbShare gives Everyone Read when no access is named; absent in states written
   * before it was kept: none).
   */
  shares: { name: string; path: string; fullAccess: string[]; readAccess?: string[] }[];
  dhcpScopes: {
    name: string;
    start: string;
    end: string;
    prefixLength: number;
    router?: string;
    dnsServers: string[];
    dnsDomain?: string;
  }[];
  dhcpAuthorized: { dnsName: string; address: string } | null;
  iscsiTargets: {
    targetName: string;
    disks: { name: string; size: number }[];
    initiatorAddresses: string[];
  }[];
  cluster: { name: string; nodes: string[]; address: string; sharedVolumes: string[] } | null;
  scripts: string[];
  /** The role records labform keeps in the guest (address -> JSON text); absent in older state files. */
  roleRecords?: Record<string, string>;
  /** Files copied in or written by commands (`labform cp`, `labform exec`); absent in older state files. */
  files?: SimGuestFile[];
  /** Folders made by commands (`mkdir`), besides the ones every guest has (guest-files.ts). */
  folders?: string[];
  /**
   * Linux guests configured from a cloud-init seed: the instance-id cloud-init last applied, and the
   * public keys each user accepts (user name -> keys; `default` for the image's own user).
   */
  cloudInit?: { instanceId: string; authorizedKeys: Record<string, string[]> };
}

/** A file inside a simulated guest: its content (base64), so it can be copied out again. */
export interface SimGuestFile {
  path: string;
  size: number;
  /** Base64; empty for media copied from the host (`files:`), which keep only size and hash. */
  content: string;
  /** SHA-256 (hex) of media copied from the host; absent for files with content. */
  sha256?: string;
  writtenAt: number;
}

export interface SimCheckpoint {
  name: string;
  createdAt: number;
  /** VM settings and guest as they were (JSON copies). */
  vm: Omit<SimVm, 'checkpoints' | 'power'>;
  wasRunning: boolean;
}

/** The VM settings the simulator keeps exactly as discovery reports them. */
type SimVmSettings = Pick<
  LiveVm,
  | 'name'
  | 'id'
  | 'notes'
  | 'generation'
  | 'path'
  | 'processors'
  | 'memory'
  | 'tpm'
  | 'nestedVirtualization'
  | 'mmio'
  | SimpleSettingKey
  | 'disks'
  | 'dvdDrives'
  | 'assignedDevices'
  | 'clustered'
>;

export interface SimVm extends SimVmSettings {
  /** Kept for generation 1 too (discovery reports null there). */
  firmware: { secureBoot: boolean; secureBootTemplate: string | null };
  checkpoints: SimCheckpoint[];
  adapters: SimAdapter[];
  power: { state: 'Off' | 'Running' | 'Saved'; since: number; boots: BootEvent[] };
  /** The guest OS, from the first boot of a disk descending from an image; null = nothing to boot yet. */
  guest: SimGuest | null;
}

export type SimDevice = LiveAssignableDevice;

export interface SimHost {
  format: typeof HOST_FORMAT;
  host: string;
  computerName: string;
  /** Counter for ids and dynamic MACs. */
  seq: number;
  totalMemory: number;
  /** Get-VMHost LogicalProcessorCount (absent in hosts saved before it was simulated: 16, DEFAULT_HOST). */
  logicalProcessors?: number;
  /** Free memory with no VM running. */
  baseFreeMemory: number;
  /** Get-VMHost VirtualHardDiskPath (absent in hosts saved before it was simulated: the Hyper-V default). */
  virtualHardDiskPath?: string;
  hostAddresses: LiveHostAddress[];
  /** Physical network adapters (Get-NetAdapter -Physical); absent in hosts saved before they were simulated. */
  netAdapters?: LivePhysicalAdapter[];
  switches: LiveSwitch[];
  nats: LiveNat[];
  natMappings: LiveNatMapping[];
  vhds: SimVhd[];
  /** Other files (installation media); absent in hosts written before labform knew them. */
  files?: SimFile[];
  devices: SimDevice[];
  vms: SimVm[];
  cluster: { name: string; nodes: string[]; sharedVolumes: string[] } | null;
  /**
   * The SSH public key of the account labform runs as (`%USERPROFILE%\.ssh\id_ed25519.pub`); null:
   * the account has none. Absent: a key derived from the host name (host/host-ssh-key.ts).
   */
  sshPublicKey?: string | null;
  /** Labs that touched this host. */
  labs?: string[];
  /**
   * What the simulator has put on this host because a manifest named it (host/fresh-host.ts,
   * `provisionKey`): given once, so what a lab or a test removes later stays removed.
   */
  provided?: string[];
  /** Simulated time of the last change written to this host: restores the clock when `shared.json` is lost. */
  simTime?: number;
}

export interface SimShared {
  format: typeof SHARED_FORMAT;
  /** Files on cluster shared volumes and SMB shares. */
  vhds: SimVhd[];
  /** The highest simulated time any process has seen: keeps time monotonic across processes. */
  simTime: number;
}

/** A simulator document that is not one: the store names its file and how to recover. */
export class CorruptSimDocumentError extends Error {
  override readonly name = 'CorruptSimDocumentError';
}

function fail(what: string): never {
  throw new CorruptSimDocumentError(what);
}

/** JSON.parse, a syntax error (an empty or truncated file) being a corrupt document. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(text.trim() === '' ? 'the file is empty' : `not JSON (${(error as Error).message})`);
  }
}

/** Parse and check a host file; throws on anything that is not a complete host state. */
export function parseHost(text: string): SimHost {
  const value = parseJson(text) as SimHost;
  if (!value || typeof value !== 'object' || value.format !== HOST_FORMAT) fail('not a simulated host file');
  if (typeof value.host !== 'string' || typeof value.seq !== 'number') fail('host header');
  for (const key of ['hostAddresses', 'switches', 'nats', 'natMappings', 'vhds', 'devices', 'vms'] as const) {
    if (!Array.isArray(value[key])) fail(`${key} is not a list`);
  }
  for (const vm of value.vms) {
    if (
      typeof vm.name !== 'string' ||
      !vm.power ||
      !Array.isArray(vm.power.boots) ||
      !Array.isArray(vm.disks) ||
      !Array.isArray(vm.adapters)
    ) {
      fail(`VM ${String(vm.name)}`);
    }
  }
  return value;
}

export function parseShared(text: string): SimShared {
  const value = parseJson(text) as SimShared;
  if (
    !value ||
    value.format !== SHARED_FORMAT ||
    !Array.isArray(value.vhds) ||
    !Number.isFinite(value.simTime)
  )
    fail('not a simulator shared storage file');
  return value;
}

export function emptyShared(): SimShared {
  return { format: SHARED_FORMAT, vhds: [], simTime: 0 };
}
