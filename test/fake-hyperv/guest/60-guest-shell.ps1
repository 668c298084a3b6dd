# labform exec / cp in the fake: PowerShell Direct sessions (New-PSSession -VMName), commands in
# them (Invoke-Command -Session) or as jobs (Invoke-Command -VMName -AsJob), files through
# sessions (Copy-Item -ToSession / -FromSession, Remove-PSSession), and the guest's powershell.exe.
#
# Sources:
# - New-PSSession -VMName -Credential opens a PowerShell Direct session, failing like
#   Invoke-Command -VMName when the VM is off or the credential is refused:
#   https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/powershell-direct
#   ("Copy files with New-PSSession and Copy-Item") and
#   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-pssession (VMName set).
# - Copy-Item -ToSession copies a local file to a path in the session; -FromSession the other way.
#   A destination that is an existing folder receives the file under its own name; a missing
#   folder fails with System.IO.DirectoryNotFoundException "Could not find a part of the path";
#   a missing source with PathNotFound "Cannot find path '...' because it does not exist."
#   https://learn.microsoft.com/powershell/module/microsoft.powershell.management/copy-item
#   (examples 5 and 9, ToSession/FromSession parameters).
# - powershell.exe -EncodedCommand runs the text and exits with `exit N` or 1 when the last
#   statement failed: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_powershell_exe
#   The fake runs the real pwsh for it, so native stdout/stderr and exit codes are real.
# - Invoke-Command -AsJob returns a job at once; connection failures fail the job and surface through
#   Receive-Job (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/invoke-command,
#   -AsJob; https://learn.microsoft.com/powershell/module/microsoft.powershell.core/receive-job).

$script:FakeInvokeCommandVmBehaviour = $script:FakeGuestScopeBehaviours['Invoke-Command']

