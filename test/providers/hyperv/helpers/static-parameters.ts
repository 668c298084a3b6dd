/**
 * The static check that every cmdlet call in the host library uses only parameters the real
 * cmdlet has: the scripts are parsed with pwsh's own parser; calls to catalogue cmdlets
 * (test/fake-hyperv/hyperv-cmdlets.json, from Microsoft's reference) must name their
 * parameters in full, fit one parameter set and give its mandatory parameters; other commands
 * are checked against what `Get-Command` knows in a pwsh with the fake module loaded.
 */
import { fileURLToPath } from 'node:url';
import { runPwshChecker } from '../../../support/pwsh-checker.js';
import { FAKE_MODULE } from './fake-host.js';

export const CATALOGUE = fileURLToPath(new URL('../../../fake-hyperv/hyperv-cmdlets.json', import.meta.url));

export interface ParameterFinding {
  script: string;
  line: number;
  command: string;
  problem: string;
}

export interface ParameterReport {
  findings: ParameterFinding[];
  /** Every command called, with the parameter names used (for the report). */
  calls: { command: string; parameters: string[]; catalogue: boolean }[];
}

const CHECKER = String.raw`
$ErrorActionPreference = 'Stop'
$env:LABFORM_FAKE_HYPERV_STATE = Join-Path ([System.IO.Path]::GetTempPath()) ('labform-static-' + [guid]::NewGuid() + '.json')
Import-Module -Name $env:LABFORM_FAKE_MODULE -Global -DisableNameChecking
$catalogue = (Get-Content -Raw -LiteralPath $env:LABFORM_CATALOGUE | ConvertFrom-Json -AsHashtable).cmdlets
$items = @(Get-Content -Raw -LiteralPath $env:LABFORM_STATIC_INPUT | ConvertFrom-Json)
$common = @('Verbose','Debug','ErrorAction','WarningAction','InformationAction','ProgressAction','ErrorVariable','WarningVariable','InformationVariable','OutVariable','OutBuffer','PipelineVariable','WhatIf','Confirm')
$findings = [System.Collections.Generic.List[object]]::new()
$calls = [System.Collections.Generic.List[object]]::new()
$defined = @{}
foreach ($item in $items) {
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($item.text, [ref]$null, [ref]$null)
  foreach ($f in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) { $defined[$f.Name] = $true }
}
function Add-Finding($Script, $Ast, $Command, $Problem) {
  $findings.Add([pscustomobject]@{ script = $Script; line = $Ast.Extent.StartLineNumber; command = $Command; problem = $Problem })
}
foreach ($item in $items) {
  $ast = [System.Management.Automation.Language.Parser]::ParseInput($item.text, [ref]$null, [ref]$null)
  foreach ($cmd in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
    $name = $cmd.GetCommandName()
    # & $block: a script block of the library itself (built in the same function), not a command.
    if (-not $name -and $cmd.InvocationOperator -eq 'Ampersand' -and $cmd.CommandElements[0] -is [System.Management.Automation.Language.VariableExpressionAst]) { continue }
    if (-not $name) { Add-Finding $item.name $cmd '(dynamic)' 'the command name is not a literal'; continue }
    if ($defined.ContainsKey($name)) { continue }
    $used = @()
    $positional = 0
    $elements = @($cmd.CommandElements)
    for ($i = 1; $i -lt $elements.Count; $i++) {
      $e = $elements[$i]
      if ($e -is [System.Management.Automation.Language.CommandParameterAst]) {
        $used += $e.ParameterName
      } elseif ($e -is [System.Management.Automation.Language.VariableExpressionAst] -and $e.Splatted -and $name -eq 'Set-VM' -and $e.VariablePath.UserPath -eq 'vmSetting') {
        # One simple VM setting: its Set-VM parameter comes from the VM settings table, checked against the catalogue by test/model/vm-settings.test.ts.
        $used += 'Name'
      } elseif ($e -is [System.Management.Automation.Language.VariableExpressionAst] -and $e.Splatted) {
        Add-Finding $item.name $cmd $name 'splatting hides the parameter names from the check'
      } else {
        $previous = $elements[$i - 1]
        $isValue = ($previous -is [System.Management.Automation.Language.CommandParameterAst]) -and ($null -eq $previous.Argument)
        if (-not $isValue) { $positional++ }
      }
    }
    $fromPipeline = $false
    if ($cmd.Parent -is [System.Management.Automation.Language.PipelineAst]) { $fromPipeline = [array]::IndexOf(@($cmd.Parent.PipelineElements), $cmd) -gt 0 }
    $entry = $catalogue[$name]
    $calls.Add([pscustomobject]@{ command = $name; parameters = $used; catalogue = [bool]$entry })
    if ($entry) {
      if ($positional -gt 0) { Add-Finding $item.name $cmd $name 'positional arguments: name every parameter of a catalogue cmdlet' }
      $own = @($used | Where-Object { $common -notcontains $_ })
      $fits = @()
      foreach ($set in $entry.parameterSets) {
        $names = @($set.parameters | ForEach-Object { $_.name })
        $aliases = @($set.parameters | ForEach-Object { @($_.aliases) } | Where-Object { $_ })
        $unknown = @($own | Where-Object { ($names + $aliases) -notcontains $_ })
        if ($unknown.Count -gt 0) { continue }
        $missing = @($set.parameters | Where-Object { $_.mandatory -and $own -notcontains $_.name -and -not $fromPipeline } | ForEach-Object { $_.name })
        if ($missing.Count -gt 0) { continue }
        $fits += $set.name
      }
      if ($fits.Count -eq 0) {
        $all = @($entry.parameterSets | ForEach-Object { $_.parameters } | ForEach-Object { $_.name } | Sort-Object -Unique)
        $bad = @($own | Where-Object { $all -notcontains $_ })
        if ($bad.Count -gt 0) { Add-Finding $item.name $cmd $name ('parameters the real cmdlet does not have: -' + ($bad -join ', -')) }
        else { Add-Finding $item.name $cmd $name ('no parameter set takes -' + ($own -join ', -') + ' with its mandatory parameters') }
      }
    } else {
      $info = Get-Command -Name $name -ErrorAction SilentlyContinue
      if (-not $info) { Add-Finding $item.name $cmd $name 'unknown command (neither in the catalogue nor known to PowerShell)'; continue }
      $known = @($info.Parameters.Keys) + @($info.Parameters.Values | ForEach-Object { $_.Aliases })
      foreach ($p in $used) { if ($known -notcontains $p) { Add-Finding $item.name $cmd $name ('unknown parameter -' + $p) } }
    }
  }
}
[pscustomobject]@{ findings = $findings; calls = $calls } | ConvertTo-Json -Depth 6 -Compress
`;

/** Check script texts; one pwsh run for all of them. */
export async function checkCmdletParameters(
  scripts: { name: string; text: string }[],
): Promise<ParameterReport> {
  const report = (await runPwshChecker({
    what: 'the static parameter checker',
    script: CHECKER,
    input: scripts,
    inputVariable: 'LABFORM_STATIC_INPUT',
    env: { LABFORM_CATALOGUE: CATALOGUE, LABFORM_FAKE_MODULE: FAKE_MODULE },
  })) as { findings: ParameterFinding[] | null; calls: ParameterReport['calls'] | null };
  return {
    findings: report.findings ?? [],
    calls: (report.calls ?? []).map((c) => ({ ...c, parameters: c.parameters ?? [] })),
  };
}
