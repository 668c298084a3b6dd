# Fake behaviours: the host itself, assignable devices, the host cluster.

# Get-VMHost: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmhost
# LogicalProcessorCount is the host's logical processors (the VMHost object's property; the most
# virtual processors one VM can have, as Microsoft's LISAv2 Hyper-V tests check a VCPU count
# against the host's NumberOfLogicalProcessors: microsoft/LISAv2, Testscripts/Windows); 16 unless
# the state gives `logicalProcessors`.
Register-FakeCmdlet -Name 'Get-VMHost' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $logical = 16
    if ($State.logicalProcessors) { $logical = [int]$State.logicalProcessors }
    [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMHost'; Name = $State.computerName; ComputerName = $State.computerName; MemoryCapacity = [long]$State.totalMemory; LogicalProcessorCount = $logical; VirtualHardDiskPath = [string]$State.virtualHardDiskPath }
}

# Declared here for hosts without the guest side; the guest side may declare it again (same parameters).
function Get-CimInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)][string]$ClassName, [string]$Namespace, [string]$Filter, [string[]]$Property)
    Invoke-FakeCmdlet -Name 'Get-CimInstance' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

# Get-CimInstance: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/cimcmdlets/get-ciminstance
Register-FakeCmdlet -Name 'Get-CimInstance' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    if ([string]$Bound.ClassName -ne 'Win32_OperatingSystem') {
        Invoke-FakeError -Message ('fake Hyper-V: Get-CimInstance ' + $Bound.ClassName + ' is not faked on the host') -ErrorId 'FakeNotImplemented,Get-CimInstance' -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    [pscustomobject]@{ Caption = 'Microsoft Windows Server 2022 Datacenter'; FreePhysicalMemory = [uint64]([math]::Floor((Get-FakeFreeMemory -State $State) / 1024)); TotalVisibleMemorySize = [uint64]([long]$State.totalMemory / 1024) }
}

function Find-FakeDevice {
    param($State, [string]$LocationPath, [string]$Cmdlet)
    $d = @($State.devices | Where-Object { $_.locationPath -eq $LocationPath })[0]
    if (-not $d) {
        Invoke-FakeError -Message ("The specified device was not found: no device at location path '" + $LocationPath + "'.") -ErrorId ('ObjectNotFound,' + (Get-FakeCmdletClass $Cmdlet)) -Category ObjectNotFound -Target $LocationPath
    }
    return $d
}

# Get-VMHostAssignableDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmhostassignabledevice
Register-FakeCmdlet -Name 'Get-VMHostAssignableDevice' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($d in $State.devices) {
        if (-not $d.dismounted -or $d.assignedTo) { continue }
        if ($Bound.ContainsKey('LocationPath') -and $d.locationPath -ne [string]$Bound.LocationPath) { continue }
        [pscustomobject]@{ InstanceID = $d.instanceId; LocationPath = $d.locationPath }
    }
}

