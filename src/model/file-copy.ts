/**
 * `files:` copies compared: the files under a host folder (or one host file) against the files
 * under the guest path its copy becomes. Each side is a list of relative paths (`/`-separated)
 * with size and SHA-256 (Get-FileHash on Windows, sha256sum on Linux); a host file is up to date
 * when the guest has a file at the same relative path (case-insensitive on Windows) with the same
 * size and hash. Guest files the host does not have are left alone and do not count.
 *
 * The simulator compares with these functions; the Hyper-V provider's host script
 * (`Compare-LabformFileCopy`, scripts/host-guest-files.ps1) does the same comparison and uses
 * the same wording, so that a plan reads the same on both.
 */

export interface CopiedFile {
  /** Relative to the copy's root, `/`-separated; `''` when the source is a single file. */
  path: string;
  size: number;
  /** Lower-case hex SHA-256. */
  sha256: string;
}

export interface CopyComparison {
  /** Host files the guest lacks or has with another size or hash. */
  differ: CopiedFile[];
  /** Host files in all. */
  total: number;
  /** Bytes of the files that differ (what a copy moves). */
  bytes: number;
  /** Bytes of every host file. */
  totalBytes: number;
}

export function compareCopies(options: {
  os: 'windows' | 'linux';
  host: readonly CopiedFile[];
  guest: readonly CopiedFile[];
}): CopyComparison {
  const key = (p: string) => (options.os === 'windows' ? p.toLowerCase() : p);
  const guest = new Map(options.guest.map((f) => [key(f.path), f]));
  const differ = options.host.filter((f) => {
    const g = guest.get(key(f.path));
    return !g || g.size !== f.size || g.sha256.toLowerCase() !== f.sha256.toLowerCase();
  });
  const sum = (list: readonly CopiedFile[]) => list.reduce((n, f) => n + f.size, 0);
  return { differ, total: options.host.length, bytes: sum(differ), totalBytes: sum(options.host) };
}

/** `12 MB`, `3.2 GB`, `512 bytes`: binary units, one decimal below 10, as the plan prints them. */
export function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['GB', 1024 ** 3],
    ['MB', 1024 ** 2],
    ['KB', 1024],
  ];
  for (const [unit, factor] of units) {
    if (bytes < factor) continue;
    const value = bytes / factor;
    return `${value < 10 ? (Math.round(value * 10) / 10).toString() : Math.round(value).toString()} ${unit}`;
  }
  return `${bytes} bytes`;
}

const files = (n: number) => (n === 1 ? '1 file' : `${n} files`);

/** The probe's detail: what the plan shows as the copy's state before apply. */
export function copyProbeDetail(c: CopyComparison): string {
  if (c.total === 0) return 'the host source holds no files';
  if (c.differ.length === 0) return `${files(c.total)} (${formatBytes(c.totalBytes)}) up to date`;
  if (c.differ.length === c.total)
    return `${files(c.total)} (${formatBytes(c.totalBytes)}) missing or different`;
  return `${c.differ.length} of ${files(c.total)} differ (${formatBytes(c.bytes)})`;
}

/** A run's detail: what was copied. */
export function copyRunDetail(c: CopyComparison): string {
  return c.differ.length === 0
    ? `nothing to copy: ${files(c.total)} up to date`
    : `copied ${files(c.differ.length)} (${formatBytes(c.bytes)})`;
}

/** The probe's detail when the host source is missing. */
export function sourceMissingDetail(from: string): string {
  return `${from} does not exist on the host`;
}
