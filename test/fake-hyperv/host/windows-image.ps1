# Windows installation media and offline images: Mount-DiskImage, Get-DiskImage, Dismount-DiskImage
# (Storage), Get-WindowsImage, Expand-WindowsImage, Add-WindowsPackage (DISM), bcdboot.exe, and the
# file cmdlets a build uses on host paths (Get-Item, Get-Content, Set-Content, Set-ItemProperty,
# Rename-Item). Parameter sets: the catalogue (MicrosoftDocs/windows-powershell-docs
# docset/winserver2022-ps/Storage/*-DiskImage.md, DISM/*.md).
#
# Model: $State.isos holds the Windows ISOs a test puts on the host ({ path, size, modified,
# editions: [{ index, name }], installFile: install.wim | install.esd | $null }); every other file
# is a path in $State.files, with text in $State.fileContents and attributes in $State.fileInfo
# (keys: lower-case paths). A mounted ISO is a folder beside the state file holding
# sources\<installFile>, exposed as a drive letter that arrives one Get-Volume late (Convert-
# WindowsImage reads the disk image again before Get-Volume -DiskImage: "I assume this is a bug").

function Get-FakeKey { param([string]$Path) return $Path.TrimEnd('\').ToLowerInvariant() }

function Get-FakeMap {
    # A map stored on the state (created on first use; JSON brings it back as a hashtable).
    param($State, [string]$Name)
    if (-not $State.Contains($Name) -or $null -eq $State[$Name]) { $State[$Name] = @{} }
    return $State[$Name]
}

function Find-FakeIso {
    param($State, [string]$Path)
    foreach ($i in @($State['isos'])) { if ($null -ne $i -and (Test-FakeSamePath ([string]$i.path) $Path)) { return $i } }
    return $null
}

function Test-FakeHostFile {
    param($State, [string]$Path)
    if (Find-FakeVhd -State $State -Path $Path) { return $true }
    if (Find-FakeIso -State $State -Path $Path) { return $true }
    return @($State.files | Where-Object { Test-FakeSamePath ([string]$_) $Path }).Count -gt 0
}

function Invoke-FakeDiskImageNotFound {
    # A CDXML cmdlet failing on a file that is not there: the HRESULT is the error id.
    param([string]$Cmdlet, [string]$Path)
    Invoke-FakeError -Message 'The system cannot find the file specified.' -ErrorId ('HRESULT 0x80070002,' + $Cmdlet) -Category ObjectNotFound -Target $Path -ExceptionType 'System.InvalidOperationException'
}

function ConvertTo-FakeDiskImageObject {
    param($Iso, [string]$Path)
    [pscustomobject]@{
        PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_DiskImage'
        ImagePath = $Path
        Attached = [bool]$Iso.attached
        StorageType = 1
        Size = [uint64]$Iso.size
        DevicePath = $(if ($Iso.attached) { '\\.\CDROM' + [string]$Iso.deviceNumber } else { $null })
    }
}

function Get-FakeIsoVolume {
    # Get-Volume -DiskImage: the mounted ISO's volume (UDF); no letter on the first look after mounting.
    param($State, [string]$ImagePath)
    $iso = Find-FakeIso -State $State -Path $ImagePath
    if (-not $iso -or -not $iso.attached) { return }
    if ([int]$iso.lateLetterPolls -gt 0 -or -not $iso.letter) {
        $iso.lateLetterPolls = [int]$iso.lateLetterPolls - 1
        return [pscustomobject]@{ DriveLetter = $null; FileSystem = 'UDF'; FileSystemLabel = [string]$iso.label }
    }
    return [pscustomobject]@{ DriveLetter = [char]([string]$iso.letter); FileSystem = 'UDF'; FileSystemLabel = [string]$iso.label }
}

# Mount-DiskImage -ImagePath x.iso: the ISO gets a drive letter (unless -NoDriveLetter). A second
# mount of an attached image fails with the sharing violation (HRESULT 0x80070020).
Register-FakeCmdlet -Name 'Mount-DiskImage' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.ImagePath)) {
        $path = [string]$p
        $iso = Find-FakeIso -State $State -Path $path
        if (-not $iso) {
            if (-not (Test-FakeHostFile -State $State -Path $path)) { Invoke-FakeDiskImageNotFound -Cmdlet 'Mount-DiskImage' -Path $path }
            # Any other ISO (SQL Server media, tools): no Windows image inside.
            $iso = @{ path = $path; size = 0; modified = '2016-09-26T00:00:00.0000000Z'; editions = @(); installFile = $null }
            $list = [System.Collections.Generic.List[object]]::new()
            foreach ($i in @($State['isos'])) { if ($null -ne $i) { $list.Add($i) } }
            $list.Add($iso)
            $State['isos'] = $list
        }
        if ($iso.attached) {
            Invoke-FakeError -Message 'The process cannot access the file because it is being used by another process.' -ErrorId 'HRESULT 0x80070020,Mount-DiskImage' -Category NotSpecified -Target $path -ExceptionType 'System.InvalidOperationException'
        }
        $State.seq = [int]$State.seq + 1
        $folder = (Get-FakeStatePath) + '.media/' + ([string]$State.seq)
        $null = [System.IO.Directory]::CreateDirectory($folder + '/sources')
        if ($iso.installFile) { [System.IO.File]::WriteAllText($folder + '/sources/' + [string]$iso.installFile, 'WIM') }
        $iso['attached'] = $true
        $iso['deviceNumber'] = [int]$State.seq
        $iso['folder'] = $folder
        $iso['letter'] = $null
        $iso['lateLetterPolls'] = 1
        if (-not ($Bound.ContainsKey('NoDriveLetter') -and $Bound.NoDriveLetter)) {
            $letter = Get-FakeFreeDriveLetter
            $null = New-PSDrive -Name $letter -PSProvider FileSystem -Root $folder -Scope Global
            $iso['letter'] = $letter
        }
        if ($Bound.ContainsKey('PassThru') -and $Bound.PassThru) { ConvertTo-FakeDiskImageObject -Iso $iso -Path $path }
    }
}

