# Linux guests (Windows PowerShell 5.1 syntax only): reached over SSH from the Hyper-V host
# with key authentication (the host's ssh client, batch mode: no password prompts). The
# guest's address comes from the KVP data Hyper-V reports (Get-VMNetworkAdapter).
#
# What Windows PowerShell 5.1 does to native commands, and why this file looks the way it does:
# - Text piped into a native command is re-encoded with $OutputEncoding (ASCII by default) and
#   every line ends with CRLF, so bash reads `true\r` (PowerShell issues #5974, #1908, #14945).
#   The script therefore never travels on stdin: it goes as base64 of its UTF-8 bytes, with LF
#   line endings, inside the remote command line, and the guest decodes it (`base64 -d`).
# - With stderr redirected (2>&1) and $ErrorActionPreference = 'Stop', the first stderr line
#   (OpenSSH's "Warning: Permanently added ... to the list of known hosts") becomes a
#   terminating NativeCommandError (PowerShell issue #3996; about_Preference_Variables,
#   $PSNativeCommandUseErrorActionPreference, which only PowerShell 7.3+ has). The call runs
#   under 'Continue' and reads $LASTEXITCODE instead.
# - ssh.exe ships with Windows Server 2019 and later (OpenSSH client, a Feature on Demand:
#   Microsoft Learn "Get started with OpenSSH for Windows"); Windows Server 2016 has none.

function Get-LabformLinuxAddress {
    param([string]$VMName)
    $addresses = @(Get-VMNetworkAdapter -VMName $VMName | ForEach-Object { $_.IPAddresses } | Where-Object { $_ -match '^\d{1,3}(\.\d{1,3}){3}$' })
    if ($addresses.Count -eq 0) { return $null }
    return [string]$addresses[0]
}

function Get-LabformSshClient {
    # The host's OpenSSH client, or a clear environment error where there is none (Server 2016).
    $ssh = Get-Command -Name 'ssh.exe' -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $ssh) {
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList ('this Hyper-V host has no OpenSSH client (ssh.exe), which Linux guests need: it ships with Windows Server 2019 and later; on ' + [string][Environment]::OSVersion.VersionString + ' install it (Add-WindowsCapability -Online -Name OpenSSH.Client~~~~0.0.1.0) or run Linux guests on a newer host')
        throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'LabformEnvironment,SshClientMissing', ([System.Management.Automation.ErrorCategory]::NotInstalled), 'ssh.exe')
    }
    return $ssh
}

function ConvertTo-LabformRemoteBash {
    # The remote command: the script's UTF-8 bytes (LF line endings) as base64, decoded by the
    # guest and run by bash, as root (sudo -n for a non-root user: no password prompt, ever).
    param([string]$Script)
    $text = $Script.Replace("`r`n", "`n").Replace("`r", "`n")
    $encoded = [Convert]::ToBase64String((New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($text))
    # A Windows command line holds 32767 characters (CreateProcess); leave room for ssh's own options.
    if ($encoded.Length -gt 30000) {
        throw ('the bash script is ' + $text.Length + ' characters long; Linux scripts travel in the ssh command line and must stay under about 22000 characters')
    }
    return ('echo ' + $encoded + ' | base64 -d | if [ "$(id -u)" = 0 ]; then bash -s; else sudo -n bash -s; fi')
}

function Invoke-LabformSsh {
    param([string]$UserName, [string]$Address, [string]$Script)
    $ssh = Get-LabformSshClient
    $sshArgs = @('-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'StrictHostKeyChecking=accept-new', '-o', 'LogLevel=ERROR', '-l', $UserName, $Address, (ConvertTo-LabformRemoteBash -Script $Script))
    $stdout = @()
    $stderr = @()
    # stderr lines arrive as ErrorRecords under 2>&1: told apart, never thrown (see the top of this file).
    $ErrorActionPreference = 'Continue'
    foreach ($line in (& $ssh @sshArgs 2>&1)) {
        if ($line -is [System.Management.Automation.ErrorRecord]) { $stderr += [string]$line.Exception.Message } else { $stdout += [string]$line }
    }
    $code = $LASTEXITCODE
    $ErrorActionPreference = 'Stop'
    return [pscustomobject]@{ exitCode = $code; output = $stdout; errors = $stderr }
}

function Test-LabformLinuxReachable {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$UserName
    )
    $ErrorActionPreference = 'Stop'
    $address = Get-LabformLinuxAddress -VMName $VMName
    if ($null -eq $address) { return [pscustomobject]@{ reachable = $false; detail = 'no IPv4 address reported by the guest yet' } }
    $answer = Invoke-LabformSsh -UserName $UserName -Address $address -Script 'true'
    if ($answer.exitCode -eq 0) { return [pscustomobject]@{ reachable = $true; detail = ('ssh to ' + $address + ' answered') } }
    $why = (@($answer.errors) | Select-Object -Last 1)
    return [pscustomobject]@{ reachable = $false; detail = ('ssh to ' + $address + ' failed with exit code ' + $answer.exitCode + ': ' + [string]$why) }
}

function Invoke-LabformLinuxScript {
    # Runs `run` (or, for a probe, `test`) with bash in the guest. A probe is done when the
    # test's last output line is `true`.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$UserName,
        [Parameter(Mandatory = $true)][string]$Script,
        [switch]$Probe
    )
    $ErrorActionPreference = 'Stop'
    $address = Get-LabformLinuxAddress -VMName $VMName
    if ($null -eq $address) { throw ('the Linux guest ' + $VMName + ' reports no IPv4 address') }
    $answer = Invoke-LabformSsh -UserName $UserName -Address $address -Script $Script
    if ($Probe) {
        $last = @($answer.output) | Select-Object -Last 1
        return [pscustomobject]@{ done = ($answer.exitCode -eq 0 -and ([string]$last).Trim() -eq 'true'); detail = ('test printed ' + [string]$last) }
    }
    if ($answer.exitCode -ne 0) {
        $why = (@($answer.errors) | Select-Object -Last 3) -join ' / '
        throw ('bash script in ' + $VMName + ' failed with exit code ' + $answer.exitCode + ': ' + $why)
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('bash script ran in ' + $VMName) }
}

