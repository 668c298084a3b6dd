import { runPwshChecker } from './pwsh-checker.js';

/**
 * What Windows PowerShell 5.1 does to native commands that pwsh 7 on Linux hides:
 * - `native-pipe-input`: text piped INTO a native command is re-encoded with $OutputEncoding
 *   (ASCII by default in 5.1) and every line gets CRLF (PowerShell issues #5974, #1908, #14945).
 * - `native-stderr-under-stop`: a native command's stderr lines become error records, and under
 *   $ErrorActionPreference = 'Stop' the first one is a terminating NativeCommandError (issue
 *   #3996); inside PowerShell Direct, Invoke-Command -ErrorAction Stop throws on it too. A native
 *   call must run under 'Continue'/'SilentlyContinue' (set earlier in the same function) AND
 *   capture its stderr (2>&1, 2>$null or 2>file).
 * - `output-encoding`: a script that says it sets up the session must set $OutputEncoding to UTF-8.
 */
export interface Ps51SemanticFinding {
  script: string;
  rule: 'native-pipe-input' | 'native-stderr-under-stop' | 'output-encoding';
  line: number;
  text: string;
}

// Runs inside pwsh: PowerShell's own parser, then a walk over the AST.
const CHECKER = String.raw`
$ErrorActionPreference = 'Stop'
$items = @(Get-Content -Raw -LiteralPath $env:LABFORM_PS51_INPUT | ConvertFrom-Json)
$findings = New-Object -TypeName 'System.Collections.Generic.List[object]'
function Add-Finding($Script, $Rule, $Extent) {
  $text = $Extent.Text
  if ($text.Length -gt 160) { $text = $text.Substring(0, 160) }
  $findings.Add([pscustomobject]@{ script = $Script; rule = $Rule; line = $Extent.StartLineNumber; text = $text })
}
# A native command: a name ending in .exe (or .cmd/.bat), or & on a variable the script fills
# with one: assigned from text naming an .exe, from Get-Command, or from a function of the same
# script that uses Get-Command (labform keeps the OpenSSH client in a variable that way).
function Test-Native($Command) {
  $first = $Command.CommandElements[0]
  if ($Command.InvocationOperator -eq 'Ampersand' -and $first -is [System.Management.Automation.Language.VariableExpressionAst]) {
    $var = $first.VariablePath.UserPath
    foreach ($a in $global:labformAssignments) {
      if ($a.Left -isnot [System.Management.Automation.Language.VariableExpressionAst] -or $a.Left.VariablePath.UserPath -ne $var) { continue }
      $rhs = $a.Right.Extent.Text
      if ($rhs -match '\.(exe|cmd|bat)\b' -or $rhs -match 'Get-Command') { return $true }
      foreach ($f in $global:labformFunctions) { if ($rhs -match ('^\s*' + [regex]::Escape($f.Name) + '\b') -and $f.Body.Extent.Text -match 'Get-Command') { return $true } }
    }
    return $false
  }
  $name = $Command.GetCommandName()
  if (-not $name) { return $false }
  return ($name -match '\.(exe|cmd|bat|com)$')
}
function Get-Scope($Node) {
  $p = $Node.Parent
  while ($null -ne $p -and -not ($p -is [System.Management.Automation.Language.ScriptBlockAst])) { $p = $p.Parent }
  return $p
}
function Get-Preference($Scope, $Offset) {
  # The last assignment to $ErrorActionPreference in this scope (not in nested script blocks) before the call.
  $value = 'Stop (inherited)'
  $assignments = @($Scope.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Left.Extent.Text -match '^\$ErrorActionPreference$' }, $true))
  foreach ($a in ($assignments | Sort-Object { $_.Extent.StartOffset })) {
    if ($a.Extent.StartOffset -ge $Offset) { continue }
    if ((Get-Scope $a) -ne $Scope) { continue }
    $value = $a.Right.Extent.Text.Trim("'", '"', ' ')
  }
  return $value
}
foreach ($item in $items) {
  $tokens = $null
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$item.text, [ref]$tokens, [ref]$errors)
  $global:labformAssignments = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true))
  $global:labformFunctions = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true))
  foreach ($pipeline in @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.PipelineAst] }, $true))) {
    for ($i = 1; $i -lt $pipeline.PipelineElements.Count; $i++) {
      $element = $pipeline.PipelineElements[$i]
      if ($element -is [System.Management.Automation.Language.CommandAst] -and (Test-Native $element)) { Add-Finding $item.name 'native-pipe-input' $pipeline.Extent }
    }
  }
  foreach ($command in @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true))) {
    if (-not (Test-Native $command)) { continue }
    $captured = $false
    foreach ($r in $command.Redirections) {
      if ([string]$r.FromStream -eq 'Error' -or [string]$r.FromStream -eq 'All') { $captured = $true }
    }
    $preference = Get-Preference (Get-Scope $command) $command.Extent.StartOffset
    if (-not $captured -or @('Continue', 'SilentlyContinue') -notcontains $preference) { Add-Finding $item.name 'native-stderr-under-stop' $command.Extent }
  }
  if ($item.setsUpSession) {
    $ok = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Left.Extent.Text -eq '$OutputEncoding' -and $n.Right.Extent.Text -match 'UTF8' }, $true)).Count -gt 0
    if (-not $ok) { Add-Finding $item.name 'output-encoding' $ast.Extent }
  }
}
ConvertTo-Json -InputObject @{ findings = $findings.ToArray() } -Depth 5 -Compress
`;

/**
 * Checks scripts for the Windows PowerShell 5.1 native-command traps (one pwsh run for all).
 * `setsUpSession`: the script starts a session, so it must set $OutputEncoding to UTF-8.
 */
export async function checkPs51Semantics(
  scripts: { name: string; text: string; setsUpSession?: boolean }[],
): Promise<Ps51SemanticFinding[]> {
  const answer = (await runPwshChecker({
    what: 'the PS 5.1 semantics checker',
    script: CHECKER,
    input: scripts.map((s) => ({ ...s, setsUpSession: Boolean(s.setsUpSession) })),
    inputVariable: 'LABFORM_PS51_INPUT',
  })) as { findings: Ps51SemanticFinding[] };
  return answer.findings;
}
