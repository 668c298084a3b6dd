import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { CallContext } from '../../../../src/providers/call-context.js';
import { describePwsh } from '../../../support/pwsh.js';
import {
  credential,
  guestFixture,
  startWithCanary,
  type GuestFixture,
  PWSH_TIMEOUTS,
} from './guest-fixture.js';

vi.setConfig(PWSH_TIMEOUTS);

/** Pieces that would run something if a value were ever pasted into script text. */
const PAYLOADS = [
  "'; Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned; '",
  '"; Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned; "',
  '$(Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned)',
  '`$(Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned)',
  '\n Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned \n',
  '@(Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned)',
  '‘; Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned; ’',
  '#>; Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned; <#',
];
const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  "'",
  '"',
  '`',
  '$',
  '(',
  ')',
  ';',
  '&',
  '|',
  '{',
  '}',
  '@',
  '#',
  '%',
  '\n',
  '\t',
  '‘',
  '’',
  '“',
  'é',
  '日',
  '-',
  '.',
  ',',
];

/** Hostile text: random characters around payloads, never empty. */
const hostile = fc
  .tuple(
    fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }),
    fc.constantFrom(...PAYLOADS),
    fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }),
  )
  .map(([a, p, b]) => `x${a.join('')}${p}${b.join('')}`);

const admin = credential('lab-admin', 'Initial#1');

describePwsh('values from the manifest reach the guest cmdlets unchanged and run nothing', () => {
  let f: GuestFixture;
  let canary: string;

  beforeAll(async () => {
    f = guestFixture();
    canary = await startWithCanary(f);
  });
  afterAll(async () => {
    await f?.close();
  });

  function ctx(extra: Record<string, ReturnType<typeof credential>> = {}): CallContext {
    return f.context({ 'lab-admin': admin, ...extra });
  }

  it('share names and paths, group and zone names', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (name, folder, group) => {
        f.seed([{ name: 'fs1', macs: ['00155D000001'], guest: null }]);
        // A folder name Windows accepts: no control characters, none of \ / : * ? " < > |, no trailing dot or space.
        const path = `C:\\Shares\\${folder.replace(/[\u0000-\u001f\\/:*?"<>|]/g, '_')}x`;
        const op = { op: 'createShare' as const, name, path, fullAccess: [group] };
        await f.runner.runGuest(f.target('fs1'), op, ctx());
        const [probe] = await f.runner.probeGuest(f.target('fs1'), [op], ctx());
        expect(probe?.done).toBe(true);
        expect(f.guest('fs1').shares).toEqual([
          { name, path, access: [{ account: group, type: 'Allow', right: 'Full' }] },
        ]);
        expect(existsSync(canary)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });

  it('domain names and passwords', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (zone, password) => {
        // The state holds the zone name by right: a password inside it could not be told apart.
        fc.pre(!zone.includes(password));
        f.seed([{ name: 'dc01', macs: ['00155D000001'], guest: null }]);
        const local = credential('local', password);
        const target = f.target('dc01', local);
        await f.runner.runGuest(target, { op: 'installFeatures', features: ['DNS'] }, ctx({ local }));
        await f.runner.runGuest(
          target,
          { op: 'addDnsForwarder', domain: zone, masterServers: ['10.0.0.1'] },
          ctx({ local }),
        );
        expect(f.guest('dc01').dnsZones).toEqual([
          { name: zone, type: 'Forwarder', masterServers: ['10.0.0.1'] },
        ]);
        // The password was taken exactly: the same one gets in, a one-character change does not.
        expect(await f.runner.guestReachable(target, ctx({ local }))).toBe(true);
        await expect(
          f.runner.guestReachable(f.target('dc01', credential('other', `${password}x`)), ctx()),
        ).rejects.toMatchObject({ record: { category: 'AuthenticationError' } });
        expect(JSON.stringify(f.state())).not.toContain(password);
        expect(existsSync(canary)).toBe(false);
      }),
      { numRuns: 10 },
    );
  });

  it('script text runs exactly as written, and only it', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        f.seed([{ name: 'h1', macs: ['00155D000001'], guest: null }]);
        const out = join(f.dir, 'script-out.txt');
        // The manifest's script writes its own literal text (single quotes doubled, as PowerShell wants).
        const literal = text.replace(/['‘’‚‛]/g, (q) => q + q);
        const run = `Set-Content -LiteralPath '${out}' -Value '${literal}' -NoNewline`;
        await f.runner.runGuest(
          f.target('h1'),
          { op: 'runScript', id: 'inj', run, shell: 'powershell', reboots: false },
          ctx(),
        );
        expect(readFileSync(out, 'utf8')).toBe(text);
        expect(existsSync(canary)).toBe(false);
      }),
      { numRuns: 12 },
    );
  });

  it('a script cannot change the harness around it', async () => {
    f.seed([{ name: 'h1', macs: ['00155D000001'], guest: null }]);
    const run = [
      '$A = $null; $ErrorActionPreference = "SilentlyContinue"',
      'function Restart-Computer { Set-Content -LiteralPath $env:LABFORM_CANARY -Value pwned }',
      'Set-Variable -Name A -Value $null -Scope 1 -ErrorAction SilentlyContinue',
    ].join('\n');
    const result = await f.runner.runGuest(
      f.target('h1'),
      { op: 'runScript', id: 'harness', run, shell: 'powershell', reboots: true },
      ctx(),
    );
    // The harness still restarted the guest with the real (fake) Restart-Computer and wrote its marker.
    expect(result.rebooted).toBe(true);
    expect(f.guest('h1').restarts).toBe(1);
    expect(existsSync(canary)).toBe(false);
    const [probe] = await f.runner.probeGuest(
      f.target('h1'),
      [{ op: 'runScript', id: 'harness', run, shell: 'powershell', reboots: true }],
      ctx(),
    );
    expect(probe?.done).toBe(true);
  });
});
