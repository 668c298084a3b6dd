# Disks, network adapters, assigned devices, checkpoints and cluster roles of a VM (Windows PowerShell 5.1 syntax only).

function Add-LabformDisk {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][ValidateSet('IDE', 'SCSI')][string]$ControllerType,
        [int]$ControllerNumber = 0,
        [int]$ControllerLocation = 0,
        [bool]$SupportPersistentReservations = $false
    )
    Add-VMHardDiskDrive -VMName $VMName -ControllerType $ControllerType -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation -Path $Path -SupportPersistentReservations:$SupportPersistentReservations
}

function Remove-LabformDisk {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][ValidateSet('IDE', 'SCSI')][string]$ControllerType,
        [int]$ControllerNumber = 0,
        [int]$ControllerLocation = 0
    )
    Remove-VMHardDiskDrive -VMName $VMName -ControllerType $ControllerType -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation
}

function Set-LabformAdapterVlan {
    [CmdletBinding()]
    param([string]$VMName, [string]$Name, [int]$VlanId = 0)
    if ($VlanId -gt 0) {
        Set-VMNetworkAdapterVlan -VMName $VMName -VMNetworkAdapterName $Name -Access -VlanId $VlanId
    } else {
        Set-VMNetworkAdapterVlan -VMName $VMName -VMNetworkAdapterName $Name -Untagged
    }
}

function Add-LabformAdapter {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$SwitchName,
        [string]$StaticMacAddress,
        [bool]$MacAddressSpoofing = $false,
        [int]$VlanId = 0
    )
    if ($StaticMacAddress) {
        Add-VMNetworkAdapter -VMName $VMName -Name $Name -SwitchName $SwitchName -StaticMacAddress $StaticMacAddress
    } else {
        Add-VMNetworkAdapter -VMName $VMName -Name $Name -SwitchName $SwitchName
    }
    if ($MacAddressSpoofing) { Set-VMNetworkAdapter -VMName $VMName -Name $Name -MacAddressSpoofing On }
    if ($VlanId -gt 0) { Set-LabformAdapterVlan -VMName $VMName -Name $Name -VlanId $VlanId }
}

function Set-LabformAdapter {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Name,
        [string]$SwitchName,
        [bool]$MacAddressSpoofing,
        [int]$VlanId = 0
    )
    if ($PSBoundParameters.ContainsKey('SwitchName')) { Connect-VMNetworkAdapter -VMName $VMName -Name $Name -SwitchName $SwitchName }
    if ($PSBoundParameters.ContainsKey('MacAddressSpoofing')) {
        if ($MacAddressSpoofing) {
            Set-VMNetworkAdapter -VMName $VMName -Name $Name -MacAddressSpoofing On
        } else {
            Set-VMNetworkAdapter -VMName $VMName -Name $Name -MacAddressSpoofing Off
        }
    }
    if ($PSBoundParameters.ContainsKey('VlanId')) { Set-LabformAdapterVlan -VMName $VMName -Name $Name -VlanId $VlanId }
}

function Remove-LabformAdapter {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Name
    )
    Remove-VMNetworkAdapter -VMName $VMName -Name $Name
}

function Add-LabformDevice {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$LocationPath
    )
    $vm = Get-LabformSingleVm -Name $VMName
    foreach ($other in @(Get-VM)) {
        foreach ($assigned in @(Get-VMAssignableDevice -VM $other)) {
            if ([string]::Equals([string]$assigned.LocationPath, $LocationPath, [System.StringComparison]::OrdinalIgnoreCase)) {
                if ([string]::Equals([string]$other.Name, $VMName, [System.StringComparison]::OrdinalIgnoreCase)) { return }
                Stop-LabformOperation -Message ("The device '" + $LocationPath + "' is already assigned to virtual machine '" + $other.Name + "'.") -ErrorId 'DeviceAssigned,Add-LabformDevice' -Category ResourceUnavailable -Target $LocationPath
            }
        }
    }
    # Checked before the device leaves the host, so a refusal changes nothing.
    if ([string]$vm.State -ne 'Off') {
        Stop-LabformOperation -Message 'The operation cannot be performed while the virtual machine is in its current state.' -ErrorId 'InvalidState,Add-LabformDevice' -Category InvalidOperation -Target $VMName
    }
    # A device still mounted on the host must be dismounted before Hyper-V can assign it.
    $free = @(Get-VMHostAssignableDevice -LocationPath $LocationPath)
    if ($free.Count -eq 0) { Dismount-VMHostAssignableDevice -Force -LocationPath $LocationPath }
    Add-VMAssignableDevice -VMName $VMName -LocationPath $LocationPath
}

function Remove-LabformDevice {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$LocationPath
    )
    Remove-VMAssignableDevice -VMName $VMName -LocationPath $LocationPath
    Mount-VMHostAssignableDevice -LocationPath $LocationPath
}

function New-LabformCheckpoint {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$VMName, [Parameter(Mandatory = $true)][string]$Checkpoint)
    Checkpoint-VM -Name $VMName -SnapshotName $Checkpoint
}

function Restore-LabformCheckpoint {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$VMName, [Parameter(Mandatory = $true)][string]$Checkpoint)
    $ConfirmPreference = 'None'
    Restore-VMSnapshot -Name $Checkpoint -VMName $VMName
}

function Remove-LabformCheckpoint {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$VMName, [Parameter(Mandatory = $true)][string]$Checkpoint)
    $ConfirmPreference = 'None'
    Remove-VMSnapshot -VMName $VMName -Name $Checkpoint
}

function Add-LabformClusterRole {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$VMName, [Parameter(Mandatory = $true)][string]$Cluster)
    Add-ClusterVirtualMachineRole -VMName $VMName -Cluster $Cluster | Out-Null
}
