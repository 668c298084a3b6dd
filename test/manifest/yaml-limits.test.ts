import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_BEFORE_PARSE, nestingTooDeep } from '../../src/manifest/nesting-depth.js';
import { load, manifest } from './helpers.js';

const basic = readFileSync(new URL('../fixtures/manifest/valid/basic.yaml', import.meta.url), 'utf8');

describe('nesting is bounded before parsing', () => {
  it.each([
    ['3000 nested flow sequences', `a: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, 1],
    ['3000 compact block sequences on one line', `${'- '.repeat(3000)}x\n`, 1],
    [
      '3000 indented block sequences',
      `${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x\n`,
      MAX_NESTING_BEFORE_PARSE,
    ],
    ['3000 nested flow maps', `a: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`, 1],
  ])('%s: a clean error with its position, no stack overflow', (_name, text, line) => {
    const { lab, diagnostics } = load(text);
    expect(lab).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      rule: 'yaml-too-deep',
      file: 'lab.yaml',
      line,
    });
    expect(diagnostics[0]!.column).toBeGreaterThan(0);
    expect(diagnostics[0]!.hint).toMatch(/indentation/);
  });

  it('a real manifest, brackets in quotes and comments, and block scalars do not count', () => {
    expect(nestingTooDeep(basic)).toBeUndefined();
    const tricky = [
      `a: "${'['.repeat(300)}"`,
      `b: 'it''s ${'{'.repeat(300)}'`,
      `c: [1, 2] # ${'['.repeat(300)}`,
      'd: |',
      ...Array.from({ length: 300 }, (_, i) => `  ${' '.repeat(i)}x`),
      'e: 1',
    ].join('\n');
    expect(nestingTooDeep(tricky)).toBeUndefined();
    expect(
      nestingTooDeep(
        `x: ${'['.repeat(MAX_NESTING_BEFORE_PARSE - 2)}${']'.repeat(MAX_NESTING_BEFORE_PARSE - 2)}`,
      ),
    ).toBeUndefined();
  });
});

describe('YAML tags', () => {
  it('an unknown custom tag is an error at its position, not a string', () => {
    const { lab, diagnostics } = load(
      manifest({ vms: '  - { name: a, image: !Ref ws, credential: admin }' }),
    );
    expect(lab).toBeUndefined();
    const d = diagnostics.find((x) => x.rule === 'yaml-unknown-tag');
    expect(d).toMatchObject({ severity: 'error', message: 'Unresolved tag: !Ref' });
    expect(d!.line).toBeGreaterThan(1);
    expect(d!.hint).toMatch(/no YAML tags/);
  });

  it.each(['!!binary aGVsbG8=', '!!timestamp 2001-12-14', '!!set {a}', '!!omap [a: 1]'])(
    '%s is refused',
    (value) => {
      const { lab, diagnostics } = load(manifest({ extra: `x-note: ${value}` }));
      expect(lab).toBeUndefined();
      expect(diagnostics.map((d) => d.rule)).toContain('yaml-unknown-tag');
    },
  );

  it('the core tags that stay plain data are fine', () => {
    const { lab, diagnostics } = load(
      manifest({ vms: '  - { name: !!str a, image: ws, credential: admin, processors: !!int 2 }' }),
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lab?.vms[0]).toMatchObject({ name: 'a', processors: 2 });
  });
});
