import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { pwshSession, TEST_LIBRARY } from './support.js';

const canaryDir = mkdtempSync(join(tmpdir(), 'labform-inject-'));
const canary = join(canaryDir, 'pwned');

// Fragments that would change a script if they were ever pasted into script text; running any
// of them would create the canary file.
const hostile = fc.constantFrom(
  "'",
  '"',
  '`',
  '$(',
  ')',
  `$(New-Item -ItemType File -Path '${canary}')`,
  `'; New-Item -ItemType File -Path '${canary}'; '`,
  `"; New-Item -ItemType File -Path "${canary}"; "`,
  `\`n New-Item -ItemType File -Path ${canary}`,
  ';',
  '\n',
  '\r\n',
  '|',
  '&',
  "@'",
  "'@",
  '@"',
  '"@',
  '$env:PATH',
  '${function:Get-LabformPid}',
  '#',
  '<#',
  '#>',
  '{',
  '}',
  '\u0000',
  '\t',
  '‘',
  '’',
  '“',
  '”',
  '2024-01-01T00:00:00Z',
  '__labformSecret',
  'ffffffff:1:e30=',
  '-Force',
  '--%',
  'ü',
  '日本語',
  '😀',
  '\u202e',
);
const text = fc
  .array(fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 12 })
  .map((parts) => parts.join(''));
const key = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(text, fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.boolean(), fc.constant(null)),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  ),
})).node;

describePwsh('values travel as data (property-based, real pwsh)', () => {
  const session = pwshSession({ libraryScripts: [TEST_LIBRARY] });
  afterAll(() => session.close());

  it('hostile strings arrive unchanged and run nothing', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (s) => {
        expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: s } })).toBe(s);
        expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: [s] } })).toEqual([s]);
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(canaryDir)).toEqual([]);
  });

  it('nested objects and arrays come back as they went', async () => {
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: v } })).toEqual(v);
      }),
      { numRuns: 40 },
    );
  });
});
