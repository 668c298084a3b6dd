import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import {
  GUEST_SCRIPT_FILES,
  guestScriptPaths,
} from '../../../../src/providers/hyperv/guest/guest-library.js';
import { hostScriptPaths } from '../../../../src/providers/hyperv/host-library.js';
import { checkPs51Syntax } from '../../../support/ps51-syntax.js';
import { describePwsh } from '../../../support/pwsh.js';
import { checkCmdletParameters } from './static-check.js';
import { PWSH_TIMEOUTS } from './guest-fixture.js';

vi.setConfig(PWSH_TIMEOUTS);

const CATALOGUE = fileURLToPath(new URL('../../../fake-hyperv/hyperv-cmdlets.json', import.meta.url));
const GUEST_DECLARATIONS = fileURLToPath(
  new URL('../../../fake-hyperv/guest/05-guest-declarations.ps1', import.meta.url),
);

/** Core PowerShell commands the scripts may call without a catalogue entry. */
const BUILTINS = [
  'Where-Object',
  'ForEach-Object',
  'Select-Object',
  'Sort-Object',
  'Join-Path',
  'Test-Path',
  'New-Item',
  'Remove-Item',
  'New-Object',
  'Get-Item',
  'Get-ChildItem',
  'Get-Command',
  'ssh.exe',
  // Plan-time probes of a whole host (LabformGuest.Probes.ps1): jobs, a registry value, a note property.
  'Start-Job',
  'Receive-Job',
  'Stop-Job',
  'Remove-Job',
  'Start-Sleep',
  'Get-ItemProperty',
  'Add-Member',
  // files: copies (LabformGuest.Files.ps1, LabformGuest.HostFiles.ps1): hashes, Copy-Item over a
  // PowerShell Direct session (Microsoft.PowerShell.Management / Utility / Core, in every session).
  'Get-FileHash',
  'Copy-Item',
  'Split-Path',
  'Remove-PSSession',
  // The role records a readRoles probe answers with (LabformGuest.Base.ps1).
  'ConvertTo-Json',
];

const scripts = () => guestScriptPaths().map((path, i) => ({ name: GUEST_SCRIPT_FILES[i]!, path }));

describePwsh('guest scripts', () => {
  it('parse under PowerShell and use no PowerShell 7-only syntax', async () => {
    const findings = await checkPs51Syntax(
      scripts().map((s) => ({ name: s.name, text: readFileSync(s.path, 'utf8') })),
    );
    expect(findings).toEqual([]);
  });

  it('call every cmdlet with parameters the real cmdlet has (catalogue, else the guest declarations)', async () => {
    // The host library shares the session: its functions (Get-LabformHostState) are checked by their param blocks.
    const result = await checkCmdletParameters({
      scripts: scripts(),
      catalogue: CATALOGUE,
      declarations: [GUEST_DECLARATIONS, ...hostScriptPaths()],
      builtins: BUILTINS,
    });
    expect(result.findings).toEqual([]);
    // The check did look at the cmdlets that matter.
    for (const cmdlet of [
      'Invoke-Command',
      'Install-ADDSForest',
      'Add-Computer',
      'New-NetIPAddress',
      'Initialize-HgsServer',
      'New-SmbShare',
      'djoin.exe',
    ]) {
      expect(result.cmdletsUsed).toContain(cmdlet);
    }
  });

  it('the check catches a wrong parameter, an ambiguous prefix, a bad splat key and an unknown command', async () => {
    const bad = fileURLToPath(new URL('../../../fixtures/hyperv-guest/bad-parameters.ps1', import.meta.url));
    const result = await checkCmdletParameters({
      scripts: [{ name: 'bad', path: bad }],
      catalogue: CATALOGUE,
      declarations: [GUEST_DECLARATIONS],
      builtins: BUILTINS,
    });
    expect(result.findings.map((f) => `${f.problem}:${f.command}:${f.parameter}`).sort()).toEqual([
      'ambiguous-parameter:Rename-Computer:P',
      'unknown-command:Install-Everything:',
      'unknown-parameter:Add-Computer:DomainController',
      'unknown-parameter:New-SmbShare:FullControl',
      'unknown-parameter:Rename-Computer:NewComputerName',
    ]);
  });
});
