# Plan-time guest probes of a whole host in ONE request (Windows PowerShell 5.1 syntax only).
# Discovery (Get-LabformHostStateWithProbes) asks every running lab VM of the host at once
# which of its guest tasks are done:
# - Windows guests through PowerShell Direct, one Invoke-Command -VMName a,b,c -AsJob per
#   credential, so the guests answer concurrently (up to -ThrottleLimit) and each VM is a child
#   job of its own (Location = the VM's name) with its own state and its own timeout;
# - Linux guests over ssh, one ssh.exe each, run concurrently from a runspace pool of this
#   process (not Start-Job, which starts a whole PowerShell process per guest: seconds of CPU
#   each, which made 5 Linux guests miss the probe timeout on a busy host).
# A guest that does not answer in time is stopped and reported unknown; the others are not held.
#
# How Invoke-Command -VMName behaves with several names (PowerShell source,
# PowerShell/PowerShell src/System.Management.Automation/engine/remoting/commands/
# PSRemotingCmdlet.cs, CreateHelpersForSpecifiedVMSession): each name is resolved with Get-VM;
# a name that is not a single VM (InvalidVMNameNotSingle) or a VM that is not running
# (InvalidVMState) is a NON-terminating error (WriteError) and the other VMs still run; every
# other VM gets its own remote runspace and throttled operation, its output carrying
# PSComputerName = the VM's name (RemotingConstants.ComputerNameNoteProperty). With -AsJob
# (a parameter of the VMName set, Microsoft docs: reference/5.1/Microsoft.PowerShell.Core/
# Invoke-Command.md) the operations become child jobs of one PSRemotingJob, one per VM, whose
# Location is the VM's name: a VM that refuses the credential or fails ends its own child job
# Failed (JobStateInfo.Reason) while the others complete.
#
# The same scriptblock and arguments go to every VM of one Invoke-Command, so each guest picks
# its own probes by its VM name, which Hyper-V's data exchange integration service writes into
# the guest's registry (HKLM\SOFTWARE\Microsoft\Virtual Machine\Guest\Parameters,
# VirtualMachineName; Microsoft docs: IVMGuestOS::GetParameter remarks, and "Hyper-V
# Integration Services", Data Exchange). A guest that cannot tell its name is asked again on
# its own.

function Test-LabformOwnedNotes {
    # The ownership mark of ownership/mark.ts: a line `labform:lab=<lab>` in the Notes.
    param([string]$Notes, [string]$Lab)
    if (-not $Notes) { return $false }
    foreach ($line in ($Notes -split "`r?`n")) {
        $trimmed = $line.Trim()
        if ($trimmed.StartsWith('labform:lab=') -and $trimmed.Substring(12).Trim() -ceq $Lab) { return $true }
    }
    return $false
}

# Runs in the guest: the probes of this VM (picked by its own VM name), one answer each.
$global:LabformProbeRunner = {
    param($Blocks, $ByVm)
    $ErrorActionPreference = 'Stop'
    $me = ''
    try {
        $me = [string](Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Virtual Machine\Guest\Parameters' -Name 'VirtualMachineName').VirtualMachineName
    } catch {
        $me = ''
    }
    $items = $null
    if ($ByVm.Count -eq 1) {
        foreach ($key in $ByVm.Keys) { $items = $ByVm[$key]; $me = [string]$key }
    } elseif ($me) {
        foreach ($key in $ByVm.Keys) { if ([string]::Equals([string]$key, $me, [System.StringComparison]::OrdinalIgnoreCase)) { $items = $ByVm[$key] } }
    }
    if ($null -eq $items) { return [pscustomobject]@{ vm = $me; identified = $false; answers = @() } }
    $answers = @()
    foreach ($item in @($items)) {
        $probeBlock = [scriptblock]::Create([string]$Blocks[[string]$item.operation])
        $seen = @(& $probeBlock $item.arguments) | Select-Object -Last 1
        # `replace`: the guest cannot reach the task's state in place (a DC of another domain).
        $answers += , [pscustomobject]@{ done = [bool]$seen.done; detail = [string]$seen.detail; replace = [string]$seen.replace }
    }
    return [pscustomobject]@{ vm = $me; identified = $true; answers = $answers }
}

function New-LabformProbeItems {
    # A VM's probes as data; the probe scriptblocks' texts go once per operation into $Blocks.
    param([object[]]$Probes, [hashtable]$Blocks)
    $items = @()
    foreach ($probe in @($Probes)) {
        $operation = [string]$probe.operation
        if (-not $Blocks.ContainsKey($operation)) { $Blocks[$operation] = (Get-LabformGuestScriptBlock -Kind 'Probe' -Operation $operation).ToString() }
        $items += , @{ operation = $operation; arguments = $probe.arguments }
    }
    return , $items
}

function Wait-LabformProbeJobs {
    # Polls the jobs until each has finished or has run for $TimeoutSeconds since it started
    # (a throttled child's clock starts when it does); stops the late ones. Returns the
    # InstanceIds of the jobs stopped for lateness.
    param([object[]]$Jobs, [int]$TimeoutSeconds)
    $late = @{}
    $startedAt = @{}
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $open = 0
        foreach ($job in @($Jobs)) {
            $state = [string]$job.JobStateInfo.State
            if ($state -eq 'NotStarted') { $open++; continue }
            if ($state -ne 'Running' -and $state -ne 'Blocked') { continue }
            $id = [string]$job.InstanceId
            if (-not $startedAt.ContainsKey($id)) { $startedAt[$id] = $watch.Elapsed.TotalSeconds }
            if ($watch.Elapsed.TotalSeconds - $startedAt[$id] -ge $TimeoutSeconds) {
                $late[$id] = $true
                Stop-Job -Job $job
            } else {
                $open++
            }
        }
        if ($open -eq 0) { break }
        Start-Sleep -Milliseconds 50
    }
    return $late
}

