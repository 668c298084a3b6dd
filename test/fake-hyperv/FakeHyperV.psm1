# The fake Hyper-V module for tests (PowerShell 7; test code, so not held to 5.1 syntax).
#
# FakeHyperV.Declarations.ps1 (generated from the catalogue) declares every cmdlet with the real
# parameter sets; each body calls Invoke-FakeCmdlet, which dispatches to a behaviour registered
# with Register-FakeCmdlet by host/*.ps1 (this engineer) and guest/*.ps1 (the guest engineer).
# State lives in the JSON file named by $env:LABFORM_FAKE_HYPERV_STATE, read and written per call
# (read-only calls reuse the last parse while the file's text is unchanged: Read-FakeStateForRead;
# inside one Invoke-Command -VMName request they check the file's stamp only: Enter-FakeRequestState).

Set-StrictMode -Off
# Host and guest behaviours are kept apart: the same cmdlet (New-NetIPAddress, Get-CimInstance)
# acts on the host outside Invoke-Command and on the current guest inside it.
$script:FakeBehaviours = @{}
$script:FakeGuestScopeBehaviours = @{}
$script:FakeRegisteringScope = 'host'

class FakeBehaviour {
    [scriptblock]$Script
    [bool]$ReadOnly
    [bool]$ManagesState
}

function Register-FakeCmdlet {
    <#
    Registers the behaviour of a faked cmdlet. The script block gets param($Bound, $ParameterSetName, $State):
    $Bound is the caller's $PSBoundParameters, $State the host state (hashtable, changes are saved
    after the call unless -ReadOnly). -ManagesState: $State is $null and the behaviour reads and
    writes the state itself (Read-FakeState / Write-FakeState), e.g. Invoke-Command running nested fakes.
    #>
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][scriptblock]$ScriptBlock,
        [switch]$ReadOnly,
        [switch]$ManagesState
    )
    $b = [FakeBehaviour]::new()
    $b.Script = $ScriptBlock
    $b.ReadOnly = [bool]$ReadOnly
    $b.ManagesState = [bool]$ManagesState
    if ($script:FakeRegisteringScope -eq 'guest') { $script:FakeGuestScopeBehaviours[$Name] = $b } else { $script:FakeBehaviours[$Name] = $b }
}

# One state file per host. Tests name it (LABFORM_FAKE_HYPERV_STATE); the end-to-end run
# (scripts/e2e-hyperv.js) names a folder (LABFORM_FAKE_HYPERV_STATE_DIR) and labform's test hook
# tells each host's session which manifest host it serves (LABFORM_HYPERV_HOST,
# src/providers/hyperv/test-hooks.ts): <folder>/<host>.json. Set in the environment at import,
# so what the session starts (jobs, the fake ssh.exe) finds the same host.
if (-not $env:LABFORM_FAKE_HYPERV_STATE -and $env:LABFORM_FAKE_HYPERV_STATE_DIR -and $env:LABFORM_HYPERV_HOST) {
    $env:LABFORM_FAKE_HYPERV_STATE = [System.IO.Path]::Combine($env:LABFORM_FAKE_HYPERV_STATE_DIR, ($env:LABFORM_HYPERV_HOST -replace '[^A-Za-z0-9._-]', '_') + '.json')
}

function Get-FakeStatePath {
    $path = $env:LABFORM_FAKE_HYPERV_STATE
    if (-not $path) { throw 'fake Hyper-V: $env:LABFORM_FAKE_HYPERV_STATE is not set (or LABFORM_FAKE_HYPERV_STATE_DIR with LABFORM_HYPERV_HOST)' }
    return $path
}

function New-FakeHostState {
    # A fresh host, like the simulator's: a physical adapter with an address, memory, nothing else.
    $gib = [long]1073741824
    return [ordered]@{
        format = 'labform-fake-hyperv/1'
        computerName = 'FAKEHV'
        seq = 0
        totalMemory = 128 * $gib
        baseFreeMemory = 64 * $gib
        # Get-VMHost VirtualHardDiskPath: Hyper-V's default folder for virtual hard disks until
        # Set-VMHost -VirtualHardDiskPath changes it (https://learn.microsoft.com/powershell/module/hyper-v/set-vmhost).
        virtualHardDiskPath = 'C:\Users\Public\Documents\Hyper-V\Virtual Hard Disks'
        netAdapters = @(@{ name = 'Ethernet'; interfaceDescription = 'Microsoft Hyper-V Network Adapter' })
        hostAddresses = @(@{ interfaceAlias = 'Ethernet'; address = '10.254.0.10'; prefixLength = 24 })
        switches = @()
        nats = @()
        natMappings = @()
        vhds = @()
        files = @()
        devices = @()
        vms = @()
        cluster = $null
        calls = @()
    }
}

