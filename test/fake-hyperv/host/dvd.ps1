# DVD drives: Get-, Add-, Set-, Remove-VMDvdDrive, with the parameter sets of the catalogue.
# The cmdlets take no controller type: generation 1 VMs get IDE drives, generation 2 VMs SCSI ones
# (Add-VMDvdDrive.md, MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps/Hyper-V).
# Drives are added and removed only while the VM is off (Msvm_DVDDrive: "DVD drives can only be
# added or removed if the virtual machine is offline", learn.microsoft.com/windows/win32/hyperv_v2/
# msvm-dvddrive); the media (-Path) changes while it runs, and -Path $null empties the drive
# (Set-VMDvdDrive.md). The ISO must exist on the host. Same wording as the simulator
# (src/providers/sim/host/dvd-ops.ts).

function Get-FakeDvdDrives {
    # The VM's drives as a list stored back on the VM (VMs written before DVD support have none).
    param($Vm)
    $list = [System.Collections.Generic.List[object]]::new()
    if ($Vm.Contains('dvdDrives')) { foreach ($d in @($Vm['dvdDrives'])) { if ($null -ne $d) { $list.Add($d) } } }
    $Vm['dvdDrives'] = $list
    return , $list
}

function Get-FakeDvdControllerType {
    param($Vm)
    if ([int]$Vm.generation -eq 2) { return 'SCSI' }
    return 'IDE'
}

function Find-FakeDvdDrive {
    param($Drives, [int]$Number, [int]$Location)
    foreach ($d in $Drives) { if ([int]$d.controllerNumber -eq $Number -and [int]$d.controllerLocation -eq $Location) { return $d } }
    return $null
}

function Assert-FakeIsoExists {
    param($State, [string]$Path, [string]$Cmdlet)
    $found = @($State.files | Where-Object { Test-FakeSamePath ([string]$_) $Path }).Count -gt 0
    if (-not $found) {
        Invoke-FakeError -Message "Failed to add device 'Virtual CD/DVD Disk'. The system cannot find the file specified. (0x80070002)." -ErrorId ('InvalidParameter,' + (Get-FakeCmdletClass $Cmdlet)) -Category ObjectNotFound -Target $Path
    }
}

function Assert-FakeDvdDriveFound {
    param($Vm, $Drive, [string]$Type, [int]$Number, [int]$Location, [string]$Cmdlet)
    if ($null -eq $Drive) {
        Invoke-FakeError -Message ('Hyper-V was unable to find a DVD drive at ' + $Type + ' ' + $Number + ':' + $Location + " of virtual machine '" + $Vm.name + "'.") -ErrorId ('ObjectNotFound,' + (Get-FakeCmdletClass $Cmdlet)) -Category ObjectNotFound -Target $Vm.name
    }
}

# Get-VMDvdDrive: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmdvddrive
Register-FakeCmdlet -Name 'Get-VMDvdDrive' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMDvdDrive')) {
        $drives = @()
        if ($vm.Contains('dvdDrives')) { $drives = @($vm['dvdDrives'] | Where-Object { $null -ne $_ }) }
        foreach ($d in $drives) {
            if ($Bound.ContainsKey('ControllerNumber') -and [int]$d.controllerNumber -ne [int]$Bound.ControllerNumber) { continue }
            if ($Bound.ContainsKey('ControllerLocation') -and [int]$d.controllerLocation -ne [int]$Bound.ControllerLocation) { continue }
            $mediaType = 'None'
            if ($d.path) { $mediaType = 'ISO' }
            [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; ControllerType = [string]$d.controllerType; ControllerNumber = [int]$d.controllerNumber; ControllerLocation = [int]$d.controllerLocation; Path = $d.path; DvdMediaType = $mediaType }
        }
    }
}