Register-FakeCmdlet -Name 'Get-DiskImage' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.ImagePath)) {
        $path = [string]$p
        $iso = Find-FakeIso -State $State -Path $path
        if (-not $iso) {
            if (-not (Test-FakeHostFile -State $State -Path $path)) { Invoke-FakeDiskImageNotFound -Cmdlet 'Get-DiskImage' -Path $path }
            $iso = @{ attached = $false; size = 0 }
        }
        ConvertTo-FakeDiskImageObject -Iso $iso -Path $path
    }
}

Register-FakeCmdlet -Name 'Dismount-DiskImage' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($p in @($Bound.ImagePath)) {
        $path = [string]$p
        $iso = Find-FakeIso -State $State -Path $path
        if (-not $iso) { Invoke-FakeDiskImageNotFound -Cmdlet 'Dismount-DiskImage' -Path $path }
        if ($iso.attached -and $iso.letter) { Remove-PSDrive -Name ([string]$iso.letter) -Scope Global -ErrorAction SilentlyContinue }
        $iso['attached'] = $false
        $iso['letter'] = $null
        ConvertTo-FakeDiskImageObject -Iso $iso -Path $path
    }
}

function Find-FakeMountedMedia {
    # The mounted ISO whose drive holds $Path (X:\sources\install.wim).
    param($State, [string]$Path)
    if ($Path -notmatch '^([A-Za-z]):\\') { return $null }
    $letter = $Matches[1].ToUpperInvariant()
    foreach ($i in @($State['isos'])) { if ($null -ne $i -and $i.attached -and [string]$i.letter -eq $letter) { return $i } }
    return $null
}

function Find-FakeVolumeAt {
    # The partition of a mounted disk that has the drive letter of $Path (X:\ or X:\Windows).
    param($State, [string]$Path)
    if ($Path -notmatch '^([A-Za-z]):') { return $null }
    $letter = $Matches[1].ToUpperInvariant()
    foreach ($v in $State.vhds) {
        if (-not (Test-FakeMountedHere $v) -or -not (Test-FakeOwnLayout $v)) { continue }
        foreach ($p in (Get-FakePartitionList -Vhd $v)) { if ([string]$p.letter -eq $letter) { return @{ vhd = $v; partition = $p } } }
    }
    return $null
}

