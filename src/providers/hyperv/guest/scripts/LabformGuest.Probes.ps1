# Plan-time guest probes of a whole host in ONE request (Windows PowerShell 5.1 syntax only).
# Discovery (Get-LabformHostStateWithProbes) asks every running lab VM of the host at once
# which of its guest tasks are done:
# - Windows guests through PowerShell Direct, one Invoke-Command -VMName <vm> -AsJob per VM
#   carrying that VM's own probes only (Invoke-LabformWindowsProbes), at most -ThrottleLimit
#   sessions open at once, each with its own timeout;
# - Linux guests over ssh, one ssh.exe each, run concurrently from a runspace pool of this
#   process (not Start-Job, which starts a whole PowerShell process per guest: seconds of CPU
#   each, which made 5 Linux guests miss the probe timeout on a busy host).
# A guest that does not answer in time is stopped and reported unknown; the others are not held.
#
# Why one Invoke-Command per VM, not one per credential with -VMName a,b,c: one command sends
# the same arguments to every VM it names, and PowerShell serializes them for each remote
# session (Microsoft docs, about_Remote_Jobs: "All objects are serialized and deserialized as
# they are passed between the parent session and the remote (job) session"), so every guest
# would receive the probes of all the others: 267 KB per guest with 100 VMs, quadratic in the lab. One command per VM sends each guest about 2 KB, and
# this script throttles the sessions itself: a VM waits in the queue until a session ends.
#
# How Invoke-Command -VMName <vm> -AsJob behaves (Windows PowerShell 5.1; Microsoft docs,
# reference/5.1/Microsoft.PowerShell.Core/Invoke-Command.md: -AsJob is a parameter of the
# VMName set; "the job consists of an executive parent job and a child job for each job run on
# each computer", about_Job_Details): the child's Location is the VM's name, a refused
# credential or a broken session ends the child Failed (JobStateInfo.Reason) and the job does
# not throw. A VM that is not running or not found is a NON-terminating error and, as no
# session was created for it, the command writes no job at all (PowerShell source,
# src/System.Management.Automation/engine/remoting/commands/InvokeCommandCommand.cs,
# ProcessRecord: the job is written only when `Operations.Count > 0`; PSRemotingCmdlet.cs,
# CreateHelpersForSpecifiedVMSession: InvalidVMNameNotSingle, InvalidVMState). Stop-Job stops a
# late session; Remove-Job -Force removes a job from the session's job table (about_Jobs).

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

# Runs in the guest: the probes of this VM, one answer each. $Blocks holds the texts of the
# probe blocks its own probes use, $Items its probes (Get-LabformProbeArguments).
$global:LabformProbeRunner = {
    param($Blocks, $Items)
    $ErrorActionPreference = 'Stop'
    $answers = @()
    foreach ($item in @($Items)) {
        $probeBlock = [scriptblock]::Create([string]$Blocks[[string]$item.operation])
        # The last object the probe wrote (indexing, not Select-Object: no pipeline per probe).
        $written = @(& $probeBlock $item.arguments)
        $seen = $null
        if ($written.Count -gt 0) { $seen = $written[$written.Count - 1] }
        # `replace`: the guest cannot reach the task's state in place (a DC of another domain).
        $answers += , [pscustomobject]@{ done = [bool]$seen.done; detail = [string]$seen.detail; replace = [string]$seen.replace }
    }
    return [pscustomobject]@{ answers = $answers }
}

function Get-LabformProbeArguments {
    # One VM's probes as the runner's arguments: the texts of the probe blocks they use (each
    # text read once per request into $BlockTexts), and the probes as data.
    param([object[]]$Probes, [hashtable]$BlockTexts)
    $blocks = @{}
    $items = @()
    foreach ($probe in @($Probes)) {
        $operation = [string]$probe.operation
        if (-not $BlockTexts.ContainsKey($operation)) { $BlockTexts[$operation] = (Get-LabformGuestScriptBlock -Kind 'Probe' -Operation $operation).ToString() }
        $blocks[$operation] = $BlockTexts[$operation]
        $items += , @{ operation = $operation; arguments = $probe.arguments }
    }
    return , @($blocks, $items)
}

