/**
 * The host's comparison of a `files:` copy (LabformGuest.HostFiles.ps1), run in real PowerShell
 * on real folders, agrees with the simulator's (src/model/file-copy.ts): the same files differ,
 * the plan reads the same words and sizes. The guest side is the real listing: the Windows probe
 * scriptblock (LabformGuest.Files.ps1) and the Linux bash listing (linux-guest.ts) run by bash,
 * its one base64 line read back as the probe batch reads it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describePwsh } from '../../../support/pwsh.js';
import { copyListingScript } from '../../../../src/providers/hyperv/guest/linux-guest.js';
import {
  compareCopies,
  copyProbeDetail,
  formatBytes,
  type CopiedFile,
} from '../../../../src/model/file-copy.js';
import { runGuestScripts } from './run-guest-scripts.js';

function runPwsh(body: string): any {
  return runGuestScripts({ files: ['LabformGuest.Files.ps1', 'LabformGuest.HostFiles.ps1'], body });
}

const root = mkdtempSync(path.join(tmpdir(), 'labform-copy-compare-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const listed = (files: Record<string, string>): CopiedFile[] =>
  Object.entries(files).map(([p, content]) => ({
    path: p,
    size: Buffer.byteLength(content),
    sha256: createHash('sha256').update(content).digest('hex'),
  }));

const MEDIA = {
  'setup.exe': 'setup program',
  'x64/Setup/engine.msi': 'engine package',
  'x64/tools.cab': 'tools',
};
const GUEST = {
  'setup.exe': 'setup program',
  'x64/Setup/engine.msi': 'engine package, older',
  'extra.log': 'guest only',
};

describePwsh('files: the host compares copies as the simulator does', () => {
  it('formats sizes as the plan prints them', () => {
    const values = [
      0,
      512,
      1023,
      1024,
      1536,
      10 * 1024 - 1,
      12 * 1024 ** 2,
      3.25 * 1024 ** 3,
      9.96 * 1024 ** 3,
      123456789,
    ];
    const answer = runPwsh(
      `ConvertTo-Json -Compress -InputObject @(${values.map((v) => `(Format-LabformBytes -Bytes ${v})`).join(', ')})`,
    );
    expect(answer).toEqual(values.map(formatBytes));
  });

  it('Windows guest: the probe scriptblock lists the target, the host finds the same differences', () => {
    const from = folder('host-media', MEDIA);
    const to = folder('windows-guest', GUEST);
    const answer = runPwsh(`
      $listing = (LabformGuestProbe-copyFiles @{ to = '${to}' }).detail
      $probes = @([pscustomobject]@{ operation = 'copyFiles'; arguments = [pscustomobject]@{ from = '${from}'; to = '${to}' } })
      ConvertTo-Json -Compress -Depth 4 -InputObject (Resolve-LabformCopyProbes -Probes $probes -Results @([pscustomobject]@{ done = $false; detail = $listing }) -Os 'windows')
    `);
    const expected = compareCopies({ os: 'windows', host: listed(MEDIA), guest: listed(GUEST) });
    expect(expected.differ.map((f) => f.path).sort()).toEqual(['x64/Setup/engine.msi', 'x64/tools.cab']);
    expect(answer).toEqual([{ done: false, detail: copyProbeDetail(expected) }]);
  });

  it('Linux guest: the bash listing travels as one base64 line; a guest with every file is done', () => {
    const from = folder('host-media-2', MEDIA);
    const to = folder('linux-guest', { ...MEDIA, 'extra.log': 'guest only' });
    const raw = execFileSync('bash', ['-c', copyListingScript(to)], { encoding: 'utf8' }).trim();
    const answer = runPwsh(`
      $probes = @([pscustomobject]@{ operation = 'runScript'; arguments = @{} }, [pscustomobject]@{ operation = 'copyFiles'; arguments = [pscustomobject]@{ from = '${from}'; to = '${to}' } })
      $results = @([pscustomobject]@{ done = $true; detail = 'test printed true'; raw = 'true' }, [pscustomobject]@{ done = $false; detail = 'test printed x'; raw = '${raw}' })
      ConvertTo-Json -Compress -Depth 4 -InputObject (Resolve-LabformCopyProbes -Probes $probes -Results $results -Os 'linux')
    `);
    const expected = compareCopies({ os: 'linux', host: listed(MEDIA), guest: listed(MEDIA) });
    expect(answer).toEqual([
      { done: true, detail: 'test printed true' },
      { done: true, detail: copyProbeDetail(expected) },
    ]);
    expect(copyProbeDetail(expected)).toBe('3 files (32 bytes) up to date');
  });

  it('a source missing on the host is not done, and says so', () => {
    const answer = runPwsh(`
      ConvertTo-Json -Compress -InputObject (Get-LabformCopyProbeAnswer -From '${path.join(root, 'absent')}' -Os 'windows' -Listing 'none')
    `);
    expect(answer).toEqual({
      done: false,
      detail: `${path.join(root, 'absent')} does not exist on the host`,
    });
  });
});
