# Installation media on the fake host (`files:` sources): real files, so that sizes and
# SHA-256 hashes are real. A host path (D:\Media\SQL2016\setup.exe, \\server\share\x) lives at
# <state folder>/fake-host-media/<state file name>/D/Media/SQL2016/setup.exe (UNC paths under
# UNC/server/share); tests write them there (helpers/fake-host.ts, FakeSeed.media). Paths on the
# real file system are case-sensitive: the fake expects a manifest to spell media paths as they
# were seeded (Windows would not care).
#
# What the cmdlets return for them, as on Windows:
# - Test-Path -LiteralPath -PathType Leaf|Container|Any (storage.ps1 Test-FakeHostItem);
# - Get-ChildItem -LiteralPath <folder> -Recurse -File: FileInfo-like objects whose FullName is the
#   Windows path (the folder as given, then the relative part) and Length the size
#   (https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-childitem);
# - Get-Item -LiteralPath: the same for one file or folder; a missing one fails with PathNotFound
#   "Cannot find path '...' because it does not exist." (ItemNotFoundException);
# - Get-FileHash -LiteralPath -Algorithm SHA256: Algorithm, upper-case Hash and Path
#   (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-filehash).
# Copy-Item -ToSession reads the real file (60-guest-shell.ps1).

function Get-FakeHostMediaRoot {
    $state = Get-FakeStatePath
    return [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($state), 'fake-host-media', [System.IO.Path]::GetFileNameWithoutExtension($state))
}

function ConvertTo-FakeHostMediaPath {
    # The real path of a host path's media file or folder.
    param([string]$Path)
    $root = Get-FakeHostMediaRoot
    if ($Path -match '^\\\\(.*)$') { return [System.IO.Path]::Combine($root, 'UNC', ($Matches[1].TrimEnd('\') -replace '\\', '/')) }
    if ($Path -match '^([A-Za-z]):\\?(.*)$') { return [System.IO.Path]::Combine($root, $Matches[1].ToUpperInvariant(), ($Matches[2].TrimEnd('\') -replace '\\', '/')) }
    return $Path
}

function Test-FakeHostMedia {
    param([string]$Path, [string]$PathType = 'Any')
    $real = ConvertTo-FakeHostMediaPath -Path $Path
    $isFile = [System.IO.File]::Exists($real)
    $isFolder = [System.IO.Directory]::Exists($real)
    if ($PathType -eq 'Leaf') { return $isFile }
    if ($PathType -eq 'Container') { return $isFolder }
    return ($isFile -or $isFolder)
}

function New-FakeHostMediaItem {
    # A FileInfo-like object with the Windows path.
    param([string]$WindowsPath, [string]$RealPath)
    $leaf = $WindowsPath.TrimEnd('\').Substring($WindowsPath.TrimEnd('\').LastIndexOf('\') + 1)
    if ([System.IO.Directory]::Exists($RealPath)) {
        return [pscustomobject]@{ FullName = $WindowsPath.TrimEnd('\'); Name = $leaf; Extension = ''; PSIsContainer = $true }
    }
    $ext = ''
    if ($leaf.Contains('.')) { $ext = $leaf.Substring($leaf.LastIndexOf('.')) }
    return [pscustomobject]@{ FullName = $WindowsPath; Name = $leaf; Extension = $ext; Length = [long](New-Object System.IO.FileInfo $RealPath).Length; PSIsContainer = $false }
}

function Get-FakeHostMediaChildItem {
    # The media files under a host folder (or the file itself), with Windows paths.
    param([string]$Path, [switch]$Recurse)
    $real = ConvertTo-FakeHostMediaPath -Path $Path
    if ([System.IO.File]::Exists($real)) { return (New-FakeHostMediaItem -WindowsPath $Path -RealPath $real) }
    if (-not [System.IO.Directory]::Exists($real)) { return }
    $option = [System.IO.SearchOption]::TopDirectoryOnly
    if ($Recurse) { $option = [System.IO.SearchOption]::AllDirectories }
    $base = $Path.TrimEnd('\')
    foreach ($file in [System.IO.Directory]::GetFiles($real, '*', $option)) {
        $relative = $file.Substring($real.TrimEnd('/').Length).TrimStart('/').Replace('/', '\')
        New-FakeHostMediaItem -WindowsPath ($base + '\' + $relative) -RealPath $file
    }
}

function Get-FakeHostMediaItem {
    param([string]$Path)
    $real = ConvertTo-FakeHostMediaPath -Path $Path
    if (-not ([System.IO.File]::Exists($real) -or [System.IO.Directory]::Exists($real))) {
        $ex = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '" + $Path + "' because it does not exist.")
        throw [System.Management.Automation.ErrorRecord]::new($ex, 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand', 'ObjectNotFound', $Path)
    }
    return (New-FakeHostMediaItem -WindowsPath $Path -RealPath $real)
}

function Get-FakeHostMediaHash {
    param([string]$Path, [string]$Algorithm)
    $real = ConvertTo-FakeHostMediaPath -Path $Path
    $hash = Microsoft.PowerShell.Utility\Get-FileHash -LiteralPath $real -Algorithm $Algorithm
    return [pscustomobject]@{ Algorithm = $hash.Algorithm; Hash = $hash.Hash; Path = $Path }
}
