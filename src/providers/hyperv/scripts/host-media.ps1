# Installation media on the host: the DVD drives of VMs (Windows PowerShell 5.1 syntax only).
# Add-VMDvdDrive, Set-VMDvdDrive, Remove-VMDvdDrive and Get-VMDvdDrive take no controller type:
# a generation 1 VM's DVD drives are on IDE, a generation 2 VM's on SCSI (it has no IDE).
# Sources: MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps/Hyper-V/Add-VMDvdDrive.md,
# Set-VMDvdDrive.md, Remove-VMDvdDrive.md; Msvm_DVDDrive ("DVD drives can only be added or removed
# if the virtual machine is offline"), learn.microsoft.com/windows/win32/hyperv_v2/msvm-dvddrive.

function Get-LabformDvdDriveGroups {
    # Every VM's DVD drives in one call, grouped by VM (see Group-LabformByVm in host-state.ps1).
    [CmdletBinding()]
    param([object[]]$VMs = @())
    if ($VMs.Count -eq 0) { return @{} }
    return Group-LabformByVm -Items @(Get-VMDvdDrive -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMDvdDrive -VM $v }
}

function ConvertTo-LabformDvdDrives {
    [CmdletBinding()]
    param([hashtable]$Groups, $VM)
    $drives = @()
    foreach ($d in @(Get-LabformVmGroup -Groups $Groups -VM $VM)) {
        $path = $null
        if ($d.Path) { $path = [string]$d.Path }
        $drives += [pscustomobject]@{
            controllerType = [string]$d.ControllerType
            controllerNumber = [int]$d.ControllerNumber
            controllerLocation = [int]$d.ControllerLocation
            path = $path
        }
    }
    return , $drives
}

function Assert-LabformDvdController {
    # The cmdlets pick the controller type from the generation; labform checks that it is the one it planned.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]$VM,
        [Parameter(Mandatory = $true)][string]$ControllerType
    )
    if ($ControllerType -eq 'IDE' -and [int]$VM.Generation -eq 2) {
        Stop-LabformOperation -Message 'Generation 2 virtual machines do not support IDE controllers.' -ErrorId 'InvalidParameter,Add-LabformDvdDrive' -Category InvalidArgument -Target $VM.Name
    }
    if ($ControllerType -eq 'SCSI' -and [int]$VM.Generation -eq 1) {
        Stop-LabformOperation -Message 'Generation 1 virtual machines support DVD drives on IDE controllers only.' -ErrorId 'InvalidParameter,Add-LabformDvdDrive' -Category InvalidArgument -Target $VM.Name
    }
}

function Add-LabformDvdDrive {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][ValidateSet('IDE', 'SCSI')][string]$ControllerType,
        [Parameter(Mandatory = $true)][int]$ControllerNumber,
        [Parameter(Mandatory = $true)][int]$ControllerLocation,
        [Parameter(Mandatory = $true)][string]$Path
    )
    $vm = Get-LabformSingleVm -Name $VMName
    Assert-LabformDvdController -VM $vm -ControllerType $ControllerType
    # A drive already at the slot gets the media: New-VM gives a generation 1 VM an empty DVD
    # drive at IDE 1:0 (Set-VMDvdDrive.md, example 2), and a re-run after a kill finds its own.
    $existing = @(Get-VMDvdDrive -VMName $VMName -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation)
    if ($existing.Count -gt 0) {
        Set-VMDvdDrive -VMName $VMName -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation -Path $Path
        return
    }
    Add-VMDvdDrive -VMName $VMName -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation -Path $Path
}

function Set-LabformDvdDrive {
    # Another ISO in an existing drive, or none (-Path $null ejects); Hyper-V swaps media while the VM runs.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][ValidateSet('IDE', 'SCSI')][string]$ControllerType,
        [Parameter(Mandatory = $true)][int]$ControllerNumber,
        [Parameter(Mandatory = $true)][int]$ControllerLocation,
        [AllowNull()][AllowEmptyString()][string]$Path
    )
    if ($Path) {
        Set-VMDvdDrive -VMName $VMName -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation -Path $Path
    } else {
        Set-VMDvdDrive -VMName $VMName -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation -Path $null
    }
}

function Remove-LabformDvdDrive {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][ValidateSet('IDE', 'SCSI')][string]$ControllerType,
        [Parameter(Mandatory = $true)][int]$ControllerNumber,
        [Parameter(Mandatory = $true)][int]$ControllerLocation
    )
    Remove-VMDvdDrive -VMName $VMName -ControllerNumber $ControllerNumber -ControllerLocation $ControllerLocation
}
