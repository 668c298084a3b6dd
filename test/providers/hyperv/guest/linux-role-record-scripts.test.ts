/**
 * The bash a Linux guest's role records take (linux-guest.ts: recordRoleScript, the probes,
 * roleListingScript), run by real bash on real files and by the fake module's guest bash: the
 * same records, modes, probe answers and listing. Real bash writes under a temporary folder (the
 * scripts' /var/lib/labform rewritten to it); the fake guest keeps its files in a real folder.
 * Then the host's side in real pwsh: the listing's base64 line turned into the records' JSON
 * array, and a failed listing reported as such.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LINUX_ROLES_FOLDER,
  linuxProbeTest,
  recordRoleScript,
  roleListingScript,
} from '../../../../src/providers/hyperv/guest/linux-guest.js';
import type { GuestOperation } from '../../../../src/model/guest-operation.js';
import { GuestFiles, runBash } from '../../../fake-hyperv/linux/linux-shell.mjs';
import { describePwsh } from '../../../support/pwsh.js';
import { parseRoleRecords } from '../../../../src/roles/role-record.js';
import { runGuestScripts } from './run-guest-scripts.js';

const root = mkdtempSync(path.join(tmpdir(), 'labform-records-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One guest: `run` a script, `folder` the real folder behind /var/lib/labform/roles. */
interface Guest {
  run: (script: string) => { code: number; stdout: string };
  folder: string;
}

function realGuest(): Guest {
  const base = mkdtempSync(path.join(root, 'real-'));
  const rewrite = (s: string) => s.replaceAll('/var/lib/labform', `${base}/var/lib/labform`);
  return {
    run: (script) => {
      try {
        return { code: 0, stdout: execFileSync('bash', ['-c', rewrite(script)], { encoding: 'utf8' }) };
      } catch (error) {
        return { code: (error as { status: number }).status, stdout: '' };
      }
    },
    folder: `${base}${LINUX_ROLES_FOLDER}`,
  };
}

function fakeGuest(): Guest {
  const files = new GuestFiles(mkdtempSync(path.join(root, 'fake-')), 'root');
  return {
    run: (script) => {
      const r = runBash(script, { user: 'root', files, hostname: 'lx', onReboot() {} }) as {
        code: number;
        stdout: string;
      };
      return { code: r.code, stdout: r.stdout };
    },
    folder: files.local(LINUX_ROLES_FOLDER),
  };
}

const record = (address: string, run: string) =>
  JSON.stringify({ address, tasks: [{ key: 'script/run', operation: { op: 'runScript', run } }] });
/** Quotes, a dollar sign, a backslash and non-ASCII text: kept byte for byte. */
const FIRST = record('role.lx.script', `echo "it's \${HOME} \\ — grüße" > /tmp/x`);
const SECOND = record('role.lx.script.2', 'mkdir -p /opt/two');

function play(guest: Guest) {
  const probe = (op: GuestOperation) => guest.run(linuxProbeTest(op)!).stdout.trim();
  const listing = () =>
    Buffer.from(guest.run(roleListingScript()).stdout.trim(), 'base64')
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .sort();
  const seen: unknown[] = [];
  seen.push(['empty listing', listing()]);
  seen.push(['probe before', probe({ op: 'recordRole', address: 'role.lx.script', record: FIRST })]);
  seen.push(['write', guest.run(recordRoleScript('role.lx.script', FIRST)).code]);
  seen.push(['write 2', guest.run(recordRoleScript('role.lx.script.2', SECOND)).code]);
  seen.push(['probe after', probe({ op: 'recordRole', address: 'role.lx.script', record: FIRST })]);
  seen.push(['other text', probe({ op: 'recordRole', address: 'role.lx.script', record: SECOND })]);
  seen.push(['file', readFileSync(path.join(guest.folder, 'role.lx.script.json'), 'utf8')]);
  seen.push([
    'modes',
    statSync(guest.folder).mode & 0o777,
    statSync(path.join(guest.folder, 'role.lx.script.json')).mode & 0o777,
  ]);
  // A write cut short before its mv leaves a .tmp the listing does not read.
  writeFileSync(path.join(guest.folder, 'role.lx.script.3.json.tmp'), '{"address":"role.lx.script.3"');
  seen.push(['listing', listing()]);
  seen.push(['forgotten before', probe({ op: 'forgetRole', address: 'role.lx.script' })]);
  seen.push(['forget', guest.run(`rm -f '${LINUX_ROLES_FOLDER}/role.lx.script.json'`).code]);
  seen.push(['forgotten after', probe({ op: 'forgetRole', address: 'role.lx.script' })]);
  seen.push(['left', readdirSync(guest.folder).sort()]);
  return seen;
}

