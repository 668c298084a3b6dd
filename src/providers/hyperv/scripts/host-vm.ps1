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
        # Set-VM parameters of the simple settings (src/model/vm-settings.ts), each one value on Get-VM.
        [hashtable]$VmSettings = @{},
        [AllowEmptyString()][string]$Notes
    )
    $bound = $PSBoundParameters
    $vm = Get-LabformSingleVm -Name $Name
    # Only what differs is changed: Hyper-V refuses even a no-op change of an offline setting while the VM runs.
    $processor = Get-VMProcessor -VM $vm
    $nestedNow = [bool]$processor.ExposeVirtualizationExtensions
    if ($bound.ContainsKey('ProcessorCount') -and [long]$vm.ProcessorCount -ne $ProcessorCount) { Set-VMProcessor -VMName $Name -Count $ProcessorCount }
    # Turning nesting off first and on last lets static/dynamic memory change in the same step.
    if ($bound.ContainsKey('NestedVirtualization') -and -not $NestedVirtualization -and $nestedNow) { Set-VMProcessor -VMName $Name -ExposeVirtualizationExtensions $false }
    if ($bound.ContainsKey('DynamicMemory') -or $bound.ContainsKey('MemoryStartupBytes')) {
        $dynamic = [bool]$vm.DynamicMemoryEnabled
        if ($bound.ContainsKey('DynamicMemory')) { $dynamic = $DynamicMemory }
        $startup = [long]$vm.MemoryStartup
        if ($bound.ContainsKey('MemoryStartupBytes')) { $startup = $MemoryStartupBytes }
        if ($dynamic) {
            $minimum = [long]$vm.MemoryMinimum
            if ($bound.ContainsKey('MemoryMinimumBytes')) { $minimum = $MemoryMinimumBytes }
            $maximum = [long]$vm.MemoryMaximum
            if ($bound.ContainsKey('MemoryMaximumBytes')) { $maximum = $MemoryMaximumBytes }
            if (-not $vm.DynamicMemoryEnabled -or $startup -ne [long]$vm.MemoryStartup -or $minimum -ne [long]$vm.MemoryMinimum -or $maximum -ne [long]$vm.MemoryMaximum) {
                Set-VMMemory -VMName $Name -DynamicMemoryEnabled $true -StartupBytes $startup -MinimumBytes $minimum -MaximumBytes $maximum
            }
        } elseif ($vm.DynamicMemoryEnabled -or $startup -ne [long]$vm.MemoryStartup) {
            Set-VMMemory -VMName $Name -DynamicMemoryEnabled $false -StartupBytes $startup
        }
    }
    if ($bound.ContainsKey('NestedVirtualization') -and $NestedVirtualization -and -not $nestedNow) { Set-VMProcessor -VMName $Name -ExposeVirtualizationExtensions $true }
    $lowChanged = $bound.ContainsKey('LowMemoryMappedIoSpace') -and [long]$vm.LowMemoryMappedIoSpace -ne $LowMemoryMappedIoSpace
    $highChanged = $bound.ContainsKey('HighMemoryMappedIoSpace') -and [long]$vm.HighMemoryMappedIoSpace -ne $HighMemoryMappedIoSpace
    if ($lowChanged) { Set-VM -Name $Name -LowMemoryMappedIoSpace $LowMemoryMappedIoSpace }
    if ($highChanged) { Set-VM -Name $Name -HighMemoryMappedIoSpace $HighMemoryMappedIoSpace }
    foreach ($key in @($VmSettings.Keys)) {
        if ([string]$vm.$key -ne [string]$VmSettings[$key]) {
            $vmSetting = @{ Name = $Name }
            $vmSetting[$key] = $VmSettings[$key]
            Set-VM @vmSetting
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
    # Generation 1 VMs have no UEFI firmware: "secure boot off" is already true for them.
    if ($bound.ContainsKey('SecureBoot') -and ([int]$vm.Generation -eq 2 -or $SecureBoot)) {
        $onOff = 'Off'
        if ($SecureBoot) { $onOff = 'On' }
        $template = $null
        if ($bound.ContainsKey('SecureBootTemplate') -and $SecureBootTemplate) { $template = $SecureBootTemplate }
        $current = $null
        if ([int]$vm.Generation -eq 2) { $current = Get-VMFirmware -VMName $Name }
        $same = $current -and ([string]$current.SecureBoot -eq $onOff) -and (-not $template -or [string]$current.SecureBootTemplate -eq $template)
        if (-not $same) {
            if ($template) {
                Set-VMFirmware -VMName $Name -EnableSecureBoot $onOff -SecureBootTemplate $template
            } else {
                Set-VMFirmware -VMName $Name -EnableSecureBoot $onOff
            }
        }
    }
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
    # Remove-VM -Force would turn a running VM off and delete it: labform refuses instead.
    if (@('Off', 'Saved') -notcontains [string]$vm.State) {
        Stop-LabformOperation -Message 'The operation cannot be performed while the virtual machine is in its current state.' -ErrorId 'InvalidState,Remove-LabformVm' -Category InvalidOperation -Target $Name
    }
    Remove-VM -Name $Name -Force
}