function Get-LabformJobFailure {
    # Why a job failed, in one line (the guest's or PowerShell Direct's own message).
    param($Job)
    $reason = $Job.JobStateInfo.Reason
    if ($null -ne $reason) { return [string]$reason.Message }
    foreach ($record in @($Job.Error)) { return [string]$record.Exception.Message }
    return 'the job failed without a message'
}

function Start-LabformWindowsProbe {
    # One VM's PowerShell Direct session, as a job: [pscustomobject]@{ job; child; failure }.
    # No child: the session did not open (failure says why).
    param($Attempt, [System.Management.Automation.PSCredential]$Credential, [hashtable]$BlockTexts)
    $arguments = Get-LabformProbeArguments -Probes @($Attempt.request.probes) -BlockTexts $BlockTexts
    $startErrors = @()
    $job = Invoke-Command -VMName ([string]$Attempt.request.vm) -Credential $Credential -ScriptBlock $global:LabformProbeRunner -ArgumentList $arguments -AsJob -ErrorAction SilentlyContinue -ErrorVariable startErrors
    $child = $null
    if ($null -ne $job -and $job.ChildJobs.Count -gt 0) { $child = $job.ChildJobs[0] }
    if ($null -ne $child) { return [pscustomobject]@{ job = $job; child = $child; failure = $null } }
    if ($null -ne $job) { Remove-Job -Job $job -Force }
    $message = 'PowerShell Direct did not open a session'
    foreach ($record in @($startErrors)) { $message = [string]$record.Exception.Message }
    return [pscustomobject]@{ job = $null; child = $null; failure = $message }
}

