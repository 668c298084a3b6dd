# What a guest on DHCP reports through KVP (Get-VMNetworkAdapter IPAddresses): the lease it got.
#
# Hyper-V reports the addresses the guest's integration services (the KVP daemon on Linux,
# hv_kvp_daemon) hand over, whatever configured them (Get-VMNetworkAdapter, IPAddresses:
# https://learn.microsoft.com/powershell/module/hyper-v/get-vmnetworkadapter; "Data Exchange"
# in https://learn.microsoft.com/virtualization/hyper-v-on-windows/reference/integration-services).
# A guest on DHCP reports nothing until its heartbeat is up (the daemons run), then its lease:
# - on an external switch, from the physical network's DHCP server: an address in the host's
#   own subnet (the switch bridges the guest onto that network);
# - on another switch, from a running DHCP server guest with a scope on a switch the guest shares.
# The address inside the range is picked from the MAC, as the simulator does
# (src/providers/sim/guest/guest-model.ts reportedAddresses), so both report the same lease.

function ConvertTo-FakeIPv4Number {
    param([string]$Address)
    $b = ([System.Net.IPAddress]::Parse($Address)).GetAddressBytes()
    return ([long]$b[0] * 16777216) + ([long]$b[1] * 65536) + ([long]$b[2] * 256) + [long]$b[3]
}

function Get-FakeLeasePick {
    param([string]$Start, [string]$End, [string]$Mac)
    $a = ConvertTo-FakeIPv4Number $Start
    $b = ConvertTo-FakeIPv4Number $End
    $span = [math]::Max([long]1, $b - $a + 1)
    $n = $a + ([Convert]::ToInt64($Mac.Substring($Mac.Length - 4), 16) % $span)
    return ('{0}.{1}.{2}.{3}' -f (($n -shr 24) -band 255), (($n -shr 16) -band 255), (($n -shr 8) -band 255), ($n -band 255))
}

function Get-FakeDhcpLease {
    # The lease of one adapter, or nothing (not booted, static, no DHCP server on its switch).
    param($State, $Vm, $Adapter)
    if ($null -eq $State -or $Vm.state -ne 'Running' -or -not $Adapter.switchName) { return }
    if ((Get-FakeHeartbeat -Vm $Vm).primary -ne 'OK') { return }
    $mac = [string]$Adapter.mac
    if ($Vm.guest -and $Vm.guest.networks -and $Vm.guest.networks.Contains($mac) -and -not $Vm.guest.networks[$mac].dhcp) { return }
    $switch = @($State.switches | Where-Object { $_.name -eq $Adapter.switchName })[0]
    if ($null -ne $switch -and [string]$switch.type -eq 'External') {
        $eth = @($State.hostAddresses | Where-Object { -not ([string]$_.interfaceAlias).StartsWith('vEthernet') -or $_.interfaceAlias -eq ('vEthernet (' + $switch.name + ')') })[0]
        if ($null -eq $eth) { return }
        $base = (([string]$eth.address).Split('.')[0..2]) -join '.'
        return (Get-FakeLeasePick -Start ($base + '.100') -End ($base + '.199') -Mac $mac)
    }
    foreach ($server in $State.vms) {
        if ($server.name -eq $Vm.name -or $server.state -ne 'Running' -or $null -eq $server.guest -or @($server.guest.dhcpScopes).Count -eq 0) { continue }
        if (@($server.adapters | Where-Object { $_.switchName -eq $Adapter.switchName }).Count -eq 0) { continue }
        $scope = @($server.guest.dhcpScopes)[0]
        return (Get-FakeLeasePick -Start ([string]$scope.start) -End ([string]$scope.end) -Mac $mac)
    }
}
