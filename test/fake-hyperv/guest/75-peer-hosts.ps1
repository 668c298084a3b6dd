# Guests on the fake's other hosts. A guest reaches computers on other Hyper-V hosts over the
# network as it reaches those beside it: New-Cluster validates every node it is given wherever
# the node runs (https://learn.microsoft.com/powershell/module/failoverclusters/new-cluster;
# a guest cluster across Hyper-V hosts: https://learn.microsoft.com/windows-server/failover-clustering/create-failover-cluster).
# The simulator finds guests in every host of its world (src/providers/sim/guest/guest-access.ts
# guestsNamed); the fake reads the state files of the other hosts in its state file's folder
# (the end-to-end run keeps every host there), read-only.

function Get-FakePeerStates {
    $own = [System.IO.Path]::GetFullPath((Get-FakeStatePath))
    $folder = [System.IO.Path]::GetDirectoryName($own)
    foreach ($file in [System.IO.Directory]::EnumerateFiles($folder, '*.json')) {
        if ([string]::Equals([System.IO.Path]::GetFullPath($file), $own, [System.StringComparison]::Ordinal)) { continue }
        if ([System.IO.Path]::GetFileName($file) -eq 'shared-storage.json') { continue }
        try { $state = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($file)) -AsHashtable -Depth 64 } catch { continue }
        if ($state -is [System.Collections.IDictionary] -and $state.format -eq 'labform-fake-hyperv/1') { $state }
    }
}

function Find-FakeGuestByComputerName {
    # The VM whose guest has this computer name: on this host first, then on the other hosts.
    param($State, [string]$ComputerName)
    $n = $ComputerName.ToUpperInvariant()
    foreach ($s in @(@($State) + @(Get-FakePeerStates))) {
        foreach ($vm in @($s.vms)) {
            if ($null -ne $vm.guest -and ([string]$vm.guest.computerName).ToUpperInvariant() -eq $n) { return $vm }
        }
    }
    return $null
}
