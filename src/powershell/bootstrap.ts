/**
 * The far side of a session, in Windows PowerShell 5.1 syntax only (checked by
 * test/powershell/bootstrap-syntax.test.ts through pwsh's own parser).
 *
 * Stage 0 travels on the command line (-EncodedCommand) and is tiny, because ssh to a
 * Windows host goes through cmd.exe and its 8191-character limit. It reads one line from
 * stdin (stage 1, base64 UTF-8) and dot-sources it with the same reader. Stage 1 answers
 * framed requests: each stdin line is base64 of UTF-8 JSON `{id, command, parameters}`,
 * each answer is the line `<nonce>:<id>:<base64 of UTF-8 JSON>`. Nothing else a cmdlet
 * writes to the host can look like an answer, because the nonce is random per session.
 */

/** Placeholders replaced in stage 1 (values are hex / host names, quoted by `psQuote`). */
const NONCE = '__LABFORM_NONCE__';
const REMOTE = '__LABFORM_REMOTE__';

export const STAGE0 = [
  '$labformReader = New-Object -TypeName System.IO.StreamReader -ArgumentList @([Console]::OpenStandardInput(), (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))',
  '. ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($labformReader.ReadLine()))))',
].join('\n');

/** Helper functions; defined locally, and in the remote session for winrm. */
export const CORE = String.raw`
function LabformBoot-SecureString {
  param([string]$Text)
  $secure = New-Object -TypeName System.Security.SecureString
  foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
  $secure.MakeReadOnly()
  return $secure
}

# JSON objects -> hashtables (5.1 has no -AsHashtable), secret markers -> SecureString/PSCredential.
# A loop over a stack of containers still to convert, not a call per value: a plan's request
# carries every running VM's probes (thousands of values at 100 VMs), and a PowerShell function
# call per value, with a pipeline per object for its property names, was most of the time
# the request spent before discovery started. Scalars are copied where they are.
function LabformBoot-Value {
  param($Value)
  $root = New-Object -TypeName 'object[]' -ArgumentList 1
  # Each entry: the value to convert, the container it goes into, its key or index there.
  $pending = New-Object -TypeName 'System.Collections.Generic.Stack[object[]]'
  $pending.Push(@($Value, $root, 0))
  while ($pending.Count -gt 0) {
    $next = $pending.Pop()
    $item = $next[0]
    $converted = $item
    if ($item -is [System.Management.Automation.PSCustomObject]) {
      $properties = @($item.PSObject.Properties)
      if ($properties.Count -eq 1 -and $properties[0].Name -ceq '__labformSecret') {
        $converted = LabformBoot-SecureString -Text ([string]$properties[0].Value)
      } elseif ($properties.Count -eq 1 -and $properties[0].Name -ceq '__labformCredential') {
        $pair = $properties[0].Value
        $password = LabformBoot-SecureString -Text ([string]$pair.password)
        $converted = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList @([string]$pair.username, $password)
      } else {
        $converted = @{}
        foreach ($p in $properties) {
          $inner = $p.Value
          if ($inner -is [System.Management.Automation.PSCustomObject] -or $inner -is [System.Array]) { $pending.Push(@($inner, $converted, $p.Name)) }
          else { $converted[$p.Name] = $inner }
        }
      }
    } elseif ($item -is [System.Array]) {
      $converted = New-Object -TypeName 'object[]' -ArgumentList $item.Length
      for ($i = 0; $i -lt $item.Length; $i++) {
        $inner = $item[$i]
        if ($inner -is [System.Management.Automation.PSCustomObject] -or $inner -is [System.Array]) { $pending.Push(@($inner, $converted, $i)) }
        else { $converted[$i] = $inner }
      }
    }
    $next[1][$next[2]] = $converted
  }
  if ($root[0] -is [System.Array]) { return ,$root[0] }
  return $root[0]
}

function LabformBoot-FromJson {
  param([string]$Json)
  $splat = @{ InputObject = $Json }
  # pwsh 7 turns ISO-looking strings into DateTime unless told otherwise; data must arrive unchanged.
  if ((Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')) { $splat['DateKind'] = 'String' }
  return (ConvertFrom-Json @splat)
}

function LabformBoot-Record {
  param($Record)
  $message = ''
  $type = $null
  if ($null -ne $Record.Exception) {
    $message = [string]$Record.Exception.Message
    $type = $Record.Exception.GetType().FullName
  }
  if ($null -ne $Record.ErrorDetails -and -not [string]::IsNullOrEmpty($Record.ErrorDetails.Message)) {
    $message = [string]$Record.ErrorDetails.Message
  }
  $target = $null
  if ($null -ne $Record.TargetObject) { $target = [string]$Record.TargetObject }
  return @{
    message = $message
    category = [string]$Record.CategoryInfo.Category
    fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
    target = $target
    exceptionType = $type
  }
}

function LabformBoot-Json {
  param($Answer)
  return (ConvertTo-Json -InputObject $Answer -Depth 24 -Compress)
}

function LabformBoot-Allow {
  param($Before)
  $global:LabformAllowed = @{}
  foreach ($f in @(Get-ChildItem -Path function:)) {
    if (-not $Before.ContainsKey($f.Name)) { $global:LabformAllowed[$f.Name] = $f }
  }
  return ,@($global:LabformAllowed.Keys | Sort-Object)
}

# One request: only functions the library defined may run; parameters are splatted data.
function LabformBoot-Dispatch {
  param([string]$Json)
  $ErrorActionPreference = 'Stop'
  $ProgressPreference = 'SilentlyContinue'
  $id = ''
  try {
    $request = LabformBoot-FromJson -Json $Json
    $id = [string]$request.id
    $name = [string]$request.command
    if ($null -eq $global:LabformAllowed -or -not $global:LabformAllowed.ContainsKey($name)) {
      $denied = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList @(
        (New-Object -TypeName System.InvalidOperationException -ArgumentList ('labform: ' + $name + ' is not a function of the loaded library')),
        'LabformCommandNotAllowed', [System.Management.Automation.ErrorCategory]::PermissionDenied, $name)
      throw $denied
    }
    $params = LabformBoot-Value -Value $request.parameters
    if ($null -eq $params) { $params = @{} }
    $output = @(& $global:LabformAllowed[$name] @params)
    $value = $null
    if ($output.Count -eq 1 -and $output[0] -is [System.Collections.IList]) {
      # The function returned one array (e.g. ,@($x)): keep it an array, even of one element.
      $list = New-Object -TypeName 'System.Collections.Generic.List[object]'
      foreach ($e in $output[0]) { $list.Add($e) }
      $value = $list.ToArray()
    } elseif ($output.Count -eq 1) {
      $value = $output[0]
    } elseif ($output.Count -gt 1) {
      $value = $output
    }
    return (LabformBoot-Json -Answer @{ id = $id; ok = $true; result = $value })
  } catch {
    return (LabformBoot-Json -Answer @{ id = $id; ok = $false; error = (LabformBoot-Record -Record $_) })
  }
}
`;

