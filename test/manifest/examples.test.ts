import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/manifest/load-lab.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
const valid = readdirSync(path.join(root, 'test/fixtures/manifest/valid')).filter((f) => f.endsWith('.yaml'));

describe('valid manifests', () => {
  it('includes the examples', () => expect(examples.length).toBeGreaterThan(0));
  it.each([
    ...examples.map((f) => `examples/${f}`),
    ...valid.map((f) => `test/fixtures/manifest/valid/${f}`),
  ])('%s validates with no errors', async (file) => {
    const { lab, diagnostics } = await loadLab({ file: path.join(root, file) });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lab).toBeDefined();
  });
});
