/**
 * Rules Hyper-V and Windows enforce, as pure predicates, in one place: the manifest rules, the
 * plan-time rules and the simulator all call these, so a manifest that validates is one the
 * simulator (and Hyper-V) accepts. Each limit names its source.
 */
import { formatSize } from './units.js';
import { intToIp, parsePrefix, prefixesOverlap, usableRange } from './ipv4.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

/** A VM's generation: 1 (BIOS, IDE boot) or 2 (UEFI, SCSI only). */
export type Generation = 1 | 2;

// ---- memory, processors, disks, timeouts -------------------------------------------------

/**
 * Memory is assigned in 2 MB steps, at least 32 MB (Set-VMMemory; libvirt's Hyper-V driver,
 * src/hyperv/hyperv_driver.c, "Memory value must be a multiple of 2 MB", rounding before
 * Msvm_VirtualSystemManagementService; eryph's catlet validation: at least 32 MB, a multiple of
 * 2 MB, at most 12 TB; both run on real hosts).
 */
export const MEMORY_STEP_BYTES = 2 * MiB;
export const MEMORY_MIN_BYTES = 32 * MiB;

/**
 * Per-VM maximums, "Plan for Hyper-V scalability in Windows Server 2016 and Windows Server 2019"
 * (learn.microsoft.com/windows-server/virtualization/hyper-v/plan/plan-hyper-v-scalability-in-windows-server):
 * memory 12 TB for generation 2 and 1 TB for generation 1; virtual processors 240 for
 * generation 2 and 64 for generation 1; virtual hard disk capacity 64 TB for VHDX and 2040 GB for VHD.
 */
export const MAX_MEMORY: Readonly<Record<Generation, number>> = { 1: 1 * TiB, 2: 12 * TiB };
export const MAX_PROCESSORS: Readonly<Record<Generation, number>> = { 1: 64, 2: 240 };
/** VHDX: also [MS-VHDX] 2.6.2.2 ("MUST be at most 64 TB"); a VHD Set (.vhds) holds a VHDX. */
export const MAX_DISK_SIZE: Readonly<Record<'vhdx' | 'vhds' | 'vhd', number>> = {
  vhdx: 64 * TiB,
  vhds: 64 * TiB,
  vhd: 2040 * GiB,
};
/**
 * [MS-VHDX] 2.6.2.2: the virtual disk size "MUST be a multiple of the LogicalSectorSize"; New-VHD's
 * default logical sector size is 512 bytes (New-VHD -LogicalSectorSizeBytes: 512 or 4096), and a
 * VHD's sectors are 512 bytes (VHD format specification).
 */
export const DISK_SIZE_STEP = 512;
/** The smallest virtual disk: 3 MB (VHD format specification, "all virtual disk types have a minimum size of 3 MB"). */
export const MIN_DISK_SIZE = 3 * MiB;

/** Why Hyper-V refuses `bytes` of memory (startup, minimum or maximum) on a VM of `generation`, or undefined. */
export function memoryProblem(bytes: number, generation: Generation): string | undefined {
  if (bytes > MAX_MEMORY[generation])
    return `${formatSize(bytes)} is above the ${formatSize(MAX_MEMORY[generation])} Hyper-V allows a generation ${generation} VM`;
  if (!Number.isSafeInteger(bytes)) return `${bytes} bytes is not a whole number of bytes Hyper-V can take`;
  if (bytes < MEMORY_MIN_BYTES) return `${formatSize(bytes)} is below Hyper-V's 32MB minimum`;
  if (bytes % MEMORY_STEP_BYTES !== 0) return `${formatSize(bytes)} is not a multiple of 2MB`;
  return undefined;
}

/**
 * Why a host with `logical` logical processors (Get-VMHost LogicalProcessorCount) refuses a VM
 * with `count` virtual processors, or undefined: a VM has at most as many virtual processors as
 * its host has logical ones (Hyper-V Manager offers no more; Microsoft's LISAv2 Hyper-V tests
 * refuse a VCPU count above the host's NumberOfLogicalProcessors, microsoft/LISAv2). The plan
 * checks it (plan-time-rules.ts, `host-processors`) and the simulator refuses it as
 * Set-VMProcessor does any count it cannot take.
 */
export function hostProcessorsProblem(count: number, logical: number | undefined): string | undefined {
  if (!logical || count <= logical) return undefined;
  return `${count} virtual processors are more than the ${logical} logical processors of the host`;
}

