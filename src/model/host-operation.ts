/**
 * Typed operations on a Hyper-V host. Plain data: they travel in plans and journals and are
 * rendered to cmdlets by the Hyper-V provider or applied to the model by the simulator.
 * Credentials are named, never embedded: the executor resolves them at run time.
 */
import type { SimpleVmSettings } from './vm-settings.js';
import type { CloudInitSeedSummary } from './cloud-init-seed.js';

export interface VmSettings extends SimpleVmSettings {
  processors: number;
  memory: { startup: number; dynamic: boolean; minimum?: number; maximum?: number };
  firmware: { secureBoot: boolean; secureBootTemplate?: string };
  tpm: boolean;
  nestedVirtualization: boolean;
  mmio: { low: number; high: number };
  notes: string;
}

export type HostOperation =
  | {
      op: 'createSwitch';
      name: string;
      type: 'internal' | 'private' | 'external';
      notes: string;
      adapter?: string;
      allowManagementOS?: boolean;
    }
  | { op: 'removeSwitch'; name: string }
  /**
   * Rename-VMSwitch: the switch keeps its identity (VM adapters stay connected to it); the host's
   * virtual adapter `vEthernet (<name>)` becomes `vEthernet (<newName>)` with its addresses.
   */
  | { op: 'renameSwitch'; name: string; newName: string }
  /** An address on the host's virtual adapter `vEthernet (<switch>)`. */
  | { op: 'setHostAddress'; switchName: string; address: string; prefixLength: number }
  | { op: 'removeHostAddress'; switchName: string; address: string }
  | { op: 'createNat'; name: string; internalPrefix: string }
  | { op: 'removeNat'; name: string }
  | {
      op: 'addNatMapping';
      nat: string;
      protocol: 'tcp' | 'udp';
      externalPort: number;
      internalAddress: string;
      internalPort: number;
    }
  | { op: 'removeNatMapping'; nat: string; protocol: 'tcp' | 'udp'; externalPort: number }
  /** New-VHD: differencing when parentPath is set (size then ignored). */
  | {
      op: 'createVhd';
      path: string;
      size: number;
      format: 'vhdx' | 'vhds';
      type: 'dynamic' | 'fixed' | 'differencing';
      parentPath?: string;
    }
  | { op: 'removeVhd'; path: string }
  /** Resize-VHD -SizeBytes: grows a disk in place (labform never shrinks one). */
  | { op: 'resizeVhd'; path: string; size: number }
  /** Mount the (not yet booted) OS disk, write unattend.xml, dismount. */
  | {
      op: 'injectAnswerFile';
      vhdPath: string;
      computerName: string;
      /** Credential name: its password becomes the local Administrator password. */
      credential: string;
      timeZone: string;
      /** djoin /provision blob for offline domain join, if any (from a guest operation's output). */
      offlineJoin?: { fromStep: string };
    }
  | { op: 'createVm'; name: string; generation: 1 | 2; path: string; memoryStartup: number; notes: string }
  | { op: 'configureVm'; name: string; settings: Partial<VmSettings> }
  | { op: 'startVm'; name: string }
  /** Graceful shut down, turned off after `timeoutMs` (or at once when `force`). */
  | { op: 'stopVm'; name: string; force?: boolean; timeoutMs?: number }
  | { op: 'removeVm'; name: string }
  | {
      op: 'attachDisk';
      vm: string;
      path: string;
      controllerType: 'IDE' | 'SCSI';
      controllerNumber: number;
      controllerLocation: number;
      supportPersistentReservations: boolean;
    }
  | {
      op: 'detachDisk';
      vm: string;
      controllerType: 'IDE' | 'SCSI';
      controllerNumber: number;
      controllerLocation: number;
    }
  | {
      op: 'addAdapter';
      vm: string;
      name: string;
      switchName: string;
      mac?: string;
      macAddressSpoofing: boolean;
      vlan?: number;
    }
  /**
   * `mac` identifies the adapter when it has one (names repeat in Hyper-V: New-VM's own adapter
   * and every Add-VMNetworkAdapter without -Name are all "Network Adapter"); `name` otherwise.
   */
  | {
      op: 'setAdapter';
      vm: string;
      name: string;
      mac?: string;
      switchName?: string;
      macAddressSpoofing?: boolean;
      vlan?: number | null;
    }
  | { op: 'removeAdapter'; vm: string; name: string; mac?: string }
  /** Add-VMDvdDrive (the VM off): a new drive at the slot, holding `path`; a DVD drive already there just takes the media. */
  | {
      op: 'addDvdDrive';
      vm: string;
      controllerType: 'IDE' | 'SCSI';
      controllerNumber: number;
      controllerLocation: number;
      path: string;
    }
  /** Set-VMDvdDrive: the ISO in an existing drive (null ejects); Hyper-V swaps media while the VM runs. */
  | {
      op: 'setDvdDrive';
      vm: string;
      controllerType: 'IDE' | 'SCSI';
      controllerNumber: number;
      controllerLocation: number;
      path: string | null;
    }
  /** Remove-VMDvdDrive (the VM off). */
  | {
      op: 'removeDvdDrive';
      vm: string;
      controllerType: 'IDE' | 'SCSI';
      controllerNumber: number;
      controllerLocation: number;
    }
  /** Dismount-VMHostAssignableDevice (if still mounted) then Add-VMAssignableDevice. */
  | { op: 'assignDevice'; vm: string; locationPath: string }
  /** Remove-VMAssignableDevice, then back to the host: Mount-VMHostAssignableDevice, Enable-PnpDevice. */
  | { op: 'removeDevice'; vm: string; locationPath: string }
  | { op: 'checkpointVm'; vm: string; checkpoint: string }
  | { op: 'restoreCheckpoint'; vm: string; checkpoint: string }
  | { op: 'removeCheckpoint'; vm: string; checkpoint: string }
  | { op: 'addClusterRole'; vm: string; cluster: string }
  /**
   * Builds an image from an ISO (src/model/image-build.ts): cleans what an interrupted build
   * left, refuses while a differencing disk depends on an older image at the path, then mounts
   * the ISO, applies the edition to a new VHDX, makes it bootable, adds the updates, records the
   * key next to it and marks it read-only; everything mounted is dismounted on every path.
   */
  /**
   * Install-WindowsFeature -Vhd: the features go into a Windows OS disk before its first boot
   * (`settings.featureInstall`); the disk must not be in use by a running VM.
   */
  | { op: 'installFeaturesOffline'; vm: string; vhdPath: string; features: string[] }
  /**
   * A Linux guest's cloud-init NoCloud seed (src/model/cloud-init-seed.ts), its VM off or not yet
   * using the disk: a small dynamic VHDX with one FAT32 volume labelled `cidata` holding the files,
   * written at the partial path (what an interrupted write left is removed first), renamed to
   * `path`, then its record (the instance-id and what the seed configures) beside it. No secret: the key is a public one.
   */
  | {
      op: 'writeCloudInitSeed';
      vm: string;
      path: string;
      instanceId: string;
      files: { 'meta-data': string; 'user-data': string; 'network-config': string };
      /** What the seed configures, kept in its record (cloud-init-seed.ts, CloudInitSeedSummary). */
      summary: CloudInitSeedSummary;
    }
  | {
      op: 'buildImage';
      path: string;
      generation: 1 | 2;
      iso: string;
      edition: string | number;
      size: number;
      updates: string[];
    };

export type HostOperationName = HostOperation['op'];

/** Every host operation's name, at run time (fault keys, plan checks); the compiler keeps it complete. */
const NAMES: Record<HostOperationName, true> = {
  createSwitch: true,
  removeSwitch: true,
  renameSwitch: true,
  setHostAddress: true,
  removeHostAddress: true,
  createNat: true,
  removeNat: true,
  addNatMapping: true,
  removeNatMapping: true,
  createVhd: true,
  removeVhd: true,
  injectAnswerFile: true,
  createVm: true,
  configureVm: true,
  startVm: true,
  stopVm: true,
  removeVm: true,
  attachDisk: true,
  detachDisk: true,
  addAdapter: true,
  setAdapter: true,
  removeAdapter: true,
  assignDevice: true,
  removeDevice: true,
  checkpointVm: true,
  restoreCheckpoint: true,
  removeCheckpoint: true,
  addClusterRole: true,
  addDvdDrive: true,
  setDvdDrive: true,
  removeDvdDrive: true,
  resizeVhd: true,
  buildImage: true,
  installFeaturesOffline: true,
  writeCloudInitSeed: true,
};
export const HOST_OPERATION_NAMES = Object.keys(NAMES) as HostOperationName[];
