import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadLab } from '../../src/manifest/load-lab.js';
import { RULE_CATALOG } from '../../src/manifest/rules/catalog.js';
import { planTimeRules } from '../../src/diff/plan-time-rules.js';
import type { HostState } from '../../src/model/live-state.js';
import { emptyHost } from '../support/lab-builder.js';
import { tempDir } from '../support/cli-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '../fixtures/manifest/rules');
/** Manifests that validate, each with `<name>.live.json`: host states its plan-time rule fires on. */
const planTimeDir = path.join(here, '../fixtures/manifest/plan-time');

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
const planTimeFixtures = readdirSync(planTimeDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/**
 * The rules about the file itself rather than its text, with the file each is read from: written
 * by the test (a directory, 5 MB, UTF-16, NUL bytes), since no checked-in YAML can be them.
 */
const FILE_FIXTURES: Record<string, { name: string; write: (file: string) => Promise<void> }[]> = {
  'file-unreadable': [{ name: 'a directory', write: (file) => mkdir(file) }],
  'file-too-large': [
    { name: 'over 5 MB', write: (file) => writeFile(file, `# ${'x'.repeat(5 * 1024 * 1024)}\n`) },
  ],
  'file-encoding': [
    {
      name: 'UTF-16',
      write: (file) =>
        writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name: x', 'utf16le')])),
    },
    { name: 'NUL bytes', write: (file) => writeFile(file, Buffer.from('name: x\n\0\0\0')) },
  ],
};

/** Rules no manifest can provoke, and the test that provokes them another way. */
const PROVOKED_ELSEWHERE: Record<string, string> = {
  'internal-error': 'test/manifest/internal-error.test.ts',
};

const markedRules = (folder: string, files: string[]) =>
  files.flatMap((f) => expectations(readFileSync(path.join(folder, f), 'utf8')).map((e) => e.rule));

describe('rule fixtures', () => {
  it('has a fixture for every rule in the catalogue, and a plan-time fixture for a plan-time rule', () => {
    const manifest = new Set(markedRules(dir, fixtures));
    const planTime = new Set(markedRules(planTimeDir, planTimeFixtures));
    const missing = Object.entries(RULE_CATALOG).filter(([rule, entry]) =>
      entry.planTime
        ? !planTime.has(rule)
        : !manifest.has(rule) && !(rule in FILE_FIXTURES) && !(rule in PROVOKED_ELSEWHERE),
    );
    expect(missing.map(([rule]) => rule)).toEqual([]);
    // Fixtures name catalogued rules only, each where it belongs.
    expect([...manifest].filter((r) => !(r in RULE_CATALOG) || RULE_CATALOG[r]!.planTime)).toEqual([]);
    expect([...planTime].filter((r) => !RULE_CATALOG[r]?.planTime)).toEqual([]);
    for (const [rule, test] of Object.entries(PROVOKED_ELSEWHERE))
      expect(readFileSync(path.join(here, '../..', test), 'utf8')).toContain(`'${rule}'`);
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
        // A pointer into the document, or '' for the document as a whole (syntax, empty file).
        expect(d.pointer).toMatch(/^(\/.*)?$/);
      }
    }
    const onlyWarnings = expected.every(
      (e) => diagnostics.find((d) => d.rule === e.rule)?.severity === 'warning',
    );
    if (onlyWarnings) expect(lab).toBeDefined();
    else expect(lab).toBeUndefined();
  });
});

describe('whole-file rule fixtures', () => {
  const cases = Object.entries(FILE_FIXTURES).flatMap(([rule, list]) => list.map((f) => ({ rule, ...f })));
  it.each(cases)('$rule: $name', async ({ rule, write }) => {
    const file = path.join(await tempDir('labform-rule-'), 'lab.yaml');
    await write(file);
    const { lab, diagnostics } = await loadLab({ file });
    expect(lab).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({ rule, severity: 'error', line: 0, message: expect.stringMatching(/.{10}/) }),
    ]);
  });
});

describe('plan-time rule fixtures', () => {
  it.each(planTimeFixtures)('%s', (name) => {
    const text = readFileSync(path.join(planTimeDir, name), 'utf8');
    const expected = expectations(text);
    expect(expected.length).toBeGreaterThan(0);
    const { lab, diagnostics } = loadLabFromText({ text, file: name });
    // Only the live hosts can tell: the manifest itself validates.
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const hosts = JSON.parse(
      readFileSync(path.join(planTimeDir, name.replace(/\.yaml$/, '.live.json')), 'utf8'),
    ) as Record<string, Partial<HostState>>;
    const live = new Map(Object.entries(hosts).map(([host, state]) => [host, emptyHost(host, state)]));
    const found = planTimeRules({ lab: lab!, live });
    for (const e of expected) {
      const hits = found.filter((d) => d.rule === e.rule);
      expect(
        hits.map((d) => d.line),
        `${e.rule} at line ${e.line}; got ${JSON.stringify(found.map((d) => `${d.line}:${d.rule}: ${d.message}`))}`,
      ).toContain(e.line);
      for (const d of hits) {
        expect(path.basename(d.file)).toBe(name);
        expect(d.severity).toBe(RULE_CATALOG[e.rule]!.warning ? 'warning' : 'error');
        expect(d.message.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('rule catalog', () => {
  it('documents every rule id the pipeline and the plan-time rules emit', () => {
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
    for (const file of ['plan-time-rules.ts', 'host-resource-rules.ts'])
      for (const m of readFileSync(path.join(src, '../diff', file), 'utf8').matchAll(/rule: '([a-z0-9-]+)'/g))
        emitted.add(m[1]!);
    expect([...emitted].filter((r) => !(r in RULE_CATALOG))).toEqual([]);
  });
});
