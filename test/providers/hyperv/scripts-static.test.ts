import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { checkPs51Syntax } from '../../support/ps51-syntax.js';
import { hostScriptPaths } from '../../../src/providers/hyperv/host-library.js';
import { checkCmdletParameters, type ParameterReport } from './helpers/static-parameters.js';

const scripts = () =>
  hostScriptPaths().map((path) => ({ name: basename(path), text: readFileSync(path, 'utf8') }));

describePwsh('Hyper-V host library scripts, checked statically', () => {
  let report: ParameterReport;
  beforeAll(async () => {
    report = await checkCmdletParameters(scripts());
  }, 60_000);

  it('parse under PowerShell with no PowerShell 7-only syntax (Windows PowerShell 5.1)', async () => {
    expect(await checkPs51Syntax(scripts())).toEqual([]);
  }, 60_000);

  it('call every cmdlet only with parameters the real cmdlet has, in one of its parameter sets', () => {
    expect(report.findings).toEqual([]);
  });

  it('use the real Hyper-V, NetNat and NetTCPIP cmdlets the operations need', () => {
    const used = new Set(report.calls.filter((c) => c.catalogue).map((c) => c.command));
    for (const cmdlet of [
      'Get-VM',
      'New-VM',
      'Set-VM',
      'Start-VM',
      'Stop-VM',
      'Remove-VM',
      'Set-VMProcessor',
      'Set-VMMemory',
      'Set-VMFirmware',
      'Set-VMKeyProtector',
      'Enable-VMTPM',
      'Disable-VMTPM',
      'New-VHD',
      'Get-VHD',
      'Mount-VHD',
      'Dismount-VHD',
      'Add-VMHardDiskDrive',
      'Remove-VMHardDiskDrive',
      'New-VMSwitch',
      'Remove-VMSwitch',
      'New-NetIPAddress',
      'Remove-NetIPAddress',
      'New-NetNat',
      'Remove-NetNat',
      'Add-NetNatStaticMapping',
      'Remove-NetNatStaticMapping',
      'Add-VMNetworkAdapter',
      'Set-VMNetworkAdapter',
      'Set-VMNetworkAdapterVlan',
      'Connect-VMNetworkAdapter',
      'Remove-VMNetworkAdapter',
      'Dismount-VMHostAssignableDevice',
      'Add-VMAssignableDevice',
      'Remove-VMAssignableDevice',
      'Mount-VMHostAssignableDevice',
      'Checkpoint-VM',
      'Restore-VMSnapshot',
      'Remove-VMSnapshot',
      'Add-ClusterVirtualMachineRole',
      'Get-VMIntegrationService',
    ]) {
      expect(used, cmdlet).toContain(cmdlet);
    }
  });

  it('catches a parameter the real cmdlet does not have, a wrong parameter set and splatting', async () => {
    const bad = await checkCmdletParameters([
      {
        name: 'bad.ps1',
        text: [
          "New-NetNat -Name 'x' -InternalIPAddress '10.0.0.1'",
          "New-VHD -Path 'a.vhdx' -Differencing -Fixed -SizeBytes 1",
          '$p = @{ Name = "x" }; Start-VM @p',
          "Stop-VM 'dc01'",
          'Get-ChildItem -NoSuchParameter',
        ].join('\n'),
      },
    ]);
    expect(bad.findings.map((f) => [f.line, f.command])).toEqual([
      [1, 'New-NetNat'],
      [2, 'New-VHD'],
      [3, 'Start-VM'],
      [3, 'Start-VM'],
      [4, 'Stop-VM'],
      [4, 'Stop-VM'],
      [5, 'Get-ChildItem'],
    ]);
    expect(bad.findings[0]!.problem).toContain('-InternalIPAddress');
  }, 60_000);
});
