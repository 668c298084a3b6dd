# Host side of `files:` copies (Windows PowerShell 5.1 syntax only): the host's media listed and
# compared with what the guest holds (the guest's listing: LabformGuestProbe-copyFiles for
# Windows, the bash listing labform builds for Linux, linux-guest.ts), and only what differs
# copied, before the VM's roles run.
#
# Windows guests, over PowerShell Direct: New-PSSession -VMName -Credential, then
# Copy-Item -ToSession (-Recurse for a whole folder). Microsoft Learn: "Copy files with
# New-PSSession and Copy-Item" in https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/powershell-direct,
# and https://learn.microsoft.com/powershell/module/microsoft.powershell.management/copy-item
# (example 5 "Copy a file to a remote computer", example 7 "Copy the entire contents of a folder
# to a remote computer" with -Recurse and -ToSession). Copy-Item -Recurse into a folder that
# already exists puts the source folder INSIDE it (same page, example 2 vs 3): the whole folder is
# copied with -Recurse only when the target does not exist yet; otherwise file by file.
# Linux guests, over ssh/scp from the host at the address the guest reports through KVP, as the
# credential's user (key authentication, batch mode). scp -r of a folder to a path that does not
# exist creates it with the folder's contents (OpenBSD scp(1), like cp -r). Native commands run
# through Invoke-LabformLinuxNative (host-guest-shell.ps1): under Continue, stderr merged, never
# piped text (Windows PowerShell 5.1 semantics, see LabformGuest.Linux.ps1).
#
# A file is up to date when the guest has a file at the same relative path (case-insensitive on
# Windows) with the same size and SHA-256 (Get-FileHash on the host and in Windows guests,
# sha256sum in Linux guests). The wording of details is the simulator's (src/model/file-copy.ts).

function Format-LabformBytes {
    # 12 MB, 3.2 GB, 512 bytes: binary units, one decimal below 10 (formatBytes in src/model/file-copy.ts).
    param([double]$Bytes)
    foreach ($unit in @(@('GB', 1073741824.0), @('MB', 1048576.0), @('KB', 1024.0))) {
        if ($Bytes -lt $unit[1]) { continue }
        $value = $Bytes / $unit[1]
        if ($value -lt 10) { $text = ([Math]::Round($value * 10, [MidpointRounding]::AwayFromZero) / 10).ToString([System.Globalization.CultureInfo]::InvariantCulture) }
        else { $text = ([Math]::Round($value, [MidpointRounding]::AwayFromZero)).ToString([System.Globalization.CultureInfo]::InvariantCulture) }
        return ($text + ' ' + $unit[0])
    }
    return ([string][long]$Bytes + ' bytes')
}

function Get-LabformFileCount {
    param([int]$Count)
    if ($Count -eq 1) { return '1 file' }
    return ([string]$Count + ' files')
}

