/**
 * What reaches a Linux guest through the host's ssh.exe, run in real PowerShell: the script as
 * base64 of its UTF-8 bytes with LF endings in the command line (never piped: Windows
 * PowerShell 5.1 pipes text to native commands with CRLF and $OutputEncoding), ssh's stderr
 * read, not thrown, and a host without ssh.exe reported as the environment problem it is.
 */
import { expect, it } from 'vitest';
import { describePwsh } from '../../../support/pwsh.js';
import { runGuestScripts } from './run-guest-scripts.js';

function runPwsh(body: string): any {
  return runGuestScripts({
    files: ['LabformGuest.Linux.ps1'],
    standIns: [
      "function Get-VMNetworkAdapter { param($VMName) [pscustomobject]@{ IPAddresses = @('192.168.50.20', 'fe80::1') } }",
    ],
    body,
  });
}

// A stand-in ssh.exe: records its arguments, writes OpenSSH's known-hosts warning to stderr
// (Write-Error: under a caller's 'Stop' this throws, as 5.1 does with native stderr), exits 0.
const FAKE_SSH = String.raw`
$global:sshCalls = @()
function ssh.exe {
  $global:sshCalls += , @($args)
  Write-Error -Message "Warning: Permanently added '192.168.50.20' (ED25519) to the list of known hosts."
  'first line'
  'true'
  $global:LASTEXITCODE = 0
}`;

describePwsh('Linux guests from a Windows PowerShell 5.1 host', () => {
  it('sends the script as base64 of UTF-8 with LF endings in the command line, and reads stderr without throwing', () => {
    const answer = runPwsh(`${FAKE_SSH}
$probe = Invoke-LabformLinuxScript -VMName 'web' -UserName 'labadmin' -Script ("test -f /etc/x && echo true" + [char]13 + [char]10 + "echo caf" + [char]0xE9) -Probe
ConvertTo-Json -Compress -Depth 5 -InputObject @{ probe = $probe; args = @($global:sshCalls[0]) }`);
    expect(answer.probe).toEqual({ done: true, detail: 'test printed true' });
    const args: string[] = answer.args;
    expect(args).toEqual(expect.arrayContaining(['-o', 'BatchMode=yes', '-l', 'labadmin', '192.168.50.20']));
    const remote = args[args.length - 1]!;
    const encoded = /^echo ([A-Za-z0-9+/=]+) \| base64 -d \| /.exec(remote)![1]!;
    const bytes = Buffer.from(encoded, 'base64');
    expect(bytes.includes(0x0d)).toBe(false);
    expect(bytes.toString('utf8')).toBe('test -f /etc/x && echo true\necho café');
    // Non-root users run it through sudo without a prompt.
    expect(remote).toContain('sudo -n bash -s');
  });

  it('says the host has no OpenSSH client (Windows Server 2016) instead of failing obscurely', () => {
    const answer = runPwsh(`
try { Invoke-LabformLinuxScript -VMName 'web' -UserName 'labadmin' -Script 'true' | Out-Null; $r = @{ threw = $false } }
catch { $r = @{ threw = $true; id = $_.FullyQualifiedErrorId; category = [string]$_.CategoryInfo.Category; message = $_.Exception.Message } }
ConvertTo-Json -Compress -InputObject $r`);
    expect(answer).toMatchObject({
      threw: true,
      id: 'LabformEnvironment,SshClientMissing',
      category: 'NotInstalled',
    });
    expect(answer.message).toMatch(/no OpenSSH client \(ssh\.exe\).*Windows Server 2019/);
  });
});
