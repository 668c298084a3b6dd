# Fake behaviours: virtual disks, VM hard disk drives, and the host's file system for lab paths.

function Get-FakeVhdFormat {
    param([string]$Path)
    $ext = [System.IO.Path]::GetExtension($Path.Replace('\', '/')).ToLowerInvariant()
    if ($ext -eq '.vhds') { return 'VHDSet' }
    if ($ext -eq '.vhd') { return 'VHD' }
    return 'VHDX'
}

function Find-FakeVhd {
    param($State, [string]$Path)
    foreach ($v in $State.vhds) { if (Test-FakeSamePath $v.path $Path) { return $v } }
    return $null
}

function Test-FakeSharedStoragePath {
    param([string]$Path)
    return ($Path -match '^[A-Za-z]:\\ClusterStorage\\' -or $Path -match '^\\\\[^\\]+\\[^\\]+\\')
}

function Get-FakeVmsUsing {
    param($State, [string]$Path)
    $result = @()
    foreach ($vm in $State.vms) { foreach ($d in $vm.disks) { if (Test-FakeSamePath $d.path $Path) { $result += $vm } } }
    return $result
}

function ConvertFrom-FakeUnattend {
    # What Windows setup takes from the answer file, as the guest model wants it: the password only as a salted hash.
    param([string]$Text)
    $xml = [xml]$Text
    $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
    $ns.AddNamespace('u', 'urn:schemas-microsoft-com:unattend')
    $computerName = [string]$xml.SelectSingleNode('//u:ComputerName', $ns).InnerText
    $value = [string]$xml.SelectSingleNode('//u:AdministratorPassword/u:Value', $ns).InnerText
    $plainText = [string]$xml.SelectSingleNode('//u:AdministratorPassword/u:PlainText', $ns).InnerText
    $password = $value
    if ($plainText -ne 'true') {
        $password = [System.Text.Encoding]::Unicode.GetString([Convert]::FromBase64String($value))
        if ($password.EndsWith('AdministratorPassword')) { $password = $password.Substring(0, $password.Length - 'AdministratorPassword'.Length) }
    }
    $salt = [guid]::NewGuid().ToString('N')
    $hash = [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($salt + ':' + $password))).ToLowerInvariant()
    $timeZone = [string]$xml.SelectSingleNode('//u:TimeZone', $ns).InnerText
    return [ordered]@{ computerName = $computerName; adminUser = 'Administrator'; adminPassword = [ordered]@{ salt = $salt; hash = $hash }; timeZone = $timeZone }
}

function Get-FakeAnswerFile {
    # The answer file a VM boots with: the one written into the first of its disks that has one.
    param($State, $Vm)
    foreach ($d in @($Vm.disks | Sort-Object { $_.controllerType }, { [int]$_.controllerNumber }, { [int]$_.controllerLocation })) {
        $vhd = Find-FakeVhd -State $State -Path $d.path
        if ($vhd -and $vhd.answerFile) { return $vhd.answerFile }
    }
    return $null
}

function Get-FakeImageOs {
    # The OS of a disk: its own, or that of the image it descends from.
    param($State, $Vhd)
    $seen = 0
    while ($Vhd -and $seen -lt 64) {
        if ($Vhd.os) { return $Vhd.os }
        if (-not $Vhd.parentPath) { return $null }
        $Vhd = Find-FakeVhd -State $State -Path $Vhd.parentPath
        $seen++
    }
    return $null
}

function ConvertTo-FakeVhdObject {
    # -RunningPaths: the disk paths of running VMs (a set), when the caller converts many disks at once.
    param($State, $Vhd, [System.Collections.Generic.HashSet[string]]$RunningPaths)
    $attached = [bool]$Vhd.mounted
    if ($null -ne $RunningPaths) {
        if ($RunningPaths.Contains(([string]$Vhd.path).TrimEnd('\'))) { $attached = $true }
    } else {
        foreach ($vm in (Get-FakeVmsUsing -State $State -Path $Vhd.path)) { if ($vm.state -eq 'Running') { $attached = $true } }
    }
    $diskNumber = $null
    if ($Vhd.mounted) { $diskNumber = [uint32]$Vhd.diskNumber }
    [pscustomobject]@{ PSTypeName = 'Microsoft.Vhd.PowerShell.VirtualHardDisk'; Path = $Vhd.path; VhdFormat = (Get-FakeVhdFormat $Vhd.path); VhdType = $Vhd.type; ParentPath = $Vhd.parentPath; Size = [uint64]$Vhd.size; Attached = $attached; DiskNumber = $diskNumber }
}

# Get-VHD: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vhd
Register-FakeCmdlet -Name 'Get-VHD' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $paths = @($Bound.Path)
    $index = $null
    $running = $null
    if ($paths.Count -gt 1) {
        # Discovery asks for every disk file at once: indexes instead of a scan of all disks per path.
        $index = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($v in $State.vhds) { $k = ([string]$v.path).TrimEnd('\'); if (-not $index.ContainsKey($k)) { $index[$k] = $v } }
        $running = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($vm in $State.vms) { if ($vm.state -eq 'Running') { foreach ($d in $vm.disks) { if ($d.path) { [void]$running.Add(([string]$d.path).TrimEnd('\')) } } } }
    }
    foreach ($p in $paths) {
        $vhd = $null
        if ($null -ne $index) { $k = ([string]$p).TrimEnd('\'); if ($index.ContainsKey($k)) { $vhd = $index[$k] } }
        else { $vhd = Find-FakeVhd -State $State -Path ([string]$p) }
        if (-not $vhd) {
            Invoke-FakeError -Message ("Getting the mounted storage instance for the path '" + $p + "' failed. The system cannot find the file specified.") -ErrorId 'ObjectNotFound,Microsoft.Vhd.PowerShell.Cmdlets.GetVHD' -Category ObjectNotFound -Target $p
        }
        ConvertTo-FakeVhdObject -State $State -Vhd $vhd -RunningPaths $running
    }
}

# New-VHD: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/new-vhd
Register-FakeCmdlet -Name 'New-VHD' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.Path)) {
        $path = [string]$p
        if (Find-FakeVhd -State $State -Path $path) {
            Invoke-FakeError -Message ("Failed to create the virtual hard disk. The system failed to create '" + $path + "': The file exists. (0x80070050).") -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.NewVHD' -Category ResourceExists -Target $path
        }
        $vhd = [ordered]@{ path = $path; type = 'Dynamic'; parentPath = $null; size = [long]0; mounted = $false; diskNumber = 0; os = $null }
        if ($Set -eq 'Differencing') {
            $parent = Find-FakeVhd -State $State -Path ([string]$Bound.ParentPath)
            if (-not $parent) {
                Invoke-FakeError -Message ("Failed to create the virtual hard disk. The system failed to create '" + $path + "': The system cannot find the file specified. (0x80070002).") -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.NewVHD' -Category ObjectNotFound -Target $path
            }
            $vhd.type = 'Differencing'
            $vhd.parentPath = $parent.path
            $vhd.size = [long]$parent.size
        } else {
            if ($Set -like 'Fixed*') { $vhd.type = 'Fixed' }
            $vhd.size = [long]$Bound.SizeBytes
            # A new disk is RAW: no partition table until Initialize-Disk (disk-partition.ps1).
            $vhd.partitionStyle = 'RAW'
        }
        $State.vhds.Add($vhd)
        ConvertTo-FakeVhdObject -State $State -Vhd $vhd
    }
}

# Resize-VHD (https://learn.microsoft.com/powershell/module/hyper-v/resize-vhd): expands VHD and
# VHDX; shrinks only VHDX and never below its MinimumSize (not modelled: a formatted volume fills
# the disk, so the minimum is its size); a disk on a running VM's IDE chain cannot be resized,
# one on its SCSI chain can (online resizing is for VHDX only).
Register-FakeCmdlet -Name 'Resize-VHD' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.Path)) {
        $path = [string]$p
        $vhd = Find-FakeVhd -State $State -Path $path
        if (-not $vhd) {
            Invoke-FakeError -Message 'Failed to resize the virtual disk. The system cannot find the file specified. (0x80070002).' -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.ResizeVHD' -Category ObjectNotFound -Target $path
        }
        $size = [long]$Bound.SizeBytes
        $format = Get-FakeVhdFormat $vhd.path
        if ($size -lt [long]$vhd.size) {
            $message = 'Failed to resize the virtual disk. The size ' + $size + ' is smaller than the minimum size of the virtual disk (' + $vhd.size + ').'
            if ($format -eq 'VHD') { $message = 'Failed to resize the virtual disk. A VHD format virtual disk cannot be shrunk.' }
            Invoke-FakeError -Message $message -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.ResizeVHD' -Category InvalidArgument -Target $path
        }
        foreach ($vm in (Get-FakeVmsUsing -State $State -Path $vhd.path)) {
            if ($vm.state -eq 'Off') { continue }
            $drive = @($vm.disks | Where-Object { Test-FakeSamePath $_.path $vhd.path })[0]
            if ([string]$drive.controllerType -eq 'IDE' -or $format -eq 'VHD') {
                Invoke-FakeError -Message ("Failed to resize the virtual disk. The operation cannot be performed while the virtual disk is in use by '" + $vm.name + "'.") -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.ResizeVHD' -Category InvalidOperation -Target $path
            }
        }
        $vhd.size = $size
        if ($Bound.ContainsKey('Passthru') -and $Bound.Passthru) { ConvertTo-FakeVhdObject -State $State -Vhd $vhd }
    }
}

Register-FakeCmdlet -Name 'Mount-VHD' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.Path)) {
        $vhd = Find-FakeVhd -State $State -Path ([string]$p)
        if (-not $vhd) {
            Invoke-FakeError -Message 'The system cannot find the file specified. (0x80070002).' -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.MountVHD' -Category ObjectNotFound -Target $p
        }
        if ($vhd.mounted -or @(Get-FakeVmsUsing -State $State -Path $vhd.path | Where-Object { $_.state -eq 'Running' }).Count -gt 0) {
            Invoke-FakeError -Message 'The process cannot access the file because it is being used by another process.' -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.MountVHD' -Category InvalidOperation -Target $p
        }
        $State.seq = [int]$State.seq + 1
        $vhd.mounted = $true
        $vhd.diskNumber = [int]$State.seq
        # The host it is a disk of (disk-partition.ps1, Test-FakeMountedHere).
        $vhd.mountedOn = Get-FakeStatePath
        if (Test-FakeOwnLayout $vhd) {
            # Partitioned here (or still RAW): its own partitions and volumes (disk-partition.ps1).
            Mount-FakeDiskLayout -State $State -Vhd $vhd
            if ($Bound.ContainsKey('Passthru') -and $Bound.Passthru) { ConvertTo-FakeVhdObject -State $State -Vhd $vhd }
            continue
        }
        # The volume is a folder beside the state file, exposed as a PowerShell drive like a drive letter.
        $folder = (Get-FakeStatePath) + '.volumes/' + ([string]$State.seq)
        $null = [System.IO.Directory]::CreateDirectory($folder)
        if ((Get-FakeImageOs -State $State -Vhd $vhd) -eq 'windows') { $null = [System.IO.Directory]::CreateDirectory((Join-Path $folder 'Windows')) }
        $letter = $null
        foreach ($candidate in @('Z', 'Y', 'X', 'W', 'V', 'U', 'T', 'S', 'R', 'Q', 'P')) { if (-not (Get-PSDrive -Name $candidate -ErrorAction SilentlyContinue)) { $letter = $candidate; break } }
        $null = New-PSDrive -Name $letter -PSProvider FileSystem -Root $folder -Scope Global
        # The drive letter shows up a moment after Mount-VHD returns: the first Get-Volume sees none.
        # (The mount manager assigns letters asynchronously; MSLab and AutomatedLab sleep or retry
        # after Mount-VHD for that reason.)
        $vhd.volume = @{ letter = $letter; folder = $folder; lateLetterPolls = 1 }
        if ($Bound.ContainsKey('Passthru') -and $Bound.Passthru) { ConvertTo-FakeVhdObject -State $State -Vhd $vhd }
    }
}

Register-FakeCmdlet -Name 'Dismount-VHD' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.Path)) {
        $vhd = Find-FakeVhd -State $State -Path ([string]$p)
        if (-not $vhd -or -not (Test-FakeMountedHere $vhd)) {
            Invoke-FakeError -Message ("The disk '" + $p + "' is not attached.") -ErrorId 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.DismountVHD' -Category InvalidArgument -Target $p
        }
        if (Test-FakeOwnLayout $vhd) {
            Dismount-FakeDiskLayout -Vhd $vhd
            $vhd.mounted = $false
            continue
        }
        Remove-PSDrive -Name $vhd.volume.letter -Scope Global -ErrorAction SilentlyContinue
        # What the guest will find on first boot, kept so tests can read it.
        $unattend = Join-Path $vhd.volume.folder 'Windows/Panther/unattend.xml'
        if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $unattend) {
            $vhd.unattend = [System.IO.File]::ReadAllText($unattend)
            $vhd.answerFile = ConvertFrom-FakeUnattend -Text $vhd.unattend
        }
        $vhd.mounted = $false
        $vhd.volume = $null
    }
}