function ConvertFrom-LabformLinuxRoleListing {
    # A Linux guest's role records (roleListingScript in linux-guest.ts prints them as one base64
    # line: each record's JSON text and a newline) as the JSON array of record texts a Windows guest
    # answers with (LabformGuestProbe-readRoles). Base64, because Windows PowerShell 5.1 decodes a
    # native command's output with the console's code page, which would garble a script's non-ASCII text.
    param([string]$Raw)
    $texts = @()
    if ($Raw.Trim()) {
        $text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Raw.Trim()))
        foreach ($line in ($text -split "`n")) {
            if ($line.Trim()) { $texts += , $line }
        }
    }
    return (ConvertTo-Json -InputObject @($texts) -Compress)
}

function Resolve-LabformLinuxRoleProbes {
    # The answers of one Linux guest's plan-time probes with its readRoles answer (the listing's
    # base64 line, in raw) turned into the records' JSON array. Other answers pass unchanged. A
    # listing that failed (its exit code, or a line that is not base64) throws: the caller reports
    # the guest unknown, as a guest that does not answer, rather than one without records.
    param([object[]]$Probes, [object[]]$Results)
    $probeList = @($Probes)
    $out = @()
    $resultList = @($Results)
    for ($i = 0; $i -lt $resultList.Count; $i++) {
        $result = $resultList[$i]
        if ($i -lt $probeList.Count -and [string]$probeList[$i].operation -eq 'readRoles') {
            if ($null -eq $result.exitCode -or [int]$result.exitCode -ne 0) { throw ('its role records could not be listed (' + [string]$result.detail + ')') }
            $records = $null
            try { $records = ConvertFrom-LabformLinuxRoleListing -Raw ([string]$result.raw) } catch { throw ('its role records could not be read: ' + [string]$_.Exception.Message) }
            $result = [pscustomobject]@{ done = $true; detail = $records }
        }
        $out += , $result
    }
    return , $out
}

function Read-LabformLinuxRoles {
    # The executor's readRoles of one Linux guest: its role listing over ssh, as a JSON array.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$UserName,
        [Parameter(Mandatory = $true)][string]$ListingScript
    )
    $ErrorActionPreference = 'Stop'
    $address = Get-LabformLinuxAddress -VMName $VMName
    if ($null -eq $address) { throw ('the Linux guest ' + $VMName + ' reports no IPv4 address') }
    $answer = Invoke-LabformSsh -UserName $UserName -Address $address -Script $ListingScript
    if ($answer.exitCode -ne 0) {
        $why = (@($answer.errors) | Select-Object -Last 3) -join ' / '
        throw ('reading the role records of ' + $VMName + ' failed with exit code ' + $answer.exitCode + ': ' + $why)
    }
    $line = [string](@($answer.output | Where-Object { ([string]$_).Trim() }) | Select-Object -Last 1)
    return [pscustomobject]@{ done = $true; detail = (ConvertFrom-LabformLinuxRoleListing -Raw $line) }
}
