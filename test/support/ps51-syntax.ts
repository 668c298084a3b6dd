import { runPwshChecker } from './pwsh-checker.js';

/** A parse error or a PowerShell 7-only construct in a script meant for Windows PowerShell 5.1. */
export interface Ps51Finding {
  /** The script's name as given. */
  script: string;
  kind: 'parse-error' | 'ps7-syntax';
  /** e.g. `ternary ?:`, `pipeline chain &&/||`, or the parser's message. */
  what: string;
  line: number;
  column: number;
  text: string;
}

// Runs inside pwsh: parses each script with PowerShell's own parser and walks the AST.
const CHECKER = String.raw`
$ErrorActionPreference = 'Stop'
$items = @(Get-Content -Raw -LiteralPath $env:LABFORM_PS51_INPUT | ConvertFrom-Json)
$findings = New-Object -TypeName 'System.Collections.Generic.List[object]'
function Add-Finding($Script, $Kind, $What, $Extent) {
  $findings.Add([pscustomobject]@{ script = $Script; kind = $Kind; what = $What; line = $Extent.StartLineNumber; column = $Extent.StartColumnNumber; text = $Extent.Text })
}
function Test-Parameter($Command, $Names) {
  foreach ($element in $Command.CommandElements) {
    if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
      foreach ($name in $Names) {
        # PowerShell accepts any unambiguous prefix: -Para, -AsHash ...
        if ($element.ParameterName.Length -ge 3 -and $name.StartsWith($element.ParameterName, [System.StringComparison]::OrdinalIgnoreCase)) { return $name }
      }
    }
  }
  return $null
}
foreach ($item in $items) {
  $tokens = $null
  $errors = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$item.text, [ref]$tokens, [ref]$errors)
  foreach ($e in $errors) { Add-Finding $item.name 'parse-error' $e.Message $e.Extent }
  foreach ($node in $ast.FindAll({ param($n) $true }, $true)) {
    $type = $node.GetType().Name
    if ($type -eq 'TernaryExpressionAst') { Add-Finding $item.name 'ps7-syntax' 'ternary ?:' $node.Extent }
    elseif ($type -eq 'PipelineChainAst') { Add-Finding $item.name 'ps7-syntax' 'pipeline chain && / ||' $node.Extent }
    elseif ($type -eq 'BinaryExpressionAst' -and ($node.Operator -eq 'QuestionQuestion' -or $node.Operator -eq 'QuestionQuestionEquals')) { Add-Finding $item.name 'ps7-syntax' 'null-coalescing ??' $node.Extent }
    elseif ($type -eq 'AssignmentStatementAst' -and $node.Operator -eq 'QuestionQuestionEquals') { Add-Finding $item.name 'ps7-syntax' 'null-coalescing assignment ??=' $node.Extent }
    elseif (($type -eq 'MemberExpressionAst' -or $type -eq 'InvokeMemberExpressionAst') -and $node.NullConditional) { Add-Finding $item.name 'ps7-syntax' 'null-conditional member access ?.' $node.Extent }
    elseif ($type -eq 'IndexExpressionAst' -and $node.NullConditional) { Add-Finding $item.name 'ps7-syntax' 'null-conditional index ?[]' $node.Extent }
    elseif ($type -eq 'PipelineAst' -and $node.Background) { Add-Finding $item.name 'ps7-syntax' 'background operator &' $node.Extent }
    elseif ($type -eq 'ScriptBlockAst' -and $null -ne $node.CleanBlock) { Add-Finding $item.name 'ps7-syntax' 'clean block' $node.CleanBlock.Extent }
    elseif ($type -eq 'CommandAst') {
      $name = $node.GetCommandName()
      if ($name -in @('ForEach-Object', 'foreach', '%')) {
        $p = Test-Parameter $node @('Parallel')
        if ($p) { Add-Finding $item.name 'ps7-syntax' 'ForEach-Object -Parallel' $node.Extent }
      }
      if ($name -eq 'ConvertFrom-Json') {
        $p = Test-Parameter $node @('AsHashtable', 'DateKind', 'NoEnumerate', 'Depth')
        if ($p) { Add-Finding $item.name 'ps7-syntax' ('ConvertFrom-Json -' + $p) $node.Extent }
      }
      if ($name -eq 'ConvertTo-Json') {
        $p = Test-Parameter $node @('EnumsAsStrings', 'AsArray', 'EscapeHandling')
        if ($p) { Add-Finding $item.name 'ps7-syntax' ('ConvertTo-Json -' + $p) $node.Extent }
      }
    }
  }
}
ConvertTo-Json -InputObject @{ findings = $findings.ToArray() } -Depth 5 -Compress
`;

/**
 * Parses scripts with PowerShell's parser (one pwsh run for all of them) and reports parse
 * errors and syntax that Windows PowerShell 5.1 does not have. An empty list means clean.
 */
export async function checkPs51Syntax(scripts: { name: string; text: string }[]): Promise<Ps51Finding[]> {
  const answer = (await runPwshChecker({
    what: 'the PS 5.1 syntax checker',
    script: CHECKER,
    input: scripts,
    inputVariable: 'LABFORM_PS51_INPUT',
  })) as { findings: Ps51Finding[] };
  return answer.findings;
}