# Get-VMHardDiskDrive: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmharddiskdrive
Register-FakeCmdlet -Name 'Get-VMHardDiskDrive' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMHardDiskDrive')) {
        foreach ($d in $vm.disks) {
            [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; ControllerType = $d.controllerType; ControllerNumber = [int]$d.controllerNumber; ControllerLocation = [int]$d.controllerLocation; Path = $d.path; SupportPersistentReservations = [bool]$d.supportPersistentReservations }
        }
    }
}

# Add-VMHardDiskDrive: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/add-vmharddiskdrive
Register-FakeCmdlet -Name 'Add-VMHardDiskDrive' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Add-VMHardDiskDrive')) {
        $type = 'IDE'
        if ($vm.generation -eq 2) { $type = 'SCSI' }
        if ($Bound.ContainsKey('ControllerType')) { $type = [string]$Bound.ControllerType }
        $number = 0; if ($Bound.ContainsKey('ControllerNumber')) { $number = [int]$Bound.ControllerNumber }
        $location = 0; if ($Bound.ContainsKey('ControllerLocation')) { $location = [int]$Bound.ControllerLocation }
        $path = [string]$Bound.Path
        $shared = ($Bound.ContainsKey('SupportPersistentReservations') -and [bool]$Bound.SupportPersistentReservations)
        $id = 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.AddVMHardDiskDrive'
        $vhd = Find-FakeVhd -State $State -Path $path
        if (-not $vhd) {
            Invoke-FakeError -Message "Failed to add device 'Virtual Hard Disk'. The system cannot find the file specified. (0x80070002)." -ErrorId $id -Category ObjectNotFound -Target $path
        }
        if ($type -eq 'IDE' -and $vm.generation -eq 2) {
            Invoke-FakeError -Message 'Generation 2 virtual machines do not support IDE controllers.' -ErrorId $id -Category InvalidArgument -Target $path
        }
        if ($type -eq 'IDE' -and $vm.state -ne 'Off') { Assert-FakeVmOff -Vm $vm -Cmdlet 'Add-VMHardDiskDrive' -Device 'IDE Controller' }
        $maxLocation = 63; $maxController = 3
        if ($type -eq 'IDE') { $maxLocation = 1; $maxController = 1 }
        if ($number -lt 0 -or $number -gt $maxController -or $location -lt 0 -or $location -gt $maxLocation) {
            Invoke-FakeError -Message ('The controller location ' + $type + ' ' + $number + ':' + $location + ' does not exist.') -ErrorId $id -Category InvalidArgument -Target $path
        }
        $dvdHere = $vm.Contains('dvdDrives') -and @($vm['dvdDrives'] | Where-Object { $null -ne $_ -and $_.controllerType -eq $type -and [int]$_.controllerNumber -eq $number -and [int]$_.controllerLocation -eq $location }).Count -gt 0
        if ($dvdHere -or @($vm.disks | Where-Object { $_.controllerType -eq $type -and [int]$_.controllerNumber -eq $number -and [int]$_.controllerLocation -eq $location }).Count -gt 0) {
            Invoke-FakeError -Message ('There is already a drive at ' + $type + ' ' + $number + ':' + $location + " of '" + $vm.name + "'.") -ErrorId $id -Category InvalidOperation -Target $path
        }
        $format = Get-FakeVhdFormat $path
        $sharing = $shared -or $format -eq 'VHDSet'
        if ($sharing) {
            if (-not $shared) { Invoke-FakeError -Message 'A VHD Set can only be attached with persistent reservations (shared).' -ErrorId $id -Category InvalidArgument -Target $path }
            if ($type -ne 'SCSI') { Invoke-FakeError -Message 'Shared virtual hard disks are supported only on SCSI controllers.' -ErrorId $id -Category InvalidArgument -Target $path }
            if ($format -ne 'VHDX' -and $format -ne 'VHDSet') { Invoke-FakeError -Message 'Shared virtual hard disks must be VHDX or VHD Set (.vhds) files.' -ErrorId $id -Category InvalidArgument -Target $path }
            if (-not (Test-FakeSharedStoragePath $path)) {
                Invoke-FakeError -Message ("The storage where the virtual hard disk '" + $path + "' is located does not support virtual hard disk sharing.") -ErrorId $id -Category InvalidArgument -Target $path
            }
        }
        foreach ($other in (Get-FakeVmsUsing -State $State -Path $path)) {
            if ($other.id -eq $vm.id) { continue }
            $otherShared = @($other.disks | Where-Object { (Test-FakeSamePath $_.path $path) -and $_.supportPersistentReservations }).Count -gt 0
            if (-not ($sharing -and $otherShared)) {
                Invoke-FakeError -Message "Failed to add device 'Virtual Hard Disk'. The process cannot access the file because it is being used by another process. (0x80070020)." -ErrorId $id -Category InvalidOperation -Target $path
            }
        }
        $vm.disks.Add([ordered]@{ controllerType = $type; controllerNumber = $number; controllerLocation = $location; path = $vhd.path; supportPersistentReservations = $shared })
    }
}