function Read-FakeStateText {
    # The state file's text, or $null when there is none yet.
    $path = Get-FakeStatePath
    if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $path) { return [System.IO.File]::ReadAllText($path) }
    return $null
}

function ConvertFrom-FakeStateText {
    # A fresh parse of the state file's text (a new host when there is none).
    param([AllowNull()][AllowEmptyString()][string]$Text)
    $state = $null
    if ($Text -and $Text.Trim()) { $state = ConvertFrom-Json -InputObject $Text -AsHashtable -Depth 64 }
    if ($null -eq $state) { $state = New-FakeHostState }
    $fresh = New-FakeHostState
    foreach ($key in $fresh.Keys) { if (-not $state.Contains($key)) { $state[$key] = $fresh[$key] } }
    # JSON arrays come back as object[]; lists make the behaviours simpler.
    foreach ($key in @('netAdapters', 'hostAddresses', 'switches', 'nats', 'natMappings', 'vhds', 'files', 'devices', 'vms', 'calls')) {
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($item in @($state[$key])) { if ($null -ne $item) { $list.Add($item) } }
        $state[$key] = $list
    }
    # Disks on shared storage (host/shared-storage.ps1).
    Merge-FakeSharedStorage -State $state
    foreach ($vm in $state.vms) {
        foreach ($key in @('disks', 'adapters', 'devices', 'snapshots')) {
            $list = [System.Collections.Generic.List[object]]::new()
            foreach ($item in @($vm[$key])) { if ($null -ne $item) { $list.Add($item) } }
            $vm[$key] = $list
        }
    }
    return $state
}

function Read-FakeState {
    # The state for a mutating behaviour: always parsed afresh from the file (its own copy, so a
    # failed call leaves nothing behind).
    return ConvertFrom-FakeStateText -Text (Read-FakeStateText)
}

# The last state parsed for a read-only call, with the exact text it came from (the host's file
# and the shared-storage document) and those files' stamps when it was read.
$script:FakeReadCacheKey = $null
$script:FakeReadCacheStamp = $null
$script:FakeReadCacheState = $null
# Inside one request (Enter-FakeRequestState), read-only calls trust the stamps.
$script:FakeRequestDepth = 0
$script:FakeRequestPaths = $null

function Read-FakeStateForRead {
    <#
    The state for a read-only behaviour: parsed again only when the files' text changed since the
    last such read, so one discovery (a dozen read-only calls) parses the file once. Comparing the
    whole text, not a timestamp, keeps it right whoever wrote the file (a behaviour, a nested
    fake, a test). Inside a request (Enter-FakeRequestState) the files are not read while their
    stamps (write time and length) are those of the cached parse: with 100 guests in one
    Invoke-Command, reading and comparing the whole file per call was most of the request.
    Read-only behaviours must not change $State: the object is shared between calls.
    #>
    # The stamp: last write time and length of the host's file and of the shared-storage
    # document, a stat each, no read. Every write (this runspace's, another runspace's, another
    # process's) renames a new file into place, so it changes the stamp. Taken before the read: a
    # write after it changes the stamp, so the next call reads again. Worked out here, not in a
    # function of its own: a guest's PowerShell Direct session reads the state several times,
    # and a PowerShell function call costs about what the stat does.
    $paths = $script:FakeRequestPaths
    if ($null -eq $paths) { $paths = @((Get-FakeStatePath), (Get-FakeSharedStoragePath)) }
    $stamp = ''
    foreach ($path in $paths) {
        $file = [System.IO.FileInfo]::new($path)
        if ($file.Exists) { $stamp += [string]$file.LastWriteTimeUtc.Ticks + ':' + [string]$file.Length + ';' } else { $stamp += '-;' }
    }
    if ($script:FakeRequestDepth -gt 0 -and $null -ne $script:FakeReadCacheState -and [string]::Equals($stamp, $script:FakeReadCacheStamp, [System.StringComparison]::Ordinal)) {
        return $script:FakeReadCacheState
    }
    $text = Read-FakeStateText
    # Shared disks live in their own document (host/shared-storage.ps1): part of what the cached
    # state was parsed from, so a change there is seen too.
    $key = $null
    if ($null -ne $text) { $key = $text + [string](Read-FakeSharedStorageText) }
    if ($null -ne $key -and $null -ne $script:FakeReadCacheState -and [string]::Equals($key, $script:FakeReadCacheKey, [System.StringComparison]::Ordinal)) {
        $script:FakeReadCacheStamp = $stamp
        return $script:FakeReadCacheState
    }
    $state = ConvertFrom-FakeStateText -Text $text
    $script:FakeReadCacheKey = $key
    $script:FakeReadCacheStamp = $stamp
    $script:FakeReadCacheState = $state
    return $state
}

