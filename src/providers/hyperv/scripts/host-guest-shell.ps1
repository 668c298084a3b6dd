# labform exec / labform cp on real Hyper-V (Windows PowerShell 5.1 syntax only).
#
# Windows guests, over PowerShell Direct:
#   exec: Invoke-Command -VMName -Credential -AsJob runs powershell.exe -EncodedCommand inside the
#         guest, so `exit N` and native exit codes are the guest's own (about_PowerShell_exe:
#         https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_powershell_exe);
#         labform collects the job's output as it comes (Receive-LabformGuestExec).
#         Its stderr is merged with 2>&1 under ErrorActionPreference Continue: in 5.1 each stderr
#         line of a native command becomes an ErrorRecord, which under Stop would end the call.
#   cp:   New-PSSession -VMName, then Copy-Item -ToSession / -FromSession
#         (https://learn.microsoft.com/powershell/module/microsoft.powershell.management/copy-item,
#         "Example 5: Copy a file to a remote computer"; PowerShell Direct sessions:
#         https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/powershell-direct).
# Linux guests, over ssh/scp from the host (key authentication, batch mode), at the address the
# guest reports through KVP. No text is ever piped into a native command (5.1 would add CRLF):
# the command travels base64-encoded as an argument and is decoded by the guest's shell.
# File contents travel as base64 in the request and are staged in a temporary folder on the host.

function New-LabformStagingFolder {
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('labform-cp-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $folder
    return $folder
}

function ConvertTo-LabformGuestOutput {
    # Output of a native command merged with 2>&1: ErrorRecords are its stderr lines.
    param([object[]]$Items)
    foreach ($item in $Items) {
        if ($item -is [System.Management.Automation.ErrorRecord]) {
            [pscustomobject]@{ stream = 'stderr'; text = [string]$item.Exception.Message }
        } else {
            [pscustomobject]@{ stream = 'stdout'; text = [string]$item }
        }
    }
}

function Invoke-LabformLinuxNative {
    # ssh.exe / scp.exe with stderr merged; returns exit code and output lines (stderr marked).
    param([string]$FilePath, [string[]]$ArgumentList)
    $saved = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $items = @(& $FilePath @ArgumentList 2>&1)
        $code = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $saved
    }
    return [pscustomobject]@{ exitCode = $code; output = @(ConvertTo-LabformGuestOutput -Items $items) }
}

