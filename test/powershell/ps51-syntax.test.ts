import { expect, it } from 'vitest';
import { CORE, renderStage1, STAGE0 } from '../../src/powershell/bootstrap.js';
import { checkPs51Syntax } from '../support/ps51-syntax.js';
import { describePwsh } from '../support/pwsh.js';

const bad: { text: string; what: RegExp }[] = [
  { text: '$a = $x ? 1 : 2', what: /ternary/ },
  { text: 'Get-Item x && Write-Host ok', what: /pipeline chain/ },
  { text: 'Get-Item x || Write-Host failed', what: /pipeline chain/ },
  { text: '$a = $b ?? 3', what: /\?\?/ },
  { text: '$a ??= 3', what: /\?\?=/ },
  { text: '$n = ${x}?.Name', what: /\?\./ },
  { text: '$n = ${x}?.ToString()', what: /\?\./ },
  { text: '$n = ${x}?[0]', what: /\?\[\]/ },
  { text: '1..3 | ForEach-Object -Parallel { $_ }', what: /-Parallel/ },
  { text: '1..3 | % -Parall { $_ }', what: /-Parallel/ },
  { text: "'{}' | ConvertFrom-Json -AsHashtable", what: /AsHashtable/ },
  { text: "ConvertFrom-Json -InputObject '{}' -AsHash", what: /AsHashtable/ },
  { text: 'Start-Sleep 1 &', what: /background/ },
  { text: 'function F { process { 1 } clean { 2 } }', what: /clean block/ },
  { text: 'function F {', what: /Missing closing/ },
];

const good = [
  'if ($x) { 1 } else { 2 }',
  '$a = if ($null -ne $b) { $b } else { 3 }',
  '$n = $x.Name; $m = $x[0]; & $cmd @params',
  "'{}' | ConvertFrom-Json | ForEach-Object { $_ }",
  'foreach ($i in 1..3) { $i }',
  "$r = Get-Item x -ErrorAction SilentlyContinue; if (-not $?) { 'failed' }",
  '$s = "a ? b : c and x ?? y inside a string"',
  'function G { [CmdletBinding()] param([string]$Name) begin {} process { $Name } end {} }',
];

describePwsh('PowerShell 5.1 syntax checker', () => {
  it('finds every PowerShell 7-only construct and parse error', async () => {
    const findings = await checkPs51Syntax(bad.map((b, i) => ({ name: `bad${i}`, text: b.text })));
    bad.forEach((b, i) => {
      const mine = findings.filter((f) => f.script === `bad${i}`);
      expect(mine.map((f) => f.what).join(' | '), b.text).toMatch(b.what);
      expect(mine[0]!.line).toBe(1);
    });
  });

  it('passes Windows PowerShell 5.1 syntax', async () => {
    expect(await checkPs51Syntax(good.map((text, i) => ({ name: `good${i}`, text })))).toEqual([]);
  });

  it('the session bootstrap is clean 5.1 syntax', async () => {
    const findings = await checkPs51Syntax([
      { name: 'stage0', text: STAGE0 },
      { name: 'stage1', text: renderStage1({ nonce: 'abcdef', remoteHost: "hv01'; Remove-Item x; '" }) },
      { name: 'core', text: CORE },
    ]);
    expect(findings).toEqual([]);
  });
});