function Invoke-LabformWindowsProbes {
    # The probes of the Windows guests: each VM its own session (Start-LabformWindowsProbe), at
    # most $ThrottleLimit open at once, the others waiting in a queue; each session has
    # $TimeoutSeconds from its start, then it is stopped and the VM is unknown. A VM whose
    # session fails (a refused credential, the guest restarting) is queued again at once with its
    # next credential (a DC's domain administrator first, then the VM's local one); none left:
    # unknown with the last failure. Returns the outcomes by lower-case VM name.
    param([object[]]$Requests, [hashtable]$Credentials, [int]$TimeoutSeconds, [int]$ThrottleLimit)
    $outcomes = @{}
    $blockTexts = @{}
    $queue = New-Object 'System.Collections.Generic.Queue[object]'
    foreach ($request in @($Requests)) { $queue.Enqueue([pscustomobject]@{ request = $request; round = 0; failure = $null }) }
    $running = New-Object 'System.Collections.Generic.List[object]'
    $limit = [Math]::Max(1, $ThrottleLimit)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($queue.Count -gt 0 -or $running.Count -gt 0) {
        while ($queue.Count -gt 0 -and $running.Count -lt $limit) {
            $attempt = $queue.Dequeue()
            $vm = [string]$attempt.request.vm
            $names = @($attempt.request.credentials)
            if ($attempt.round -ge $names.Count) {
                $why = 'no credential answered'
                if ($attempt.failure) { $why = $attempt.failure }
                $outcomes[$vm.ToLowerInvariant()] = [pscustomobject]@{ vm = $vm; status = 'unknown'; reason = ('PowerShell Direct: ' + $why) }
                continue
            }
            $credential = [string]$names[$attempt.round]
            $opened = Start-LabformWindowsProbe -Attempt $attempt -Credential $Credentials[$credential] -BlockTexts $blockTexts
            if ($null -eq $opened.child) {
                $attempt.failure = $opened.failure
                $attempt.round++
                $queue.Enqueue($attempt)
                continue
            }
            # The clock starts when the session is asked for: a child that never leaves NotStarted is late too.
            $running.Add([pscustomobject]@{ attempt = $attempt; credential = $credential; job = $opened.job; child = $opened.child; startedAt = $watch.Elapsed.TotalSeconds })
        }
        $ended = @()
        foreach ($entry in $running) {
            $state = [string]$entry.child.JobStateInfo.State
            $vm = [string]$entry.attempt.request.vm
            if ($state -eq 'Completed') {
                $received = @(Receive-Job -Job $entry.child)
                $answer = $null
                if ($received.Count -gt 0) { $answer = $received[$received.Count - 1] }
                if ($null -eq $answer) {
                    $outcomes[$vm.ToLowerInvariant()] = [pscustomobject]@{ vm = $vm; status = 'unknown'; reason = 'PowerShell Direct: the guest gave no answer' }
                } else {
                    $outcomes[$vm.ToLowerInvariant()] = [pscustomobject]@{ vm = $vm; status = 'answered'; credential = $entry.credential; results = (Resolve-LabformCopyProbes -Probes @($entry.attempt.request.probes) -Results @($answer.answers) -Os 'windows') }
                }
            } elseif ($state -eq 'Failed' -or $state -eq 'Stopped') {
                $entry.attempt.failure = Get-LabformJobFailure -Job $entry.child
                $entry.attempt.round++
                $queue.Enqueue($entry.attempt)
            } elseif ($watch.Elapsed.TotalSeconds - $entry.startedAt -ge $TimeoutSeconds) {
                Stop-Job -Job $entry.job
                $outcomes[$vm.ToLowerInvariant()] = [pscustomobject]@{ vm = $vm; status = 'unknown'; reason = ('no answer within ' + $TimeoutSeconds + ' s') }
            } else {
                continue
            }
            $ended += , $entry
        }
        foreach ($entry in $ended) {
            Remove-Job -Job $entry.job -Force
            $null = $running.Remove($entry)
        }
        # Nothing ended and nothing can start: the open sessions are still working.
        if ($ended.Count -eq 0 -and $running.Count -gt 0) { Start-Sleep -Milliseconds 50 }
    }
    return $outcomes
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
                $results[$index] = [pscustomobject]@{ done = ($Matches[2] -eq '0' -and $last.Trim() -eq 'true'); detail = ('test printed ' + $last); raw = $last; exitCode = [int]$Matches[2] }
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
        [int]$ThrottleLimit = 32,
        # The host's VMs as discovery just read them (name, state, notes): asked again with Get-VM when not given.
        [object[]]$Vms = $null
    )
    $ErrorActionPreference = 'Stop'
    $outcomes = @{}
    $order = @()
    $here = @{}
    if ($null -eq $Vms) { $Vms = @(Get-VM) }
    foreach ($vm in $Vms) { $here[([string]$vm.Name).ToLowerInvariant()] = $vm }
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

    # Linux guests: started first, they run while the Windows sessions do.
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

    # Windows guests: each its own session, throttled here; Linux ones go on meanwhile.
    $windowsOutcomes = Invoke-LabformWindowsProbes -Requests $windows -Credentials $Credentials -TimeoutSeconds $TimeoutSeconds -ThrottleLimit $ThrottleLimit
    foreach ($key in @($windowsOutcomes.Keys)) { $outcomes[$key] = $windowsOutcomes[$key] }

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
                # A role listing that failed: unknown (its tasks stay planned), never "no records".
                $listed = $true
                try { $read = Resolve-LabformLinuxRoleProbes -Probes @($entry.request.probes) -Results $read } catch { $listed = $false; & $unknown $name ([string]$_.Exception.Message) }
                if ($listed) { $outcomes[$name.ToLowerInvariant()] = [pscustomobject]@{ vm = $name; status = 'answered'; credential = $entry.credential; results = (Resolve-LabformCopyProbes -Probes @($entry.request.probes) -Results $read -Os 'linux') } }
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
    # The VMs discovery has just read: one Get-VM per request (not a second listing of every VM), and
    # the probes ask exactly the running lab VMs the answer reports.
    $probes = Invoke-LabformGuestProbeBatch -Lab $Lab -Requests $Requests -Credentials $Credentials -TimeoutSeconds $TimeoutSeconds -ThrottleLimit $ThrottleLimit -Vms @($state.vms)
    $state | Add-Member -NotePropertyName 'guestProbes' -NotePropertyValue @($probes) -Force
    return $state
}