# Remove-VMHardDiskDrive: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/remove-vmharddiskdrive
Register-FakeCmdlet -Name 'Remove-VMHardDiskDrive' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Remove-VMHardDiskDrive')) {
        $found = @($vm.disks | Where-Object { $_.controllerType -eq [string]$Bound.ControllerType -and [int]$_.controllerNumber -eq [int]$Bound.ControllerNumber -and [int]$_.controllerLocation -eq [int]$Bound.ControllerLocation })
        if ($found.Count -eq 0) {
            Invoke-FakeError -Message ("Hyper-V was unable to find a hard disk drive at " + $Bound.ControllerType + " " + $Bound.ControllerNumber + ":" + $Bound.ControllerLocation + " of virtual machine '" + $vm.name + "'.") -ErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.RemoveVMHardDiskDrive' -Category ObjectNotFound -Target $vm.name
        }
        if ($found[0].controllerType -eq 'IDE') { Assert-FakeVmOff -Vm $vm -Cmdlet 'Remove-VMHardDiskDrive' -Device 'IDE Controller' }
        [void]$vm.disks.Remove($found[0])
    }
}

function Test-FakeHostPath {
    # Windows paths the fake host owns: drive paths that are no PowerShell drive here, and UNC paths.
    param([string]$Path)
    if (-not $Path) { return $false }
    if ($Path -match '^\\\\') { return $true }
    if ($Path -match '^([A-Za-z]):\\') { return -not (Get-PSDrive -Name $Matches[1] -PSProvider FileSystem -ErrorAction SilentlyContinue) }
    return $false
}