function Get-FakeSessionVm {
    param($Session)
    if ($null -eq $Session -or -not $Session.FakePSSession) {
        Invoke-FakeError -Message 'fake Hyper-V: only sessions from New-PSSession -VMName are faked' -ErrorId 'FakeNotImplemented,Invoke-Command' -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    if ($Session.State -ne 'Opened') {
        Throw-FakePsDirect -Message ('The session state is ' + $Session.State + '. The session must be Opened.') -ErrorId 'InvalidSessionState' -Category InvalidOperation -Target $Session.VMName -Kind 'argument'
    }
    return $Session
}

Register-FakeCmdlet -Name 'New-PSSession' -ManagesState -ScriptBlock {
    param($Bound, $Set, $State)
    if ($Set -ne 'VMName') {
        Invoke-FakeError -Message ('fake Hyper-V: New-PSSession is only faked for PowerShell Direct (-VMName), not the ' + $Set + ' parameter set') -ErrorId 'FakeNotImplemented,New-PSSession' -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    foreach ($name in @($Bound.VMName)) {
        $vmName = [string](Enter-FakeGuest -VmName ([string]$name) -Credential $Bound.Credential).name
        $script:FakeSessionSeq = 1 + [int]$script:FakeSessionSeq
        [pscustomobject]@{ FakePSSession = $true; Id = $script:FakeSessionSeq; VMName = $vmName; Credential = $Bound.Credential; State = 'Opened'; ComputerType = 'VirtualMachine' }
    }
}

function Invoke-FakeCommandNow {
    # Invoke-Command run inline: -VMName/-VMId by the PowerShell Direct behaviour, -Session through it.
    param($Bound, $Set, $State)
    if ($Set -ne 'Session') { return & $script:FakeInvokeCommandVmBehaviour.Script $Bound $Set $State }
    foreach ($session in @($Bound.Session)) {
        $s = Get-FakeSessionVm -Session $session
        $byName = @{}
        foreach ($key in $Bound.Keys) { if ($key -ne 'Session') { $byName[$key] = $Bound[$key] } }
        $byName.VMName = @($s.VMName)
        $byName.Credential = $s.Credential
        & $script:FakeInvokeCommandVmBehaviour.Script $byName 'VMName' $null
    }
}

Register-FakeCmdlet -Name 'Invoke-Command' -ManagesState -ScriptBlock {
    param($Bound, $Set, $State)
    if ($Bound.ContainsKey('AsJob') -and $Bound.AsJob) {
        # PowerShell Direct by VM name or id: one child job per VM (20-invoke-command.ps1).
        if ($Set -ne 'Session') { return & $script:FakeInvokeCommandVmBehaviour.Script $Bound $Set $State }
        # -AsJob returns at once with a job; a session that cannot open fails the job, and
        # Receive-Job gives its error (the call itself does not throw). The fake runs the
        # scriptblock first, then hands its output to a thread job: Receive-Job, State and
        # Remove-Job are the real ones.
        $inline = @{}
        foreach ($key in $Bound.Keys) { if ($key -ne 'AsJob') { $inline[$key] = $Bound[$key] } }
        $items = @()
        $failure = $null
        try { $items = @(Invoke-FakeCommandNow -Bound $inline -Set $Set -State $State) } catch { $failure = $_ }
        return Start-ThreadJob -ArgumentList (, $items), $failure -ScriptBlock {
            param($Items, $Failure)
            foreach ($item in $Items) { $item }
            # The job's error stream carries the record as it was (Receive-Job writes it).
            if ($Failure) { Write-Error -ErrorRecord $Failure }
        }
    }
    Invoke-FakeCommandNow -Bound $Bound -Set $Set -State $State
}

function Remove-PSSession {
    # The real cmdlet closes the sessions given; fake sessions are only marked closed.
    [CmdletBinding(DefaultParameterSetName = 'Id')]
    param([Parameter(ParameterSetName = 'Session', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][object[]]$Session)
    process { foreach ($s in @($Session)) { if ($s.FakePSSession) { $s.State = 'Closed' } else { Microsoft.PowerShell.Core\Remove-PSSession -Session $s } } }
}

function Invoke-FakeInGuest {
    # Runs $Script with the guest's paths in effect (ConvertTo-FakeGuestPath maps C:\... there).
    param([string]$VmName, [scriptblock]$Script)
    $previous = $script:FakeGuestVm
    try { $script:FakeGuestVm = $VmName; & $Script } finally { $script:FakeGuestVm = $previous }
}

function Copy-Item {
    # Copy-Item's -ToSession / -FromSession against fake PowerShell Direct sessions; every other
    # call goes to the real cmdlet.
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Destination,
        [object]$ToSession,
        [object]$FromSession,
        [switch]$Recurse,
        [switch]$Force,
        [switch]$Container,
        [switch]$PassThru
    )
    if ($null -eq $ToSession -and $null -eq $FromSession) { return Microsoft.PowerShell.Management\Copy-Item @PSBoundParameters }
    $sources = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if ($null -ne $ToSession) {
        $s = Get-FakeSessionVm -Session $ToSession
        foreach ($windowsSource in $sources) {
            # Host media are real files under the fake host's media folder (host/media-files.ps1).
            $source = $windowsSource
            if (Test-FakeHostPath $windowsSource) { $source = ConvertTo-FakeHostMediaPath -Path $windowsSource }
            if (-not ([System.IO.File]::Exists($source) -or [System.IO.Directory]::Exists($source))) {
                Invoke-FakeError -Message ("Cannot find path '" + $windowsSource + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.CopyItemCommand' -Category ObjectNotFound -ExceptionType 'System.Management.Automation.ItemNotFoundException'
            }
            if ([System.IO.Directory]::Exists($source)) {
                # -Recurse copies the folder's tree: to the destination itself when it does not exist,
                # into it (as a subfolder) when it does (Copy-Item docs, examples 2 and 3); the real
                # cmdlet does it here, between the real folders.
                Invoke-FakeInGuest -VmName $s.VMName -Script {
                    $target = ConvertTo-FakeGuestPath -Path $Destination
                    $folder = [System.IO.Path]::GetDirectoryName($target.TrimEnd('/'))
                    if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $folder -PathType Container)) {
                        Invoke-FakeError -Message ("Could not find a part of the path '" + $Destination + "'.") -ErrorId 'System.IO.DirectoryNotFoundException,Microsoft.PowerShell.Commands.CopyItemCommand' -Category WriteError -ExceptionType 'System.IO.DirectoryNotFoundException'
                    }
                    Microsoft.PowerShell.Management\Copy-Item -LiteralPath $source -Destination $target -Recurse:$Recurse -Force
                }
                continue
            }
            $bytes = [System.IO.File]::ReadAllBytes($source)
            Invoke-FakeInGuest -VmName $s.VMName -Script {
                $target = ConvertTo-FakeGuestPath -Path $Destination
                if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $target -PathType Container) { $target = Join-Path $target ([System.IO.Path]::GetFileName($windowsSource.Replace('\', '/'))) }
                $folder = [System.IO.Path]::GetDirectoryName($target)
                if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $folder -PathType Container)) {
                    Invoke-FakeError -Message ("Could not find a part of the path '" + $Destination + "'.") -ErrorId 'System.IO.DirectoryNotFoundException,Microsoft.PowerShell.Commands.CopyItemCommand' -Category WriteError -ExceptionType 'System.IO.DirectoryNotFoundException'
                }
                [System.IO.File]::WriteAllBytes($target, $bytes)
            }
        }
        return
    }
    $s = Get-FakeSessionVm -Session $FromSession
    foreach ($source in $sources) {
        $bytes = Invoke-FakeInGuest -VmName $s.VMName -Script {
            $file = ConvertTo-FakeGuestPath -Path $source
            if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $file -PathType Leaf)) {
                Invoke-FakeError -Message ("Cannot find path '" + $source + "' because it does not exist.") -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.CopyItemCommand' -Category ObjectNotFound -ExceptionType 'System.Management.Automation.ItemNotFoundException'
            }
            , [System.IO.File]::ReadAllBytes($file)
        }
        [System.IO.File]::WriteAllBytes($Destination, [byte[]]$bytes)
    }
}

function powershell.exe {
    # The guest's Windows PowerShell: the real pwsh of this machine, started as a native command
    # (so 2>&1 gives ErrorRecords for stderr lines and $LASTEXITCODE the real exit code). Inside
    # Invoke-Command the guest's COMPUTERNAME and folders are in its environment. The parameters
    # are powershell.exe's own (about_PowerShell_exe), those labform passes.
    param(
        [switch]$NoProfile,
        [switch]$NonInteractive,
        [ValidateSet('Text', 'XML')][string]$OutputFormat,
        [string]$EncodedCommand
    )
    # (The process path may be dotnet when pwsh is a .NET tool: take pwsh from PATH.)
    $pwsh = (Get-Command -Name pwsh -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    $arguments = @()
    if ($NoProfile) { $arguments += '-NoProfile' }
    if ($NonInteractive) { $arguments += '-NonInteractive' }
    if ($OutputFormat) { $arguments += @('-OutputFormat', $OutputFormat) }
    $arguments += @('-EncodedCommand', $EncodedCommand)
    & $pwsh @arguments
}