Register-FakeCmdlet -Name 'Dismount-VMHostAssignableDevice' -ScriptBlock {
    param($Bound, $Set, $State)
    $d = Find-FakeDevice -State $State -LocationPath ([string]$Bound.LocationPath) -Cmdlet 'Dismount-VMHostAssignableDevice'
    if ($d.dismounted) {
        Invoke-FakeError -Message ("The device at location path '" + $d.locationPath + "' is already dismounted from the host.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.DismountVMHostAssignableDevice' -Category InvalidOperation -Target $d.locationPath
    }
    # Microsoft's DDA guide disables the device (Disable-PnpDevice) before it dismounts it
    # (learn.microsoft.com/windows-server/virtualization/hyper-v/deploy/deploying-graphics-devices-using-dda);
    # the fake refuses a device still enabled on the host. The message is the fake's own wording.
    if ($d.disabled -ne $true) {
        Invoke-FakeError -Message ("The device at location path '" + $d.locationPath + "' is still enabled on the host. Disable it with Disable-PnpDevice before dismounting it.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.DismountVMHostAssignableDevice' -Category InvalidOperation -Target $d.locationPath
    }
    if (-not ($Bound.ContainsKey('Force') -and $Bound.Force)) {
        Invoke-FakeError -Message 'The operation failed. The device does not have a partitioning driver (mitigation) installed; use -Force to dismount it anyway.' -ErrorId 'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.DismountVMHostAssignableDevice' -Category InvalidOperation -Target $d.locationPath
    }
    $d.dismounted = $true
}

# Mount-VMHostAssignableDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/mount-vmhostassignabledevice
Register-FakeCmdlet -Name 'Mount-VMHostAssignableDevice' -ScriptBlock {
    param($Bound, $Set, $State)
    $d = Find-FakeDevice -State $State -LocationPath ([string]$Bound.LocationPath) -Cmdlet 'Mount-VMHostAssignableDevice'
    if ($d.assignedTo) {
        Invoke-FakeError -Message ("The device at location path '" + $d.locationPath + "' is assigned to virtual machine '" + $d.assignedTo + "'.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.MountVMHostAssignableDevice' -Category InvalidOperation -Target $d.locationPath
    }
    $d.dismounted = $false
}

# Get-VMAssignableDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmassignabledevice
Register-FakeCmdlet -Name 'Get-VMAssignableDevice' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMAssignableDevice')) {
        foreach ($path in $vm.devices) {
            $d = @($State.devices | Where-Object { $_.locationPath -eq $path })[0]
            [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; LocationPath = $path; InstanceID = $d.instanceId }
        }
    }
}

# Add-VMAssignableDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/add-vmassignabledevice
Register-FakeCmdlet -Name 'Add-VMAssignableDevice' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Add-VMAssignableDevice')) {
        $d = Find-FakeDevice -State $State -LocationPath ([string]$Bound.LocationPath) -Cmdlet 'Add-VMAssignableDevice'
        if (-not $d.dismounted) {
            Invoke-FakeError -Message ("The required device '" + $d.locationPath + "' is still mounted on the host. Dismount it with Dismount-VMHostAssignableDevice first.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.AddVMAssignableDevice' -Category InvalidOperation -Target $d.locationPath
        }
        if ($d.assignedTo) {
            Invoke-FakeError -Message ("The device '" + $d.locationPath + "' is already assigned to virtual machine '" + $d.assignedTo + "'.") -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.AddVMAssignableDevice' -Category ResourceUnavailable -Target $d.locationPath
        }
        Assert-FakeVmOff -Vm $vm -Cmdlet 'Add-VMAssignableDevice' -Device 'PCI Express Device'
        $d.assignedTo = $vm.name
        $vm.devices.Add($d.locationPath)
    }
}

# Remove-VMAssignableDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/remove-vmassignabledevice
Register-FakeCmdlet -Name 'Remove-VMAssignableDevice' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Remove-VMAssignableDevice')) {
        $path = [string]$Bound.LocationPath
        if (-not ($vm.devices -contains $path)) {
            Invoke-FakeError -Message ("The device '" + $path + "' is not assigned to virtual machine '" + $vm.name + "'.") -ErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.RemoveVMAssignableDevice' -Category ObjectNotFound -Target $path
        }
        Assert-FakeVmOff -Vm $vm -Cmdlet 'Remove-VMAssignableDevice' -Device 'PCI Express Device'
        [void]$vm.devices.Remove($path)
        $d = Find-FakeDevice -State $State -LocationPath $path -Cmdlet 'Remove-VMAssignableDevice'
        $d.assignedTo = $null
    }
}

# Get-ClusterNode: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/get-clusternode
Register-FakeCmdlet -Name 'Get-ClusterNode' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    if (-not $State.cluster) {
        Invoke-FakeError -Message 'The cluster service is not running. Make sure that the service is running on all nodes in the cluster.' -ErrorId 'ClusterCmdletException,Microsoft.FailoverClusters.PowerShell.GetNodeCommand' -Category ConnectionError -ExceptionType 'System.InvalidOperationException'
    }
    foreach ($n in $State.cluster.nodes) { [pscustomobject]@{ Name = $n; Cluster = $State.cluster.name; State = 'Up' } }
}

# Get-ClusterSharedVolume: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/get-clustersharedvolume
Register-FakeCmdlet -Name 'Get-ClusterSharedVolume' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    if (-not $State.cluster) {
        Invoke-FakeError -Message 'The cluster service is not running. Make sure that the service is running on all nodes in the cluster.' -ErrorId 'ClusterCmdletException,Microsoft.FailoverClusters.PowerShell.GetClusterSharedVolumeCommand' -Category ConnectionError -ExceptionType 'System.InvalidOperationException'
    }
    $i = 0
    foreach ($v in $State.cluster.sharedVolumes) {
        $i++
        [pscustomobject]@{ Name = ('Cluster Disk ' + $i); SharedVolumeInfo = [pscustomobject]@{ FriendlyVolumeName = $v } }
    }
}