Register-FakeCmdlet -Name 'Add-VMDvdDrive' -ScriptBlock {
    param($Bound, $Set, $State)
    $cmdlet = 'Add-VMDvdDrive'
    $id = 'InvalidParameter,' + (Get-FakeCmdletClass $cmdlet)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet $cmdlet)) {
        $type = Get-FakeDvdControllerType -Vm $vm
        $drives = Get-FakeDvdDrives -Vm $vm
        $number = 0; if ($Bound.ContainsKey('ControllerNumber')) { $number = [int]$Bound.ControllerNumber }
        $location = 0; if ($Bound.ContainsKey('ControllerLocation')) { $location = [int]$Bound.ControllerLocation }
        $maxLocation = 63; $maxController = 3
        if ($type -eq 'IDE') { $maxLocation = 1; $maxController = 1 }
        if ($number -lt 0 -or $number -gt $maxController -or $location -lt 0 -or $location -gt $maxLocation) {
            Invoke-FakeError -Message ('The controller location ' + $type + ' ' + $number + ':' + $location + ' does not exist.') -ErrorId $id -Category InvalidArgument -Target $vm.name
        }
        Assert-FakeVmOff -Vm $vm -Cmdlet $cmdlet -Device 'DVD Drive'
        $disk = @($vm.disks | Where-Object { $_.controllerType -eq $type -and [int]$_.controllerNumber -eq $number -and [int]$_.controllerLocation -eq $location })
        if ($disk.Count -gt 0 -or $null -ne (Find-FakeDvdDrive -Drives $drives -Number $number -Location $location)) {
            Invoke-FakeError -Message ('There is already a drive at ' + $type + ' ' + $number + ':' + $location + " of '" + $vm.name + "'.") -ErrorId $id -Category InvalidOperation -Target $vm.name
        }
        $path = $null
        if ($Bound.ContainsKey('Path') -and $Bound.Path) {
            $path = [string]$Bound.Path
            Assert-FakeIsoExists -State $State -Path $path -Cmdlet $cmdlet
        }
        $drives.Add([ordered]@{ controllerType = $type; controllerNumber = $number; controllerLocation = $location; path = $path })
    }
}

Register-FakeCmdlet -Name 'Set-VMDvdDrive' -ScriptBlock {
    param($Bound, $Set, $State)
    $cmdlet = 'Set-VMDvdDrive'
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet $cmdlet)) {
        $type = Get-FakeDvdControllerType -Vm $vm
        $drives = Get-FakeDvdDrives -Vm $vm
        $number = 0; if ($Bound.ContainsKey('ControllerNumber')) { $number = [int]$Bound.ControllerNumber }
        $location = 0; if ($Bound.ContainsKey('ControllerLocation')) { $location = [int]$Bound.ControllerLocation }
        $drive = Find-FakeDvdDrive -Drives $drives -Number $number -Location $location
        Assert-FakeDvdDriveFound -Vm $vm -Drive $drive -Type $type -Number $number -Location $location -Cmdlet $cmdlet
        if ($Bound.ContainsKey('Path')) {
            $path = $null
            if ($Bound.Path) {
                $path = [string]$Bound.Path
                Assert-FakeIsoExists -State $State -Path $path -Cmdlet $cmdlet
            }
            $drive['path'] = $path
        }
    }
}

Register-FakeCmdlet -Name 'Remove-VMDvdDrive' -ScriptBlock {
    param($Bound, $Set, $State)
    $cmdlet = 'Remove-VMDvdDrive'
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet $cmdlet)) {
        $type = Get-FakeDvdControllerType -Vm $vm
        $drives = Get-FakeDvdDrives -Vm $vm
        $drive = Find-FakeDvdDrive -Drives $drives -Number ([int]$Bound.ControllerNumber) -Location ([int]$Bound.ControllerLocation)
        Assert-FakeDvdDriveFound -Vm $vm -Drive $drive -Type $type -Number ([int]$Bound.ControllerNumber) -Location ([int]$Bound.ControllerLocation) -Cmdlet $cmdlet
        Assert-FakeVmOff -Vm $vm -Cmdlet $cmdlet -Device 'DVD Drive'
        [void]$drives.Remove($drive)
    }
}
