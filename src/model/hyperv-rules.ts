/**
 * Rules Hyper-V and Windows enforce, as pure predicates: the manifest rules, the plan-time
 * rules and the simulator all call these, so a manifest that validates is one the simulator
 * (and Hyper-V) accepts.
 */

const MiB = 1024 ** 2;

/** Hyper-V sizes VM memory in 2 MB steps (Set-VMMemory: "a multiple of 2 MB"). */
export const MEMORY_STEP_BYTES = 2 * MiB;
/** The least startup memory Hyper-V takes (Set-VMMemory: "at least 32 MB"). */
export const MEMORY_MIN_BYTES = 32 * MiB;
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
