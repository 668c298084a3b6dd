import { runPwshChecker } from '../../../support/pwsh-checker.js';

export interface ParameterFinding {
  script: string;
  command: string;
  parameter: string;
  line: number;
  problem: 'unknown-parameter' | 'ambiguous-parameter' | 'unknown-command';
}

export interface StaticCheckResult {
  findings: ParameterFinding[];
  /** Every command the scripts call that the catalogue or the guest declarations know. */
  cmdletsUsed: string[];
}

// Runs inside pwsh: every command call in the scripts, its named and splatted parameters
// resolved (exact name, alias, or unambiguous prefix, as PowerShell binds) against the
// catalogue and the guest declarations' param blocks.
const CHECKER = String.raw`
$ErrorActionPreference = 'Stop'
$in = Get-Content -Raw -LiteralPath $env:LABFORM_STATIC_INPUT | ConvertFrom-Json
$known = @{}
$catalogue = Get-Content -Raw -LiteralPath $in.catalogue | ConvertFrom-Json
foreach ($p in $catalogue.cmdlets.PSObject.Properties) {
  $names = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
  foreach ($set in @($p.Value.parameterSets)) { foreach ($param in @($set.parameters)) { $null = $names.Add([string]$param.name); foreach ($a in @($param.aliases)) { if ($a) { $null = $names.Add([string]$a) } } } }
  $known[$p.Name] = $names
}
foreach ($file in @($in.declarations)) {
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$null)
  foreach ($fn in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)) {
    $names = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($param in @($fn.Body.ParamBlock.Parameters)) {
      $null = $names.Add($param.Name.VariablePath.UserPath)
      foreach ($attr in $param.Attributes) { if ($attr.TypeName.Name -eq 'Alias') { foreach ($a in $attr.PositionalArguments) { $null = $names.Add($a.Value) } } }
    }
    $known[$fn.Name] = $names
  }
}
$common = @('Verbose','Debug','ErrorAction','WarningAction','InformationAction','ProgressAction','ErrorVariable','WarningVariable','InformationVariable','OutVariable','OutBuffer','PipelineVariable','WhatIf','Confirm')
$builtin = @($in.builtins)
$findings = New-Object 'System.Collections.Generic.List[object]'
$used = New-Object 'System.Collections.Generic.HashSet[string]'
function Resolve-Param($Command, $Name) {
  $all = @($known[$Command]) + $common
  $exact = @($all | Where-Object { $_ -eq $Name })
  if ($exact.Count -gt 0) { return 'ok' }
  $prefix = @($all | Where-Object { $_.StartsWith($Name, [System.StringComparison]::OrdinalIgnoreCase) } | Sort-Object -Unique)
  if ($prefix.Count -eq 1) { return 'ok' }
  if ($prefix.Count -gt 1) { return 'ambiguous-parameter' }
  return 'unknown-parameter'
}
# The library's files load into one session: a function of one file may call another file's.
$defined = @()
foreach ($script in @($in.scripts)) {
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($script.path, [ref]$null, [ref]$null)
  $defined += @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object { $_.Name })
}
foreach ($script in @($in.scripts)) {
  $ast = [System.Management.Automation.Language.Parser]::ParseFile($script.path, [ref]$null, [ref]$null)
  foreach ($cmd in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
    $name = $cmd.GetCommandName()
    if (-not $name) { continue }
    if (-not $known.ContainsKey($name)) {
      if ($builtin -notcontains $name -and $defined -notcontains $name) {
        $findings.Add([pscustomobject]@{ script = $script.name; command = $name; parameter = ''; line = $cmd.Extent.StartLineNumber; problem = 'unknown-command' })
      }
      continue
    }
    $null = $used.Add($name)
    $check = @()
    foreach ($e in $cmd.CommandElements) {
      if ($e -is [System.Management.Automation.Language.CommandParameterAst]) { $check += $e.ParameterName }
      elseif ($e -is [System.Management.Automation.Language.VariableExpressionAst] -and $e.Splatted) {
        # The splatted table's keys: its literal and every $table.Key = ... in the same function.
        $var = $e.VariablePath.UserPath
        $scope = $cmd.Parent
        while ($null -ne $scope -and -not ($scope -is [System.Management.Automation.Language.FunctionDefinitionAst])) { $scope = $scope.Parent }
        if ($null -eq $scope) { $scope = $ast }
        foreach ($assign in $scope.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true)) {
          $left = $assign.Left
          if ($left -is [System.Management.Automation.Language.VariableExpressionAst] -and $left.VariablePath.UserPath -eq $var) {
            foreach ($h in $assign.Right.FindAll({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $true)) { foreach ($pair in $h.KeyValuePairs) { $check += [string]$pair.Item1.Value } }
          }
          if ($left -is [System.Management.Automation.Language.MemberExpressionAst] -and $left.Expression -is [System.Management.Automation.Language.VariableExpressionAst] -and $left.Expression.VariablePath.UserPath -eq $var) {
            $check += [string]$left.Member.Value
          }
        }
      }
    }
    foreach ($p in $check) {
      $verdict = Resolve-Param $name $p
      if ($verdict -ne 'ok') { $findings.Add([pscustomobject]@{ script = $script.name; command = $name; parameter = $p; line = $cmd.Extent.StartLineNumber; problem = $verdict }) }
    }
  }
}
ConvertTo-Json -InputObject @{ findings = $findings.ToArray(); cmdletsUsed = @($used | Sort-Object) } -Depth 5 -Compress
`;

/** Checks every command call of the scripts against the catalogue and extra declarations. */
export async function checkCmdletParameters(options: {
  scripts: { name: string; path: string }[];
  catalogue: string;
  declarations: string[];
  builtins: string[];
}): Promise<StaticCheckResult> {
  return (await runPwshChecker({
    what: 'the static parameter check',
    script: CHECKER,
    input: options,
    inputVariable: 'LABFORM_STATIC_INPUT',
  })) as StaticCheckResult;
}