function Get-FakeWimEditions {
    # Get-WindowsImage's view of an install.wim / install.esd on mounted media; DISM fails on anything else.
    param($State, [string]$ImagePath, [string]$Cmdlet)
    $media = Find-FakeMountedMedia -State $State -Path $ImagePath
    $leaf = [System.IO.Path]::GetFileName($ImagePath.Replace('\', '/'))
    if (-not $media -or -not $media.installFile -or -not [string]::Equals($leaf, [string]$media.installFile, [System.StringComparison]::OrdinalIgnoreCase)) {
        Invoke-FakeError -Message 'The system cannot find the file specified.' -ErrorId ('DISMAPI_Error__Failed_To_Open_Image,Microsoft.Dism.Commands.' + $Cmdlet.Replace('-', '') + 'Command') -Category NotSpecified -Target $ImagePath -ExceptionType 'System.Runtime.InteropServices.COMException'
    }
    return , @($media.editions)
}

function Select-FakeEdition {
    # -Index or -Name (Get-WindowsImage.md, Expand-WindowsImage.md); DISM refuses an index or name
    # the file does not have with ERROR_INVALID_PARAMETER.
    param($Editions, $Bound, [string]$ImagePath, [string]$Cmdlet)
    foreach ($e in $Editions) {
        if ($Bound.ContainsKey('Index') -and [int]$e.index -eq [int]$Bound.Index) { return $e }
        if ($Bound.ContainsKey('Name') -and [string]::Equals([string]$e.name, [string]$Bound.Name, [System.StringComparison]::OrdinalIgnoreCase)) { return $e }
    }
    Invoke-FakeError -Message 'The parameter is incorrect.' -ErrorId ('DISMAPI_Error__Failed_To_Open_Image,Microsoft.Dism.Commands.' + $Cmdlet.Replace('-', '') + 'Command') -Category NotSpecified -Target $ImagePath -ExceptionType 'System.Runtime.InteropServices.COMException'
}

Register-FakeCmdlet -Name 'Get-WindowsImage' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $path = [string]$Bound.ImagePath
    $editions = Get-FakeWimEditions -State $State -ImagePath $path -Cmdlet 'Get-WindowsImage'
    if ($Bound.ContainsKey('Index') -or $Bound.ContainsKey('Name')) { $editions = @(Select-FakeEdition -Editions $editions -Bound $Bound -ImagePath $path -Cmdlet 'Get-WindowsImage') }
    foreach ($e in $editions) {
        [pscustomobject]@{ PSTypeName = 'Microsoft.Dism.Commands.BasicImageInfoObject'; ImagePath = $path; ImageIndex = [uint32]$e.index; ImageName = [string]$e.name; ImageDescription = [string]$e.name; ImageSize = [uint64]10737418240 }
    }
}

# Expand-WindowsImage -ImagePath <wim> -Index n -ApplyPath X:\ (Expand-WindowsImage.md): the
# edition's files land on the volume X:, which must be a formatted volume of a mounted disk.
Register-FakeCmdlet -Name 'Expand-WindowsImage' -ScriptBlock {
    param($Bound, $Set, $State)
    $path = [string]$Bound.ImagePath
    $editions = Get-FakeWimEditions -State $State -ImagePath $path -Cmdlet 'Expand-WindowsImage'
    $edition = Select-FakeEdition -Editions $editions -Bound $Bound -ImagePath $path -Cmdlet 'Expand-WindowsImage'
    $target = Find-FakeVolumeAt -State $State -Path ([string]$Bound.ApplyPath)
    if (-not $target -or -not $target.partition.fileSystem) {
        Invoke-FakeError -Message 'The system cannot find the path specified.' -ErrorId 'DISMAPI_Error__Failed_To_Apply_Image,Microsoft.Dism.Commands.ExpandWindowsImageCommand' -Category NotSpecified -Target $Bound.ApplyPath -ExceptionType 'System.Runtime.InteropServices.COMException'
    }
    $folder = Get-FakePartitionFolder -State $State -Partition $target.partition
    $null = [System.IO.Directory]::CreateDirectory($folder + '/Windows/System32/config')
    [System.IO.File]::WriteAllText($folder + '/Windows/labform-edition.txt', [string]$edition.name)
    $target.vhd['os'] = 'windows'
    $target.vhd['edition'] = [ordered]@{ index = [int]$edition.index; name = [string]$edition.name }
    [pscustomobject]@{ Path = [string]$Bound.ApplyPath; Online = $false }
}

# Add-WindowsPackage -Path X:\ -PackagePath kb.msu (Add-WindowsPackage.md, offline): the package
# is added to the image's list; a package file that is not there fails with ERROR_FILE_NOT_FOUND.
Register-FakeCmdlet -Name 'Add-WindowsPackage' -ScriptBlock {
    param($Bound, $Set, $State)
    $package = [string]$Bound.PackagePath
    if (-not (Test-FakeHostFile -State $State -Path $package)) {
        Invoke-FakeError -Message 'The system cannot find the file specified.' -ErrorId 'DISMAPI_Error__Failed_To_Add_Package,Microsoft.Dism.Commands.AddWindowsPackageCommand' -Category NotSpecified -Target $package -ExceptionType 'System.Runtime.InteropServices.COMException'
    }
    $target = Find-FakeVolumeAt -State $State -Path ([string]$Bound.Path)
    if (-not $target -or -not $target.vhd.os) {
        Invoke-FakeError -Message 'The system cannot find the path specified.' -ErrorId 'DISMAPI_Error__Failed_To_Add_Package,Microsoft.Dism.Commands.AddWindowsPackageCommand' -Category NotSpecified -Target $Bound.Path -ExceptionType 'System.Runtime.InteropServices.COMException'
    }
    $packages = [System.Collections.Generic.List[object]]::new()
    if ($target.vhd.Contains('packages')) { foreach ($x in @($target.vhd['packages'])) { if ($x) { $packages.Add($x) } } }
    $packages.Add($package)
    $target.vhd['packages'] = $packages
    [pscustomobject]@{ Path = [string]$Bound.Path; Online = $false }
}

function bcdboot.exe {
    # A native tool (BCDBoot command-line options, learn.microsoft.com/windows-hardware/manufacture/
    # desktop/bcdboot-command-line-options-techref-di): bcdboot <source>\Windows /s <volume> /f UEFI|BIOS
    # copies the boot files and creates the BCD store: \EFI\Microsoft\Boot\BCD on a UEFI system
    # partition, \Boot\BCD on a BIOS one. Exit code 0, or 1 with "Failure when attempting to copy boot files.".
    [CmdletBinding()]
    param([Parameter(ValueFromRemainingArguments = $true)][string[]]$Arguments)
    Invoke-FakeCmdlet -Name 'bcdboot.exe' -ParameterSetName '' -Bound $PSBoundParameters
}

Register-FakeCmdlet -Name 'bcdboot.exe' -ScriptBlock {
    param($Bound, $Set, $State)
    $a = @($Bound.Arguments)
    $source = [string]$a[0]
    $volume = $null; $firmware = 'BIOS'
    for ($i = 1; $i -lt $a.Count - 1; $i++) {
        if ([string]$a[$i] -eq '/s') { $volume = [string]$a[$i + 1] }
        if ([string]$a[$i] -eq '/f') { $firmware = ([string]$a[$i + 1]).ToUpperInvariant() }
    }
    $windows = Find-FakeVolumeAt -State $State -Path $source
    $system = $null
    if ($volume) { $system = Find-FakeVolumeAt -State $State -Path $volume }
    $hasWindows = $windows -and (Microsoft.PowerShell.Management\Test-Path -LiteralPath ((Get-FakePartitionFolder -State $State -Partition $windows.partition) + '/Windows/System32'))
    if (-not $hasWindows -or -not $system -or -not $system.partition.fileSystem) {
        $global:LASTEXITCODE = 1
        return 'Failure when attempting to copy boot files.'
    }
    $folder = Get-FakePartitionFolder -State $State -Partition $system.partition
    $store = 'Boot'
    if ($firmware -eq 'UEFI') { $store = 'EFI/Microsoft/Boot' }
    $null = [System.IO.Directory]::CreateDirectory($folder + '/' + $store)
    [System.IO.File]::WriteAllText($folder + '/' + $store + '/BCD', 'BCD')
    $system.vhd['bootFirmware'] = $firmware
    $global:LASTEXITCODE = 0
    return 'Boot files successfully created.'
}

# Install-WindowsFeature -Vhd (Install-WindowsFeature.md, parameter set ComponentNamesAndVhdPath):
# features go into an offline Windows disk; a disk a running VM holds (or one mounted) is in use.
# The guest that first boots from the disk has them (Start-VM copies them, New-FakeGuest reads them).
Register-FakeCmdlet -Name 'Install-WindowsFeature' -ScriptBlock {
    param($Bound, $Set, $State)
    $id = 'Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand'
    if ($Set -ne 'ComponentNamesAndVhdPath') {
        Invoke-FakeError -Message 'fake Hyper-V: Install-WindowsFeature on the host itself is not modelled' -ErrorId ('FakeNotImplemented,' + $id) -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    $path = [string]$Bound.Vhd
    $vhd = Find-FakeVhd -State $State -Path $path
    if (-not $vhd) {
        Invoke-FakeError -Message 'The system cannot find the file specified.' -ErrorId ('FileNotFound,' + $id) -Category ObjectNotFound -Target $path -ExceptionType 'System.InvalidOperationException'
    }
    if ($vhd.mounted -or @(Get-FakeVmsUsing -State $State -Path $vhd.path | Where-Object { $_.state -ne 'Off' }).Count -gt 0) {
        Invoke-FakeError -Message 'The process cannot access the file because it is being used by another process.' -ErrorId ('VhdInUse,' + $id) -Category InvalidOperation -Target $path -ExceptionType 'System.InvalidOperationException'
    }
    $installed = [System.Collections.Generic.List[object]]::new()
    if ($vhd.Contains('offlineFeatures')) { foreach ($f in @($vhd['offlineFeatures'])) { if ($f) { $installed.Add([string]$f) } } }
    $results = @()
    foreach ($f in @($Bound.Name)) {
        if (-not $installed.Contains([string]$f)) { $installed.Add([string]$f) }
        $results += [pscustomobject]@{ Name = [string]$f; DisplayName = [string]$f; Success = $true; RestartNeeded = 'No' }
    }
    $vhd['offlineFeatures'] = $installed
    [pscustomobject]@{ Success = $true; RestartNeeded = 'No'; ExitCode = 'Success'; FeatureResult = $results }
}

function Get-FakeOfflineFeatures {
    # The features installed offline into the disks of a VM (its OS disk first).
    param($State, $Vm)
    $out = @()
    foreach ($d in $Vm.disks) {
        $vhd = Find-FakeVhd -State $State -Path $d.path
        if ($vhd -and $vhd.Contains('offlineFeatures')) { $out += @($vhd['offlineFeatures']) }
    }
    return $out
}

# The file cmdlets on host paths (D:\..., no drive here): the fake host's files. Anything else
# goes to the real cmdlet. Real parameter names (Microsoft.PowerShell.Management reference).

function Get-FakeHostFileInfo {
    param($State, [string]$Path)
    $info = (Get-FakeMap -State $State -Name 'fileInfo')[(Get-FakeKey $Path)]
    $iso = Find-FakeIso -State $State -Path $Path
    $vhd = Find-FakeVhd -State $State -Path $Path
    $size = [long]0; $modified = '2016-09-26T00:00:00.0000000Z'; $readOnly = $false
    if ($iso) { $size = [long]$iso.size; $modified = [string]$iso.modified }
    if ($vhd) { $size = [long]$vhd.size }
    $content = (Get-FakeMap -State $State -Name 'fileContents')[(Get-FakeKey $Path)]
    if ($null -ne $content) { $size = [long]([System.Text.Encoding]::UTF8.GetByteCount([string]$content)) }
    if ($info) {
        if ($info.Contains('modified') -and $info.modified) { $modified = [string]$info.modified }
        if ($info.Contains('readOnly')) { $readOnly = [bool]$info.readOnly }
    }
    return @{ size = $size; modified = $modified; readOnly = $readOnly }
}

function Get-Item {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [switch]$Force
    )
    $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    # Inside a guest, Windows paths are the guest's folder (ConvertTo-FakeGuestPath).
    if ($script:FakeGuestVm) { return Microsoft.PowerShell.Management\Get-Item -LiteralPath @($paths | ForEach-Object { ConvertTo-FakeGuestPath -Path $_ }) -Force:$Force }
    if (@($paths | Where-Object { Test-FakeHostPath $_ }).Count -eq 0) { return Microsoft.PowerShell.Management\Get-Item @PSBoundParameters }
    $state = Read-FakeState
    foreach ($p in $paths) {
        # Installation media with real content (`files:` sources, media-files.ps1).
        if (Test-FakeHostMedia -Path $p) { Get-FakeHostMediaItem -Path $p; continue }
        if (-not (Test-FakeHostFile -State $state -Path $p)) {
            $ex = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '" + $p + "' because it does not exist.")
            throw [System.Management.Automation.ErrorRecord]::new($ex, 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand', 'ObjectNotFound', $p)
        }
        $info = Get-FakeHostFileInfo -State $state -Path $p
        $utc = [DateTime]::Parse($info.modified, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AdjustToUniversal -bor [System.Globalization.DateTimeStyles]::AssumeUniversal)
        [pscustomobject]@{ FullName = $p; Name = [System.IO.Path]::GetFileName($p.Replace('\', '/')); Length = [long]$info.size; LastWriteTimeUtc = $utc; IsReadOnly = [bool]$info.readOnly; PSIsContainer = $false }
    }
}

function Get-Content {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [switch]$Raw,
        [object]$Encoding,
        [long]$TotalCount = -1,
        [long]$Tail = -1
    )
    $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if ($script:FakeGuestVm -or @($paths | Where-Object { Test-FakeHostPath $_ }).Count -eq 0) { return Microsoft.PowerShell.Management\Get-Content @PSBoundParameters }
    $state = Read-FakeState
    foreach ($p in $paths) {
        $content = (Get-FakeMap -State $state -Name 'fileContents')[(Get-FakeKey $p)]
        if ($null -eq $content -or -not (Test-FakeHostFile -State $state -Path $p)) {
            $ex = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '" + $p + "' because it does not exist.")
            throw [System.Management.Automation.ErrorRecord]::new($ex, 'PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand', 'ObjectNotFound', $p)
        }
        if ($Raw) { [string]$content } else { ([string]$content).Split("`n") | ForEach-Object { $_.TrimEnd("`r") } }
    }
}

function Set-Content {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0, Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1, ValueFromPipeline = $true)][object[]]$Value,
        [object]$Encoding,
        [switch]$NoNewline,
        [switch]$Force
    )
    $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if ($script:FakeGuestVm -or @($paths | Where-Object { Test-FakeHostPath $_ }).Count -eq 0) { return Microsoft.PowerShell.Management\Set-Content @PSBoundParameters }
    # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        $text = (@($Value) | ForEach-Object { [string]$_ }) -join "`r`n"
        if (-not $NoNewline) { $text += "`r`n" }
        foreach ($p in $paths) {
            $info = (Get-FakeMap -State $state -Name 'fileInfo')[(Get-FakeKey $p)]
            if ($info -and $info.readOnly) {
                $ex = [System.UnauthorizedAccessException]::new("Access to the path '" + $p + "' is denied.")
                throw [System.Management.Automation.ErrorRecord]::new($ex, 'GetContentWriterUnauthorizedAccessError,Microsoft.PowerShell.Commands.SetContentCommand', 'PermissionDenied', $p)
            }
            if (-not (Test-FakeHostFile -State $state -Path $p)) { $state.files.Add($p) }
            (Get-FakeMap -State $state -Name 'fileContents')[(Get-FakeKey $p)] = $text
        }
        Write-FakeState -State $state
    } finally {
        Exit-FakeStateLock
    }
}