function Get-LabformHostCopySource {
    # The host's side of a copy: the file itself (relative path '') or every file under the
    # folder (relative, with /); $null when the source does not exist.
    param([Parameter(Mandatory = $true)][string]$From)
    $files = New-Object -TypeName System.Collections.ArrayList
    if (Test-Path -LiteralPath $From -PathType Leaf) {
        $item = Get-Item -LiteralPath $From -Force
        [void]$files.Add([pscustomobject]@{ path = ''; size = [long]$item.Length; sha256 = (Get-FileHash -LiteralPath $From -Algorithm SHA256).Hash.ToLowerInvariant(); source = $From })
        return , $files.ToArray()
    }
    if (-not (Test-Path -LiteralPath $From -PathType Container)) { return $null }
    $root = $From.TrimEnd('\', '/')
    foreach ($file in @(Get-ChildItem -LiteralPath $From -Recurse -File -Force)) {
        $relative = ([string]$file.FullName).Substring($root.Length).TrimStart('\', '/').Replace('\', '/')
        [void]$files.Add([pscustomobject]@{ path = $relative; size = [long]$file.Length; sha256 = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant(); source = [string]$file.FullName })
    }
    return , $files.ToArray()
}

function ConvertFrom-LabformGuestListing {
    # The guest's listing (first line file|folder|none, then `<size> <sha256> <relative path>`).
    # Anything else (a listing that printed nothing) is 'unreadable': never taken for a missing
    # target, which a copy would fill with scp -r (into an existing folder, a folder inside it).
    param([string]$Text)
    $lines = @(([string]$Text) -split "`r?`n")
    $kind = 'unreadable'
    if ($lines.Count -gt 0 -and @('file', 'folder', 'none') -contains $lines[0].Trim()) { $kind = $lines[0].Trim() }
    $files = @()
    foreach ($line in ($lines | Select-Object -Skip 1)) {
        if ($line -notmatch '^(\d+) ([0-9A-Fa-f]{64}) ?(.*)$') { continue }
        $files += , [pscustomobject]@{ path = $Matches[3]; size = [long]$Matches[1]; sha256 = $Matches[2].ToLowerInvariant() }
    }
    return [pscustomobject]@{ kind = $kind; files = $files }
}

function Compare-LabformFileCopy {
    # compareCopies of src/model/file-copy.ts: host files the guest lacks or has with another size or hash.
    param([object[]]$HostFiles, [object[]]$GuestFiles, [string]$Os)
    $comparer = [System.StringComparer]::Ordinal
    if ($Os -ne 'linux') { $comparer = [System.StringComparer]::OrdinalIgnoreCase }
    $guest = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,object]' -ArgumentList $comparer
    foreach ($g in @($GuestFiles)) { if ($null -ne $g) { $guest[[string]$g.path] = $g } }
    $differ = @()
    $bytes = [long]0
    $totalBytes = [long]0
    foreach ($h in @($HostFiles)) {
        if ($null -eq $h) { continue }
        $totalBytes += [long]$h.size
        $g = $null
        if ($guest.ContainsKey([string]$h.path)) { $g = $guest[[string]$h.path] }
        if ($null -eq $g -or [long]$g.size -ne [long]$h.size -or [string]$g.sha256 -ne [string]$h.sha256) {
            $differ += , $h
            $bytes += [long]$h.size
        }
    }
    return [pscustomobject]@{ differ = $differ; total = @($HostFiles | Where-Object { $null -ne $_ }).Count; bytes = $bytes; totalBytes = $totalBytes }
}

function Get-LabformCopyProbeDetail {
    # copyProbeDetail of src/model/file-copy.ts.
    param($Comparison)
    $c = $Comparison
    if ($c.total -eq 0) { return 'the host source holds no files' }
    if (@($c.differ).Count -eq 0) { return ((Get-LabformFileCount -Count $c.total) + ' (' + (Format-LabformBytes -Bytes $c.totalBytes) + ') up to date') }
    if (@($c.differ).Count -eq $c.total) { return ((Get-LabformFileCount -Count $c.total) + ' (' + (Format-LabformBytes -Bytes $c.totalBytes) + ') missing or different') }
    return ([string]@($c.differ).Count + ' of ' + (Get-LabformFileCount -Count $c.total) + ' differ (' + (Format-LabformBytes -Bytes $c.bytes) + ')')
}

function Get-LabformCopyProbeAnswer {
    # A copy's probe answer from the guest's listing: done when nothing differs.
    param([string]$From, [string]$Os, [string]$Listing)
    $source = Get-LabformHostCopySource -From $From
    if ($null -eq $source) { return [pscustomobject]@{ done = $false; detail = ($From + ' does not exist on the host') } }
    $guest = ConvertFrom-LabformGuestListing -Text $Listing
    if ($guest.kind -eq 'unreadable') { return [pscustomobject]@{ done = $false; detail = 'the guest''s listing of the target could not be read' } }
    $c = Compare-LabformFileCopy -HostFiles $source -GuestFiles $guest.files -Os $Os
    return [pscustomobject]@{ done = (@($c.differ).Count -eq 0); detail = (Get-LabformCopyProbeDetail -Comparison $c) }
}

function Resolve-LabformCopyProbes {
    # The answers of one VM's probes, with each copyFiles answer (the guest's listing, in its
    # detail; for Linux the base64 line its bash listing printed) turned into done/detail here,
    # where the host's side is. Other answers pass unchanged (done, detail, and replace: a guest
    # that cannot reach the task's state in place).
    param([object[]]$Probes, [object[]]$Results, [string]$Os)
    $out = @()
    $probeList = @($Probes)
    $resultList = @($Results)
    for ($i = 0; $i -lt $resultList.Count; $i++) {
        $result = $resultList[$i]
        $probe = $null
        if ($i -lt $probeList.Count) { $probe = $probeList[$i] }
        if ($null -ne $probe -and [string]$probe.operation -eq 'copyFiles') {
            $listing = [string]$result.detail
            if ($Os -eq 'linux') {
                $listing = ''
                $raw = [string]$result.raw
                if ($raw.Trim()) {
                    try { $listing = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($raw.Trim())) } catch { $listing = '' }
                }
            }
            $result = Get-LabformCopyProbeAnswer -From ([string]$probe.arguments.from) -Os $Os -Listing $listing
        }
        $answer = [ordered]@{ done = [bool]$result.done; detail = [string]$result.detail }
        if ([string]$result.replace) { $answer.replace = [string]$result.replace }
        $out += , [pscustomobject]$answer
    }
    return , $out
}