function Get-LabformSshOptions {
    return @('-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'StrictHostKeyChecking=accept-new')
}

function Get-LabformLinuxGuestAddress {
    param([string]$VMName)
    $addresses = @(Get-VMNetworkAdapter -VMName $VMName | ForEach-Object { $_.IPAddresses } | Where-Object { $_ -match '^\d{1,3}(\.\d{1,3}){3}$' })
    if ($addresses.Count -eq 0) { throw ('the Linux guest ' + $VMName + ' reports no IPv4 address (is it up, with the Hyper-V integration daemons?)') }
    return [string]$addresses[0]
}

# Running guest commands, by job id: the command runs as a job of this (long-lived) session and
# Receive-LabformGuestExec hands over what it printed so far, so the output streams to labform.
# Invoke-Command -VMName -AsJob (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/invoke-command,
# VMName parameter set) and Start-Job for ssh; Receive-Job returns only what is new since the last call
# (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/receive-job).
$script:LabformExecJobs = @{}

function ConvertTo-LabformExecOutput {
    param([object[]]$Items)
    foreach ($item in $Items) {
        if ($item.stream -eq 'stdout' -or $item.stream -eq 'stderr') { [pscustomobject]@{ stream = [string]$item.stream; text = [string]$item.text } }
    }
}

function Start-LabformGuestExec {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Os,
        [Parameter(Mandatory = $true)][string]$Command,
        [System.Management.Automation.PSCredential]$Credential,
        [string]$UserName
    )
    $ErrorActionPreference = 'Stop'
    if ($Os -eq 'linux') {
        $address = Get-LabformLinuxGuestAddress -VMName $VMName
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Command))
        $sshArgs = @(Get-LabformSshOptions) + @('-l', $UserName, $address, ('echo ' + $encoded + ' | base64 -d | bash'))
        $job = Start-Job -ArgumentList (, $sshArgs) -ScriptBlock {
            param([string[]]$SshArgs)
            $ErrorActionPreference = 'Continue'
            # A native program (Windows' OpenSSH client), called by name like scp.exe in Invoke-LabformLinuxNative.
            $ssh = 'ssh.exe'
            & $ssh @SshArgs 2>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { [pscustomobject]@{ stream = 'stderr'; text = [string]$_.Exception.Message } }
                else { [pscustomobject]@{ stream = 'stdout'; text = [string]$_ } }
            }
            [pscustomobject]@{ stream = 'exit'; text = [string]$LASTEXITCODE }
        }
    } else {
        # Progress records would come back as CLIXML on stderr: silence them in the child.
        $script = '$ProgressPreference = ''SilentlyContinue''' + [Environment]::NewLine + $Command
        $encodedCommand = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
        $job = Invoke-Command -VMName $VMName -Credential $Credential -AsJob -ArgumentList $encodedCommand -ScriptBlock {
            param($EncodedCommand)
            $ErrorActionPreference = 'Continue'
            # Each line leaves the pipeline as it comes (nothing collected first): labform sees it while the command runs.
            & powershell.exe -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $EncodedCommand 2>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { [pscustomobject]@{ stream = 'stderr'; text = [string]$_.Exception.Message } }
                else { [pscustomobject]@{ stream = 'stdout'; text = [string]$_ } }
            }
            [pscustomobject]@{ stream = 'exit'; text = [string]$LASTEXITCODE }
        }
    }
    $script:LabformExecJobs[[string]$job.Id] = [pscustomobject]@{ job = $job; os = $Os; vm = $VMName }
    return [pscustomobject]@{ id = [int]$job.Id }
}

function Receive-LabformGuestExec {
    # What the command printed since the last call; `exitCode` once it ended. A session that never
    # opened (VM off, credential refused) fails the job: its error is thrown as it is.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][int]$Id)
    $ErrorActionPreference = 'Stop'
    $entry = $script:LabformExecJobs[[string]$Id]
    if ($null -eq $entry) { throw ('no running labform exec with id ' + $Id) }
    $job = $entry.job
    $finished = @('Completed', 'Failed', 'Stopped') -contains [string]$job.State
    $problems = @()
    $items = @(Receive-Job -Job $job -ErrorAction SilentlyContinue -ErrorVariable problems)
    $output = @(ConvertTo-LabformExecOutput -Items $items)
    $exit = @($items | Where-Object { $_.stream -eq 'exit' }) | Select-Object -Last 1
    if (-not $finished -and $null -eq $exit) { return [pscustomobject]@{ done = $false; output = $output } }
    if ($null -eq $exit) {
        # Whatever came between the state check and the end.
        $items = @(Receive-Job -Job $job -Wait -ErrorAction SilentlyContinue -ErrorVariable +problems)
        $output += @(ConvertTo-LabformExecOutput -Items $items)
        $exit = @($items | Where-Object { $_.stream -eq 'exit' }) | Select-Object -Last 1
    }
    $null = $script:LabformExecJobs.Remove([string]$Id)
    $reason = @($job.ChildJobs | ForEach-Object { $_.JobStateInfo.Reason } | Where-Object { $_ }) | Select-Object -First 1
    Remove-Job -Job $job -Force
    if ($null -eq $exit) {
        if ($problems.Count -gt 0) { throw $problems[0] }
        if ($reason) { throw $reason }
        throw ('the command in ' + $entry.vm + ' ended without an exit code (job ' + [string]$job.State + ')')
    }
    $code = [int]$exit.text
    if ($entry.os -eq 'linux' -and $code -eq 255) {
        # ssh exits 255 for its own failures (connection, authentication); anything else is the command's.
        $why = (@($output | Where-Object { $_.stream -eq 'stderr' } | ForEach-Object { $_.text }) -join ' ').Trim()
        throw ('ssh to ' + $entry.vm + ' failed: ' + $why)
    }
    return [pscustomobject]@{ done = $true; output = $output; exitCode = $code }
}

