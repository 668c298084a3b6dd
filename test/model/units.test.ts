import { describe, expect, it } from 'vitest';
import { formatSize, formatSizeAbout, parseSize } from '../../src/model/units.js';

const MB = 1024 ** 2;
const GB = 1024 ** 3;

describe('sizes as the manifest writes them', () => {
  it('formatSize: the largest unit that divides evenly', () => {
    expect(formatSize(2 * GB)).toBe('2GB');
    expect(formatSize(3000 * MB)).toBe('3000MB');
  });

  it('formatSizeAbout: exact when a unit divides it, else one decimal rounded down, and it reads back', () => {
    expect(formatSizeAbout(3 * GB)).toBe('3GB');
    expect(formatSizeAbout(1536 * MB)).toBe('1536MB');
    expect(formatSizeAbout(3.27 * GB)).toBe('3.2GB');
    expect(formatSizeAbout(900.56 * MB)).toBe('900.5MB');
    expect(formatSizeAbout(1023 * 1024 + 7)).toBe('1023KB');
    expect(formatSizeAbout(512)).toBe('512B');
    // A host's FreePhysicalMemory is in KB: whole KB, yet shown in GB.
    expect(formatSizeAbout(3_428_800 * 1024)).toBe('3.2GB');
    // Never more than there is.
    for (const bytes of [3.27 * GB, 61.99 * GB, 900.56 * MB])
      expect(parseSize(formatSizeAbout(Math.round(bytes)))).toBeLessThanOrEqual(bytes);
  });
});