function Enter-FakeRequestState {
    <#
    Starts one request that runs many fake cmdlets (Invoke-Command -VMName a,b,c: every guest's
    session and every cmdlet in it): its read-only calls share one parse of the state, checked by
    the files' stamps instead of reading and comparing the whole file per call. Mutating calls
    still parse their own fresh copy. Pair with Exit-FakeRequestState in a finally block;
    requests nest.
    #>
    # The two paths, worked out once per request (every read-only call stamps them).
    if ($script:FakeRequestDepth -eq 0) { $script:FakeRequestPaths = @((Get-FakeStatePath), (Get-FakeSharedStoragePath)) }
    $script:FakeRequestDepth++
}

function Exit-FakeRequestState {
    if ($script:FakeRequestDepth -gt 0) { $script:FakeRequestDepth-- }
    if ($script:FakeRequestDepth -eq 0) { $script:FakeRequestPaths = $null }
}

# Several PowerShell processes serve one host at once (labform's session pool keeps up to the
# lab's perHostParallelism + 1 sessions per host, src/powershell/session-pool.ts), each reading,
# changing and writing the host's state file. A mutating call holds an exclusive lock file from
# its read to its write, so no process loses another's change: .NET's FileShare.None, an advisory
# lock between processes on Linux too (as Lock-FakeSharedStorage, host/shared-storage.ps1).
# Re-entrant within a process (a mutating fake called under another, inside Invoke-Command
# -VMName). Held for one read-change-write only, never across a wait: the fake models durations
# as timestamps that later calls compare with the clock (a guest's boot, rebootUntil), so nothing
# sleeps under it and the waits' polls from other sessions are never held up for long.
# Real Hyper-V takes concurrent cmdlets from several sessions and serialises changes per VM in its
# management service (VMMS); terraform-provider-hyperv applies resources in parallel, each over its
# own WinRM shell, and AutomatedLab drives VMs from parallel jobs.
$script:FakeStateLock = $null
$script:FakeStateLockDepth = 0

