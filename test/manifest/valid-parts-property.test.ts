/**
 * Leaving out the entries a schema error is in never invents an error elsewhere: in every
 * example and valid fixture (which validate clean), one entry at a time is broken (a key the
 * format does not have), and every error reported must be about that entry.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadLabFromText } from '../../src/manifest/load-lab.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const files = [
  ...readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `examples/${f}`),
  ...readdirSync(path.join(root, 'test/fixtures/manifest/valid'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `test/fixtures/manifest/valid/${f}`),
];
const SECTIONS = ['hosts', 'clusters', 'images', 'credentials', 'networks', 'disks', 'vms', 'guestClusters'];

describe('one broken entry: every error is about that entry', () => {
  it.each(files)('%s', (file) => {
    const full = path.join(root, file);
    const doc = parse(readFileSync(full, 'utf8')) as Record<string, unknown>;
    let broken = 0;
    for (const section of SECTIONS) {
      const list = doc[section];
      if (!Array.isArray(list)) continue;
      list.forEach((_, i) => {
        const copy = structuredClone(doc);
        (copy[section] as Record<string, unknown>[])[i]!.labformNoSuchKey = 1;
        const { lab, diagnostics } = loadLabFromText({ text: stringify(copy), file: full });
        expect(lab).toBeUndefined();
        const errors = diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => d.rule)).toContain('unknown-key');
        expect(
          errors
            .filter((d) => !d.pointer.startsWith(`/${section}/${i}`))
            .map((d) => `${d.rule} ${d.pointer}: ${d.message}`),
          `${section}[${i}] broken`,
        ).toEqual([]);
        broken++;
      });
    }
    expect(broken).toBeGreaterThan(0);
  });
});
