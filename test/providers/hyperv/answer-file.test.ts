/**
 * The answer file labform writes into a new Windows disk, built by the real host script in
 * real PowerShell: an offline domain join blob goes where Windows Setup reads it in the
 * offlineServicing pass, OfflineIdentification/Provisioning/AccountData (Microsoft Learn,
 * unattend reference Microsoft-Windows-UnattendedJoin; MSLab Scenarios/AzSHCI and AVD/Scenario.ps1).
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { describePwsh, pwshPath } from '../../support/pwsh.js';
import { hostScriptsFolder } from '../../../src/providers/hyperv/host-library.js';

describePwsh('answer file', () => {
  it('puts the offline join blob under OfflineIdentification in the offlineServicing pass, and nowhere else', () => {
    const script = [
      "$ErrorActionPreference = 'Stop'",
      `. '${hostScriptsFolder()}host-common.ps1'`,
      `. '${hostScriptsFolder()}host-storage.ps1'`,
      '$s = { param($t) $x = New-Object System.Security.SecureString; foreach ($c in $t.ToCharArray()) { $x.AppendChar($c) }; $x }',
      "$doc = New-LabformUnattendXml -ComputerName 'WEB01' -TimeZone 'UTC' -Password (& $s 'pw') -OfflineJoinBlob (& $s 'BLOB123')",
      '$ns = New-Object System.Xml.XmlNamespaceManager $doc.NameTable',
      "$ns.AddNamespace('u', 'urn:schemas-microsoft-com:unattend')",
      "$at = $doc.SelectSingleNode(\"//u:settings[@pass='offlineServicing']/u:component[@name='Microsoft-Windows-UnattendedJoin']/u:OfflineIdentification/u:Provisioning/u:AccountData\", $ns)",
      "$wrong = $doc.SelectNodes('//u:Identification', $ns).Count",
      'ConvertTo-Json -Compress -InputObject @{ blob = [string]$at.InnerText; identification = $wrong }',
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
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ blob: 'BLOB123', identification: 0 });
  });
});