# PnP, for devices still mounted on the host (real parameter names of the PnpDevice module).
function Get-PnpDevice {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Position = 0)][Alias('DeviceId')][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'ByFriendlyName', Mandatory = $true)][string[]]$FriendlyName,
        [Parameter(ParameterSetName = 'ByClass', Mandatory = $true)][string[]]$Class,
        [switch]$PresentOnly,
        [string[]]$Status
    )
    Invoke-FakeCmdlet -Name 'Get-PnpDevice' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Disable-PnpDevice {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Mandatory = $true, Position = 0)][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [switch]$PassThru
    )
    Invoke-FakeCmdlet -Name 'Disable-PnpDevice' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Enable-PnpDevice {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Mandatory = $true, Position = 0)][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [switch]$PassThru
    )
    Invoke-FakeCmdlet -Name 'Enable-PnpDevice' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

function Get-PnpDeviceProperty {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Position = 0)][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = $true, ValueFromPipeline = $true)][object[]]$InputObject,
        [Parameter(Position = 1)][string[]]$KeyName
    )
    Invoke-FakeCmdlet -Name 'Get-PnpDeviceProperty' -ParameterSetName $PSCmdlet.ParameterSetName -Bound $PSBoundParameters
}

Register-FakeCmdlet -Name 'Get-PnpDevice' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    # Devices mounted on the host are present; dismounted ones belong to Hyper-V (PCIP\ ids, not PCI\).
    foreach ($d in $State.devices) {
        if ($d.dismounted) { continue }
        # A disabled device is still present, with status Error (Microsoft Learn, Get-PnpDevice -Status).
        $status = 'OK'
        if ($d.disabled -eq $true) { $status = 'Error' }
        [pscustomobject]@{ InstanceId = $d.instanceId; Class = 'Display'; Status = $status; Present = $true }
    }
}

function Set-FakePnpEnabled {
    # Disable-/Enable-PnpDevice on a device mounted on the host; a dismounted one is not PnP's.
    param($State, $Bound, [string]$Cmdlet, [bool]$Enabled)
    foreach ($id in @($Bound.InstanceId)) {
        $d = @($State.devices | Where-Object { $_.instanceId -eq [string]$id -and -not $_.dismounted })[0]
        if (-not $d) {
            Invoke-FakeError -Message ("No MSFT_PnpEntity objects found with property 'InstanceId' equal to '" + $id + "'.  Verify the value of the property and retry.") -ErrorId ('CmdletizationQuery_NotFound_InstanceId,' + $Cmdlet) -Category ObjectNotFound -Target $id -ExceptionType 'System.InvalidOperationException'
        }
        $d.disabled = -not $Enabled
    }
}

# Disable-PnpDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/pnpdevice/disable-pnpdevice
Register-FakeCmdlet -Name 'Disable-PnpDevice' -ScriptBlock {
    param($Bound, $Set, $State)
    Set-FakePnpEnabled -State $State -Bound $Bound -Cmdlet 'Disable-PnpDevice' -Enabled $false
}

# Enable-PnpDevice: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/pnpdevice/enable-pnpdevice
Register-FakeCmdlet -Name 'Enable-PnpDevice' -ScriptBlock {
    param($Bound, $Set, $State)
    Set-FakePnpEnabled -State $State -Bound $Bound -Cmdlet 'Enable-PnpDevice' -Enabled $true
}

# Get-PnpDeviceProperty: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/pnpdevice/get-pnpdeviceproperty
Register-FakeCmdlet -Name 'Get-PnpDeviceProperty' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $ids = @($Bound.InstanceId)
    foreach ($d in $State.devices) {
        if ($ids -notcontains $d.instanceId) { continue }
        [pscustomobject]@{ InstanceId = $d.instanceId; KeyName = 'DEVPKEY_Device_LocationPaths'; Type = 'StringList'; Data = [string[]]@($d.locationPath, ('ACPI(_SB_)#' + $d.locationPath)) }
    }
}
