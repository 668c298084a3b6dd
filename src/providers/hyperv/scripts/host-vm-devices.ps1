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

function Get-LabformVmAdapter {
    <#
    One network adapter of a VM, as an object for the -VMNetworkAdapter parameter sets. Adapter
    names are not unique in Hyper-V (New-VM's own adapter and Add-VMNetworkAdapter without -Name
    are both "Network Adapter"), and -VMName/-Name cmdlets act on every adapter of that name: so
    an adapter is found by its MAC address when it has one, by name only when that is unambiguous.
    A dynamic MAC reads 000000000000 until the VM first starts (taliesins/terraform-provider-hyperv
    api/hyperv-winrm/vm_network_adapter.go), so it identifies nothing.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Name,
        [string]$MacAddress
    )
    $vm = Get-LabformSingleVm -Name $VMName
    $all = @(Get-VMNetworkAdapter -VM $vm)
    $mac = ''
    if ($MacAddress) { $mac = ($MacAddress -replace '[^0-9A-Fa-f]', '').ToUpperInvariant() }
    if ($mac -and $mac -ne '000000000000') {
        $found = @($all | Where-Object { ([string]$_.MacAddress -replace '[^0-9A-Fa-f]', '').ToUpperInvariant() -eq $mac })
    } else {
        $found = @($all | Where-Object { [string]::Equals([string]$_.Name, $Name, [System.StringComparison]::OrdinalIgnoreCase) })
    }
    if ($found.Count -eq 0) {
        Stop-LabformOperation -Message ("Hyper-V was unable to find a network adapter named '" + $Name + "' on virtual machine '" + $VMName + "'.") -ErrorId 'ObjectNotFound,Get-LabformVmAdapter' -Category ObjectNotFound -Target $Name
    }
    if ($found.Count -gt 1) {
        Stop-LabformOperation -Message ("More than one network adapter of virtual machine '" + $VMName + "' matches '" + $Name + "'; labform will not guess which one.") -ErrorId 'AmbiguousAdapter,Labform' -Category InvalidOperation -Target $Name
    }
    return $found[0]
}

function Set-LabformAdapterVlan {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)]$Adapter, [int]$VlanId = 0)
    if ($VlanId -gt 0) {
        Set-VMNetworkAdapterVlan -VMNetworkAdapter $Adapter -Access -VlanId $VlanId
    } else {
        Set-VMNetworkAdapterVlan -VMNetworkAdapter $Adapter -Untagged
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
    $vm = Get-LabformSingleVm -Name $VMName
    # -Passthru: the new adapter itself, whatever other adapters are called.
    if ($StaticMacAddress) {
        $adapter = Add-VMNetworkAdapter -VM $vm -Name $Name -SwitchName $SwitchName -StaticMacAddress $StaticMacAddress -Passthru
    } else {
        $adapter = Add-VMNetworkAdapter -VM $vm -Name $Name -SwitchName $SwitchName -Passthru
    }
    if ($MacAddressSpoofing) { Set-VMNetworkAdapter -VMNetworkAdapter $adapter -MacAddressSpoofing On }
    if ($VlanId -gt 0) { Set-LabformAdapterVlan -Adapter $adapter -VlanId $VlanId }
}

function Set-LabformAdapter {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Name,
        [string]$MacAddress,
        [string]$SwitchName,
        [bool]$MacAddressSpoofing,
        [int]$VlanId = 0
    )
    $adapter = Get-LabformVmAdapter -VMName $VMName -Name $Name -MacAddress $MacAddress
    if ($PSBoundParameters.ContainsKey('SwitchName')) { Connect-VMNetworkAdapter -VMNetworkAdapter $adapter -SwitchName $SwitchName }
    if ($PSBoundParameters.ContainsKey('MacAddressSpoofing')) {
        if ($MacAddressSpoofing) {
            Set-VMNetworkAdapter -VMNetworkAdapter $adapter -MacAddressSpoofing On
        } else {
            Set-VMNetworkAdapter -VMNetworkAdapter $adapter -MacAddressSpoofing Off
        }
    }
    if ($PSBoundParameters.ContainsKey('VlanId')) { Set-LabformAdapterVlan -Adapter $adapter -VlanId $VlanId }
}

