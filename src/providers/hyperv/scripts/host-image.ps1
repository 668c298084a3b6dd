# Images built from a Windows ISO (images[].from; src/model/image-build.ts). Windows PowerShell 5.1 syntax only.
# The build is the one Convert-WindowsImage does (x0nn/Convert-WindowsImage, Convert-WindowsImage.ps1,
# commit 161dac9c: Mount-DiskImage, sources\install.wim or install.esd, Get-WindowsImage, New-VHD,
# Mount-VHD, Initialize-Disk, the UEFI or BIOS layout, Format-Volume, Add-PartitionAccessPath,
# Expand-WindowsImage, bcdboot <Windows> /s <system> /f UEFI|BIOS, Add-WindowsPackage, dismount in
# finally) and that MSLab's 2_CreateParentDisks.ps1 (microsoft/MSLab, commit d3c14de8) drives from
# the Windows Server ISO: Get-Volume -DiskImage for the ISO's letter, editions by index or name.
# What the image was built from is recorded next to it (<image>.labform.json); a build runs under a
# marker (<image>.labform-build.json) naming what it mounts, so the build after a killed one
# dismounts and removes what that one left. The image is written as <name>.partial.vhdx and renamed
# once complete and read-only: a differencing disk never finds a half-built parent.

$script:LabformGptBasicData = '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}'
$script:LabformGptSystem = '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'
$script:LabformGptReserved = '{e3c9e316-0b5c-4db8-817d-f92df00215ae}'

function Get-LabformImagePartialPath {
    param([Parameter(Mandatory = $true)][string]$Path)
    $extension = [System.IO.Path]::GetExtension($Path)
    return $Path.Substring(0, $Path.Length - $extension.Length) + '.partial' + $extension
}