function Get-FakeHostFiles {
    param($State)
    $files = @()
    foreach ($v in $State.vhds) { $files += [string]$v.path }
    foreach ($f in $State.files) { $files += [string]$f }
    return $files
}

function Test-FakeHostItem {
    param([string[]]$Paths, [string]$PathType = 'Any')
    $state = Read-FakeState
    $all = Get-FakeHostFiles -State $state
    foreach ($p in $Paths) {
        # Installation media are real files (media-files.ps1).
        $isFile = (@($all | Where-Object { Test-FakeSamePath $_ $p }).Count -gt 0) -or (Test-FakeHostMedia -Path $p -PathType Leaf)
        $prefix = $p.TrimEnd('\') + '\'
        $isFolder = (@($all | Where-Object { $_.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase) }).Count -gt 0) -or (Test-FakeHostMedia -Path $p -PathType Container)
        if ($PathType -eq 'Leaf') { $isFile } elseif ($PathType -eq 'Container') { $isFolder } else { $isFile -or $isFolder }
    }
}

function Get-FakeHostChildItem {
    param([string[]]$Paths, [switch]$Recurse)
    $state = Read-FakeState
    foreach ($p in $Paths) {
        Get-FakeHostMediaChildItem -Path $p -Recurse:$Recurse
        $prefix = $p.TrimEnd('\') + '\'
        foreach ($f in (Get-FakeHostFiles -State $state)) {
            if (-not $f.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) { continue }
            if (-not $Recurse -and $f.Substring($prefix.Length).Contains('\')) { continue }
            $leaf = $f.Substring($f.LastIndexOf('\') + 1)
            $ext = ''
            if ($leaf.Contains('.')) { $ext = $leaf.Substring($leaf.LastIndexOf('.')) }
            [pscustomobject]@{ FullName = $f; Name = $leaf; Extension = $ext; PSIsContainer = $false }
        }
    }
}

function Remove-FakeHostItem {
    param([string[]]$Paths)
    # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        foreach ($p in $Paths) {
            $vhd = Find-FakeVhd -State $state -Path $p
            $file = @($state.files | Where-Object { Test-FakeSamePath $_ $p })[0]
            if (-not $vhd -and -not $file) {
                $ex = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '" + $p + "' because it does not exist.")
                throw [System.Management.Automation.ErrorRecord]::new($ex, 'PathNotFound,Microsoft.PowerShell.Commands.RemoveItemCommand', 'ObjectNotFound', $p)
            }
            if ($vhd -and ($vhd.mounted -or @(Get-FakeVmsUsing -State $state -Path $p | Where-Object { $_.state -eq 'Running' }).Count -gt 0)) {
                $ex = [System.IO.IOException]::new("The process cannot access the file '" + $p + "' because it is being used by another process.")
                throw [System.Management.Automation.ErrorRecord]::new($ex, 'RemoveFileSystemItemIOError,Microsoft.PowerShell.Commands.RemoveItemCommand', 'WriteError', $p)
            }
            if ($vhd) { [void]$state.vhds.Remove($vhd) }
            if ($file) {
                [void]$state.files.Remove($file)
                # Its content and attributes go with it (windows-image.ps1 keeps them by path).
                foreach ($name in @('fileContents', 'fileInfo')) { (Get-FakeMap -State $state -Name $name).Remove((Get-FakeKey $p)) }
            }
        }
        Write-FakeState -State $state
    } finally {
        Exit-FakeStateLock
    }
}
