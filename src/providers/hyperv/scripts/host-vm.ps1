# Virtual machines: create, configure, start, stop, remove (Windows PowerShell 5.1 syntax only).

function New-LabformVm {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][ValidateSet(1, 2)][int]$Generation,
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][long]$MemoryStartupBytes,
        [AllowEmptyString()][string]$Notes = ''
    )
    # New-VM puts the VM in <Path>\<Name>; labform's path already names the VM's folder.
    # Plain string work, not Split-Path: the path is the host's, whatever the local separator.
    $parent = $Path.TrimEnd('\')
    $cut = $parent.LastIndexOf('\')
    if ($cut -gt 0 -and [string]::Equals($parent.Substring($cut + 1), $Name, [System.StringComparison]::OrdinalIgnoreCase)) { $parent = $parent.Substring(0, $cut) }
    New-VM -Name $Name -Generation $Generation -Path $parent -MemoryStartupBytes $MemoryStartupBytes -NoVHD | Out-Null
    Set-VM -Name $Name -Notes $Notes
}

function Set-LabformVm {
    # Each setting is its own call so only what the plan changes is touched; order keeps Hyper-V's invariants.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [int]$ProcessorCount,
        [long]$MemoryStartupBytes,
        [bool]$DynamicMemory,
        [long]$MemoryMinimumBytes,
        [long]$MemoryMaximumBytes,
        [bool]$SecureBoot,
        [string]$SecureBootTemplate,
        [bool]$Tpm,
        [bool]$NestedVirtualization,
        [long]$LowMemoryMappedIoSpace,
        [long]$HighMemoryMappedIoSpace,
        [bool]$GuestControlledCacheTypes,
        [ValidateSet('ShutDown', 'Save', 'TurnOff')][string]$AutomaticStopAction,
        [ValidateSet('Standard', 'Production', 'Disabled')][string]$CheckpointType,
        [AllowEmptyString()][string]$Notes
    )
    $bound = $PSBoundParameters
    $null = Get-LabformSingleVm -Name $Name
    if ($bound.ContainsKey('ProcessorCount')) { Set-VMProcessor -VMName $Name -Count $ProcessorCount }
    # Turning nesting off first and on last lets static/dynamic memory change in the same step.
    if ($bound.ContainsKey('NestedVirtualization') -and -not $NestedVirtualization) { Set-VMProcessor -VMName $Name -ExposeVirtualizationExtensions $false }
    if ($bound.ContainsKey('DynamicMemory') -or $bound.ContainsKey('MemoryStartupBytes') -or $bound.ContainsKey('MemoryMinimumBytes') -or $bound.ContainsKey('MemoryMaximumBytes')) {
        if ($bound.ContainsKey('DynamicMemory') -and $DynamicMemory) {
            Set-VMMemory -VMName $Name -DynamicMemoryEnabled $true -StartupBytes $MemoryStartupBytes -MinimumBytes $MemoryMinimumBytes -MaximumBytes $MemoryMaximumBytes
        } elseif ($bound.ContainsKey('DynamicMemory')) {
            Set-VMMemory -VMName $Name -DynamicMemoryEnabled $false -StartupBytes $MemoryStartupBytes
        } else {
            Set-VMMemory -VMName $Name -StartupBytes $MemoryStartupBytes
        }
    }
    if ($bound.ContainsKey('NestedVirtualization') -and $NestedVirtualization) { Set-VMProcessor -VMName $Name -ExposeVirtualizationExtensions $true }
    if ($bound.ContainsKey('LowMemoryMappedIoSpace')) { Set-VM -Name $Name -LowMemoryMappedIoSpace $LowMemoryMappedIoSpace }
    if ($bound.ContainsKey('HighMemoryMappedIoSpace')) { Set-VM -Name $Name -HighMemoryMappedIoSpace $HighMemoryMappedIoSpace }
    if ($bound.ContainsKey('GuestControlledCacheTypes')) { Set-VM -Name $Name -GuestControlledCacheTypes $GuestControlledCacheTypes }
    if ($bound.ContainsKey('SecureBoot')) {
        $onOff = 'Off'
        if ($SecureBoot) { $onOff = 'On' }
        if ($bound.ContainsKey('SecureBootTemplate') -and $SecureBootTemplate) {
            Set-VMFirmware -VMName $Name -EnableSecureBoot $onOff -SecureBootTemplate $SecureBootTemplate
        } else {
            Set-VMFirmware -VMName $Name -EnableSecureBoot $onOff
        }
    }
    if ($bound.ContainsKey('Tpm')) {
        $security = Get-VMSecurity -VMName $Name
        if ($Tpm -and -not $security.TpmEnabled) {
            Set-VMKeyProtector -VMName $Name -NewLocalKeyProtector
            Enable-VMTPM -VMName $Name
        } elseif (-not $Tpm -and $security.TpmEnabled) {
            Disable-VMTPM -VMName $Name
        }
    }
    if ($bound.ContainsKey('AutomaticStopAction')) { Set-VM -Name $Name -AutomaticStopAction $AutomaticStopAction }
    if ($bound.ContainsKey('CheckpointType')) { Set-VM -Name $Name -CheckpointType $CheckpointType }
    if ($bound.ContainsKey('Notes')) { Set-VM -Name $Name -Notes $Notes }
}

function Start-LabformVm {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Name)
    $vm = Get-LabformSingleVm -Name $Name
    if ([string]$vm.State -ne 'Running') { Start-VM -Name $Name }
}

function Stop-LabformVm {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [bool]$Force = $false,
        [int]$TimeoutMs = 300000
    )
    $vm = Get-LabformSingleVm -Name $Name
    if ([string]$vm.State -eq 'Off') { return }
    if ($Force) {
        Stop-VM -Name $Name -TurnOff -Force
        return
    }
    # A graceful shut down that hangs must not block the lab: turn the VM off after the timeout.
    $null = Stop-VM -Name $Name -Force -AsJob
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ([string](Get-LabformSingleVm -Name $Name).State -eq 'Off') { return }
        Start-Sleep -Milliseconds 500
    }
    Stop-VM -Name $Name -TurnOff -Force
}

function Remove-LabformVm {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Name)
    $vm = Get-LabformSingleVm -Name $Name
    if ([string]$vm.State -ne 'Off') {
        Stop-LabformOperation -Message ("The virtual machine '" + $Name + "' is " + [string]$vm.State + "; labform removes only virtual machines that are off.") -ErrorId 'InvalidState,Remove-LabformVm' -Category InvalidOperation -Target $Name
    }
    Remove-VM -Name $Name -Force
}