function Get-LabformJobFailure {
    # Why a job failed, in one line (the guest's or PowerShell Direct's own message).
    param($Job)
    $reason = $Job.JobStateInfo.Reason
    if ($null -ne $reason) { return [string]$reason.Message }
    foreach ($record in @($Job.Error)) { return [string]$record.Exception.Message }
    return 'the job failed without a message'
}

function Start-LabformWindowsProbes {
    # One Invoke-Command -VMName ... -AsJob per credential: [pscustomobject]@{ job; credential; byVm; errors }.
    param([object[]]$Requests, [hashtable]$Credentials, [hashtable]$Blocks, [int]$ThrottleLimit)
    $groups = @{}
    foreach ($request in @($Requests)) {
        $name = [string]$request.credential
        if (-not $groups.ContainsKey($name)) { $groups[$name] = @() }
        $groups[$name] += , $request
    }
    $started = @()
    foreach ($name in @($groups.Keys)) {
        $byVm = @{}
        $vmNames = @()
        foreach ($request in $groups[$name]) {
            $byVm[[string]$request.vm] = New-LabformProbeItems -Probes @($request.probes) -Blocks $Blocks
            $vmNames += [string]$request.vm
        }
        $startErrors = @()
        # Errors of single VMs (not running any more, not found) are non-terminating: the job still runs for the others.
        $job = Invoke-Command -VMName $vmNames -Credential $Credentials[$name] -ScriptBlock $global:LabformProbeRunner -ArgumentList @($Blocks, $byVm) -ThrottleLimit $ThrottleLimit -AsJob -ErrorAction SilentlyContinue -ErrorVariable startErrors
        $started += , [pscustomobject]@{ job = $job; credential = $name; requests = $groups[$name]; errors = @($startErrors) }
    }
    return , $started
}

