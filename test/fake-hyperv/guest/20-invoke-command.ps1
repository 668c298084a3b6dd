# PowerShell Direct in the fake: Invoke-Command -VMName runs the scriptblock in this process,
# inside the VM's guest context, failing the way the real one does when the VM is off, the
# guest is restarting or the credential is refused.

function Throw-FakePsDirect {
    param([string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category, [string]$Target, [string]$Kind)
    $exception = $null
    if ($Kind -eq 'transport') { $exception = [System.Management.Automation.Remoting.PSRemotingTransportException]::new($Message) }
    elseif ($Kind -eq 'direct') { $exception = [System.Management.Automation.Remoting.PSDirectException]::new($Message) }
    else { $exception = [System.ArgumentException]::new($Message) }
    throw [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $Target)
}

function Enter-FakeGuest {
    # Checks PowerShell Direct can open a session in the VM; returns the VM's entry (the session's
    # guest is its `guest`). Reads the parsed state shared by read-only calls and parses afresh
    # only to record the first credential (then the entry is the one written).
    param([string]$VmName, [System.Management.Automation.PSCredential]$Credential)
    $state = Read-FakeStateForRead
    $vm = Find-FakeVm -State $state -Name $VmName
    if ($null -eq $vm) {
        Throw-FakePsDirect -Message ("The input VMName " + $VmName + " does not resolve to a single virtual machine.") -ErrorId 'InvalidVMNameNotSingle,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidArgument -Target $VmName -Kind 'argument'
    }
    if ($vm.state -ne 'Running') {
        Throw-FakePsDirect -Message ("The virtual machine " + $vm.name + " is not in running state.") -ErrorId 'InvalidVMState,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidOperation -Target $vm.name -Kind 'direct'
    }
    if ($null -eq $vm.guest -or ($null -eq $vm.guest.localAdmin -and $null -eq $vm.guest.dc)) {
        # The guest is created at first use; the first credential used is the one the image was given.
        # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
        Enter-FakeStateLock
        try {
            $state = Read-FakeState
            $vm = Find-FakeVm -State $state -Name $VmName
            $guest = Get-FakeGuestOf -Vm $vm
            if ($null -eq $guest.localAdmin -and $null -eq $guest.dc) {
                $guest.localAdmin = @{ user = $Credential.UserName; password = (New-FakePasswordHash -Password $Credential.GetNetworkCredential().Password) }
            }
            $hb = Get-FakeHeartbeat -Vm $vm
            if ($hb.primary -eq 'OK' -and (Get-FakeNow) -ge [double]$guest.rebootUntil) { Write-FakeState -State $state }
        } finally {
            Exit-FakeStateLock
        }
    }
    $guest = $vm.guest
    $hb = Get-FakeHeartbeat -Vm $vm
    if ($hb.primary -ne 'OK' -or (Get-FakeNow) -lt [double]$guest.rebootUntil) {
        Throw-FakePsDirect -Message 'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.' -ErrorId 'PSSessionStateBroken' -Category OpenError -Target $vm.name -Kind 'transport'
    }
    if (-not (Test-FakeCredential -State $state -Guest $guest -Credential $Credential)) {
        Throw-FakePsDirect -Message 'The credential is invalid.' -ErrorId 'CreateRemoteRunspaceForVMFailed,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidArgument -Target $vm.name -Kind 'direct'
    }
    return $vm
}

$script:FakeDirectBlocks = @{}

function Invoke-FakeDirectOne {
    # The scriptblock in one VM's guest context (its name and folders in the environment).
    param([string]$Name, [System.Management.Automation.PSCredential]$Credential, [scriptblock]$ScriptBlock, [object[]]$Arguments)
    # The VM the session opened in, as Enter-FakeGuest checked it (no second lookup per guest).
    $vm = Enter-FakeGuest -VmName $Name -Credential $Credential
    $vmName = [string]$vm.name
    $g = $vm.guest
    $saved = @{}
    foreach ($key in @('COMPUTERNAME', 'ProgramData', 'TEMP', 'windir', 'SystemDrive', 'LABFORM_FAKE_GUEST_VM')) { $saved[$key] = [Environment]::GetEnvironmentVariable($key) }
    $root = Get-FakeGuestRoot -VmName $vmName
    $previous = $script:FakeGuestVm
    try {
        $script:FakeGuestVm = $vmName
        [Environment]::SetEnvironmentVariable('COMPUTERNAME', [string]$g.computerName)
        # .NET path calls, as Get-FakeGuestRoot: this runs once per guest of a batch.
        [Environment]::SetEnvironmentVariable('ProgramData', [System.IO.Path]::Combine($root, 'ProgramData'))
        [Environment]::SetEnvironmentVariable('TEMP', [System.IO.Path]::Combine($root, 'Temp'))
        [Environment]::SetEnvironmentVariable('windir', [System.IO.Path]::Combine($root, 'Windows'))
        [Environment]::SetEnvironmentVariable('SystemDrive', [System.IO.Path]::Combine($root, 'C'))
        # For runspaces the guest code creates ([PowerShell]::Create()): FakeHyperVGuest.psm1.
        [Environment]::SetEnvironmentVariable('LABFORM_FAKE_GUEST_VM', $vmName)
        # Like a remote runspace: the scriptblock runs with its arguments, errors stop it (parsed
        # once per text: a batch sends the same scriptblock to every VM).
        $text = $ScriptBlock.ToString()
        $block = $script:FakeDirectBlocks[$text]
        if ($null -eq $block) {
            $block = [scriptblock]::Create($text)
            $script:FakeDirectBlocks[$text] = $block
        }
        & $block @Arguments
    } finally {
        $script:FakeGuestVm = $previous
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}

function Test-FakeGuestUnresponsive {
    # A guest whose PowerShell Direct session opens but never answers (a hung guest, for tests:
    # set `unresponsive: true` on the VM's guest in the state file).
    param([string]$Name)
    $vm = Find-FakeVm -State (Read-FakeStateForRead) -Name $Name
    return ($null -ne $vm -and $null -ne $vm.guest -and [bool]$vm.guest.unresponsive)
}

# Invoke-Command -VMName a,b,c -AsJob (Microsoft docs, about_Job_Details: "When you use the
# AsJob parameter of Invoke-Command to start a job on one or more computers, the job consists of
# an executive parent job and a child job for each job run on each computer"; the child's
# Location is the VM's name). -ThrottleLimit (Invoke-Command docs: "the maximum number of
# concurrent connections that can be established to run this command ... the default value, 32")
# caps the sessions open at once; PowerShell's ThrottleManager (PowerShell/PowerShell
# src/System.Management.Automation/engine/remoting/common/throttlemanager.cs) starts a waiting
# operation each time a running one completes or is stopped, so the others wait NotStarted.
#
# The fake runs the sessions one after another in this process rather than on threads: a guest's
# context is process-wide ($env:COMPUTERNAME, TEMP, ProgramData are the guest's while its
# scriptblock runs), and one at a time gives every guest the answers concurrent sessions would.
# What it keeps of concurrency is what callers can observe: each VM its own child job, state,
# output and failure; a hung guest (`unresponsive: true`) stays Running, holding its throttle
# slot, until Stop-Job stops it; the VMs beyond the limit wait NotStarted for a free slot and
# start when one frees.
class FakeDirectJob : System.Management.Automation.Job {
    [string]$Target
    # A parent's request (credential, scriptblock, arguments, throttle limit) and its children
    # waiting for a slot; a child's parent.
    [hashtable]$Request
    [System.Collections.Generic.Queue[object]]$Waiting
    [object]$Parent
    FakeDirectJob([string]$Command, [string]$Target) : base($Command, $Target) { $this.Target = $Target; $this.PSJobTypeName = 'RemoteJob' }
    [string] get_Location() { return $this.Target }
    [bool] get_HasMoreData() { return ($this.Output.Count -gt 0 -or $this.Error.Count -gt 0) }
    [string] get_StatusMessage() { return '' }
    [void] StopJob() {
        if ($this.IsFinished()) { return }
        if ($null -ne $this.Waiting) {
            # The parent: nothing more starts; its children stop.
            $this.Waiting.Clear()
            foreach ($child in $this.ChildJobs) { $child.StopJob() }
            $this.SetJobState([System.Management.Automation.JobState]::Stopped)
            return
        }
        $this.SetJobState([System.Management.Automation.JobState]::Stopped)
        # A stopped session frees its throttle slot: the parent starts the next waiting VM (one
        # request, as Invoke-Command's own start of the first ones).
        if ($null -ne $this.Parent) {
            Enter-FakeRequestState
            try { Start-FakeDirectWaiting -Parent $this.Parent } finally { Exit-FakeRequestState }
        }
    }
    [bool] IsFinished() {
        $s = $this.JobStateInfo.State
        return ($s -eq 'Completed' -or $s -eq 'Failed' -or $s -eq 'Stopped')
    }
    # SetJobState(state, reason) is internal: a failed child keeps its ErrorRecord in Error, as a real one does.
    [void] Finish([string]$State) {
        if ([string]$this.JobStateInfo.State -ne $State) { $this.SetJobState([System.Management.Automation.JobState]$State) }
    }
}

function Add-FakeComputerName {
    # Remoting output carries the target's name (PSComputerName) when several VMs answer.
    param($Output, [string]$Name)
    foreach ($item in @($Output)) {
        if ($null -eq $item) { continue }
        $wrapped = [psobject]$item
        $wrapped.PSObject.Properties.Remove('PSComputerName')
        $wrapped.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new('PSComputerName', $Name))
        $wrapped
    }
}

# What each guest receives, when counted (benchmarks: bench/discovery.js). A remote command's
# arguments are serialized for each session it runs in (Microsoft docs, about_Remote_Jobs: "All
# objects are serialized and deserialized as they are passed between the parent session and the
# remote (job) session"), as CLIXML ([System.Management.Automation.PSSerializer]). Counting costs a serialization per session, so
# it is off unless Start-FakeDirectPayloadCount turned it on.
$script:FakeDirectPayload = $null

function Start-FakeDirectPayloadCount {
    $script:FakeDirectPayload = [ordered]@{}
}

function Stop-FakeDirectPayloadCount {
    # Bytes of CLIXML each VM's sessions received since Start-FakeDirectPayloadCount: @{ vm = bytes }.
    $counted = $script:FakeDirectPayload
    $script:FakeDirectPayload = $null
    if ($null -eq $counted) { return @{} }
    return $counted
}

function Add-FakeDirectPayload {
    param([string]$VmName, [object[]]$Arguments)
    $bytes = [System.Text.Encoding]::UTF8.GetByteCount([System.Management.Automation.PSSerializer]::Serialize([object[]]@($Arguments), 16))
    $script:FakeDirectPayload[$VmName] = $bytes + [int]$script:FakeDirectPayload[$VmName]
}

function Start-FakeDirectChild {
    # One VM's session of a -AsJob request: Completed with its output, Failed with its error, or
    # (a hung guest) Running until stopped.
    param($Parent, $Child)
    $request = $Parent.Request
    if ($null -ne $script:FakeDirectPayload) { Add-FakeDirectPayload -VmName $Child.Target -Arguments $request.arguments }
    if (Test-FakeGuestUnresponsive -Name $Child.Target) { $Child.Finish('Running'); return }
    try {
        $output = Invoke-FakeDirectOne -Name $Child.Target -Credential $request.credential -ScriptBlock $request.scriptBlock -Arguments $request.arguments
        foreach ($item in @(Add-FakeComputerName -Output $output -Name $Child.Target)) { $Child.Output.Add($item) }
        $Child.Finish('Completed')
    } catch {
        $Child.Error.Add($_)
        $Child.Finish('Failed')
    }
}

function Start-FakeDirectWaiting {
    # Starts waiting children while fewer sessions than the throttle limit are open (a hung
    # guest's session stays open), then brings the parent's state up to date. Called inside a
    # request (Enter-FakeRequestState): Invoke-Command's, or a stopped child's (StopJob).
    param($Parent)
    while ($Parent.Waiting.Count -gt 0) {
        $open = 0
        foreach ($child in $Parent.ChildJobs) { if ([string]$child.JobStateInfo.State -eq 'Running') { $open++ } }
        if ($open -ge $Parent.Request.throttleLimit) { break }
        Start-FakeDirectChild -Parent $Parent -Child $Parent.Waiting.Dequeue()
    }
    if ($Parent.IsFinished()) { return }
    # A loop, not a pipeline: this runs for every PowerShell Direct session of a probe batch.
    $states = @(foreach ($child in $Parent.ChildJobs) { [string]$child.JobStateInfo.State })
    if ($states -contains 'Running' -or $states -contains 'NotStarted') { $Parent.Finish('Running') }
    elseif ($states -contains 'Failed') { $Parent.Finish('Failed') }
    elseif ($states -contains 'Stopped') { $Parent.Finish('Stopped') }
    else { $Parent.Finish('Completed') }
}

function Start-FakeDirectJob {
    # PowerShell's CreateHelpersForSpecifiedVMSession: a name that is no single VM, or a VM that
    # is not running, is a non-terminating error and gets no child job; every other VM gets its
    # own child job, started as throttle slots allow.
    param($Bound, [string[]]$Names, [object[]]$Arguments)
    $limit = 32
    if ($Bound.ContainsKey('ThrottleLimit') -and [int]$Bound.ThrottleLimit -gt 0) { $limit = [int]$Bound.ThrottleLimit }
    $parent = [FakeDirectJob]::new($Bound.ScriptBlock.ToString(), (@($Names) -join ','))
    $parent.Request = @{ credential = $Bound.Credential; scriptBlock = $Bound.ScriptBlock; arguments = $Arguments; throttleLimit = $limit }
    $parent.Waiting = [System.Collections.Generic.Queue[object]]::new()
    $state = Read-FakeStateForRead
    foreach ($name in $Names) {
        $vm = Find-FakeVm -State $state -Name ([string]$name)
        if ($null -eq $vm) {
            Write-Error -ErrorRecord ([System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new("The input VMName $name does not resolve to a single virtual machine."), 'InvalidVMNameNotSingle', 'InvalidArgument', $null))
            continue
        }
        if ($vm.state -ne 'Running') {
            Write-Error -ErrorRecord ([System.Management.Automation.ErrorRecord]::new([System.ArgumentException]::new("The virtual machine $($vm.name) is not in running state."), 'InvalidVMState', 'InvalidArgument', $null))
            continue
        }
        $child = [FakeDirectJob]::new($Bound.ScriptBlock.ToString(), [string]$vm.name)
        $child.Parent = $parent
        $parent.ChildJobs.Add($child)
        $parent.Waiting.Enqueue($child)
    }
    # No session for any VM: Invoke-Command writes no job at all (PowerShell source,
    # src/System.Management.Automation/engine/remoting/commands/InvokeCommandCommand.cs,
    # ProcessRecord: the PSRemotingJob is created and written only when `Operations.Count > 0`).
    if ($parent.ChildJobs.Count -eq 0) { return }
    Start-FakeDirectWaiting -Parent $parent
    # Like any -AsJob job, it is in the session's job repository (Get-Job, Remove-Job); $PSCmdlet
    # is Invoke-FakeCmdlet's, an advanced function of this session.
    $PSCmdlet.JobRepository.Add($parent)
    return $parent
}

# Invoke-Command: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/microsoft.powershell.core/invoke-command
Register-FakeCmdlet -Name 'Invoke-Command' -ManagesState -ScriptBlock {
    param($Bound, $Set, $State)
    if ($Set -notin @('VMName', 'VMId')) {
        Throw-FakeError -Message ("fake Hyper-V: Invoke-Command is only faked for PowerShell Direct (-VMName/-VMId), not the " + $Set + " parameter set") -ErrorId 'FakeNotImplemented,Invoke-Command' -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    # One request: every guest's session reads the host state once, not per cmdlet it runs.
    Enter-FakeRequestState
    try { Invoke-FakeDirectRequest -Bound $Bound } finally { Exit-FakeRequestState }
}

function Invoke-FakeDirectRequest {
    # Invoke-Command -VMName/-VMId: one VM, several (each failure a non-terminating error), or -AsJob.
    param($Bound)
    $names = @()
    if ($Bound.ContainsKey('VMName')) { $names = @($Bound.VMName) }
    else {
        $s = Read-FakeStateForRead
        foreach ($id in @($Bound.VMId)) { foreach ($v in $s.vms) { if ([guid]$v.id -eq [guid]$id) { $names += $v.name } } }
    }
    $arguments = @()
    if ($Bound.ContainsKey('ArgumentList')) { $arguments = @($Bound.ArgumentList) }
    if ($Bound.ContainsKey('AsJob') -and $Bound.AsJob) { return Start-FakeDirectJob -Bound $Bound -Names $names -Arguments $arguments }
    if (@($names).Count -gt 1) {
        # Several VMs: each one's failure is a non-terminating error (-ErrorAction decides), the
        # others still run; output carries PSComputerName.
        foreach ($name in $names) {
            if (Test-FakeGuestUnresponsive -Name ([string]$name)) {
                Write-Error -ErrorRecord ([System.Management.Automation.ErrorRecord]::new([System.Management.Automation.Remoting.PSRemotingTransportException]::new("The guest of $name did not answer."), 'PSSessionStateBroken', 'OperationTimeout', $name))
                continue
            }
            try {
                Add-FakeComputerName -Output (Invoke-FakeDirectOne -Name ([string]$name) -Credential $Bound.Credential -ScriptBlock $Bound.ScriptBlock -Arguments $arguments) -Name ([string]$name)
            } catch {
                Write-Error -ErrorRecord $_
            }
        }
        return
    }
    foreach ($name in $names) {
        if (Test-FakeGuestUnresponsive -Name ([string]$name)) {
            Throw-FakePsDirect -Message ('The guest of ' + $name + ' did not answer.') -ErrorId 'PSSessionStateBroken' -Category OperationTimeout -Target $name -Kind 'transport'
        }
        Invoke-FakeDirectOne -Name ([string]$name) -Credential $Bound.Credential -ScriptBlock $Bound.ScriptBlock -Arguments $arguments
    }
}