function Enter-FakeStateLock {
    if ($script:FakeStateLockDepth -eq 0) {
        $path = (Get-FakeStatePath) + '.lock'
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ($null -eq $script:FakeStateLock) {
            try {
                $script:FakeStateLock = [System.IO.File]::Open($path, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
            } catch [System.IO.IOException] {
                if ([DateTime]::UtcNow -gt $deadline) { throw ('fake Hyper-V: the state lock ' + $path + ' stayed taken for 60 s: ' + $_.Exception.Message) }
                Start-Sleep -Milliseconds 10
            }
        }
    }
    $script:FakeStateLockDepth++
}

function Exit-FakeStateLock {
    if ($script:FakeStateLockDepth -gt 0) { $script:FakeStateLockDepth-- }
    if ($script:FakeStateLockDepth -eq 0 -and $null -ne $script:FakeStateLock) {
        $script:FakeStateLock.Dispose()
        $script:FakeStateLock = $null
    }
}

function Write-FakeState {
    param([Parameter(Mandatory)]$State)
    $path = Get-FakeStatePath
    # Shared disks go to the shared document, not the host's file (host/shared-storage.ps1).
    $own = Save-FakeSharedStorage -State $State
    $json = $null
    if ($null -eq $own) { $json = ConvertTo-Json -InputObject $State -Depth 64 }
    else {
        $copy = [ordered]@{}
        foreach ($key in $State.Keys) { if ($key -ne 'sharedStorageRead') { $copy[$key] = $State[$key] } }
        $copy.vhds = $own
        $json = ConvertTo-Json -InputObject $copy -Depth 64
    }
    # Under the lock (a writer that did not take it around its read still never collides here).
    Enter-FakeStateLock
    try {
        $tmp = $path + '.' + $PID + '.tmp'
        [System.IO.File]::WriteAllText($tmp, $json)
        [System.IO.File]::Move($tmp, $path, $true)
    } finally {
        Exit-FakeStateLock
    }
    # Read-only calls parse the files afresh next ($State is the writer's own object).
    $script:FakeReadCacheState = $null
}

function Get-FakeNow {
    return [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000.0
}

function New-FakeId {
    param($State)
    $State.seq = [int]$State.seq + 1
    return ('{0:x8}-0000-4000-8000-{1:x12}' -f [int]$State.seq, [int]$State.seq)
}

function Invoke-FakeError {
    # Fails the way the real cmdlet does: same message, category and FullyQualifiedErrorId.
    param(
        [Parameter(Mandatory)][string]$Message,
        [Parameter(Mandatory)][string]$ErrorId,
        [System.Management.Automation.ErrorCategory]$Category = 'InvalidOperation',
        [object]$Target,
        [string]$ExceptionType = 'Microsoft.HyperV.PowerShell.VirtualizationException'
    )
    $exception = $null
    if ($ExceptionType -eq 'Microsoft.HyperV.PowerShell.VirtualizationException') {
        $exception = [Microsoft.HyperV.PowerShell.VirtualizationException]::new($Message)
    } else {
        $exception = [System.InvalidOperationException]::new($Message)
    }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $Target)
    throw $record
}

# How many times each faked cmdlet was called in this session (tests count discovery's calls).
$script:FakeCallCounts = @{}

function Get-FakeCallCount {
    # A copy: cmdlet name -> calls since the module loaded or the last Reset-FakeCallCount.
    $copy = @{}
    foreach ($key in $script:FakeCallCounts.Keys) { $copy[$key] = $script:FakeCallCounts[$key] }
    return $copy
}

function Reset-FakeCallCount {
    $script:FakeCallCounts = @{}
}

function Invoke-FakeCmdlet {
    param(
        [Parameter(Mandatory)][string]$Name,
        [string]$ParameterSetName,
        [System.Collections.IDictionary]$Bound
    )
    $script:FakeCallCounts[$Name] = 1 + [int]$script:FakeCallCounts[$Name]
    $behaviour = $null
    # Set by guest/10-guest-model.ps1 while Invoke-Command -VMName runs (a variable, not Get-Variable: every fake call reads it).
    $inGuest = [bool]$script:FakeGuestVm
    if ($inGuest) { $behaviour = $script:FakeGuestScopeBehaviours[$Name] }
    if (-not $behaviour) { $behaviour = $script:FakeBehaviours[$Name] }
    if (-not $behaviour) { $behaviour = $script:FakeGuestScopeBehaviours[$Name] }
    if (-not $behaviour) {
        Invoke-FakeError -Message "fake Hyper-V: $Name has no behaviour" -ErrorId "FakeNotImplemented,$Name" -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    $copy = @{}
    foreach ($key in $Bound.Keys) { $copy[$key] = $Bound[$key] }
    if ($behaviour.ManagesState) {
        return & $behaviour.Script $copy $ParameterSetName $null
    }
    if ($behaviour.ReadOnly) {
        $state = Read-FakeStateForRead
        $output = & $behaviour.Script $copy $ParameterSetName $state
        return $output
    }
    # Mutating behaviours get their own fresh copy (a failed call must leave nothing behind),
    # read, changed and written under the host state lock.
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        # A trace of mutating calls with their parameters, so tests can see exactly what reached the cmdlet.
        $record = [ordered]@{ cmdlet = $Name; parameterSet = $ParameterSetName; parameters = @{} }
        foreach ($key in $copy.Keys) {
            $value = $copy[$key]
            if ($value -is [System.Security.SecureString]) { $value = '(securestring)' }
            elseif ($value -is [System.Management.Automation.SwitchParameter]) { $value = [bool]$value }
            elseif ($value -is [psobject] -or $value -is [System.Collections.IDictionary]) { $value = '(object)' }
            $record.parameters[$key] = $value
        }
        $state.calls.Add($record)
        while ($state.calls.Count -gt 200) { $state.calls.RemoveAt(0) }
        $output = & $behaviour.Script $copy $ParameterSetName $state
        Write-FakeState -State $state
        return $output
    } finally {
        Exit-FakeStateLock
    }
}

if (-not ('Microsoft.HyperV.PowerShell.VirtualizationException' -as [type])) {
    Add-Type -TypeDefinition @'
namespace Microsoft.HyperV.PowerShell {
    public class VirtualizationException : System.Exception {
        public VirtualizationException(string message) : base(message) {}
    }
}
'@
}

$script:FakeFunctionsBefore = @{}
foreach ($f in @(Microsoft.PowerShell.Management\Get-ChildItem -Path function:)) { $script:FakeFunctionsBefore[$f.Name] = $true }
. (Join-Path $PSScriptRoot 'FakeHyperV.Declarations.ps1')
$script:FakeRegisteringScope = 'host'
foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'host') -Filter '*.ps1' -File | Sort-Object Name)) { . $file.FullName }
$guestFolder = Join-Path $PSScriptRoot 'guest'
if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $guestFolder) {
    $script:FakeRegisteringScope = 'guest'
    foreach ($file in @(Get-ChildItem -LiteralPath $guestFolder -Filter '*.ps1' -File | Sort-Object Name)) { . $file.FullName }
    $script:FakeRegisteringScope = 'host'
}

