# Disks, partitions and volumes of mounted virtual disks (the Storage module): Get-Disk,
# Initialize-Disk, New-Partition, Format-Volume, Get-Partition, Set-Partition, Get-Volume,
# Add-PartitionAccessPath, Remove-PartitionAccessPath, with the parameter sets of the catalogue
# (MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps/Storage/*.md).
#
# Model: a disk that New-VHD made (or that was partitioned here) carries its own layout on the
# VHD record: partitionStyle RAW | GPT | MBR and a list of partitions. A partition's content is a
# folder beside the state file that outlives mounts, as the bytes of a real volume do; while the
# disk is mounted, a drive letter is a PowerShell drive over that folder. Disks with no layout of
# their own (the images tests seed, and differencing disks) keep the older model of
# storage.ps1's Mount-VHD: one system partition and one Windows volume whose letter arrives late.
#
# Refusals use the Storage Management API's return codes and texts
# (learn.microsoft.com/windows-hardware/drivers/storage/storage-management-api-common-return-codes,
# MSFT_Disk Initialize / CreatePartition: learn.microsoft.com/windows-hardware/drivers/storage/
# initialize-msft-disk, createpartition-msft-disk); the cmdlets are CDXML, so the error id is
# "StorageWMI <code>,<cmdlet>" and a lookup that finds nothing is "CmdletizationQuery_NotFound_<Property>".

$script:FakeGptTypes = @{
    # GPT partition type GUIDs (createpartition-msft-disk, GptType; Convert-WindowsImage.ps1 uses the same).
    system = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'
    reserved = '{e3c9e316-0b5c-4db8-817d-f92df00215ae}'
    basic = '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}'
    recovery = '{de94bba4-06d1-4d40-a16a-bfd50179d6ac}'
}
# MbrType values (createpartition-msft-disk: FAT12 1, FAT16 4, Extended 5, Huge 6, IFS 7, FAT32 12).
$script:FakeMbrTypes = @{ FAT12 = 1; FAT16 = 4; Extended = 5; Huge = 6; IFS = 7; FAT32 = 12 }
$script:FakeMiB = [long]1048576

function Invoke-FakeStorageError {
    param([string]$Cmdlet, [int]$Code, [string]$Message, [object]$Target, [System.Management.Automation.ErrorCategory]$Category = 'NotSpecified')
    Invoke-FakeError -Message $Message -ErrorId ('StorageWMI ' + $Code + ',' + $Cmdlet) -Category $Category -Target $Target -ExceptionType 'System.InvalidOperationException'
}

function Invoke-FakeStorageNotFound {
    # What a CDXML Get- cmdlet says when its query matches nothing (e.g. Get-Disk -Number 9).
    param([string]$Cmdlet, [string]$Class, [string]$Property, [object]$Value)
    Invoke-FakeError -Message ('No ' + $Class + " objects found with property '" + $Property + "' equal to '" + $Value + "'.  Verify the value of the property and retry.") -ErrorId ('CmdletizationQuery_NotFound_' + $Property + ',' + $Cmdlet) -Category ObjectNotFound -Target $Value -ExceptionType 'System.InvalidOperationException'
}

function Test-FakeOwnLayout {
    # Whether the disk has a layout of its own (partitioned here, or blank from New-VHD).
    param($Vhd)
    return ($Vhd -is [System.Collections.IDictionary] -and $Vhd.Contains('partitionStyle') -and $Vhd['partitionStyle'])
}

function Get-FakePartitionList {
    param($Vhd)
    $list = [System.Collections.Generic.List[object]]::new()
    if ($Vhd.Contains('partitions')) { foreach ($p in @($Vhd['partitions'])) { if ($null -ne $p) { $list.Add($p) } } }
    $Vhd['partitions'] = $list
    return , $list
}

function Test-FakeMountedHere {
    # A virtual disk mounted on THIS host. A VHDX on a cluster shared volume is one record that
    # every node of the fake sees (host/shared-storage.ps1), but Mount-VHD makes it a disk of the
    # host that mounted it only, numbered among that host's disks (Mount-VHD.md: "Mounts one or more
    # virtual hard disks" on the computer it runs on; Get-Disk lists the local computer's disks).
    param($Vhd)
    return [bool]$Vhd.mounted -and (-not $Vhd.mountedOn -or [string]$Vhd.mountedOn -eq (Get-FakeStatePath))
}