/** Loads modules and the library; dot-sourced at the top level so functions land in the global scope. */
const LOAD = String.raw`
$labformLoad = {
  param($LabformCoreText, $LabformModules, $LabformScripts)
  $ProgressPreference = 'SilentlyContinue'
  # Here too, not only in stage 1: for winrm this block runs in the REMOTE session, whose
  # ConvertTo-Json writes the answers (Windows PowerShell 5.1 ETS adds Count to arrays).
  if ($PSVersionTable.PSVersion.Major -lt 6) { Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue }
  . ([ScriptBlock]::Create($LabformCoreText))
  foreach ($labformModule in @($LabformModules)) {
    if ($null -ne $labformModule) { Import-Module -Name $labformModule -Global -DisableNameChecking -ErrorAction Stop }
  }
  $labformBefore = @{}
  foreach ($labformFunction in @(Get-ChildItem -Path function:)) { $labformBefore[$labformFunction.Name] = $true }
  foreach ($labformScript in @($LabformScripts)) {
    if ($null -ne $labformScript) { . ([ScriptBlock]::Create([string]$labformScript)) }
  }
  LabformBoot-Allow -Before $labformBefore
}
`;

export const STAGE1 = String.raw`
$ProgressPreference = 'SilentlyContinue'
$ErrorActionPreference = 'Stop'
$labformNonce = '${NONCE}'
$labformRemote = '${REMOTE}'
$labformNewline = [string][char]10
try { [Console]::OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false } catch { $null = $_ }
# What PowerShell sends to a native command's stdin: ASCII by default in 5.1 (PowerShell issue #14945).
$OutputEncoding = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false
# Windows PowerShell 5.1 serialises wrapped arrays as {value, Count} unless this type data goes.
if ($PSVersionTable.PSVersion.Major -lt 6) { Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue }
$labformCoreText = @'
${'__LABFORM_CORE__'}
'@
. ([ScriptBlock]::Create($labformCoreText))
${LOAD}
$labformLoaded = $false
$labformSession = $null

function LabformBoot-Write {
  param([string]$Id, [string]$Json)
  $payload = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json))
  [Console]::Out.Write($labformNewline + $labformNonce + ':' + $Id + ':' + $payload + $labformNewline)
  [Console]::Out.Flush()
}

while ($true) {
  $labformLine = $labformReader.ReadLine()
  if ($null -eq $labformLine) { break }
  $labformLine = $labformLine.Trim()
  if ($labformLine.Length -eq 0) { continue }
  $labformId = ''
  $labformAnswer = $null
  $labformExit = $false
  try {
    $labformJson = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($labformLine))
    $labformRequest = LabformBoot-FromJson -Json $labformJson
    $labformId = [string]$labformRequest.id
    $labformCommand = [string]$labformRequest.command
    if ($labformCommand -ceq '__exit') {
      $labformExit = $true
      $labformAnswer = LabformBoot-Json -Answer @{ id = $labformId; ok = $true; result = $null }
    } elseif ($labformCommand -ceq '__load') {
      if ($labformLoaded) { throw 'labform: the library is already loaded' }
      $labformModules = @($labformRequest.parameters.modules)
      $labformScripts = @($labformRequest.parameters.scripts)
      if ($labformRemote.Length -gt 0) {
        # Only these New-PSSession options are taken from the request: port, HTTPS, credential.
        $labformRemoteSplat = @{ ComputerName = $labformRemote; ErrorAction = 'Stop' }
        $labformRemoteGiven = LabformBoot-Value -Value $labformRequest.parameters.remote
        if ($labformRemoteGiven -is [hashtable]) {
          if ($labformRemoteGiven.ContainsKey('Port')) { $labformRemoteSplat.Port = [int]$labformRemoteGiven.Port }
          if ($labformRemoteGiven.ContainsKey('UseSSL') -and $labformRemoteGiven.UseSSL) { $labformRemoteSplat.UseSSL = $true }
          if ($labformRemoteGiven.ContainsKey('Credential')) { $labformRemoteSplat.Credential = $labformRemoteGiven.Credential }
        }
        $labformSession = New-PSSession @labformRemoteSplat
        $labformNames = Invoke-Command -Session $labformSession -ScriptBlock $labformLoad -ArgumentList @($labformCoreText, $labformModules, $labformScripts) -ErrorAction Stop
      } else {
        $labformNames = . $labformLoad $labformCoreText $labformModules $labformScripts
      }
      $labformLoaded = $true
      $labformAnswer = LabformBoot-Json -Answer @{ id = $labformId; ok = $true; result = @($labformNames) }
    } elseif ($labformRemote.Length -gt 0) {
      try {
        $labformAnswer = [string](Invoke-Command -Session $labformSession -ScriptBlock { param($j) LabformBoot-Dispatch -Json $j } -ArgumentList $labformJson -ErrorAction Stop)
      } catch {
        # The remote session is broken: answer, then end so the caller starts a fresh one.
        $labformExit = $true
        throw
      }
    } else {
      $labformAnswer = LabformBoot-Dispatch -Json $labformJson
    }
  } catch {
    $labformAnswer = LabformBoot-Json -Answer @{ id = $labformId; ok = $false; error = (LabformBoot-Record -Record $_) }
  }
  LabformBoot-Write -Id $labformId -Json $labformAnswer
  if ($labformExit) { break }
}
if ($null -ne $labformSession) { Remove-PSSession -Session $labformSession -ErrorAction SilentlyContinue }
exit 0
`;

/** Stage 1 with this session's nonce and (for winrm) the remote computer name filled in. */
export function renderStage1(options: { nonce: string; remoteHost?: string }): string {
  if (!/^[0-9a-f]+$/.test(options.nonce)) throw new Error('nonce must be hex');
  const remote = options.remoteHost ?? '';
  // The remote name sits inside a single-quoted string: doubling quotes keeps it data.
  const quoted = remote.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q);
  if (CORE.includes("'@")) throw new Error("the core script must not contain '@");
  return STAGE1.replace('__LABFORM_CORE__', () => CORE)
    .replace(`'${NONCE}'`, () => `'${options.nonce}'`)
    .replace(`'${REMOTE}'`, () => `'${quoted}'`);
}

/** Base64 of UTF-16LE, as PowerShell's -EncodedCommand wants. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}