function Set-ItemProperty {
    # Only what a build sets: the read-only attribute of a host file (FileSystem provider's IsReadOnly).
    [CmdletBinding(DefaultParameterSetName = 'propertyValuePathSet')]
    param(
        [Parameter(ParameterSetName = 'propertyValuePathSet', Position = 0, Mandatory = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'propertyValueLiteralPathSet', Mandatory = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [Parameter(Position = 1, Mandatory = $true)][Alias('PSProperty')][string]$Name,
        [Parameter(Position = 2)][object]$Value,
        [switch]$Force
    )
    $paths = @(@($Path) + @($LiteralPath) | Where-Object { $_ })
    if ($script:FakeGuestVm -or @($paths | Where-Object { Test-FakeHostPath $_ }).Count -eq 0) { return Microsoft.PowerShell.Management\Set-ItemProperty @PSBoundParameters }
    # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        foreach ($p in $paths) {
            if (-not (Test-FakeHostFile -State $state -Path $p)) {
                $ex = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '" + $p + "' because it does not exist.")
                throw [System.Management.Automation.ErrorRecord]::new($ex, 'PathNotFound,Microsoft.PowerShell.Commands.SetItemPropertyCommand', 'ObjectNotFound', $p)
            }
            $map = Get-FakeMap -State $state -Name 'fileInfo'
            $key = Get-FakeKey $p
            if (-not $map.ContainsKey($key)) { $map[$key] = @{} }
            if ($Name -eq 'IsReadOnly') { $map[$key]['readOnly'] = [bool]$Value }
        }
        Write-FakeState -State $state
    } finally {
        Exit-FakeStateLock
    }
}