function Stop-LabformGuestExec {
    # Ctrl-C in labform: the job stops and is removed.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][int]$Id)
    $entry = $script:LabformExecJobs[[string]$Id]
    if ($null -eq $entry) { return [pscustomobject]@{ stopped = $false } }
    $null = $script:LabformExecJobs.Remove([string]$Id)
    Stop-Job -Job $entry.job
    Remove-Job -Job $entry.job -Force
    return [pscustomobject]@{ stopped = $true }
}

function Copy-LabformToGuest {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Os,
        [Parameter(Mandatory = $true)][string]$FileName,
        [Parameter(Mandatory = $true)][string]$Content,
        [Parameter(Mandatory = $true)][string]$Destination,
        [System.Management.Automation.PSCredential]$Credential,
        [string]$UserName
    )
    $ErrorActionPreference = 'Stop'
    $staging = New-LabformStagingFolder
    try {
        $local = Join-Path $staging $FileName
        [System.IO.File]::WriteAllBytes($local, [Convert]::FromBase64String($Content))
        if ($Os -eq 'linux') {
            $address = Get-LabformLinuxGuestAddress -VMName $VMName
            $answer = Invoke-LabformLinuxNative -FilePath 'scp.exe' -ArgumentList (@(Get-LabformSshOptions) + @($local, ($UserName + '@' + $address + ':' + $Destination)))
            if ($answer.exitCode -ne 0) { throw ('scp to ' + $VMName + ' failed: ' + ((@($answer.output | ForEach-Object { $_.text }) -join ' ').Trim())) }
            $written = $Destination
            if ($Destination.EndsWith('/')) { $written = $Destination + $FileName }
            return [pscustomobject]@{ path = $written }
        }
        $session = New-PSSession -VMName $VMName -Credential $Credential
        try {
            # Copy-Item puts the file inside an existing folder: say where it went.
            $written = Invoke-Command -Session $session -ArgumentList $Destination, $FileName -ScriptBlock {
                param($Destination, $FileName)
                if ($Destination.EndsWith('\') -or $Destination.EndsWith('/')) { $Destination + $FileName }
                elseif (Test-Path -LiteralPath $Destination -PathType Container) { $Destination + '\' + $FileName }
                else { $Destination }
            }
            Copy-Item -LiteralPath $local -Destination ([string]$written) -ToSession $session
        } finally {
            Remove-PSSession -Session $session
        }
        return [pscustomobject]@{ path = [string]$written }
    } finally {
        Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Copy-LabformFromGuest {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Os,
        [Parameter(Mandatory = $true)][string]$Source,
        [System.Management.Automation.PSCredential]$Credential,
        [string]$UserName
    )
    $ErrorActionPreference = 'Stop'
    $staging = New-LabformStagingFolder
    try {
        $local = Join-Path $staging 'file'
        if ($Os -eq 'linux') {
            $address = Get-LabformLinuxGuestAddress -VMName $VMName
            $answer = Invoke-LabformLinuxNative -FilePath 'scp.exe' -ArgumentList (@(Get-LabformSshOptions) + @(($UserName + '@' + $address + ':' + $Source), $local))
            if ($answer.exitCode -ne 0) { throw ('scp from ' + $VMName + ' failed: ' + ((@($answer.output | ForEach-Object { $_.text }) -join ' ').Trim())) }
        } else {
            $session = New-PSSession -VMName $VMName -Credential $Credential
            try {
                Copy-Item -Path $Source -Destination $local -FromSession $session
            } finally {
                Remove-PSSession -Session $session
            }
        }
        return [pscustomobject]@{ content = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($local)) }
    } finally {
        Remove-Item -LiteralPath $staging -Recurse -Force -ErrorAction SilentlyContinue
    }
}