# The file cmdlets last, over any guest override: host paths (D:\..., not a drive here) go to the
# fake host's files; everything else to the guest's version if it has one, else the real cmdlet.
$script:FakeGuestTestPath = $null
if (Get-Command -Name Test-Path -CommandType Function -ErrorAction SilentlyContinue) { $script:FakeGuestTestPath = ${function:Test-Path} }

function Test-Path {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, ValueFromPipeline = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Microsoft.PowerShell.Commands.TestPathType]$PathType = 'Any'
    )
    process {
        $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
        if (-not $script:FakeGuestVm -and @($paths | Where-Object { Test-FakeHostPath $_ }).Count -gt 0) { return Test-FakeHostItem -Paths $paths -PathType $PathType }
        if ($script:FakeGuestTestPath) { return & $script:FakeGuestTestPath @PSBoundParameters }
        Microsoft.PowerShell.Management\Test-Path @PSBoundParameters
    }
}

function Get-ChildItem {
    [CmdletBinding(DefaultParameterSetName = 'Items')]
    param(
        [Parameter(ParameterSetName = 'Items', Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralItems', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Filter,
        [string[]]$Include,
        [string[]]$Exclude,
        [switch]$Recurse,
        [uint32]$Depth,
        [switch]$Force,
        [switch]$Name,
        [switch]$File,
        [switch]$Directory
    )
    $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if (-not $script:FakeGuestVm -and @($paths | Where-Object { Test-FakeHostPath $_ }).Count -gt 0) { return Get-FakeHostChildItem -Paths $paths -Recurse:$Recurse }
    # Inside a guest, Windows paths are the guest's folder (ConvertTo-FakeGuestPath).
    if ($script:FakeGuestVm) {
        if ($PSBoundParameters.ContainsKey('Path')) { $PSBoundParameters['Path'] = @($Path | ForEach-Object { ConvertTo-FakeGuestPath -Path $_ }) }
        if ($PSBoundParameters.ContainsKey('LiteralPath')) { $PSBoundParameters['LiteralPath'] = @($LiteralPath | ForEach-Object { ConvertTo-FakeGuestPath -Path $_ }) }
    }
    Microsoft.PowerShell.Management\Get-ChildItem @PSBoundParameters
}

function Get-FileHash {
    # Host media hashed from their real files (media-files.ps1), guest files from the guest's folder.
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [ValidateSet('SHA1', 'SHA256', 'SHA384', 'SHA512', 'MD5')][string]$Algorithm = 'SHA256'
    )
    foreach ($p in @(@($Path) + @($LiteralPath) | Where-Object { $_ })) {
        if (-not $script:FakeGuestVm -and (Test-FakeHostPath $p)) { Get-FakeHostMediaHash -Path $p -Algorithm $Algorithm; continue }
        $real = $p
        if ($script:FakeGuestVm) { $real = ConvertTo-FakeGuestPath -Path $p }
        Microsoft.PowerShell.Utility\Get-FileHash -LiteralPath $real -Algorithm $Algorithm
    }
}

function Remove-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [switch]$Recurse,
        [switch]$Force
    )
    $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if (-not $script:FakeGuestVm -and @($paths | Where-Object { Test-FakeHostPath $_ }).Count -gt 0) { return Remove-FakeHostItem -Paths $paths }
    Microsoft.PowerShell.Management\Remove-Item @PSBoundParameters
}

