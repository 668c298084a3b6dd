/**
 * A Linux guest's probes travel as ONE bash script (one ssh call per guest inside the host's
 * discovery request): each test runs in its own bash from base64 (no quoting of user text), and
 * the host reads one `labform-probe` line per probe back (Read-LabformLinuxProbeAnswer). Here the
 * script runs in a real bash, with the CRLF line ends Windows PowerShell 5.1 pipes to ssh, and
 * the host function reads its output in real pwsh.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { linuxProbeScript } from '../../../../src/providers/hyperv/guest/probe-batch-request.js';
import type { GuestOperation } from '../../../../src/model/guest-operation.js';
import { guestScriptPaths } from '../../../../src/providers/hyperv/guest/guest-library.js';
import { describePwsh, pwshPath } from '../../../support/pwsh.js';

const script = (id: string, test?: string): GuestOperation => ({
  op: 'runScript',
  id,
  run: 'true',
  shell: 'bash',
  reboots: false,
  ...(test !== undefined ? { test } : {}),
});
const operations: GuestOperation[] = [
  script('a', 'echo true'),
  script('b', 'echo false'),
  script('c', `printf '%s\\n' "it's \\"quoted\\" $HOME"; echo true`),
  script('d', 'echo true; exit 3'),
  script('never-ran'),
  { op: 'installFeatures', features: ['DNS'] },
];

describePwsh('Linux guest probes in one script', () => {
  it('runs every probe in one bash and the host reads one answer per probe, in order', () => {
    // Windows PowerShell 5.1 pipes text to a native command with CRLF line ends.
    const text = linuxProbeScript(operations).replace(/\n/g, '\r\n');
    const bash = spawnSync('bash', ['-s'], { input: text, encoding: 'utf8' });
    expect(bash.status).toBe(0);
    const probes = guestScriptPaths().find((p) => p.endsWith('LabformGuest.Probes.ps1'))!;
    const read = spawnSync(
      pwshPath(),
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        `. '${probes}'; $lines = @([Console]::In.ReadToEnd() -split "\\n"); Read-LabformLinuxProbeAnswer -Answer ([pscustomobject]@{ exitCode = 0; output = $lines }) -Count ${operations.length} | ConvertTo-Json -Compress`,
      ],
      { input: bash.stdout.replace(/\n/g, '\r\n'), encoding: 'utf8' },
    );
    expect(read.stderr).toBe('');
    const answers = JSON.parse(read.stdout) as { done: boolean; detail: string }[];
    expect(answers.map((a) => a.done)).toEqual([true, false, true, false, false, false]);
    expect(answers[1]!.detail).toBe('test printed false');
    expect(answers[5]!.detail).toBe('test printed not a bash script');
  }, 120_000);
});
