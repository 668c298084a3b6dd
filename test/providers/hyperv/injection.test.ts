import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { Secret } from '../../../src/secrets/secret.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';

const CANARY = join(tmpdir(), `labform-injection-canary-${process.pid}`);
const HOSTILE = [
  "'",
  '"',
  '`',
  '$',
  '(',
  ')',
  '{',
  '}',
  ';',
  '|',
  '&',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '#',
  '<',
  '>',
  '@',
  ',',
  'é',
  '漢',
  'a',
  'Z',
  '0',
  '-',
  '\\',
  '%',
];
// Script text that would create the canary file if any value were ever pasted into a script.
const PAYLOADS = [
  `$(Set-Content -LiteralPath '${CANARY}' -Value 1)`,
  `'; Set-Content -LiteralPath '${CANARY}' -Value 1; '`,
  `"; Set-Content -LiteralPath "${CANARY}" -Value 1; "`,
  `\`$(Set-Content ${CANARY} 1)`,
  `\nSet-Content -LiteralPath '${CANARY}' -Value 1\n`,
];
const hostile = fc.oneof(
  fc.string({ unit: fc.constantFrom(...HOSTILE), minLength: 1, maxLength: 24 }),
  fc.constantFrom(...PAYLOADS),
  fc
    .tuple(fc.string({ unit: fc.constantFrom(...HOSTILE), maxLength: 8 }), fc.constantFrom(...PAYLOADS))
    .map(([a, b]) => a + b),
);
// Something that is not only blank (Hyper-V cmdlets refuse empty names).
const hostileName = hostile.filter((s) => s.trim().length > 0);

function xmlText(xml: string, element: string): string | undefined {
  const m = new RegExp(`<${element}>([\\s\\S]*?)</${element}>`).exec(xml);
  if (!m) return undefined;
  return m[1]!
    .replace(/&#x([0-9A-Fa-f]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

describePwsh('Hyper-V provider: values reach the cmdlets as data, unchanged, and run nothing', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    rmSync(CANARY, { force: true });
    fake = await createFakeHyperV({
      seeds: { hv01: { images: [{ path: 'D:\\Images\\ws.vhdx', os: 'windows' }] } },
    });
  }, 60_000);
  afterAll(async () => {
    rmSync(CANARY, { force: true });
    await fake?.dispose();
  });

  it('switch names and notes, disk paths and VM notes', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, hostile, hostile, async (name, notes, folder) => {
        fake.seed('hv01', { images: [{ path: 'D:\\Images\\ws.vhdx', os: 'windows' }] });
        const ctx = fake.context();
        await fake.provider.run('hv01', { op: 'createSwitch', name, type: 'private', notes }, ctx);
        const path = `D:\\Labs\\${folder}\\disk.vhdx`;
        await fake.provider.run(
          'hv01',
          { op: 'createVhd', path, size: 1024 ** 3, format: 'vhdx', type: 'dynamic' },
          ctx,
        );
        await fake.provider.run(
          'hv01',
          {
            op: 'createVm',
            name: 'vm1',
            generation: 2,
            path: `D:\\Labs\\vm1`,
            memoryStartup: 1024 ** 3,
            notes,
          },
          ctx,
        );
        const calls = fake.state().calls as { cmdlet: string; parameters: Record<string, unknown> }[];
        expect(calls.find((c) => c.cmdlet === 'New-VMSwitch')!.parameters).toMatchObject({
          Name: name,
          Notes: notes,
        });
        expect(calls.find((c) => c.cmdlet === 'New-VHD')!.parameters).toMatchObject({ Path: [path] });
        expect(calls.find((c) => c.cmdlet === 'Set-VM')!.parameters).toMatchObject({ Notes: notes });
        const state = await fake.provider.discover('hv01', { paths: ['D:\\Labs'], files: [] });
        expect(state.switches).toEqual([
          { name, type: 'private', notes, adapter: null, allowManagementOS: false },
        ]);
        expect(state.vms[0]!.notes).toBe(notes);
        expect(state.vhds.map((v) => v.path)).toEqual([path]);
        expect(existsSync(CANARY)).toBe(false);
      }),
      { numRuns: 15 },
    );
  }, 240_000);

  it('answer file values: computer name, time zone, password', async () => {
    await fc.assert(
      fc.asyncProperty(hostileName, hostileName, hostileName, async (computerName, timeZone, password) => {
        fake.seed('hv01', { images: [{ path: 'D:\\Images\\ws.vhdx', os: 'windows' }] });
        const ctx = {
          address: 'vm.x',
          credentials: {
            get: (n: string) => ({ name: n, username: 'Administrator', password: new Secret(password) }),
          },
        };
        await fake.provider.run(
          'hv01',
          {
            op: 'createVhd',
            path: 'D:\\Labs\\x\\os.vhdx',
            size: 0,
            format: 'vhdx',
            type: 'differencing',
            parentPath: 'D:\\Images\\ws.vhdx',
          },
          ctx,
        );
        await fake.provider.run(
          'hv01',
          {
            op: 'injectAnswerFile',
            vhdPath: 'D:\\Labs\\x\\os.vhdx',
            computerName,
            credential: 'admin',
            timeZone,
          },
          ctx,
        );
        const xml: string = fake
          .state()
          .vhds.find((v: { path: string }) => v.path === 'D:\\Labs\\x\\os.vhdx').unattend;
        expect(xmlText(xml, 'ComputerName')).toBe(computerName);
        expect(xmlText(xml, 'TimeZone')).toBe(timeZone);
        expect(xmlText(xml, 'Value')).toBe(
          Buffer.from(`${password}AdministratorPassword`, 'utf16le').toString('base64'),
        );
        // The document keeps its shape whatever the values hold.
        expect(xml.match(/<settings /g)).toHaveLength(2);
        // The password never reaches a cmdlet or the host's state as text (only the encoded form inside the file).
        if (password.length >= 6)
          expect(JSON.stringify({ ...fake.state(), vhds: [] })).not.toContain(password);
        expect(existsSync(CANARY)).toBe(false);
      }),
      { numRuns: 15 },
    );
  }, 240_000);
});