# The host's OpenSSH client for Linux guests: ssh.exe and scp.exe of bin/ (linux/fake-openssh.mjs),
# first on PATH, so the session and the jobs it starts run them as native commands.
$fakeBin = Join-Path $PSScriptRoot 'bin'
if (-not (($env:PATH -split [System.IO.Path]::PathSeparator) -contains $fakeBin)) { $env:PATH = $fakeBin + [System.IO.Path]::PathSeparator + $env:PATH }

# A host with a quota on remote shells refuses a session over it (host/remote-shells.ps1).
if ($env:LABFORM_FAKE_HYPERV_STATE) { Register-FakeRemoteShell }

# The host account's profile and SSH key (host/cloud-init-boot.ps1).
if ($env:LABFORM_FAKE_HYPERV_STATE) {
    $fakeStateForKey = $null
    try { $fakeStateForKey = Read-FakeStateForRead } catch { $fakeStateForKey = $null }
    Initialize-FakeHostSshKey -State $fakeStateForKey
}

# Runspaces created inside a fake guest find the fake's cmdlets by module autoloading
# (runspace/FakeHyperVGuest.psm1 says why): a manifest listing every command defined above, in a
# folder beside the state file, put first on PSModulePath.
if ($env:LABFORM_FAKE_HYPERV_STATE) {
    $fakeCommands = @(Microsoft.PowerShell.Management\Get-ChildItem -Path function: | Where-Object { -not $script:FakeFunctionsBefore.ContainsKey($_.Name) } | ForEach-Object { $_.Name } | Sort-Object -Unique)
    $fakeModules = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName([System.IO.Path]::GetFullPath($env:LABFORM_FAKE_HYPERV_STATE)), 'fake-runspace-modules')
    $fakeGuestModule = [System.IO.Path]::Combine($fakeModules, 'FakeHyperVGuest')
    $null = [System.IO.Directory]::CreateDirectory($fakeGuestModule)
    $fakeList = ($fakeCommands | ForEach-Object { "'" + $_.Replace("'", "''") + "'" }) -join ', '
    $fakeRoot = (Join-Path $PSScriptRoot 'runspace/FakeHyperVGuest.psm1').Replace("'", "''")
    $fakeManifest = "@{ RootModule = '$fakeRoot'; ModuleVersion = '1.0'; GUID = '6f1c2a8e-3b7d-4c55-9a0e-1d2f3a4b5c6d'; FunctionsToExport = @($fakeList); CmdletsToExport = @(); AliasesToExport = @(); VariablesToExport = @() }"
    # Several hosts' sessions may write the same text at once: one of them winning is enough.
    try { [System.IO.File]::WriteAllText([System.IO.Path]::Combine($fakeGuestModule, 'FakeHyperVGuest.psd1'), $fakeManifest) } catch { $null = $_ }
    if (-not (($env:PSModulePath -split [System.IO.Path]::PathSeparator) -contains $fakeModules)) {
        $env:PSModulePath = $fakeModules + [System.IO.Path]::PathSeparator + $env:PSModulePath
    }
}

# The first name of Invoke-FakeError, kept for behaviours written against it (an alias avoids the unapproved-verb warning).
Set-Alias -Name Throw-FakeError -Value Invoke-FakeError
Export-ModuleMember -Function * -Alias *