/** Why Hyper-V refuses `count` virtual processors on a VM of `generation`, or undefined. */
export function processorsProblem(count: number, generation: Generation): string | undefined {
  if (!Number.isSafeInteger(count) || count < 1) return `${count} is not a processor count`;
  if (count > MAX_PROCESSORS[generation])
    return `a generation ${generation} VM takes at most ${MAX_PROCESSORS[generation]} processors, not ${count}`;
  return undefined;
}

/** Why New-VHD refuses a disk of `bytes` in `format`, or undefined. */
export function diskSizeProblem(bytes: number, format: 'vhdx' | 'vhds' | 'vhd'): string | undefined {
  if (bytes > MAX_DISK_SIZE[format])
    return `${formatSize(bytes)} is above the ${formatSize(MAX_DISK_SIZE[format])} a ${format.toUpperCase()} can hold`;
  if (!Number.isSafeInteger(bytes)) return `${bytes} bytes is not a whole number of bytes`;
  if (bytes < MIN_DISK_SIZE)
    return `${bytes === 0 ? '0 bytes' : formatSize(bytes)} is below the 3MB smallest virtual disk`;
  if (bytes % DISK_SIZE_STEP !== 0) return `${bytes} bytes is not a multiple of the 512-byte sector`;
  return undefined;
}

/**
 * Timeouts: above zero, and at most 500 hours: the executor's timers are JavaScript timers, which
 * hold at most 2^31-1 ms (about 596 hours) and fire at once beyond it (Node.js setTimeout docs).
 */
export const MAX_DURATION_MS = 500 * 3_600_000;

export function durationProblem(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms <= 0) return 'a timeout must be longer than zero';
  if (ms > MAX_DURATION_MS) return 'a timeout may be at most 500h';
  return undefined;
}

/** Low memory-mapped I/O space lives below 4 GB: Set-VM takes at most 3.5 GB (Deploying graphics devices using DDA). */
export const MMIO_LOW_MAX_BYTES = 3584 * MiB;

export function memoryAligned(bytes: number): boolean {
  return bytes % MEMORY_STEP_BYTES === 0;
}

/** A memory amount New-VM / Set-VMMemory accept. */
export function validMemoryAmount(bytes: number): boolean {
  return bytes >= MEMORY_MIN_BYTES && memoryAligned(bytes);
}

export function validMmioLow(bytes: number): boolean {
  return bytes >= 0 && bytes <= MMIO_LOW_MAX_BYTES;
}

/**
 * A Windows computer name that is a valid NetBIOS name: 1-15 letters, digits and hyphens,
 * not all digits (Rename-Computer refuses others).
 */
export function validNetbiosComputerName(name: string): boolean {
  return /^[A-Za-z0-9-]{1,15}$/.test(name) && !/^[0-9]+$/.test(name);
}

/** What dcpromo proposes as a domain's NetBIOS name: its first label, upper case, cut to 15 characters. */
export function defaultNetbiosName(domain: string): string {
  return domain.split('.')[0]!.toUpperCase().slice(0, 15);
}