function Get-LabformGuestFolders {
    # The guest folders a set of relative file paths needs under $To (Windows or Linux separators).
    param([string]$To, [object[]]$Files, [string]$Separator)
    $folders = @{}
    $root = $To.TrimEnd('\', '/')
    foreach ($f in @($Files)) {
        $relative = [string]$f.path
        $cut = $relative.LastIndexOf('/')
        if ($cut -lt 0) { $folders[$root] = $true; continue }
        $folders[$root + $Separator + $relative.Substring(0, $cut).Replace('/', $Separator)] = $true
    }
    return @($folders.Keys | Sort-Object)
}

function Copy-LabformFilesToGuest {
    # Copies what differs of $From into the guest at $To. Returns @{ rebooted; detail }.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Os,
        [Parameter(Mandatory = $true)][string]$From,
        [Parameter(Mandatory = $true)][string]$To,
        [System.Management.Automation.PSCredential]$Credential,
        [string]$UserName,
        # Linux: the bash listing of $To (built by labform, linux-guest.ts).
        [string]$ListingScript
    )
    $ErrorActionPreference = 'Stop'
    $source = Get-LabformHostCopySource -From $From
    if ($null -eq $source) {
        $exception = New-Object -TypeName System.Management.Automation.ItemNotFoundException -ArgumentList ("Cannot find path '" + $From + "' because it does not exist.")
        throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'PathNotFound,Microsoft.PowerShell.Commands.CopyItemCommand', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $From)
    }
    $single = (@($source).Count -eq 1 -and [string]$source[0].path -eq '')
    if ($Os -eq 'linux') { return Copy-LabformFilesToLinux -VMName $VMName -From $From -To $To -UserName $UserName -ListingScript $ListingScript -Source $source -Single $single }
    $session = New-PSSession -VMName $VMName -Credential $Credential
    try {
        $listing = Invoke-Command -Session $session -ScriptBlock (Get-LabformGuestScriptBlock -Kind 'Probe' -Operation 'copyFiles') -ArgumentList @(, @{ to = $To })
        $guest = ConvertFrom-LabformGuestListing -Text ([string](@($listing) | Select-Object -Last 1).detail)
        $c = Compare-LabformFileCopy -HostFiles $source -GuestFiles $guest.files -Os 'windows'
        if (@($c.differ).Count -eq 0) { return [pscustomobject]@{ rebooted = $false; detail = ('nothing to copy: ' + (Get-LabformFileCount -Count $c.total) + ' up to date') } }
        $makeFolders = Get-LabformGuestScriptBlock -Kind 'Op' -Operation 'makeFolders'
        if ($single) {
            $parent = Split-Path -Path $To -Parent
            if ($parent) { $null = Invoke-Command -Session $session -ScriptBlock $makeFolders -ArgumentList @(, @{ folders = @($parent) }) }
            Copy-Item -LiteralPath $From -Destination $To -ToSession $session -Force
        } elseif ($guest.kind -eq 'none') {
            # A new target: the whole folder in one Copy-Item -Recurse (it creates $To itself).
            $parent = Split-Path -Path $To.TrimEnd('\', '/') -Parent
            if ($parent) { $null = Invoke-Command -Session $session -ScriptBlock $makeFolders -ArgumentList @(, @{ folders = @($parent) }) }
            Copy-Item -LiteralPath $From -Destination $To -ToSession $session -Recurse -Force
        } else {
            $folders = Get-LabformGuestFolders -To $To -Files $c.differ -Separator '\'
            $null = Invoke-Command -Session $session -ScriptBlock $makeFolders -ArgumentList @(, @{ folders = $folders })
            foreach ($file in @($c.differ)) {
                Copy-Item -LiteralPath ([string]$file.source) -Destination ($To.TrimEnd('\', '/') + '\' + ([string]$file.path).Replace('/', '\')) -ToSession $session -Force
            }
        }
    } finally {
        Remove-PSSession -Session $session
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('copied ' + (Get-LabformFileCount -Count @($c.differ).Count) + ' (' + (Format-LabformBytes -Bytes $c.bytes) + ')') }
}

function ConvertTo-LabformShellQuoted {
    # One POSIX shell word: single quotes, a quote inside written '\''.
    param([string]$Text)
    return ("'" + $Text.Replace("'", "'\''") + "'")
}

function Copy-LabformFilesToLinux {
    param([string]$VMName, [string]$From, [string]$To, [string]$UserName, [string]$ListingScript, [object[]]$Source, [bool]$Single)
    $address = Get-LabformLinuxAddress -VMName $VMName
    if ($null -eq $address) { throw ('the Linux guest ' + $VMName + ' reports no IPv4 address') }
    $answer = Invoke-LabformSsh -UserName $UserName -Address $address -Script $ListingScript
    if ($answer.exitCode -ne 0) { throw ('listing ' + $To + ' in ' + $VMName + ' failed with exit code ' + $answer.exitCode + ': ' + ((@($answer.errors) | Select-Object -Last 3) -join ' / ')) }
    $line = [string](@($answer.output | Where-Object { ([string]$_).Trim() }) | Select-Object -Last 1)
    $text = ''
    if ($line.Trim()) { $text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($line.Trim())) }
    $guest = ConvertFrom-LabformGuestListing -Text $text
    if ($guest.kind -eq 'unreadable') { throw ('listing ' + $To + ' in ' + $VMName + ' printed nothing labform can read: ' + ((@($answer.errors) | Select-Object -Last 3) -join ' / ')) }
    $c = Compare-LabformFileCopy -HostFiles $Source -GuestFiles $guest.files -Os 'linux'
    if (@($c.differ).Count -eq 0) { return [pscustomobject]@{ rebooted = $false; detail = ('nothing to copy: ' + (Get-LabformFileCount -Count $c.total) + ' up to date') } }
    $root = $To.TrimEnd('/')
    $target = $UserName + '@' + $address + ':'
    $scp = @()
    if ($Single) {
        $folders = @($root.Substring(0, [Math]::Max(1, $root.LastIndexOf('/'))))
        $scp += , @($From, ($target + $root))
    } elseif ($guest.kind -eq 'none') {
        $folders = @($root.Substring(0, [Math]::Max(1, $root.LastIndexOf('/'))))
        $scp += , @('-r', $From, ($target + $root))
    } else {
        $folders = Get-LabformGuestFolders -To $root -Files $c.differ -Separator '/'
        foreach ($file in @($c.differ)) { $scp += , @([string]$file.source, ($target + $root + '/' + [string]$file.path)) }
    }
    $mkdir = 'mkdir -p --'
    foreach ($folder in $folders) { $mkdir += ' ' + (ConvertTo-LabformShellQuoted -Text $folder) }
    $made = Invoke-LabformSsh -UserName $UserName -Address $address -Script $mkdir
    if ($made.exitCode -ne 0) { throw ('mkdir in ' + $VMName + ' failed: ' + ((@($made.errors) | Select-Object -Last 3) -join ' / ')) }
    foreach ($copy in $scp) {
        $result = Invoke-LabformLinuxNative -FilePath 'scp.exe' -ArgumentList (@(Get-LabformSshOptions) + @('-q') + @($copy))
        if ($result.exitCode -ne 0) { throw ('scp to ' + $VMName + ' failed: ' + ((@($result.output | ForEach-Object { $_.text }) -join ' ').Trim())) }
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('copied ' + (Get-LabformFileCount -Count @($c.differ).Count) + ' (' + (Format-LabformBytes -Bytes $c.bytes) + ')') }
}

function Test-LabformLinuxCopy {
    # The executor's probe of one copy into a Linux guest: its bash listing, compared here.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$UserName,
        [Parameter(Mandatory = $true)][string]$From,
        [Parameter(Mandatory = $true)][string]$ListingScript
    )
    $ErrorActionPreference = 'Stop'
    $address = Get-LabformLinuxAddress -VMName $VMName
    if ($null -eq $address) { return [pscustomobject]@{ done = $false; detail = 'the Linux guest reports no IPv4 address yet' } }
    $answer = Invoke-LabformSsh -UserName $UserName -Address $address -Script $ListingScript
    if ($answer.exitCode -ne 0) { return [pscustomobject]@{ done = $false; detail = ('listing failed with exit code ' + $answer.exitCode) } }
    $line = [string](@($answer.output | Where-Object { ([string]$_).Trim() }) | Select-Object -Last 1)
    $text = ''
    if ($line.Trim()) { $text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($line.Trim())) }
    return (Get-LabformCopyProbeAnswer -From $From -Os 'linux' -Listing $text)
}
