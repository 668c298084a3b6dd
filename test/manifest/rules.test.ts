import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLabFromText } from '../../src/manifest/load-lab.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/manifest/rules');

/** Each fixture marks the offending line with `# <- rule-id`; the rule must be reported at that line. */
function expectations(text: string): { rule: string; line: number }[] {
  return text
    .split('\n')
    .flatMap((line, i) =>
      [...line.matchAll(/# <- ([a-z0-9-]+)/g)].map((m) => ({ rule: m[1]!, line: i + 1 })),
    );
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('rule fixtures', () => {
  it('has a fixture for every rule docs/contract.md names', () => {
    const covered = new Set(
      fixtures.flatMap((f) => expectations(readFileSync(path.join(dir, f), 'utf8')).map((e) => e.rule)),
    );
    const specRules = [
      'reference-unknown',
      'name-duplicate',
      'nat-single-per-host',
      'prefix-overlap',
      'address-outside-prefix',
      'address-network-or-broadcast',
      'address-reserved',
      'address-duplicate',
      'port-mapping-duplicate',
      'port-mapping-no-address',
      'shared-disk-format',
      'shared-disk-location',
      'shared-disk-users',
      'generation-secure-boot',
      'generation-tpm',
      'image-generation',
      'nested-dynamic-memory',
      'memory-dynamic-range',
      'memory-alignment',
      'mmio-low-limit',
      'netbios-name',
      'literal-password',
      'domain-no-controller',
      'netbios-duplicate',
      'hgs-domain-conflict',
      'guarded-host-no-hgs',
      'dhcp-no-server',
      'linux-role',
      'no-image-guest-config',
      'role-cycle',
      'count-placeholder',
      'cluster-node',
      'credential-missing',
      'hyperv-role-nested',
    ];
    expect(specRules.filter((r) => !covered.has(r))).toEqual([]);
  });

  it.each(fixtures)('%s', (name) => {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const expected = expectations(text);
    expect(expected.length).toBeGreaterThan(0);
    const { lab, diagnostics } = loadLabFromText({ text, file: name });
    for (const e of expected) {
      const found = diagnostics.filter((d) => d.rule === e.rule);
      expect(
        found.map((d) => d.line),
        `${e.rule} at line ${e.line}; got ${JSON.stringify(diagnostics.map((d) => `${d.line}:${d.rule}: ${d.message}`))}`,
      ).toContain(e.line);
      for (const d of found) {
        expect(d.file).toBe(name);
        expect(d.message.length).toBeGreaterThan(10);
        expect(d.pointer.startsWith('/')).toBe(true);
      }
    }
    const onlyWarnings = expected.every(
      (e) => diagnostics.find((d) => d.rule === e.rule)?.severity === 'warning',
    );
    if (onlyWarnings) expect(lab).toBeDefined();
    else expect(lab).toBeUndefined();
  });
});

describe('rule catalog', () => {
  it('documents every rule id the pipeline emits', async () => {
    const { RULE_CATALOG } = await import('../../src/manifest/rules/catalog.js');
    const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/manifest');
    const emitted = new Set<string>();
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name !== 'catalog.ts')
          for (const m of readFileSync(full, 'utf8').matchAll(/rule: '([a-z0-9-]+)'/g)) emitted.add(m[1]!);
      }
    };
    walk(src);
    expect([...emitted].filter((r) => !(r in RULE_CATALOG))).toEqual([]);
  });
});