function Start-LabformLinuxProbe {
    # The probes of one Linux guest: one ssh call running every probe script (built by labform),
    # in a runspace of $Pool ([runspacefactory]::CreateRunspacePool; BeginInvoke runs it while
    # this request goes on: https://learn.microsoft.com/dotnet/api/system.management.automation.powershell.begininvoke).
    # Returns @{ ps; handle } (Wait-LabformLinuxProbes), or $null when the guest reports no
    # address yet. The address comes from the KVP data (Get-LabformLinuxAddress).
    param($Request, [hashtable]$Credentials, $Pool)
    $address = Get-LabformLinuxAddress -VMName ([string]$Request.vm)
    if ($null -eq $address) { return $null }
    $user = $Credentials[[string]$Request.credential].UserName
    # The script never travels on stdin (Windows PowerShell 5.1 re-encodes piped text and ends its
    # lines with CRLF): it goes base64-encoded in the remote command line, as every Linux script does
    # (ConvertTo-LabformRemoteBash, LabformGuest.Linux.ps1). The pool's runspaces have none of this
    # library's functions, so the client's path and the remote command are worked out here.
    $ssh = Get-LabformSshClient
    $remote = ConvertTo-LabformRemoteBash -Script ([string]$Request.script)
    $ps = [System.Management.Automation.PowerShell]::Create()
    $ps.RunspacePool = $Pool
    $null = $ps.AddScript({
        param($SshPath, $UserName, $Address, $Remote)
        $sshArgs = @('-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'StrictHostKeyChecking=accept-new', '-o', 'LogLevel=ERROR', '-l', $UserName, $Address, $Remote)
        # stderr lines arrive as ErrorRecords under 2>&1; under 'Continue' they are read, never thrown.
        $ErrorActionPreference = 'Continue'
        $output = & $SshPath $sshArgs 2>&1
        [pscustomobject]@{ exitCode = $LASTEXITCODE; output = @($output | ForEach-Object { [string]$_ }) }
    }).AddArgument([string]$ssh.Path).AddArgument($user).AddArgument($address).AddArgument($remote)
    return [pscustomobject]@{ ps = $ps; handle = $ps.BeginInvoke() }
}

function Wait-LabformLinuxProbes {
    # Waits until every probe has ended or $TimeoutSeconds have passed; stops the late ones
    # (PowerShell.Stop ends the pipeline and the ssh it runs). Returns, per entry, the answer
    # (@{ exitCode; output }), or @{ late = $true }, or @{ failure = message }.
    param([object[]]$Entries, [int]$TimeoutSeconds)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($watch.Elapsed.TotalSeconds -lt $TimeoutSeconds -and @($Entries | Where-Object { -not $_.probe.handle.IsCompleted }).Count -gt 0) {
        Start-Sleep -Milliseconds 50
    }
    $results = @()
    foreach ($entry in @($Entries)) {
        $ps = $entry.probe.ps
        try {
            if (-not $entry.probe.handle.IsCompleted) {
                $ps.Stop()
                $results += , [pscustomobject]@{ late = $true }
                continue
            }
            $answer = $null
            try { $answer = @($ps.EndInvoke($entry.probe.handle)) | Select-Object -Last 1 } catch { $results += , [pscustomobject]@{ failure = [string]$_.Exception.Message }; continue }
            if ($null -eq $answer) {
                $why = @($ps.Streams.Error | ForEach-Object { [string]$_.Exception.Message }) | Select-Object -First 1
                if (-not $why) { $why = 'ssh gave no answer' }
                $results += , [pscustomobject]@{ failure = $why }
                continue
            }
            $results += , $answer
        } finally {
            $ps.Dispose()
        }
    }
    return , $results
}

function Read-LabformLinuxProbeAnswer {
    # `labform-probe <index> <exit code> <last line>` per probe, from the combined script.
    param($Answer, [int]$Count)
    $results = @()
    for ($i = 0; $i -lt $Count; $i++) { $results += , [pscustomobject]@{ done = $false; detail = 'no answer from the probe script' } }
    foreach ($line in @($Answer.output)) {
        $text = ([string]$line).TrimEnd("`r")
        if ($text -match '^labform-probe (\d+) (\d+) ?(.*)$') {
            $index = [int]$Matches[1]
            if ($index -lt $Count) {
                $last = $Matches[3]
                # raw: the whole last line, for probes whose answer the host works out (a copy's listing).
                $results[$index] = [pscustomobject]@{ done = ($Matches[2] -eq '0' -and $last.Trim() -eq 'true'); detail = ('test printed ' + $last); raw = $last }
            }
        }
    }
    return , $results
}

function Invoke-LabformGuestProbeBatch {
    # The probes of every requested VM that runs on this host and carries the lab's mark, all
    # at once; one outcome per such VM: answered (with the credential that worked) or unknown.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Lab,
        [object[]]$Requests = @(),
        [hashtable]$Credentials = @{},
        [int]$TimeoutSeconds = 20,
        [int]$ThrottleLimit = 32
    )
    $ErrorActionPreference = 'Stop'
    $outcomes = @{}
    $order = @()
    $here = @{}
    foreach ($vm in @(Get-VM)) { $here[([string]$vm.Name).ToLowerInvariant()] = $vm }
    $windows = @()
    $linux = @()
    foreach ($request in @($Requests)) {
        $vm = $here[([string]$request.vm).ToLowerInvariant()]
        if ($null -eq $vm -or [string]$vm.State -ne 'Running' -or -not (Test-LabformOwnedNotes -Notes ([string]$vm.Notes) -Lab $Lab)) { continue }
        $order += [string]$request.vm
        if ([string]$request.os -eq 'linux') { $linux += , $request } else { $windows += , $request }
    }
    $unknown = {
        param([string]$Name, [string]$Reason)
        $outcomes[$Name.ToLowerInvariant()] = [pscustomobject]@{ vm = $Name; status = 'unknown'; reason = $Reason }
    }

    # Linux guests: started first, they run while the Windows rounds do.
    $linuxJobs = @()
    $linuxPool = $null
    if ($linux.Count -gt 0) {
        $linuxPool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool(1, [Math]::Max(1, $ThrottleLimit))
        $linuxPool.Open()
    }
    foreach ($request in $linux) {
        $names = @($request.credentials)
        $probe = Start-LabformLinuxProbe -Request @{ vm = $request.vm; credential = $names[0]; script = $request.script } -Credentials $Credentials -Pool $linuxPool
        if ($null -eq $probe) { & $unknown ([string]$request.vm) 'the Linux guest reports no IPv4 address yet'; continue }
        $linuxJobs += , [pscustomobject]@{ probe = $probe; request = $request; credential = [string]$names[0] }
    }

    # Windows guests: round k tries each VM's k-th credential; a failure passes to the next one.
    $blocks = @{}
    $lastFailure = @{}
    $todo = @($windows)
    $round = 0
    while ($todo.Count -gt 0) {
        $attempts = @()
        foreach ($request in $todo) {
            $names = @($request.credentials)
            if ($round -ge $names.Count) {
                $why = 'no credential answered'
                if ($lastFailure.ContainsKey([string]$request.vm)) { $why = $lastFailure[[string]$request.vm] }
                & $unknown ([string]$request.vm) ('PowerShell Direct: ' + $why)
                continue
            }
            $attempts += , @{ vm = [string]$request.vm; credential = [string]$names[$round]; probes = @($request.probes); request = $request }
        }
        $next = @()
        $pass = Start-LabformWindowsProbes -Requests $attempts -Credentials $Credentials -Blocks $blocks -ThrottleLimit $ThrottleLimit
        $late = Wait-LabformProbeJobs -Jobs @($pass | ForEach-Object { @($_.job.ChildJobs) }) -TimeoutSeconds $TimeoutSeconds
        $alone = @()
        foreach ($group in $pass) {
            $seen = @{}
            $byName = @{}
            foreach ($attempt in @($group.requests)) { $byName[$attempt.vm.ToLowerInvariant()] = $attempt }
            foreach ($child in @($group.job.ChildJobs)) {
                $name = [string]$child.Location
                $seen[$name.ToLowerInvariant()] = $true
                $attempt = $byName[$name.ToLowerInvariant()]
                if ($null -eq $attempt) { continue }
                if ($late.ContainsKey([string]$child.InstanceId)) {
                    & $unknown $attempt.vm ('no answer within ' + $TimeoutSeconds + ' s')
                } elseif ([string]$child.JobStateInfo.State -eq 'Completed') {
                    $answer = @(Receive-Job -Job $child) | Select-Object -Last 1
                    if ($null -ne $answer -and $answer.identified -and [string]::Equals([string]$answer.vm, $attempt.vm, [System.StringComparison]::OrdinalIgnoreCase)) {
                        $outcomes[$attempt.vm.ToLowerInvariant()] = [pscustomobject]@{ vm = $attempt.vm; status = 'answered'; credential = $attempt.credential; results = (Resolve-LabformCopyProbes -Probes @($attempt.probes) -Results @($answer.answers) -Os 'windows') }
                    } else {
                        $alone += , $attempt
                    }
                } else {
                    $lastFailure[$attempt.vm] = Get-LabformJobFailure -Job $child
                    $next += , $attempt.request
                }
            }
            # A VM with no child job failed before its session opened (non-terminating start error).
            foreach ($attempt in @($group.requests)) {
                if ($seen.ContainsKey($attempt.vm.ToLowerInvariant())) { continue }
                $message = 'PowerShell Direct did not open a session'
                foreach ($record in @($group.errors)) { if (([string]$record.Exception.Message).Contains($attempt.vm)) { $message = [string]$record.Exception.Message } }
                $lastFailure[$attempt.vm] = $message
                $next += , $attempt.request
            }
            Remove-Job -Job $group.job -Force
        }
        # Guests that could not tell their VM name: the same credential, one VM per Invoke-Command.
        if ($alone.Count -gt 0) {
            $single = @()
            foreach ($attempt in $alone) { $single += Start-LabformWindowsProbes -Requests @($attempt) -Credentials $Credentials -Blocks $blocks -ThrottleLimit 1 }
            $late = Wait-LabformProbeJobs -Jobs @($single | ForEach-Object { @($_.job.ChildJobs) }) -TimeoutSeconds $TimeoutSeconds
            foreach ($group in $single) {
                $attempt = $group.requests[0]
                $child = @($group.job.ChildJobs)[0]
                if ($null -eq $child) { $next += , $attempt.request; continue }
                if ($late.ContainsKey([string]$child.InstanceId)) {
                    & $unknown $attempt.vm ('no answer within ' + $TimeoutSeconds + ' s')
                } elseif ([string]$child.JobStateInfo.State -eq 'Completed') {
                    $answer = @(Receive-Job -Job $child) | Select-Object -Last 1
                    $outcomes[$attempt.vm.ToLowerInvariant()] = [pscustomobject]@{ vm = $attempt.vm; status = 'answered'; credential = $attempt.credential; results = (Resolve-LabformCopyProbes -Probes @($attempt.probes) -Results @($answer.answers) -Os 'windows') }
                } else {
                    $lastFailure[$attempt.vm] = Get-LabformJobFailure -Job $child
                    $next += , $attempt.request
                }
                Remove-Job -Job $group.job -Force
            }
        }
        $todo = $next
        $round++
    }

    if ($linuxJobs.Count -gt 0) {
        $answers = Wait-LabformLinuxProbes -Entries $linuxJobs -TimeoutSeconds $TimeoutSeconds
        for ($i = 0; $i -lt $linuxJobs.Count; $i++) {
            $entry = $linuxJobs[$i]
            $answer = $answers[$i]
            $name = [string]$entry.request.vm
            if ($answer.late) {
                & $unknown $name ('no answer within ' + $TimeoutSeconds + ' s')
            } elseif ($null -ne $answer.failure) {
                & $unknown $name ('ssh failed: ' + [string]$answer.failure)
            } elseif ($answer.exitCode -eq 255) {
                & $unknown $name ('ssh failed: ' + (@($answer.output) -join ' '))
            } else {
                $read = Read-LabformLinuxProbeAnswer -Answer $answer -Count @($entry.request.probes).Count
                $outcomes[$name.ToLowerInvariant()] = [pscustomobject]@{ vm = $name; status = 'answered'; credential = $entry.credential; results = (Resolve-LabformCopyProbes -Probes @($entry.request.probes) -Results $read -Os 'linux') }
            }
        }
    }
    if ($null -ne $linuxPool) { $linuxPool.Close(); $linuxPool.Dispose() }

    $out = @()
    foreach ($name in $order) {
        $key = $name.ToLowerInvariant()
        if ($outcomes.ContainsKey($key)) { $out += , $outcomes[$key] }
    }
    return , $out
}

function Get-LabformHostStateWithProbes {
    # Discovery and the guest probes of the host's running lab VMs: one request, one answer.
    [CmdletBinding()]
    param(
        [string[]]$Paths = @(),
        [string[]]$Files = @(),
        [string[]]$Devices = @(),
        [string[]]$VmProperties = @(),
        [string[]]$Sources = @(),
        [object[]]$Images = @(),
        [string[]]$Seeds = @(),
        [Parameter(Mandatory = $true)][string]$Lab,
        [object[]]$Requests = @(),
        [hashtable]$Credentials = @{},
        [int]$TimeoutSeconds = 20,
        [int]$ThrottleLimit = 32
    )
    $ErrorActionPreference = 'Stop'
    $state = Get-LabformHostState -Paths $Paths -Files $Files -Devices $Devices -VmProperties $VmProperties -Images $Images -Sources $Sources -Seeds $Seeds
    $probes = Invoke-LabformGuestProbeBatch -Lab $Lab -Requests $Requests -Credentials $Credentials -TimeoutSeconds $TimeoutSeconds -ThrottleLimit $ThrottleLimit
    $state | Add-Member -NotePropertyName 'guestProbes' -NotePropertyValue @($probes) -Force
    return $state
}
