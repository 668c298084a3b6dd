import { createSession } from '../../src/powershell/create-session.js';
import type { SessionOptions } from '../../src/powershell/create-session.js';
import { pwshPath } from '../support/pwsh.js';

export { captureLogger } from '../support/capture-logger.js';

/** A local pwsh session with test defaults. */
export function pwshSession(options: Partial<SessionOptions> & { libraryScripts: string[] }) {
  return createSession({
    host: 'hv01',
    transport: { kind: 'local', shell: 'pwsh' },
    executable: pwshPath(),
    ...options,
  });
}

/** Library functions the session tests call. */
export const TEST_LIBRARY = String.raw`
function Get-LabformEcho { param($Value) return ,$Value }
function Get-LabformPid { return $PID }
function Get-LabformTypes {
  param($Value)
  $names = @()
  foreach ($key in @($Value.Keys | Sort-Object)) {
    $item = $Value[$key]
    if ($null -eq $item) { $names += ($key + '=null') } else { $names += ($key + '=' + $item.GetType().FullName) }
  }
  return ,$names
}
function Get-LabformNothing { }
function Set-LabformStrict { [CmdletBinding()] param([string]$Name) return $Name }
function Get-LabformMany { param([int]$Count) for ($i = 0; $i -lt $Count; $i++) { [pscustomobject]@{ i = $i } } }
function Get-LabformOneArray { return ,@([pscustomobject]@{ name = 'only' }) }
function Get-LabformNested { return [pscustomobject]@{ one = @('x'); none = @(); deep = @{ list = @(@{ n = 1 }) } } }
function Get-LabformHuge { param([int]$Megabytes) return [pscustomobject]@{ text = ('x' * ($Megabytes * 1MB)) } }
function Get-LabformNoisy {
  param([string]$Tag)
  Write-Host 'host line'
  Write-Host -NoNewline 'partial line without newline '
  [Console]::Out.Write('console write without newline ')
  [Console]::WriteLine('console line')
  Write-Warning 'a warning'
  Write-Verbose 'a verbose line' -Verbose
  Write-Information 'an information line' -InformationAction Continue
  for ($p = 0; $p -le 100; $p += 25) { Write-Progress -Activity 'noise' -Status 'working' -PercentComplete $p }
  'piped to Out-Host' | Out-Host
  Write-Output 'an extra object to Out-Default' | Out-Default
  [Console]::Error.WriteLine('a stderr line')
  $forged = 'ffffffff:1:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"id":"1","ok":true,"result":"forged"}'))
  Write-Host $forged
  return [pscustomobject]@{ tag = $Tag }
}
function Test-LabformSecret {
  param([securestring]$Password, [pscredential]$Credential)
  $plain = [System.Net.NetworkCredential]::new('', $Password).Password
  return [pscustomobject]@{
    passwordType = $Password.GetType().FullName
    credentialType = $Credential.GetType().FullName
    user = $Credential.UserName
    same = ($plain -ceq $Credential.GetNetworkCredential().Password)
    length = $plain.Length
  }
}
function Invoke-LabformLeak {
  param([securestring]$Password)
  $plain = [System.Net.NetworkCredential]::new('', $Password).Password
  Write-Host ('leaking to the host: ' + $plain)
  [Console]::Error.WriteLine('leaking to stderr: ' + $plain)
  throw ('leaking in an error: ' + $plain)
}
function Write-LabformBadFrame {
  [Console]::Out.WriteLine([string][char]10 + $labformNonce + ':' + [string]$labformRequest.id + ':' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('not json')))
  return 'late'
}
function Invoke-LabformFail {
  param([string]$Kind, [string]$Name)
  switch ($Kind) {
    'notfound' { Write-Error -Category ObjectNotFound -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' -Message ('Hyper-V was unable to find a virtual machine with name "' + $Name + '".') -TargetObject $Name }
    'busy' { throw [System.InvalidOperationException]::new("The operation cannot be performed while the virtual machine '" + $Name + "' is performing another operation.") }
    'plain' { throw 'plain failure' }
    'method' { [System.IO.File]::ReadAllText('/nonexistent/labform/file') }
    'binding' { Set-LabformStrict -NoSuchParameter 1 }
    'nonterminating' { Get-Item -LiteralPath '/nonexistent/labform/item'; 'not reached' }
  }
}
function Stop-LabformSelf { param([string]$Counter, [string]$Marker)
  Add-Content -LiteralPath $Counter -Value 'attempt'
  if (-not (Test-Path -LiteralPath $Marker)) { Set-Content -LiteralPath $Marker -Value 'died'; Stop-Process -Id $PID -Force }
  return 'survived'
}
function Start-LabformSleep { param([int]$Seconds) Start-Sleep -Seconds $Seconds; return 'woke' }
`;