const slashes = (p: string) => p.replace(/\//g, '\\');

/** `\\server\share\...`: an SMB 3 share. */
export function isSmbPath(p: string): boolean {
  return /^\\\\[^\\]+\\[^\\]+/.test(slashes(p));
}

/**
 * On a cluster shared volume: `C:\ClusterStorage\<volume>\...`. Failover Clustering links every
 * CSV under ClusterStorage on the system drive (SharedVolumesRoot, "the system root drive must be
 * identical for all cluster nodes"; ClusterGetVolumePathName's examples), so another drive letter
 * is an ordinary local folder.
 */
export function isCsvPath(p: string): boolean {
  return /^c:\\clusterstorage\\[^\\]+/i.test(slashes(p));
}

/** Files every host sees (cluster shared volumes, SMB shares). */
export function isSharedStoragePath(p: string): boolean {
  return isSmbPath(p) || isCsvPath(p);
}

/** Where a shared VHDX (persistent reservations) may live: a CSV or an SMB share (Create-VHDSet-file). */
export const sharedDiskLocationOk = isSharedStoragePath;

// ---- generations --------------------------------------------------------------------------

/**
 * What only a generation 2 VM has: UEFI firmware with secure boot (and its template) and a
 * virtual TPM ("Should I create a generation 1 or 2 virtual machine in Hyper-V?",
 * learn.microsoft.com/windows-server/virtualization/hyper-v/plan/should-i-create-a-generation-1-or-2-virtual-machine-in-hyper-v:
 * secure boot and the virtual TPM are generation 2 features; Set-VMFirmware and Enable-VMTPM
 * take generation 2 VMs only), and adding or removing network adapters while the VM runs
 * (hot add/remove of network adapters is for generation 2 VMs, Windows Server 2016 "What's new
 * in Hyper-V"). Discrete device assignment is NOT among them: it "is supported for Generation 1
 * or 2 VMs" ("Plan for deploying devices by using Discrete Device Assignment").
 */
export const GENERATION_FEATURES = {
  secureBoot: { label: 'secure boot', since: 2 },
  tpm: { label: 'a virtual TPM', since: 2 },
  adapterHotPlug: { label: 'adding or removing network adapters while the VM runs', since: 2 },
} as const satisfies Record<string, { label: string; since: Generation }>;
export type GenerationFeature = keyof typeof GENERATION_FEATURES;

/** Whether a VM of `generation` has `feature`. */
export function generationAllows(generation: Generation, feature: GenerationFeature): boolean {
  return generation >= GENERATION_FEATURES[feature].since;
}

/**
 * Why a VM of `generation` cannot take a drive of `kind` on a `controller`, or undefined, in
 * Hyper-V's words: generation 2 VMs have no IDE controller; generation 1 VMs read DVDs from IDE
 * only (same page; Add-VMDvdDrive). Hard disks go on IDE or SCSI on generation 1.
 */
export function driveControllerProblem(
  generation: Generation,
  kind: 'hardDisk' | 'dvd',
  controller: 'IDE' | 'SCSI',
): string | undefined {
  if (controller === 'IDE' && generation === 2)
    return 'Generation 2 virtual machines do not support IDE controllers.';
  if (kind === 'dvd' && controller === 'SCSI' && generation === 1)
    return 'Generation 1 virtual machines support DVD drives on IDE controllers only.';
  return undefined;
}

// ---- WinNAT ---------------------------------------------------------------------------------

/**
 * WinNAT holds one internal prefix per host: a second New-NetNat fails with "The parameter is
 * incorrect" (Microsoft Learn, Hyper-V on Windows, "Set up a NAT network"; Windows NAT (WinNAT):
 * capabilities and limitations, Virtualization blog).
 */
export const WINNAT_NATS_PER_HOST = 1;

/** Whether a host that already holds `existingNats` NetNat objects takes one more. */
export function winNatHasRoom(existingNats: number): boolean {
  return existingNats < WINNAT_NATS_PER_HOST;
}

/**
 * Whether an address the host already has stops New-NetNat from taking `prefix`: a host subnet
 * overlapping the prefix belongs only on an internal switch's virtual NIC, where the NAT's gateway
 * lives ("Set up a NAT network": New-NetIPAddress on the internal switch's vEthernet, then
 * New-NetNat over the same prefix); anywhere else the host would route the prefix twice. The
 * fake Hyper-V module (test/fake-hyperv/host/network.ps1, New-NetNat) refuses the same.
 */
export function hostAddressBlocksNatPrefix(
  prefix: string,
  hostAddress: { address: string; prefixLength: number; onInternalSwitch: boolean },
): boolean {
  if (hostAddress.onInternalSwitch) return false;
  try {
    const subnet = parsePrefix(`${hostAddress.address}/${hostAddress.prefixLength}`);
    return prefixesOverlap(parsePrefix(prefix), subnet);
  } catch {
    return false; // an IPv6 address or a prefix WinNAT would refuse anyway
  }
}

/** Whether a NAT prefix and another prefix routed on the same host overlap (WinNAT routes the whole prefix). */
export function natPrefixesOverlap(natPrefix: string, other: string): boolean {
  return prefixesOverlap(parsePrefix(natPrefix), parsePrefix(other));
}

/**
 * The host's address on a NAT network, its guests' default gateway: the one written, else the
 * first usable address of the prefix (labform's convention, as in "Set up a NAT network":
 * 192.168.0.0/24 gets 192.168.0.1).
 */
export function natGatewayAddress(network: { prefix: string; gateway?: string | undefined }): string {
  return network.gateway ?? intToIp(usableRange(parsePrefix(network.prefix))[0]);
}