describe("a Linux guest's role record scripts", () => {
  it('real bash: written atomically and root-only, probed by content, listed, forgotten', () => {
    expect(play(realGuest())).toEqual([
      ['empty listing', []],
      ['probe before', 'false'],
      ['write', 0],
      ['write 2', 0],
      ['probe after', 'true'],
      ['other text', 'false'],
      ['file', FIRST],
      ['modes', 0o700, 0o600],
      ['listing', [FIRST, SECOND]],
      ['forgotten before', 'false'],
      ['forget', 0],
      ['forgotten after', 'true'],
      ['left', ['role.lx.script.2.json', 'role.lx.script.3.json.tmp']],
    ]);
  });

  it("the fake module's guest bash does what real bash does", () => {
    const real = play(realGuest());
    expect(play(fakeGuest())).toEqual(real);
  });
});

/** Dot-sources the host's Linux and probe-batch scripts in real pwsh and runs `body`; its JSON output. */
function runPwsh(body: string): any {
  return runGuestScripts({ files: ['LabformGuest.Linux.ps1', 'LabformGuest.Probes.ps1'], body });
}

describePwsh("the host's reading of a Linux guest's role listing (probe batch)", () => {
  /** The batch's answer lines (each ending in CR) for a runScript probe and the readRoles listing, read and resolved. */
  const resolve = (listingLine: string) =>
    runPwsh(`
      $answer = [pscustomobject]@{ exitCode = 0; output = @('labform-probe 0 0 true', ('${listingLine}' + "\`r")) }
      $probes = @([pscustomobject]@{ operation = 'runScript'; arguments = @{} }, [pscustomobject]@{ operation = 'readRoles'; arguments = @{} })
      $read = Read-LabformLinuxProbeAnswer -Answer $answer -Count 2
      try { $out = Resolve-LabformLinuxRoleProbes -Probes $probes -Results $read; ConvertTo-Json -Compress -Depth 4 -InputObject @{ results = @($out | ForEach-Object { @{ done = $_.done; detail = $_.detail } }) } }
      catch { ConvertTo-Json -Compress -InputObject @{ failure = [string]$_.Exception.Message } }
    `);

  it('turns the listing (real bash) into the JSON array of texts a Windows guest answers with', () => {
    const guest = realGuest();
    guest.run(recordRoleScript('role.lx.script', FIRST));
    guest.run(recordRoleScript('role.lx.script.2', SECOND));
    // Each line as ssh.exe hands it to Windows PowerShell, with a carriage return at its end.
    const line = `labform-probe 1 0 ${guest.run(roleListingScript()).stdout.trim()}`;
    const answer = resolve(line);
    expect(answer.results[0]).toEqual({ done: true, detail: 'test printed true' });
    expect(parseRoleRecords(answer.results[1].detail).map((r) => r.address)).toEqual([
      'role.lx.script',
      'role.lx.script.2',
    ]);
    expect(JSON.parse(answer.results[1].detail).sort()).toEqual([FIRST, SECOND]);
    expect(JSON.parse(resolve('labform-probe 1 0 ').results[1].detail)).toEqual([]);
  });

  it('a listing that failed is an error (the guest reported unknown), never a guest without records', () => {
    expect(resolve('labform-probe 1 1 ').failure).toMatch(/its role records could not be listed/);
    expect(resolve('labform-probe 1 0 not*base64').failure).toMatch(/its role records could not be read/);
    // No answer line at all (the probe script cut short).
    expect(resolve('').failure).toMatch(/its role records could not be listed/);
  });

  it('a listing whose find fails exits non-zero (set -e, pipefail)', () => {
    const guest = realGuest();
    guest.run(recordRoleScript('role.lx.script', FIRST));
    const broken = roleListingScript().replace('find "$roles"', 'find "$roles/absent"');
    expect(guest.run(broken).code).not.toBe(0);
  });
});