function Remove-LabformAdapter {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Name,
        [string]$MacAddress
    )
    $adapter = Get-LabformVmAdapter -VMName $VMName -Name $Name -MacAddress $MacAddress
    Remove-VMNetworkAdapter -VMNetworkAdapter $adapter
}

function Add-LabformDevice {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$LocationPath
    )
    $vm = Get-LabformSingleVm -Name $VMName
    # Which VM holds the device, read again if another session removes a VM meanwhile (Invoke-LabformOnHostVms).
    $holders = @(Invoke-LabformOnHostVms -Read {
        param($vms)
        foreach ($other in $vms) {
            foreach ($assigned in @(Get-VMAssignableDevice -VM $other)) {
                if ([string]::Equals([string]$assigned.LocationPath, $LocationPath, [System.StringComparison]::OrdinalIgnoreCase)) { [string]$other.Name }
            }
        }
    })
    foreach ($holder in $holders) {
        if ([string]::Equals($holder, $VMName, [System.StringComparison]::OrdinalIgnoreCase)) { return }
        Stop-LabformOperation -Message ("The device '" + $LocationPath + "' is already assigned to virtual machine '" + $holder + "'.") -ErrorId 'DeviceAssigned,Add-LabformDevice' -Category ResourceUnavailable -Target $LocationPath
    }
    # Checked before the device leaves the host, so a refusal changes nothing.
    if ([string]$vm.State -ne 'Off') {
        Stop-LabformOperation -Message 'The operation cannot be performed while the virtual machine is in its current state.' -ErrorId 'InvalidState,Add-LabformDevice' -Category InvalidOperation -Target $VMName
    }
    # A device still mounted on the host is disabled, then dismounted, before Hyper-V can assign
    # it (Microsoft Learn, "Deploy graphics devices using Discrete Device Assignment": Disable-PnpDevice,
    # Dismount-VMHostAssignableDevice -Force, Add-VMAssignableDevice).
    $free = @(Get-VMHostAssignableDevice -LocationPath $LocationPath)
    if ($free.Count -eq 0) {
        $instanceId = Get-LabformPnpInstanceId -LocationPath $LocationPath
        if ($instanceId) { Disable-PnpDevice -InstanceId $instanceId -Confirm:$false }
        Dismount-VMHostAssignableDevice -Force -LocationPath $LocationPath
    }
    Add-VMAssignableDevice -VMName $VMName -LocationPath $LocationPath
}

function Get-LabformPnpInstanceId {
    # The PnP instance id of a device mounted on the host, found by its location path
    # (DEVPKEY_Device_LocationPaths, as in Microsoft's DDA guide); $null when PnP does not list it.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$LocationPath)
    if (-not (Get-Command -Name 'Get-PnpDevice' -ErrorAction SilentlyContinue)) { return $null }
    $ids = @(Get-PnpDevice | Where-Object { [string]$_.InstanceId -like 'PCI\*' } | ForEach-Object { [string]$_.InstanceId })
    if ($ids.Count -eq 0) { return $null }
    foreach ($property in @(Get-PnpDeviceProperty -InstanceId $ids -KeyName 'DEVPKEY_Device_LocationPaths')) {
        foreach ($path in @($property.Data)) {
            if ([string]::Equals([string]$path, $LocationPath, [System.StringComparison]::OrdinalIgnoreCase)) { return [string]$property.InstanceId }
        }
    }
    return $null
}

function Remove-LabformDevice {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$LocationPath
    )
    # Given back to the host the way Microsoft's DDA guide does it: removed from the VM, mounted
    # on the host, and enabled again (it was disabled before it was dismounted).
    $assigned = @(Get-VMAssignableDevice -VMName $VMName | Where-Object { [string]::Equals([string]$_.LocationPath, $LocationPath, [System.StringComparison]::OrdinalIgnoreCase) })
    if ($assigned.Count -gt 0) { Remove-VMAssignableDevice -VMName $VMName -LocationPath $LocationPath }
    $free = @(Get-VMHostAssignableDevice -LocationPath $LocationPath)
    if ($free.Count -gt 0) { Mount-VMHostAssignableDevice -LocationPath $LocationPath }
    $instanceId = Get-LabformPnpInstanceId -LocationPath $LocationPath
    if ($instanceId) { Enable-PnpDevice -InstanceId $instanceId -Confirm:$false }
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
