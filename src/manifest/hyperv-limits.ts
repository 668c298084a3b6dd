/**
 * The values Hyper-V accepts, in one place: the manifest rules (src/manifest/rules/value-limits.ts)
 * refuse them at validate, and the simulator refuses the same values with Hyper-V's errors, from
 * these same functions. Each limit names its source.
 */
import { formatSize } from './units.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

/**
 * Per-VM maximums, "Plan for Hyper-V scalability in Windows Server 2016 and Windows Server 2019"
 * (learn.microsoft.com/windows-server/virtualization/hyper-v/plan/plan-hyper-v-scalability-in-windows-server):
 * memory 12 TB for generation 2 and 1 TB for generation 1; virtual processors 240 for
 * generation 2 and 64 for generation 1; virtual hard disk capacity 64 TB for VHDX and 2040 GB for VHD.
 */
export const MAX_MEMORY: Readonly<Record<1 | 2, number>> = { 1: 1 * TiB, 2: 12 * TiB };
export const MAX_PROCESSORS: Readonly<Record<1 | 2, number>> = { 1: 64, 2: 240 };
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
/**
 * Memory is assigned in 2 MB steps, at least 32 MB: libvirt's Hyper-V driver (src/hyperv/hyperv_driver.c,
 * "Memory value must be a multiple of 2 MB", rounding before Msvm_VirtualSystemManagementService)
 * and eryph's catlet validation (at least 32 MB, a multiple of 2 MB, at most 12 TB), both run on real hosts.
 */
export const MEMORY_STEP = 2 * MiB;
export const MIN_MEMORY = 32 * MiB;

/** Why Hyper-V refuses `bytes` of memory (startup, minimum or maximum) on a VM of `generation`, or undefined. */
export function memoryProblem(bytes: number, generation: 1 | 2): string | undefined {
  if (bytes > MAX_MEMORY[generation])
    return `${formatSize(bytes)} is above the ${formatSize(MAX_MEMORY[generation])} Hyper-V allows a generation ${generation} VM`;
  if (!Number.isSafeInteger(bytes)) return `${bytes} bytes is not a whole number of bytes Hyper-V can take`;
  if (bytes < MIN_MEMORY) return `${formatSize(bytes)} is below Hyper-V's 32MB minimum`;
  if (bytes % MEMORY_STEP !== 0) return `${bytes} bytes is not a multiple of 2MB`;
  return undefined;
}

/** Why Hyper-V refuses `count` virtual processors on a VM of `generation`, or undefined. */
export function processorsProblem(count: number, generation: 1 | 2): string | undefined {
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
