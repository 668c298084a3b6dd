/** Sizes and durations as the manifest writes them, normalised to bytes and milliseconds. */

const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `2GB` -> 2147483648 (binary multiples, as PowerShell reads them); an integer is bytes. */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^([0-9]+(?:\.[0-9]+)?)(B|KB|MB|GB|TB)$/.exec(value);
  if (!match) throw new RangeError(`not a size: ${value}`);
  return Math.round(Number(match[1]) * SIZE_UNITS[match[2]!]!);
}

/** `90s` -> 90000, `10m` -> 600000. */
export function parseDuration(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(s|m|h)$/.exec(value);
  if (!match) throw new RangeError(`not a duration: ${value}`);
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!);
}

/** 2147483648 -> `2GB`, 3000 * 2**20 -> `3000MB`: the largest unit that divides evenly. */
export function formatSize(bytes: number): string {
  for (const unit of ['TB', 'GB', 'MB', 'KB']) {
    const factor = SIZE_UNITS[unit]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}B`;
}

/**
 * A size a host reports (free memory: any number of bytes) in the manifest's notation: exact
 * when a unit divides it (`formatSize`), else in the largest unit it reaches with one decimal,
 * rounded down so that it never claims more than there is: `3.2GB`, `900.5MB`.
 */
export function formatSizeAbout(bytes: number): string {
  const exact = formatSize(bytes);
  if (/^[0-9]+(MB|GB|TB)$/.test(exact) || bytes < SIZE_UNITS.KB!) return exact;
  for (const unit of ['TB', 'GB', 'MB', 'KB']) {
    const factor = SIZE_UNITS[unit]!;
    if (bytes >= factor) return `${Math.floor((bytes / factor) * 10) / 10}${unit}`;
  }
  return `${bytes}B`;
}