function Get-LabformIsoIdentity {
    # Size and last write time: the ISO's identity (hashing gigabytes on every plan would be too slow).
    param([Parameter(Mandatory = $true)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    $item = Get-Item -LiteralPath $Path
    return [pscustomobject]@{ path = $Path; size = [long]$item.Length; modified = $item.LastWriteTimeUtc.ToString('o') }
}

function Read-LabformImageRecord {
    param([Parameter(Mandatory = $true)][string]$Path)
    $record = Read-LabformRecordFile -Path $Path -Format 'labform-image/1'
    if ($null -eq $record) { return $null }
    # PowerShell 6+ reads an ISO 8601 string as a DateTime; 5.1 keeps the string. The record compares as text.
    if ($record.iso -and $record.iso.modified -is [DateTime]) { $record.iso.modified = $record.iso.modified.ToUniversalTime().ToString('o') }
    return $record
}

function Get-LabformMediaLetter {
    # The drive letter of a mounted ISO. It can arrive a moment after Mount-DiskImage returns;
    # Convert-WindowsImage reads the disk image again before Get-Volume -DiskImage for that reason.
    param([Parameter(Mandatory = $true)][string]$Iso)
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    do {
        $image = Get-DiskImage -ImagePath $Iso
        $letter = [string](Get-Volume -DiskImage $image).DriveLetter
        if ($letter) { return $letter }
        Start-Sleep -Milliseconds 500
    } while ([DateTime]::UtcNow -lt $deadline)
    Stop-LabformOperation -Message ('The mounted ISO ' + $Iso + ' got no drive letter within 30 seconds.') -ErrorId 'MediaNoDriveLetter,Build-LabformImage' -Category ResourceUnavailable -Target $Iso
}

function Get-LabformInstallImage {
    # The media's Windows image file: sources\install.wim, else sources\install.esd (Convert-WindowsImage, MSLab).
    param([Parameter(Mandatory = $true)][string]$Letter)
    foreach ($name in @('install.wim', 'install.esd')) {
        $candidate = $Letter + ':\sources\' + $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    return $null
}

function Get-LabformImageEditions {
    param([Parameter(Mandatory = $true)][string]$Source)
    $list = @()
    foreach ($i in @(Get-WindowsImage -ImagePath $Source)) { $list += [pscustomobject]@{ index = [int]$i.ImageIndex; name = [string]$i.ImageName } }
    return $list
}

function Get-LabformIsoEditions {
    # The editions of an ISO ({ known; editions }): mounted read-only for the look, unless it is
    # mounted already: then read through the letter it has, left as it was, and unknown without one.
    param([Parameter(Mandatory = $true)][string]$Iso)
    $mountedHere = $false
    try {
        $image = Get-DiskImage -ImagePath $Iso
        if ([bool]$image.Attached) {
            $letter = [string](Get-Volume -DiskImage $image).DriveLetter
            if (-not $letter) { return [pscustomobject]@{ known = $false; editions = @() } }
        } else {
            $null = Mount-DiskImage -ImagePath $Iso -StorageType ISO -Access ReadOnly -PassThru
            $mountedHere = $true
            $letter = Get-LabformMediaLetter -Iso $Iso
        }
        $source = Get-LabformInstallImage -Letter $letter
        $editions = @()
        if ($source) { $editions = @(Get-LabformImageEditions -Source $source) }
        return [pscustomobject]@{ known = $true; editions = $editions }
    } finally {
        if ($mountedHere) { $null = Dismount-DiskImage -ImagePath $Iso }
    }
}

function Get-LabformImageDependents {
    # Differencing disks whose parent is $Path among $Candidates (every VM's disks, the lab's listed disks).
    param([Parameter(Mandatory = $true)][string]$Path, [string[]]$Candidates = @())
    $unique = @{}
    foreach ($c in $Candidates) { if ($c) { $unique[$c.ToLowerInvariant()] = $c } }
    $paths = @($unique.Values | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf })
    $out = @()
    if ($paths.Count -eq 0) { return }
    foreach ($vhd in @(Get-VHD -Path ([string[]]$paths))) {
        if ($vhd.ParentPath -and [string]::Equals(([string]$vhd.ParentPath).TrimEnd('\'), $Path.TrimEnd('\'), [System.StringComparison]::OrdinalIgnoreCase)) { $out += [string]$vhd.Path }
    }
    return @($out | Sort-Object)
}


function Get-LabformImageStates {
    # Discovery's answer for images built from an ISO. $Listed: the disks discovery found in the lab's folders.
    [CmdletBinding()]
    param([object[]]$Images = @(), [object[]]$Vms = @(), [string[]]$Listed = @())
    $attached = @()
    foreach ($vm in $Vms) { foreach ($d in @($vm.disks)) { if ($d.path) { $attached += [string]$d.path } } }
    $states = @()
    foreach ($wanted in $Images) {
        $path = [string]$wanted.path
        $isoPath = [string]$wanted.iso
        $exists = [bool](Test-Path -LiteralPath $path -PathType Leaf)
        $record = $null
        if ($exists) { $record = Read-LabformImageRecord -Path $path }
        $iso = Get-LabformIsoIdentity -Path $isoPath
        $read = $false
        if ($iso) {
            $read = (-not $exists) -or ($null -eq $record)
            if (-not $read) {
                $read = -not [string]::Equals([string]$record.iso.path, $isoPath, [System.StringComparison]::OrdinalIgnoreCase) -or [long]$record.iso.size -ne [long]$iso.size -or [string]$record.iso.modified -ne [string]$iso.modified
            }
        }
        $editions = $null
        if ($read) {
            $look = Get-LabformIsoEditions -Iso $isoPath
            if ($look.known) { $editions = @($look.editions) }
        }
        elseif ($record) { $editions = @($record.editions) }
        $missing = @()
        foreach ($u in @($wanted.updates)) { if ($u -and -not (Test-Path -LiteralPath ([string]$u) -PathType Leaf)) { $missing += [string]$u } }
        $partial = Get-LabformImagePartialPath -Path $path
        $leftover = [bool](Test-Path -LiteralPath ($path + '.labform-build.json') -PathType Leaf) -or [bool](Test-Path -LiteralPath $partial -PathType Leaf)
        $states += [pscustomobject]@{
            path = $path
            exists = $exists
            record = $record
            iso = $iso
            editions = $editions
            missingUpdates = $missing
            dependents = @(Get-LabformImageDependents -Path $path -Candidates (@($Listed) + @($attached)))
            leftover = $leftover
        }
    }
    return $states
}

function Clear-LabformImageLeftover {
    # What a killed build left: its mounted ISO, its mounted partial disk, the partial disk itself.
    param([Parameter(Mandatory = $true)][string]$Path)
    $marker = $Path + '.labform-build.json'
    $partial = Get-LabformImagePartialPath -Path $Path
    if (Test-Path -LiteralPath $marker -PathType Leaf) {
        $left = Get-Content -LiteralPath $marker -Raw | ConvertFrom-Json
        if ($left.iso -and (Test-Path -LiteralPath ([string]$left.iso) -PathType Leaf)) {
            if ([bool](Get-DiskImage -ImagePath ([string]$left.iso)).Attached) { $null = Dismount-DiskImage -ImagePath ([string]$left.iso) }
        }
    }
    if (Test-Path -LiteralPath $partial -PathType Leaf) {
        if ([bool](Get-VHD -Path $partial).Attached) { Dismount-VHD -Path $partial }
        Remove-Item -LiteralPath $partial -Force
    }
    if (Test-Path -LiteralPath $marker -PathType Leaf) { Remove-Item -LiteralPath $marker -Force }
}

function Get-LabformPartitionLetter {
    # A partition's drive letter, given one if it has none. Convert-WindowsImage retries
    # Add-PartitionAccessPath -AssignDriveLetter until Get-Partition shows the letter.
    param([Parameter(Mandatory = $true)][uint32]$DiskNumber, [Parameter(Mandatory = $true)][uint32]$PartitionNumber)
    for ($attempt = 1; $attempt -le 20; $attempt++) {
        $partition = Get-Partition -DiskNumber $DiskNumber -PartitionNumber $PartitionNumber
        if ([int]$partition.DriveLetter -ne 0 -and [string]$partition.DriveLetter -match '^[A-Za-z]$') { return [string]$partition.DriveLetter }
        if ($attempt -eq 1) { Add-PartitionAccessPath -DiskNumber $DiskNumber -PartitionNumber $PartitionNumber -AssignDriveLetter }
        else { Start-Sleep -Milliseconds 500 }
    }
    Stop-LabformOperation -Message ('Partition ' + $PartitionNumber + ' of disk ' + $DiskNumber + ' got no drive letter.') -ErrorId 'PartitionNoDriveLetter,Build-LabformImage' -Category ResourceUnavailable -Target $DiskNumber
}

function Invoke-LabformBcdBoot {
    # bcdboot.exe <Windows folder> /s <system volume> /f UEFI|BIOS: the boot files and the BCD store.
    # A native command: its stderr lines would throw under 'Stop' in 5.1 (PowerShell #3996); the
    # exit code decides, the output explains.
    param([Parameter(Mandatory = $true)][string]$WindowsFolder, [Parameter(Mandatory = $true)][string]$SystemVolume, [Parameter(Mandatory = $true)][string]$Firmware)
    $ErrorActionPreference = 'Continue'
    $said = @(& bcdboot.exe $WindowsFolder /s $SystemVolume /f $Firmware 2>&1 | ForEach-Object { [string]$_ })
    $code = $LASTEXITCODE
    $ErrorActionPreference = 'Stop'
    if ($code -ne 0) {
        Stop-LabformOperation -Message ('bcdboot failed with exit code ' + $code + ': ' + ((@($said) | Select-Object -Last 3) -join ' ')) -ErrorId 'BcdBootFailed,Build-LabformImage' -Category InvalidResult -Target $WindowsFolder
    }
}

function Build-LabformImage {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][int]$Generation,
        [Parameter(Mandatory = $true)][string]$Iso,
        [Parameter(Mandatory = $true)][object]$Edition,
        [Parameter(Mandatory = $true)][long]$SizeBytes,
        [string[]]$Updates = @()
    )
    $ErrorActionPreference = 'Stop'
    $ConfirmPreference = 'None'
    $marker = $Path + '.labform-build.json'
    $partial = Get-LabformImagePartialPath -Path $Path
    Clear-LabformImageLeftover -Path $Path
    if (Test-Path -LiteralPath $Path -PathType Leaf) {
        # Never under its children: a parent changed under a differencing disk corrupts it.
        $users = @(Get-LabformImageDependents -Path $Path -Candidates @(Get-LabformAttachedDisks | ForEach-Object { $_.path }))
        if ($users.Count -gt 0) {
            Stop-LabformOperation -Message ('The image ' + $Path + ' cannot be built again: differencing disks depend on it: ' + ($users -join ', ') + '.') -ErrorId 'ImageInUse,Build-LabformImage' -Category InvalidOperation -Target $Path
        }
    }
    foreach ($u in $Updates) {
        if (-not (Test-Path -LiteralPath $u -PathType Leaf)) {
            Stop-LabformOperation -Message ('The update package ' + $u + ' does not exist.') -ErrorId 'ImageUpdateNotFound,Build-LabformImage' -Category ObjectNotFound -Target $u
        }
    }
    $isoMounted = $false
    $vhdMounted = $false
    $complete = $false
    $chosen = $null
    $editions = @()
    try {
        # The marker first: if this run is killed, the next one knows what to dismount and remove.
        Set-Content -LiteralPath $marker -Value (ConvertTo-Json -InputObject ([pscustomobject]@{ iso = $Iso; partial = $partial }) -Compress) -Encoding UTF8
        $null = Mount-DiskImage -ImagePath $Iso -StorageType ISO -Access ReadOnly -PassThru
        $isoMounted = $true
        $source = Get-LabformInstallImage -Letter (Get-LabformMediaLetter -Iso $Iso)
        if (-not $source) {
            Stop-LabformOperation -Message ($Iso + ' is not Windows installation media: it has no sources\install.wim or sources\install.esd.') -ErrorId 'ImageSourceNotFound,Build-LabformImage' -Category ObjectNotFound -Target $Iso
        }
        $editions = @(Get-LabformImageEditions -Source $source)
        foreach ($e in $editions) {
            $byIndex = ($Edition -is [int] -or $Edition -is [long]) -and [int]$e.index -eq [int]$Edition
            $byName = ($Edition -is [string]) -and [string]::Equals([string]$e.name, $Edition.Trim(), [System.StringComparison]::OrdinalIgnoreCase)
            if ($byIndex -or $byName) { $chosen = $e; break }
        }
        if (-not $chosen) {
            $wanted = [string]$Edition
            if ($Edition -is [string]) { $wanted = '"' + $Edition + '"' }
            $list = @($editions | ForEach-Object { [string]$_.index + ': ' + [string]$_.name }) -join ', '
            Stop-LabformOperation -Message ($Iso + ' has no edition ' + $wanted + '; it has ' + $list + '.') -ErrorId 'ImageEditionNotFound,Build-LabformImage' -Category ObjectNotFound -Target $Iso
        }
        $null = New-VHD -Path $partial -SizeBytes $SizeBytes -Dynamic
        $disk = Mount-VHD -Path $partial -Passthru
        $vhdMounted = $true
        $number = [uint32]$disk.DiskNumber
        if ($Generation -eq 2) {
            # UEFI: GPT with an EFI system partition (FAT32, made as basic data, formatted, then
            # typed ESP, as Convert-WindowsImage does on Windows 10 and later), an MSR, then Windows.
            Initialize-Disk -Number $number -PartitionStyle GPT
            $system = New-Partition -DiskNumber $number -Size 200MB -GptType $script:LabformGptBasicData
            $null = Format-Volume -Partition $system -FileSystem FAT32 -Force
            Set-Partition -DiskNumber $number -PartitionNumber $system.PartitionNumber -GptType $script:LabformGptSystem
            $null = New-Partition -DiskNumber $number -Size 128MB -GptType $script:LabformGptReserved
            $windows = New-Partition -DiskNumber $number -UseMaximumSize -GptType $script:LabformGptBasicData
            $null = Format-Volume -Partition $windows -FileSystem NTFS -Force
            $firmware = 'UEFI'
        } else {
            # BIOS: MBR with one active NTFS partition that is both system and Windows.
            Initialize-Disk -Number $number -PartitionStyle MBR
            $windows = New-Partition -DiskNumber $number -UseMaximumSize -MbrType IFS -IsActive
            $null = Format-Volume -Partition $windows -FileSystem NTFS -Force
            $system = $windows
            $firmware = 'BIOS'
        }
        $windowsLetter = Get-LabformPartitionLetter -DiskNumber $number -PartitionNumber $windows.PartitionNumber
        $systemLetter = Get-LabformPartitionLetter -DiskNumber $number -PartitionNumber $system.PartitionNumber
        $null = Expand-WindowsImage -ImagePath $source -Index ([uint32]$chosen.index) -ApplyPath ($windowsLetter + ':\')
        Invoke-LabformBcdBoot -WindowsFolder ($windowsLetter + ':\Windows') -SystemVolume ($systemLetter + ':') -Firmware $firmware
        foreach ($u in $Updates) { $null = Add-WindowsPackage -Path ($windowsLetter + ':\') -PackagePath $u }
        if ($Generation -eq 2) { Remove-PartitionAccessPath -DiskNumber $number -PartitionNumber $system.PartitionNumber -AccessPath ($systemLetter + ':\') }
        $complete = $true
    } finally {
        if ($vhdMounted) { Dismount-VHD -Path $partial }
        if ($isoMounted) { $null = Dismount-DiskImage -ImagePath $Iso }
        if (-not $complete) {
            if (Test-Path -LiteralPath $partial -PathType Leaf) { Remove-Item -LiteralPath $partial -Force }
            if (Test-Path -LiteralPath $marker -PathType Leaf) { Remove-Item -LiteralPath $marker -Force }
        }
    }
    $isoNow = Get-LabformIsoIdentity -Path $Iso
    $record = [pscustomobject]@{
        format = 'labform-image/1'
        iso = $isoNow
        edition = $chosen
        editions = $editions
        size = $SizeBytes
        generation = $Generation
        updates = @($Updates)
    }
    # The old image goes (its record with it), the new one is recorded, made read-only (a parent
    # disk must never change under its differencing disks) and takes the path.
    if (Test-Path -LiteralPath $Path -PathType Leaf) { Remove-Item -LiteralPath $Path -Force }
    Set-Content -LiteralPath ($Path + '.labform.json') -Value (ConvertTo-Json -InputObject $record -Depth 5) -Encoding UTF8
    Set-ItemProperty -LiteralPath $partial -Name IsReadOnly -Value $true
    Rename-Item -LiteralPath $partial -NewName $Path.Substring($Path.LastIndexOf('\') + 1)
    Remove-Item -LiteralPath $marker -Force
}
