# Guest side of `files:` copies (Windows PowerShell 5.1 syntax only): what a Windows guest holds
# at a copy's target, listed for the host to compare with its media (Compare-LabformFileCopy,
# scripts/host-guest-files.ps1). Self-contained, one hashtable $A (see LabformGuest.Base.ps1).
#
# The listing: a first line `file`, `folder` or `none` (what `to` is), then one line per file,
# `<size> <sha256> <relative path with />` (relative path empty for a single file). Sizes are
# FileInfo.Length; hashes Get-FileHash -Algorithm SHA256
# (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-filehash),
# lower-cased. Hidden files count (-Force), as on the host.

function LabformGuestProbe-copyFiles {
    param($A)
    $ErrorActionPreference = 'Stop'
    $to = [string]$A.to
    $lines = New-Object -TypeName System.Collections.Generic.List[string]
    if (Test-Path -LiteralPath $to -PathType Leaf) {
        $item = Get-Item -LiteralPath $to -Force
        $lines.Add('file')
        $lines.Add(([string][long]$item.Length) + ' ' + (Get-FileHash -LiteralPath $item.FullName -Algorithm SHA256).Hash.ToLowerInvariant() + ' ')
    } elseif (Test-Path -LiteralPath $to -PathType Container) {
        $root = (Get-Item -LiteralPath $to -Force).FullName.TrimEnd('\', '/')
        $lines.Add('folder')
        foreach ($file in @(Get-ChildItem -LiteralPath $to -Recurse -File -Force)) {
            $relative = $file.FullName.Substring($root.Length).TrimStart('\', '/').Replace('\', '/')
            $lines.Add(([string][long]$file.Length) + ' ' + (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant() + ' ' + $relative)
        }
    } else {
        $lines.Add('none')
    }
    # done is decided on the host, which has the other side (Resolve-LabformCopyProbes).
    return [pscustomobject]@{ done = $false; detail = ($lines -join "`n") }
}

function LabformGuestOp-makeFolders {
    # The folders a copy needs (New-Item -ItemType Directory -Force makes parents and accepts existing ones).
    param($A)
    $ErrorActionPreference = 'Stop'
    foreach ($folder in @($A.folders)) { $null = New-Item -ItemType Directory -Path ([string]$folder) -Force }
    return [pscustomobject]@{ rebooted = $false; detail = 'folders ready' }
}
