/**
 * Runs PowerShell in real pwsh with some of the guest library's script files dot-sourced (and
 * any stand-ins defined after them), and returns the JSON the body prints (anything printed
 * before it, such as a warning, is skipped).
 */
import { spawnSync } from 'node:child_process';
import { guestScriptsFolder } from '../../../../src/providers/hyperv/guest/guest-library.js';
import { pwshPath } from '../../../support/pwsh.js';

export function runGuestScripts(options: { files: string[]; standIns?: string[]; body: string }): any {
  const script = [
    "$ErrorActionPreference = 'Stop'",
    ...options.files.map((f) => `. '${guestScriptsFolder()}${f}'`),
    ...(options.standIns ?? []),
    options.body,
  ].join('\n');
  const run = spawnSync(
    pwshPath(),
    [
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-EncodedCommand',
      Buffer.from(script, 'utf16le').toString('base64'),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr || run.stdout);
  const start = run.stdout.search(/[{[]/);
  return JSON.parse(start > 0 ? run.stdout.slice(start) : run.stdout);
}