function Find-FakeMountedDisk {
    # The mounted virtual disk with this disk number, or $null.
    param($State, [int]$Number)
    foreach ($v in $State.vhds) { if ((Test-FakeMountedHere $v) -and [int]$v.diskNumber -eq $Number) { return $v } }
    return $null
}

function Get-FakeDiskByNumber {
    param($State, $Number, [string]$Cmdlet)
    $vhd = Find-FakeMountedDisk -State $State -Number ([int]$Number)
    if (-not $vhd) { Invoke-FakeStorageNotFound -Cmdlet $Cmdlet -Class 'MSFT_Disk' -Property 'Number' -Value $Number }
    return $vhd
}

function Get-FakeFreeDriveLetter {
    # The next free letter from Z down (a host's own disks hold the first letters).
    foreach ($candidate in @('Z', 'Y', 'X', 'W', 'V', 'U', 'T', 'S', 'R', 'Q', 'P', 'O', 'N', 'M', 'L', 'K')) {
        if (-not (Get-PSDrive -Name $candidate -ErrorAction SilentlyContinue)) { return $candidate }
    }
    return $null
}

function Get-FakePartitionFolder {
    # The folder holding a partition's content, made on first use and kept across mounts.
    param($State, $Partition)
    if (-not $Partition.Contains('folder') -or -not $Partition['folder']) {
        $State.seq = [int]$State.seq + 1
        $Partition['folder'] = (Get-FakeStatePath) + '.volumes/p' + ([string]$State.seq)
    }
    $null = [System.IO.Directory]::CreateDirectory([string]$Partition['folder'])
    return [string]$Partition['folder']
}

function Add-FakeDriveLetter {
    # Gives a formatted or unformatted partition of a mounted disk a drive letter (a PowerShell drive).
    param($State, $Partition, [string]$Letter)
    if (-not $Letter) { $Letter = Get-FakeFreeDriveLetter }
    if (-not $Letter) { return }
    $folder = Get-FakePartitionFolder -State $State -Partition $Partition
    $null = New-PSDrive -Name $Letter -PSProvider FileSystem -Root $folder -Scope Global
    $Partition['letter'] = $Letter
}

function Remove-FakeDriveLetter {
    param($Partition)
    if ($Partition['letter']) { Remove-PSDrive -Name ([string]$Partition['letter']) -Scope Global -ErrorAction SilentlyContinue }
    $Partition['letter'] = $null
}

function Mount-FakeDiskLayout {
    # Mount-VHD of a disk with its own layout: Windows mounts each basic data partition that has a
    # file system and gives it a letter; the EFI system and MSR partitions get none (they have no
    # letter until Add-PartitionAccessPath gives one, as Convert-WindowsImage does for bcdboot).
    param($State, $Vhd)
    foreach ($p in (Get-FakePartitionList -Vhd $Vhd)) {
        $p['letter'] = $null
        $isData = ([string]$p.gptType -eq $script:FakeGptTypes.basic) -or ($Vhd.partitionStyle -eq 'MBR')
        if ($isData -and $p.fileSystem) { Add-FakeDriveLetter -State $State -Partition $p }
    }
}

function Dismount-FakeDiskLayout {
    param($Vhd)
    foreach ($p in (Get-FakePartitionList -Vhd $Vhd)) { Remove-FakeDriveLetter -Partition $p }
}

function Get-FakePartitionType {
    # Get-Partition's Type: System, Reserved, Basic, Recovery on GPT; IFS, FAT32, Huge ... on MBR.
    param($Vhd, $Partition)
    if ($Vhd.partitionStyle -eq 'MBR') {
        foreach ($name in $script:FakeMbrTypes.Keys) { if ($script:FakeMbrTypes[$name] -eq [int]$Partition.mbrType) { return $name } }
        return 'Unknown'
    }
    foreach ($name in @('system', 'reserved', 'basic', 'recovery')) {
        if ([string]$Partition.gptType -eq $script:FakeGptTypes[$name]) { return (Get-Culture).TextInfo.ToTitleCase($name) }
    }
    return 'Unknown'
}

