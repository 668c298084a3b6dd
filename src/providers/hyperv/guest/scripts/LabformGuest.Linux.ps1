# Linux guests (Windows PowerShell 5.1 syntax only): reached over SSH from the Hyper-V host
# with key authentication (the host's ssh client, batch mode: no password prompts). The
# guest's address comes from the KVP data Hyper-V reports (Get-VMNetworkAdapter).
# The script text travels on ssh's stdin to `bash -s`: it is never part of a command line.

function Get-LabformLinuxAddress {
    param([string]$VMName)
    $addresses = @(Get-VMNetworkAdapter -VMName $VMName | ForEach-Object { $_.IPAddresses } | Where-Object { $_ -match '^\d{1,3}(\.\d{1,3}){3}$' })
    if ($addresses.Count -eq 0) { return $null }
    return [string]$addresses[0]
}

function Invoke-LabformSsh {
    param([string]$UserName, [string]$Address, [string]$Script)
    $sshArgs = @('-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'StrictHostKeyChecking=accept-new', '-l', $UserName, $Address, 'bash -s')
    $output = $Script | & ssh.exe @sshArgs 2>&1
    return [pscustomobject]@{ exitCode = $LASTEXITCODE; output = @($output | ForEach-Object { [string]$_ }) }
}

function Test-LabformLinuxReachable {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$UserName
    )
    $address = Get-LabformLinuxAddress -VMName $VMName
    if ($null -eq $address) { return [pscustomobject]@{ reachable = $false; detail = 'no IPv4 address reported by the guest yet' } }
    $answer = Invoke-LabformSsh -UserName $UserName -Address $address -Script 'true'
    if ($answer.exitCode -eq 0) { return [pscustomobject]@{ reachable = $true; detail = ('ssh to ' + $address + ' answered') } }
    return [pscustomobject]@{ reachable = $false; detail = ('ssh to ' + $address + ' failed with exit code ' + $answer.exitCode) }
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
    if ($answer.exitCode -ne 0) { throw ('bash script in ' + $VMName + ' failed with exit code ' + $answer.exitCode) }
    return [pscustomobject]@{ rebooted = $false; detail = ('bash script ran in ' + $VMName) }
}
