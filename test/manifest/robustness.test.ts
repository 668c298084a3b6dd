import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLabFromText } from '../../src/manifest/load-lab.js';

const basic = readFileSync(new URL('../fixtures/manifest/valid/basic.yaml', import.meta.url), 'utf8').split(
  '\n',
);
const values = [
  '',
  '0',
  '-1',
  'x',
  '[]',
  '{}',
  'null',
  '99999999999999',
  '10.0.0.0/8',
  '192.168.50.1',
  'auto',
  'dhcp',
  'node{n}',
  '"a\\u0000b"',
  '*nope',
  '&a x',
  '2GB',
  '1.5',
  'true',
  '__proto__',
];

describe('the pipeline on mutated manifests', () => {
  it('never throws: every outcome is a lab or diagnostics with positions', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            line: fc.nat(basic.length - 1),
            value: fc.constantFrom(...values),
            drop: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (mutations) => {
          const lines = [...basic];
          for (const m of mutations) {
            if (m.drop) lines[m.line] = '';
            else lines[m.line] = lines[m.line]!.replace(/:\s.*$/, `: ${m.value}`);
          }
          const { lab, diagnostics } = loadLabFromText({ text: lines.join('\n'), file: 'lab.yaml' });
          if (!lab) expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
          for (const d of diagnostics) {
            expect(d.rule).toMatch(/^[a-z0-9-]+$/);
            expect(d.line).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it('treats __proto__ keys as unknown keys, not as prototypes', () => {
    const { lab, diagnostics } = loadLabFromText({
      text: `${basic.join('\n')}\n__proto__: { polluted: true }\n`,
      file: 'lab.yaml',
    });
    expect(lab).toBeUndefined();
    expect(diagnostics.map((d) => d.rule)).toContain('unknown-key');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