function ConvertTo-FakePartitionObject {
    param($Vhd, $Partition)
    $letter = [char]0
    $paths = @()
    if ($Partition.letter) { $letter = [char]([string]$Partition.letter); $paths += ([string]$Partition.letter + ':\') }
    $paths += ('\\?\Volume{' + [string]$Partition.guid + '}\')
    [pscustomobject]@{
        PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Partition'
        DiskNumber = [uint32]$Vhd.diskNumber
        PartitionNumber = [uint32]$Partition.number
        DriveLetter = $letter
        AccessPaths = [string[]]$paths
        Offset = [uint64]$Partition.offset
        Size = [uint64]$Partition.size
        Type = (Get-FakePartitionType -Vhd $Vhd -Partition $Partition)
        GptType = $Partition.gptType
        MbrType = $Partition.mbrType
        IsActive = [bool]$Partition.isActive
        IsSystem = ([string]$Partition.gptType -eq $script:FakeGptTypes.system)
        Guid = ('{' + [string]$Partition.guid + '}')
    }
}

function ConvertTo-FakeVolumeObject {
    param($Partition)
    $letter = $null
    if ($Partition.letter) { $letter = [char]([string]$Partition.letter) }
    [pscustomobject]@{
        PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Volume'
        DriveLetter = $letter
        FileSystem = [string]$Partition.fileSystem
        FileSystemType = [string]$Partition.fileSystem
        FileSystemLabel = [string]$Partition.label
        Size = [uint64]$Partition.size
        Path = ('\\?\Volume{' + [string]$Partition.guid + '}\')
        ObjectId = ('{1}\\?\Volume{' + [string]$Partition.guid + '}\')
    }
}

function Get-FakeLegacyPartitions {
    # Disks without a layout of their own (seeded images and their differencing disks): a system
    # partition and the Windows volume, as storage.ps1's Mount-VHD exposes them.
    param($Vhd)
    [pscustomobject]@{ DiskNumber = [uint32]$Vhd.diskNumber; PartitionNumber = [uint32]1; Type = 'System'; DriveLetter = [char]0; AccessPaths = [string[]]@() }
    [pscustomobject]@{ DiskNumber = [uint32]$Vhd.diskNumber; PartitionNumber = [uint32]2; Type = 'Basic'; DriveLetter = [char]0; AccessPaths = [string[]]@() }
}

function Resolve-FakePartitionTarget {
    # The disk and partition a call names: -DiskNumber/-PartitionNumber, or -InputObject / -Partition (a partition object).
    param($State, $Bound, [string]$Cmdlet)
    $number = $null; $partitionNumber = $null
    $object = $null
    foreach ($key in @('InputObject', 'Partition')) { if ($Bound.ContainsKey($key)) { $object = @($Bound[$key])[0] } }
    if ($null -ne $object) { $number = $object.DiskNumber; $partitionNumber = $object.PartitionNumber }
    if ($Bound.ContainsKey('DiskNumber')) { $number = @($Bound.DiskNumber)[0] }
    if ($Bound.ContainsKey('PartitionNumber')) { $partitionNumber = @($Bound.PartitionNumber)[0] }
    if ($Bound.ContainsKey('DriveLetter')) {
        $wanted = ([string]@($Bound.DriveLetter)[0]).TrimEnd(':')
        foreach ($v in $State.vhds) {
            if (-not (Test-FakeMountedHere $v) -or -not (Test-FakeOwnLayout $v)) { continue }
            foreach ($p in (Get-FakePartitionList -Vhd $v)) { if ([string]$p.letter -eq $wanted) { return @{ vhd = $v; partition = $p } } }
        }
        Invoke-FakeStorageNotFound -Cmdlet $Cmdlet -Class 'MSFT_Partition' -Property 'DriveLetter' -Value $wanted
    }
    $vhd = Get-FakeDiskByNumber -State $State -Number $number -Cmdlet $Cmdlet
    if (-not (Test-FakeOwnLayout $vhd)) { return @{ vhd = $vhd; partition = $null } }
    foreach ($p in (Get-FakePartitionList -Vhd $vhd)) { if ([int]$p.number -eq [int]$partitionNumber) { return @{ vhd = $vhd; partition = $p } } }
    Invoke-FakeStorageNotFound -Cmdlet $Cmdlet -Class 'MSFT_Partition' -Property 'PartitionNumber' -Value $partitionNumber
}

Register-FakeCmdlet -Name 'Get-Disk' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $numbers = @()
    if ($Bound.ContainsKey('Number')) { $numbers = @($Bound.Number) }
    else { foreach ($v in $State.vhds) { if (Test-FakeMountedHere $v) { $numbers += [int]$v.diskNumber } } }
    foreach ($n in $numbers) {
        $vhd = Get-FakeDiskByNumber -State $State -Number $n -Cmdlet 'Get-Disk'
        $style = 'GPT'
        if (Test-FakeOwnLayout $vhd) { $style = [string]$vhd.partitionStyle }
        [pscustomobject]@{
            PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Disk'
            Number = [uint32]$vhd.diskNumber
            PartitionStyle = $style
            Size = [uint64]$vhd.size
            Location = [string]$vhd.path
            IsReadOnly = $false
            IsOffline = $false
            OperationalStatus = 'Online'
            NumberOfPartitions = [uint32]@(if (Test-FakeOwnLayout $vhd) { Get-FakePartitionList -Vhd $vhd } else { 1, 2 }).Count
        }
    }
}

# Initialize-Disk: a RAW disk only (MSFT_Disk Initialize, 41001 "The disk has already been
# initialized."); GPT unless -PartitionStyle says MBR (Initialize-Disk.md: "The default partition style is GPT").
Register-FakeCmdlet -Name 'Initialize-Disk' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($n in @($Bound.Number)) {
        $vhd = Get-FakeDiskByNumber -State $State -Number $n -Cmdlet 'Initialize-Disk'
        if (-not (Test-FakeOwnLayout $vhd) -or $vhd.partitionStyle -ne 'RAW') {
            Invoke-FakeStorageError -Cmdlet 'Initialize-Disk' -Code 41001 -Message 'The disk has already been initialized.' -Target $n
        }
        $style = 'GPT'
        if ($Bound.ContainsKey('PartitionStyle')) { $style = [string]$Bound.PartitionStyle }
        if ($style -ne 'GPT' -and $style -ne 'MBR') {
            Invoke-FakeStorageError -Cmdlet 'Initialize-Disk' -Code 41010 -Message 'The specified partition type is not valid.' -Target $n -Category InvalidArgument
        }
        $vhd.partitionStyle = $style
        $vhd.partitions = [System.Collections.Generic.List[object]]::new()
        if ($Bound.ContainsKey('PassThru') -and $Bound.PassThru) { Get-Disk -Number $n }
    }
}

# New-Partition (MSFT_Disk CreatePartition): an initialized disk (41000 "The disk has not been
# initialized."), exactly one of -Size and -UseMaximumSize (40005), no more than the free space
# (40000 "Not enough available capacity"), -GptType only on GPT and -MbrType/-IsActive only on MBR
# ("can only be set if the PartitionStyle property of the disk is MBR", 41010 otherwise).
# Partitions start 1 MiB in and are aligned to 1 MiB, as Windows lays them out.
Register-FakeCmdlet -Name 'New-Partition' -ScriptBlock {
    param($Bound, $Set, $State)
    $cmdlet = 'New-Partition'
    foreach ($n in @($Bound.DiskNumber)) {
        $vhd = Get-FakeDiskByNumber -State $State -Number $n -Cmdlet $cmdlet
        if (-not (Test-FakeOwnLayout $vhd)) {
            Invoke-FakeStorageError -Cmdlet $cmdlet -Code 40000 -Message 'Not enough available capacity' -Target $n
        }
        if ($vhd.partitionStyle -eq 'RAW') {
            Invoke-FakeStorageError -Cmdlet $cmdlet -Code 41000 -Message 'The disk has not been initialized.' -Target $n
        }
        $hasSize = $Bound.ContainsKey('Size')
        $maximum = $Bound.ContainsKey('UseMaximumSize') -and $Bound.UseMaximumSize
        if ($hasSize -eq $maximum) {
            Invoke-FakeStorageError -Cmdlet $cmdlet -Code 40005 -Message 'You must specify a size by using either the Size or the UseMaximumSize parameter. You can specify only one of these parameters at a time.' -Target $n -Category InvalidArgument
        }
        $isMbr = $vhd.partitionStyle -eq 'MBR'
        $activeAsked = $Bound.ContainsKey('IsActive') -and $Bound.IsActive
        if (($isMbr -and $Bound.ContainsKey('GptType')) -or (-not $isMbr -and ($Bound.ContainsKey('MbrType') -or $activeAsked))) {
            Invoke-FakeStorageError -Cmdlet $cmdlet -Code 41010 -Message 'The specified partition type is not valid.' -Target $n -Category InvalidArgument
        }
        $partitions = Get-FakePartitionList -Vhd $vhd
        if ($isMbr -and $partitions.Count -ge 4) {
            Invoke-FakeStorageError -Cmdlet $cmdlet -Code 40000 -Message 'Not enough available capacity' -Target $n
        }
        $offset = $script:FakeMiB
        foreach ($p in $partitions) { $offset = [math]::Max($offset, [long]$p.offset + [long]$p.size) }
        $offset = [long]([math]::Ceiling($offset / $script:FakeMiB) * $script:FakeMiB)
        # GPT keeps its backup table in the last sectors: 1 MiB at the end stays free.
        $free = [long]$vhd.size - $offset - $script:FakeMiB
        $size = $free
        if ($hasSize) { $size = [long]$Bound.Size }
        if ($size -le 0 -or $size -gt $free) {
            Invoke-FakeStorageError -Cmdlet $cmdlet -Code 40000 -Message 'Not enough available capacity' -Target $n
        }
        $partition = [ordered]@{ number = $partitions.Count + 1; offset = $offset; size = $size; gptType = $null; mbrType = $null; isActive = $false; fileSystem = $null; label = $null; letter = $null; folder = $null; guid = [guid]::NewGuid().ToString() }
        if ($isMbr) {
            $partition.mbrType = $script:FakeMbrTypes.Huge
            if ($Bound.ContainsKey('MbrType')) { $partition.mbrType = $script:FakeMbrTypes[[string]$Bound.MbrType] }
            if ($activeAsked) { foreach ($p in $partitions) { $p.isActive = $false }; $partition.isActive = $true }
        } else {
            $partition.gptType = $script:FakeGptTypes.basic
            if ($Bound.ContainsKey('GptType')) { $partition.gptType = ([string]$Bound.GptType).ToLowerInvariant() }
        }
        $partitions.Add($partition)
        if ($Bound.ContainsKey('DriveLetter')) { Add-FakeDriveLetter -State $State -Partition $partition -Letter ([string]$Bound.DriveLetter) }
        elseif ($Bound.ContainsKey('AssignDriveLetter') -and $Bound.AssignDriveLetter) { Add-FakeDriveLetter -State $State -Partition $partition }
        ConvertTo-FakePartitionObject -Vhd $vhd -Partition $partition
    }
}

Register-FakeCmdlet -Name 'Get-Partition' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $disks = @()
    if ($Bound.ContainsKey('DiskNumber')) { foreach ($n in @($Bound.DiskNumber)) { $disks += , (Get-FakeDiskByNumber -State $State -Number $n -Cmdlet 'Get-Partition') } }
    elseif ($Bound.ContainsKey('Disk')) { foreach ($d in @($Bound.Disk)) { $disks += , (Get-FakeDiskByNumber -State $State -Number $d.Number -Cmdlet 'Get-Partition') } }
    elseif ($Bound.ContainsKey('DriveLetter')) {
        $target = Resolve-FakePartitionTarget -State $State -Bound $Bound -Cmdlet 'Get-Partition'
        return (ConvertTo-FakePartitionObject -Vhd $target.vhd -Partition $target.partition)
    } else { foreach ($v in $State.vhds) { if (Test-FakeMountedHere $v) { $disks += , $v } } }
    foreach ($vhd in $disks) {
        if (-not (Test-FakeOwnLayout $vhd)) { Get-FakeLegacyPartitions -Vhd $vhd; continue }
        foreach ($p in $vhd.partitions) {
            if ($Bound.ContainsKey('PartitionNumber') -and @($Bound.PartitionNumber) -notcontains [uint32]$p.number) { continue }
            ConvertTo-FakePartitionObject -Vhd $vhd -Partition $p
        }
    }
}

# Set-Partition: -GptType (Convert-WindowsImage formats the ESP as a basic data partition, then
# turns it into an ESP), -IsActive (MBR only), -NewDriveLetter.
Register-FakeCmdlet -Name 'Set-Partition' -ScriptBlock {
    param($Bound, $Set, $State)
    $target = Resolve-FakePartitionTarget -State $State -Bound $Bound -Cmdlet 'Set-Partition'
    $vhd = $target.vhd; $p = $target.partition
    if (-not $p) { Invoke-FakeStorageError -Cmdlet 'Set-Partition' -Code 4 -Message 'Failed' -Target $vhd.path }
    $isMbr = $vhd.partitionStyle -eq 'MBR'
    if (($Bound.ContainsKey('GptType') -and $isMbr) -or ($Bound.ContainsKey('IsActive') -and -not $isMbr)) {
        Invoke-FakeStorageError -Cmdlet 'Set-Partition' -Code 41010 -Message 'The specified partition type is not valid.' -Target $p.number -Category InvalidArgument
    }
    if ($Bound.ContainsKey('GptType')) { $p.gptType = ([string]$Bound.GptType).ToLowerInvariant() }
    if ($Bound.ContainsKey('MbrType')) { $p.mbrType = [int]$Bound.MbrType }
    if ($Bound.ContainsKey('IsActive')) {
        if ([bool]$Bound.IsActive) { foreach ($other in $vhd.partitions) { $other.isActive = $false } }
        $p.isActive = [bool]$Bound.IsActive
    }
    if ($Bound.ContainsKey('NewDriveLetter')) { Remove-FakeDriveLetter -Partition $p; Add-FakeDriveLetter -State $State -Partition $p -Letter ([string]$Bound.NewDriveLetter) }
}

# Format-Volume: formats a partition (-Partition, -DriveLetter); the old content is gone.
Register-FakeCmdlet -Name 'Format-Volume' -ScriptBlock {
    param($Bound, $Set, $State)
    $target = Resolve-FakePartitionTarget -State $State -Bound $Bound -Cmdlet 'Format-Volume'
    $p = $target.partition
    if (-not $p) { Invoke-FakeStorageError -Cmdlet 'Format-Volume' -Code 4 -Message 'Failed' -Target $target.vhd.path }
    $fileSystem = 'NTFS'
    if ($Bound.ContainsKey('FileSystem')) { $fileSystem = [string]$Bound.FileSystem }
    $folder = Get-FakePartitionFolder -State $State -Partition $p
    foreach ($item in [System.IO.Directory]::GetFileSystemEntries($folder)) {
        if ([System.IO.Directory]::Exists($item)) { [System.IO.Directory]::Delete($item, $true) } else { [System.IO.File]::Delete($item) }
    }
    $p.fileSystem = $fileSystem
    $p.label = $null
    if ($Bound.ContainsKey('NewFileSystemLabel')) { $p.label = [string]$Bound.NewFileSystemLabel }
    ConvertTo-FakeVolumeObject -Partition $p
}

Register-FakeCmdlet -Name 'Get-Volume' -ScriptBlock {
    param($Bound, $Set, $State)
    if ($Bound.ContainsKey('DiskImage')) {
        # An ISO mounted with Mount-DiskImage (windows-image.ps1).
        foreach ($image in @($Bound.DiskImage)) { Get-FakeIsoVolume -State $State -ImagePath ([string]$image.ImagePath) }
        return
    }
    $partition = $null
    if ($Bound.ContainsKey('Partition')) { $partition = @($Bound.Partition)[0] }
    if ($null -ne $partition) {
        $vhd = Get-FakeDiskByNumber -State $State -Number $partition.DiskNumber -Cmdlet 'Get-Volume'
        if (-not (Test-FakeOwnLayout $vhd)) {
            # The older model: the Windows volume's letter arrives a moment after Mount-VHD returns
            # (the mount manager assigns letters asynchronously; MSLab and AutomatedLab sleep or
            # retry after Mount-VHD for that reason): the first Get-Volume sees none.
            if ([string]$partition.Type -ne 'Basic') { return }
            if ([int]$vhd.volume.lateLetterPolls -gt 0) {
                $vhd.volume.lateLetterPolls = [int]$vhd.volume.lateLetterPolls - 1
                return [pscustomobject]@{ DriveLetter = $null; FileSystem = 'NTFS' }
            }
            return [pscustomobject]@{ DriveLetter = [char]$vhd.volume.letter; FileSystem = 'NTFS' }
        }
        foreach ($p in $vhd.partitions) {
            if ([int]$p.number -eq [int]$partition.PartitionNumber -and $p.fileSystem) { ConvertTo-FakeVolumeObject -Partition $p }
        }
        return
    }
    if ($Bound.ContainsKey('DriveLetter')) {
        $target = Resolve-FakePartitionTarget -State $State -Bound $Bound -Cmdlet 'Get-Volume'
        return (ConvertTo-FakeVolumeObject -Partition $target.partition)
    }
    foreach ($v in $State.vhds) {
        if (-not (Test-FakeMountedHere $v) -or -not (Test-FakeOwnLayout $v)) { continue }
        foreach ($p in $v.partitions) { if ($p.fileSystem) { ConvertTo-FakeVolumeObject -Partition $p } }
    }
}

# Add-PartitionAccessPath -AssignDriveLetter / -AccessPath 'X:': a letter for a partition of a
# mounted disk (Convert-WindowsImage gives the ESP one for bcdboot /s, then removes it).
Register-FakeCmdlet -Name 'Add-PartitionAccessPath' -ScriptBlock {
    param($Bound, $Set, $State)
    $target = Resolve-FakePartitionTarget -State $State -Bound $Bound -Cmdlet 'Add-PartitionAccessPath'
    $p = $target.partition
    if (-not $p) { Invoke-FakeStorageError -Cmdlet 'Add-PartitionAccessPath' -Code 4 -Message 'Failed' -Target $target.vhd.path }
    $letter = $null
    if ($Bound.ContainsKey('AccessPath')) {
        if ([string]$Bound.AccessPath -notmatch '^([A-Za-z]):\\?$') { Invoke-FakeStorageError -Cmdlet 'Add-PartitionAccessPath' -Code 5 -Message 'Invalid Parameter' -Target $Bound.AccessPath -Category InvalidArgument }
        $letter = $Matches[1].ToUpperInvariant()
        if (Get-PSDrive -Name $letter -ErrorAction SilentlyContinue) { Invoke-FakeStorageError -Cmdlet 'Add-PartitionAccessPath' -Code 5 -Message 'Invalid Parameter' -Target $Bound.AccessPath -Category ResourceExists }
    }
    if ($p.letter) {
        Invoke-FakeStorageError -Cmdlet 'Add-PartitionAccessPath' -Code 5 -Message 'Invalid Parameter' -Target ([string]$p.letter + ':\') -Category ResourceExists
    }
    Add-FakeDriveLetter -State $State -Partition $p -Letter $letter
    if ($Bound.ContainsKey('PassThru') -and $Bound.PassThru) { ConvertTo-FakePartitionObject -Vhd $target.vhd -Partition $p }
}

Register-FakeCmdlet -Name 'Remove-PartitionAccessPath' -ScriptBlock {
    param($Bound, $Set, $State)
    $target = Resolve-FakePartitionTarget -State $State -Bound $Bound -Cmdlet 'Remove-PartitionAccessPath'
    $p = $target.partition
    $wanted = ([string]$Bound.AccessPath).TrimEnd('\').TrimEnd(':')
    if (-not $p -or -not $p.letter -or -not [string]::Equals([string]$p.letter, $wanted, [System.StringComparison]::OrdinalIgnoreCase)) {
        Invoke-FakeStorageError -Cmdlet 'Remove-PartitionAccessPath' -Code 5 -Message 'Invalid Parameter' -Target $Bound.AccessPath -Category InvalidArgument
    }
    Remove-FakeDriveLetter -Partition $p
}
