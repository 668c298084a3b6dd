import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { checkPs51Semantics } from '../support/ps51-semantics.js';
import { CORE, renderStage1, STAGE0 } from '../../src/powershell/bootstrap.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every PowerShell script shipped under src/ (new script files are checked without being listed). */
function shippedScripts(dir = SRC): { name: string; text: string }[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return shippedScripts(path);
    return entry.endsWith('.ps1') ? [{ name: relative(SRC, path), text: readFileSync(path, 'utf8') }] : [];
  });
}

describePwsh('Windows PowerShell 5.1 semantics that pwsh on Linux hides, checked on the AST', () => {
  it('no script pipes text into a native command or lets a native command throw on stderr under Stop', async () => {
    const scripts = shippedScripts();
    expect(scripts.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'providers/hyperv/guest/scripts/LabformGuest.Linux.ps1',
        'providers/hyperv/guest/scripts/LabformGuest.Domain.ps1',
      ]),
    );
    expect(await checkPs51Semantics(scripts)).toEqual([]);
  }, 60_000);

  it('the session sets $OutputEncoding to UTF-8 (5.1 sends ASCII to native stdin otherwise)', async () => {
    const session = [
      { name: 'stage0', text: STAGE0 },
      { name: 'core', text: CORE },
      { name: 'stage1', text: renderStage1({ nonce: 'abcdef' }), setsUpSession: true },
    ];
    expect(await checkPs51Semantics(session)).toEqual([]);
  }, 60_000);

  it('removes the System.Array type data in the session that writes the answers, the remote one for winrm too', () => {
    const stage1 = renderStage1({ nonce: 'abcdef', remoteHost: 'hv01' });
    const load = stage1.slice(stage1.indexOf('$labformLoad = {'));
    // $labformLoad is the block Invoke-Command -Session runs remotely (PowerShell issue #3222).
    expect(load.slice(0, load.indexOf('\n}\n'))).toContain('Remove-TypeData -TypeName System.Array');
  });

  it('catches each trap', async () => {
    const findings = await checkPs51Semantics([
      {
        name: 'pipe.ps1',
        text: "function A { $ErrorActionPreference = 'Continue'; 'echo hi' | & ssh.exe host 'bash -s' 2>&1 }",
      },
      {
        name: 'stop.ps1',
        text: "function B { $ErrorActionPreference = 'Stop'; $out = & djoin.exe /provision 2>&1 }",
      },
      { name: 'inherited.ps1', text: 'function C { $out = & netdom.exe trust a /add 2>&1 }' },
      {
        name: 'uncaptured.ps1',
        text: "function D { $ErrorActionPreference = 'Continue'; $null = & djoin.exe /requestODJ }",
      },
      {
        name: 'variable.ps1',
        text: "function E { $ssh = 'ssh.exe'; $ErrorActionPreference = 'Continue'; $x | & $ssh host 2>&1 }",
      },
      {
        name: 'restored-too-early.ps1',
        text: "function F { $ErrorActionPreference = 'Continue'; $ErrorActionPreference = 'Stop'; $o = & djoin.exe 2>&1 }",
      },
      { name: 'session.ps1', text: '$x = 1', setsUpSession: true },
      {
        name: 'fine.ps1',
        text: "function G { $ErrorActionPreference = 'Continue'; $o = @(& djoin.exe /provision 2>&1); $ErrorActionPreference = 'Stop' }",
      },
    ]);
    expect(findings.map((f) => [f.script, f.rule])).toEqual([
      ['pipe.ps1', 'native-pipe-input'],
      ['stop.ps1', 'native-stderr-under-stop'],
      ['inherited.ps1', 'native-stderr-under-stop'],
      ['uncaptured.ps1', 'native-stderr-under-stop'],
      ['variable.ps1', 'native-pipe-input'],
      ['restored-too-early.ps1', 'native-stderr-under-stop'],
      ['session.ps1', 'output-encoding'],
    ]);
  }, 60_000);
});
