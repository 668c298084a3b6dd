# Storage the fake's hosts share: virtual hard disks on SMB shares (\\server\share\...) and, for
# hosts in a cluster, on cluster shared volumes (C:\ClusterStorage\<volume>\...).
#
# Real hosts: every node of a failover cluster reads and writes the same CSV files ("Cluster
# Shared Volumes ... enable multiple nodes in a failover cluster to simultaneously have
# read-write access to the same LUN":
# https://learn.microsoft.com/windows-server/failover-clustering/failover-cluster-csvs), linked
# under ClusterStorage on the system drive of each node; an SMB 3 share is one folder for every
# host that reaches it (https://learn.microsoft.com/windows-server/virtualization/hyper-v/deploy/deploy-hyper-v-over-smb).
# The simulator keeps them in one shared document (src/providers/sim/world.ts vhdsOn); the fake
# does the same with `shared-storage.json` beside the host state files, in use when that file
# exists (the end-to-end run seeds it; single-host tests keep every disk in the host's file).
#
# Each host state read gets the shared disks merged into `vhds`; a write puts back into the
# shared document only what this call added, changed or removed there, by path, re-reading it
# first (two hosts' sessions are two processes: a whole-document write would lose the other's).

function Get-FakeSharedStoragePath {
    return [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName([System.IO.Path]::GetFullPath((Get-FakeStatePath))), 'shared-storage.json')
}

function Test-FakeSharedStoragePath {
    # The same predicates as src/model/hyperv-rules.ts isSmbPath / isCsvPath.
    param($State, [string]$Path)
    $p = $Path.Replace('/', '\')
    if ($p -match '^\\\\[^\\]+\\[^\\]+') { return $true }
    return ($null -ne $State.cluster -and $p -match '^(?i)c:\\clusterstorage\\[^\\]+')
}

function Read-FakeSharedStorageText {
    $path = Get-FakeSharedStoragePath
    if (-not [System.IO.File]::Exists($path)) { return $null }
    return [System.IO.File]::ReadAllText($path)
}

function Merge-FakeSharedStorage {
    # Adds the shared disks to $State.vhds; remembers them as read (for Save-FakeSharedStorage).
    param($State)
    $text = Read-FakeSharedStorageText
    if ($null -eq $text) { return }
    $shared = ConvertFrom-Json -InputObject $text -AsHashtable -Depth 64
    $seen = [System.Collections.Generic.List[string]]::new()
    foreach ($vhd in @($shared.vhds)) {
        if ($null -eq $vhd -or -not (Test-FakeSharedStoragePath -State $State -Path ([string]$vhd.path))) { continue }
        $State.vhds.Add($vhd)
        $seen.Add((ConvertTo-Json -InputObject $vhd -Depth 32 -Compress))
    }
    $State['sharedStorageRead'] = $seen.ToArray()
}

function Save-FakeSharedStorage {
    # Applies this call's changes of shared disks to the shared document; returns the state's
    # disks without the shared ones (what belongs in the host's file), or $null when the hosts
    # share nothing. $State itself is left as it is: a behaviour may write while it walks the list.
    param($State)
    if (-not $State.Contains('sharedStorageRead')) { return $null }
    $before = @{}
    foreach ($json in @($State.sharedStorageRead)) { $v = ConvertFrom-Json -InputObject $json -AsHashtable; $before[([string]$v.path).ToLowerInvariant()] = $json }
    $after = @{}
    $own = [System.Collections.Generic.List[object]]::new()
    foreach ($vhd in @($State.vhds)) {
        if (Test-FakeSharedStoragePath -State $State -Path ([string]$vhd.path)) { $after[([string]$vhd.path).ToLowerInvariant()] = $vhd } else { $own.Add($vhd) }
    }
    $changed = @{}
    $seen = [System.Collections.Generic.List[string]]::new()
    foreach ($key in $after.Keys) {
        $json = ConvertTo-Json -InputObject $after[$key] -Depth 32 -Compress
        $seen.Add($json)
        if ($before[$key] -ne $json) { $changed[$key] = $after[$key] }
    }
    # What the shared document holds after this write: the base of the next write of this call.
    $State['sharedStorageRead'] = $seen.ToArray()
    $removed = @($before.Keys | Where-Object { -not $after.ContainsKey($_) })
    if ($changed.Count -gt 0 -or $removed.Count -gt 0) {
        $shared = ConvertFrom-Json -InputObject (Read-FakeSharedStorageText) -AsHashtable -Depth 64
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($vhd in @($shared.vhds)) {
            if ($null -eq $vhd) { continue }
            $key = ([string]$vhd.path).ToLowerInvariant()
            if ($removed -contains $key -or $changed.ContainsKey($key)) { continue }
            $list.Add($vhd)
        }
        foreach ($key in $changed.Keys) { $list.Add($changed[$key]) }
        $shared.vhds = $list.ToArray()
        $path = Get-FakeSharedStoragePath
        $tmp = $path + '.' + $PID + '.tmp'
        [System.IO.File]::WriteAllText($tmp, (ConvertTo-Json -InputObject $shared -Depth 64))
        [System.IO.File]::Move($tmp, $path, $true)
    }
    return , $own
}