function Rename-Item {
    # A host file (a VHD, a plain file) takes a new name in the same folder; the name must be free.
    [CmdletBinding(DefaultParameterSetName = 'ByPath')]
    param(
        [Parameter(ParameterSetName = 'ByPath', Position = 0, Mandatory = $true)][string]$Path,
        [Parameter(ParameterSetName = 'ByLiteralPath', Mandatory = $true)][Alias('PSPath', 'LP')][string]$LiteralPath,
        [Parameter(Position = 1, Mandatory = $true)][string]$NewName,
        [switch]$Force,
        [switch]$PassThru
    )
    $p = $Path
    if ($LiteralPath) { $p = $LiteralPath }
    if ($script:FakeGuestVm -or -not (Test-FakeHostPath $p)) { return Microsoft.PowerShell.Management\Rename-Item @PSBoundParameters }
    # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        $target = $p.Substring(0, $p.LastIndexOf('\') + 1) + $NewName
        if (-not (Test-FakeHostFile -State $state -Path $p)) {
            $ex = [System.Management.Automation.ItemNotFoundException]::new("Cannot rename because item at '" + $p + "' does not exist.")
            throw [System.Management.Automation.ErrorRecord]::new($ex, 'InvalidOperation,Microsoft.PowerShell.Commands.RenameItemCommand', 'InvalidOperation', $p)
        }
        if (Test-FakeHostFile -State $state -Path $target) {
            $ex = [System.IO.IOException]::new('Cannot create a file when that file already exists.')
            throw [System.Management.Automation.ErrorRecord]::new($ex, 'RenameItemIOError,Microsoft.PowerShell.Commands.RenameItemCommand', 'WriteError', $p)
        }
        $vhd = Find-FakeVhd -State $state -Path $p
        if ($vhd) {
            if ($vhd.mounted -or @(Get-FakeVmsUsing -State $state -Path $p | Where-Object { $_.state -eq 'Running' }).Count -gt 0) {
                $ex = [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.')
                throw [System.Management.Automation.ErrorRecord]::new($ex, 'RenameItemIOError,Microsoft.PowerShell.Commands.RenameItemCommand', 'WriteError', $p)
            }
            $vhd.path = $target
        }
        for ($i = 0; $i -lt $state.files.Count; $i++) { if (Test-FakeSamePath ([string]$state.files[$i]) $p) { $state.files[$i] = $target } }
        foreach ($name in @('fileInfo', 'fileContents')) {
            $map = Get-FakeMap -State $state -Name $name
            $old = Get-FakeKey $p
            if ($map.ContainsKey($old)) { $map[(Get-FakeKey $target)] = $map[$old]; $map.Remove($old) }
        }
        Write-FakeState -State $state
    } finally {
        Exit-FakeStateLock
    }
}
