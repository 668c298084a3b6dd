# Fake behaviours: switches, VM network adapters, host addresses, WinNAT.

function Test-FakePrefixOverlap {
    # Two IPv4 prefixes overlap when they agree on the shorter prefix's bits.
    param([string]$A, [string]$B)
    $pa = $A.Split('/'); $pb = $B.Split('/')
    $len = [math]::Min([int]$pa[1], [int]$pb[1])
    $toInt = { param($ip) $bytes = ([System.Net.IPAddress]::Parse($ip)).GetAddressBytes(); [array]::Reverse($bytes); [uint64][System.BitConverter]::ToUInt32($bytes, 0) }
    $block = [uint64][math]::Pow(2, 32 - $len)
    return [math]::Floor((& $toInt $pa[0]) / $block) -eq [math]::Floor((& $toInt $pb[0]) / $block)
}

Register-FakeCmdlet -Name 'Get-VMSwitch' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($s in $State.switches) {
        if ($Bound.ContainsKey('Name') -and $s.name -notlike [string]$Bound.Name) { continue }
        # A switch carries no adapter NAME, only interface descriptions: NetAdapterInterfaceDescription
        # for a plain external switch (empty for Switch Embedded Teaming), NetAdapterInterfaceDescriptions
        # listing every team member, EmbeddedTeamingEnabled telling which. Sources: HyperVDsc
        # source/DSCResources/DSC_VMSwitch/DSC_VMSwitch.psm1 (Get-TargetResource reads one or the other
        # by EmbeddedTeamingEnabled), taliesins/terraform-provider-hyperv api/hyperv-winrm/vm_switch.go.
        $descriptions = @($s.adapterDescriptions | Where-Object { $_ })
        $single = $null
        if (-not $s.embeddedTeaming -and $descriptions.Count -gt 0) { $single = [string]$descriptions[0] }
        [pscustomobject]@{ Name = $s.name; Id = [guid]$s.id; SwitchType = $s.type; Notes = $s.notes; NetAdapterInterfaceDescription = $single; NetAdapterInterfaceDescriptions = [string[]]$descriptions; EmbeddedTeamingEnabled = [bool]$s.embeddedTeaming; AllowManagementOS = [bool]$s.allowManagementOS }
    }
}

function Get-FakeHostNicName {
    <#
    The name of the host's own virtual adapter of a switch shared with the management OS:
    'vEthernet (<switch>)' as New-VMSwitch makes it. It is a name of its own (Rename-NetAdapter and
    Rename-VMNetworkAdapter -ManagementOS rename it; Microsoft Learn, Rename-VMNetworkAdapter:
    "renames a virtual network adapter on a virtual machine or on the management operating
    system"), so Rename-VMSwitch leaves it as it was; hostNicName records it once it differs.
    #>
    param($Switch)
    if ($Switch.Contains('hostNicName') -and $Switch.hostNicName) { return [string]$Switch.hostNicName }
    return 'vEthernet (' + [string]$Switch.name + ')'
}

function Get-FakeNetAdapterList {
    # The host's adapters: the physical ones, then (without -Physical) one virtual adapter per switch shared with the management OS.
    param($State, [bool]$Physical)
    $list = @()
    foreach ($nic in $State.netAdapters) { $list += [pscustomobject]@{ Name = [string]$nic.name; InterfaceDescription = [string]$nic.interfaceDescription; Status = 'Up'; Physical = $true; Source = $nic } }
    if ($Physical) { return $list }
    $n = 0
    foreach ($s in $State.switches) {
        if (-not $s.allowManagementOS) { continue }
        $n++
        $description = 'Hyper-V Virtual Ethernet Adapter'
        if ($n -gt 1) { $description += ' #' + $n }
        $list += [pscustomobject]@{ Name = (Get-FakeHostNicName -Switch $s); InterfaceDescription = $description; Status = 'Up'; Physical = $false; Source = $s }
    }
    return $list
}

Register-FakeCmdlet -Name 'Get-NetAdapter' -ReadOnly -ScriptBlock {
    # The host's adapters, found by name or by interface description (both take lists and
    # wildcards); -Physical leaves out the virtual ones (Microsoft Learn, Get-NetAdapter: "-Physical
    # indicates that the cmdlet gets only physical network adapters"). No match is an ObjectNotFound
    # error that -ErrorAction SilentlyContinue silences (HyperVDsc DSC_VMSwitch.psm1 relies on
    # exactly that for an adapter gone from the host).
    param($Bound, $Set, $State)
    $physical = $Bound.ContainsKey('Physical') -and [bool]$Bound.Physical
    $found = @()
    foreach ($nic in (Get-FakeNetAdapterList -State $State -Physical $physical)) {
        $hit = $true
        if ($Bound.ContainsKey('Name')) { $hit = @(@($Bound.Name) | Where-Object { $nic.Name -like [string]$_ }).Count -gt 0 }
        if ($Bound.ContainsKey('InterfaceDescription')) { $hit = $hit -and @(@($Bound.InterfaceDescription) | Where-Object { $nic.InterfaceDescription -like [string]$_ }).Count -gt 0 }
        if ($hit) { $found += [pscustomobject]@{ Name = $nic.Name; InterfaceDescription = $nic.InterfaceDescription; Status = 'Up' } }
    }
    if ($found.Count -eq 0 -and ($Bound.ContainsKey('Name') -or $Bound.ContainsKey('InterfaceDescription'))) {
        $quiet = $Bound.ContainsKey('ErrorAction') -and @('SilentlyContinue', 'Ignore') -contains [string]$Bound.ErrorAction
        if ($quiet) { return }
        $key = 'Name'; $value = @($Bound.Name) -join ','
        if ($Bound.ContainsKey('InterfaceDescription')) { $key = 'InterfaceDescription'; $value = @($Bound.InterfaceDescription) -join ',' }
        Invoke-FakeError -Message ("No MSFT_NetAdapter objects found with property '" + $key + "' equal to '" + $value + "'.  Verify the value of the property and retry.") -ErrorId ('CmdletizationQuery_NotFound_' + $key + ',Get-NetAdapter') -Category ObjectNotFound -Target $value -ExceptionType 'System.InvalidOperationException'
    }
    $found
}

Register-FakeCmdlet -Name 'Rename-NetAdapter' -ScriptBlock {
    # Renames a host adapter; its IP configuration stays with it (the addresses follow the new
    # alias). Only the ByName set labform uses is modelled.
    param($Bound, $Set, $State)
    $newName = [string]$Bound.NewName
    $all = @(Get-FakeNetAdapterList -State $State -Physical $false)
    $targets = @($all | Where-Object { $nic = $_; @(@($Bound.Name) | Where-Object { $nic.Name -like [string]$_ }).Count -gt 0 })
    if ($targets.Count -eq 0) {
        $value = @($Bound.Name) -join ','
        Invoke-FakeError -Message ("No MSFT_NetAdapter objects found with property 'Name' equal to '" + $value + "'.  Verify the value of the property and retry.") -ErrorId 'CmdletizationQuery_NotFound_Name,Rename-NetAdapter' -Category ObjectNotFound -Target $value -ExceptionType 'System.InvalidOperationException'
    }
    if (@($all | Where-Object { $_.Name -eq $newName }).Count -gt 0) {
        Invoke-FakeError -Message 'The object already exists.' -ErrorId 'Windows System Error 5010,Rename-NetAdapter' -Category ResourceExists -Target $newName -ExceptionType 'Microsoft.Management.Infrastructure.CimException'
    }
    $nic = $targets[0]
    $oldName = $nic.Name
    if ($nic.Physical) { $nic.Source.name = $newName } else { $nic.Source.hostNicName = $newName }
    foreach ($a in $State.hostAddresses) { if ($a.interfaceAlias -eq $oldName) { $a.interfaceAlias = $newName } }
}

Register-FakeCmdlet -Name 'New-VMSwitch' -ScriptBlock {
    param($Bound, $Set, $State)
    $name = [string]$Bound.Name
    if (@($State.switches | Where-Object { $_.name -eq $name }).Count -gt 0) {
        Invoke-FakeError -Message ("Failed while adding virtual Ethernet switch connections. A virtual switch named '" + $name + "' already exists.") -ErrorId 'ObjectAlreadyExists,Microsoft.HyperV.PowerShell.Commands.NewVMSwitch' -Category ResourceExists -Target $name
    }
    $switch = [ordered]@{ id = (New-FakeId -State $State); name = $name; notes = [string]$Bound.Notes; adapterNames = @(); adapterDescriptions = @(); embeddedTeaming = $false; allowManagementOS = $false; type = 'Private' }
    if ($Set -eq 'SwitchType') {
        $switch.type = [string]$Bound.SwitchType
        if ($switch.type -eq 'External') { Invoke-FakeError -Message 'An external switch needs a network adapter (-NetAdapterName).' -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVMSwitch' -Category InvalidArgument -Target $name }
        $switch.allowManagementOS = ($switch.type -eq 'Internal')
    } else {
        # Several adapters (or -EnableEmbeddedTeaming) make a Switch Embedded Teaming switch
        # (Microsoft Learn: New-VMSwitch, -EnableEmbeddedTeaming; taliesins vm_switch.go passes NetAdapterName as a list).
        $names = @($Bound.NetAdapterName)
        $teaming = $names.Count -gt 1 -or ($Bound.ContainsKey('EnableEmbeddedTeaming') -and [bool]$Bound.EnableEmbeddedTeaming)
        $descriptions = @()
        foreach ($adapterName in $names) {
            $nic = @($State.netAdapters | Where-Object { $_.name -eq $adapterName })[0]
            if (-not $nic) {
                Invoke-FakeError -Message ("No network adapter is found with name '" + $adapterName + "'.") -ErrorId 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.NewVMSwitch' -Category ObjectNotFound -Target $adapterName
            }
            if (@($State.switches | Where-Object { @($_.adapterNames) -contains $adapterName }).Count -gt 0) {
                Invoke-FakeError -Message ("Failed while adding virtual Ethernet switch connections. External Ethernet adapter '" + $adapterName + "' is already bound to the Microsoft Virtual Switch protocol.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.NewVMSwitch' -Category InvalidOperation -Target $adapterName
            }
            $descriptions += [string]$nic.interfaceDescription
        }
        $switch.type = 'External'
        $switch.adapterNames = $names
        $switch.adapterDescriptions = $descriptions
        $switch.embeddedTeaming = $teaming
        $switch.allowManagementOS = $true
        if ($Bound.ContainsKey('AllowManagementOS')) { $switch.allowManagementOS = [bool]$Bound.AllowManagementOS }
    }
    $State.switches.Add($switch)
    [pscustomobject]@{ Name = $switch.name; SwitchType = $switch.type }
}

# Remove-VMSwitch: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/remove-vmswitch
Register-FakeCmdlet -Name 'Remove-VMSwitch' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($name in @($Bound.Name)) {
        $switch = @($State.switches | Where-Object { $_.name -eq $name })[0]
        if (-not $switch) {
            Invoke-FakeError -Message ("Hyper-V was unable to find a virtual switch with name `"" + $name + "`".") -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.RemoveVMSwitch' -Category InvalidArgument -Target $name
        }
        $used = @($State.vms | ForEach-Object { $vm = $_; $vm.adapters | Where-Object { $_.switchName -eq $name } })
        if ($used.Count -gt 0) {
            Invoke-FakeError -Message ("The operation cannot be performed while the virtual switch '" + $name + "' is in use.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.RemoveVMSwitch' -Category InvalidOperation -Target $name
        }
        $alias = Get-FakeHostNicName -Switch $switch
        [void]$State.switches.Remove($switch)
        foreach ($a in @($State.hostAddresses | Where-Object { $_.interfaceAlias -eq $alias })) { [void]$State.hostAddresses.Remove($a) }
    }
}

Register-FakeCmdlet -Name 'Rename-VMSwitch' -ScriptBlock {
    <#
    Rename-VMSwitch (Microsoft Learn, Rename-VMSwitch) changes the switch's display name
    (Msvm_VirtualEthernetSwitch.ElementName); the switch's identity is a GUID (its Name,
    learn.microsoft.com/windows/win32/hyperv_v2/msvm-virtualethernetswitch) that connected VM
    adapters refer to, so they stay connected and report the new SwitchName. The host's own
    virtual adapter keeps its name (see Get-FakeHostNicName).
    #>
    param($Bound, $Set, $State)
    $switch = $null
    if ($Set -eq 'SwitchObject') { $switch = @($State.switches | Where-Object { $_.id -eq [string]$Bound.VMSwitch.Id })[0] }
    else { $switch = @($State.switches | Where-Object { $_.name -eq [string]$Bound.Name })[0] }
    if (-not $switch) {
        $name = [string]$Bound.Name
        if ($Set -eq 'SwitchObject') { $name = [string]$Bound.VMSwitch.Name }
        Invoke-FakeError -Message ("Hyper-V was unable to find a virtual switch with name `"" + $name + "`".") -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.RenameVMSwitch' -Category InvalidArgument -Target $name
    }
    $newName = [string]$Bound.NewName
    if (@($State.switches | Where-Object { $_ -ne $switch -and $_.name -eq $newName }).Count -gt 0) {
        Invoke-FakeError -Message ("Failed while renaming virtual Ethernet switch. A virtual switch named '" + $newName + "' already exists.") -ErrorId 'ObjectAlreadyExists,Microsoft.HyperV.PowerShell.Commands.RenameVMSwitch' -Category ResourceExists -Target $newName
    }
    $oldName = [string]$switch.name
    $switch.hostNicName = Get-FakeHostNicName -Switch $switch
    $switch.name = $newName
    foreach ($vm in $State.vms) { foreach ($a in $vm.adapters) { if ($a.switchName -eq $oldName) { $a.switchName = $newName } } }
    if ($Bound.ContainsKey('Passthru') -and [bool]$Bound.Passthru) { [pscustomobject]@{ Name = $newName; SwitchType = $switch.type } }
}

# Get-VMNetworkAdapter: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmnetworkadapter
Register-FakeCmdlet -Name 'Get-VMNetworkAdapter' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMNetworkAdapter')) {
        foreach ($a in $vm.adapters) {
            if ($Bound.ContainsKey('Name') -and $a.name -notlike [string]$Bound.Name) { continue }
            ConvertTo-FakeAdapterObject -Vm $vm -Adapter $a -State $State
        }
    }
}

function ConvertTo-FakeAdapterObject {
    # IPAddresses come from the guest's KVP data only while it runs (Microsoft Learn: Get-VMNetworkAdapter; KVP needs the guest's integration services).
    param($Vm, $Adapter, $State)
    $spoof = 'Off'
    if ($Adapter.spoofing) { $spoof = 'On' }
    $ips = @()
    if ($Vm.state -eq 'Running') { $ips = @($Adapter.ipAddresses) }
    # A guest on DHCP reports its lease (guest/70-dhcp-lease.ps1).
    if ($ips.Count -eq 0) { $ips = @(Get-FakeDhcpLease -State $State -Vm $Vm -Adapter $Adapter) }
    [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMNetworkAdapter'; VMName = $Vm.name; VMId = [guid]$Vm.id; Id = (Get-FakeAdapterId -Vm $Vm -Adapter $Adapter); Name = $Adapter.name; SwitchName = $Adapter.switchName; MacAddress = $Adapter.mac; DynamicMacAddressEnabled = [bool]$Adapter.dynamicMac; MacAddressSpoofing = $spoof; IPAddresses = [string[]]$ips }
}

function Get-FakeAdapterId {
    # Real ids are 'Microsoft:<VMId>\<adapter instance guid>' (HyperVDsc tests/Unit/Stubs/Hyper-V.stubs.psm1,
    # VMNetworkAdapter.Id): unique per adapter, whatever its name. Adapters from older fake states fall back to the name.
    param($Vm, $Adapter)
    $own = [string]$Adapter.id
    if (-not $own) { $own = [string]$Adapter.name }
    return 'Microsoft:' + ([string]$Vm.id).ToUpperInvariant() + '\' + $own.ToUpperInvariant()
}

function Find-FakeAdapter {
    # One adapter by name: the first of that name (callers that act on every match use Get-FakeAdapterTargets).
    param($State, $Vm, [string]$Name, [string]$Cmdlet)
    $found = @($Vm.adapters | Where-Object { $_.name -like $Name })
    if ($found.Count -eq 0) {
        Invoke-FakeError -Message ("Hyper-V was unable to find a network adapter named '" + $Name + "' on virtual machine '" + $Vm.name + "'.") -ErrorId ('ObjectNotFound,' + (Get-FakeCmdletClass $Cmdlet)) -Category ObjectNotFound -Target $Name
    }
    return $found[0]
}

function Get-FakeAdapterTargets {
    <#
    The adapters a call acts on, as (vm, adapter) pairs: -VMNetworkAdapter objects by their Id, or
    every adapter of the VM(s) whose name matches -Name / -VMNetworkAdapterName. Adapter names are
    not unique in Hyper-V (New-VM's own adapter and Add-VMNetworkAdapter without -Name are both
    "Network Adapter"), so a name can match several, and the -Name cmdlets then act on all of them.
    #>
    param($State, $Bound, [string]$Cmdlet, [string]$NameKey = 'Name')
    $pairs = @()
    if ($Bound.ContainsKey('VMNetworkAdapter')) {
        foreach ($obj in @($Bound.VMNetworkAdapter)) {
            $hit = $null
            foreach ($vm in $State.vms) { foreach ($a in $vm.adapters) { if ((Get-FakeAdapterId -Vm $vm -Adapter $a) -eq [string]$obj.Id) { $hit = , @($vm, $a) } } }
            if (-not $hit) {
                Invoke-FakeError -Message ("Hyper-V was unable to find the network adapter '" + [string]$obj.Name + "' on virtual machine '" + [string]$obj.VMName + "'.") -ErrorId ('ObjectNotFound,' + (Get-FakeCmdletClass $Cmdlet)) -Category ObjectNotFound -Target ([string]$obj.Name)
            }
            $pairs += $hit
        }
        return , $pairs
    }
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet $Cmdlet)) {
        $names = @('*')
        if ($Bound.ContainsKey($NameKey)) { $names = @($Bound[$NameKey]) }
        foreach ($n in $names) {
            $matched = @($vm.adapters | Where-Object { $_.name -like [string]$n })
            if ($matched.Count -eq 0) { $null = Find-FakeAdapter -State $State -Vm $vm -Name ([string]$n) -Cmdlet $Cmdlet }
            foreach ($a in $matched) { $pairs += , @($vm, $a) }
        }
    }
    return , $pairs
}

function New-FakeAdapter {
    <#
    A VM network adapter. A dynamic MAC is 000000000000 until the VM first starts, when Hyper-V
    takes one from the host's pool (taliesins/terraform-provider-hyperv
    api/hyperv-winrm/vm_network_adapter.go reads '000000000000' as "no address yet"); a static
    MAC is reported as set from the start.
    #>
    param($State, [string]$Name, $SwitchName, [string]$StaticMac)
    $mac = '000000000000'
    $dynamic = $true
    if ($StaticMac) { $mac = $StaticMac.Replace('-', '').Replace(':', '').ToUpperInvariant(); $dynamic = $false }
    return [ordered]@{ id = ([guid]::NewGuid().ToString().ToUpperInvariant()); name = $Name; switchName = $SwitchName; mac = $mac; dynamicMac = $dynamic; spoofing = $false; vlan = $null; ipAddresses = @() }
}

function Set-FakeDynamicMacs {
    # Called by Start-VM: dynamic adapters get their MAC from the host's pool (Microsoft's 00-15-5D range).
    param($State, $Vm)
    foreach ($a in $Vm.adapters) {
        if ($a.dynamicMac -and $a.mac -eq '000000000000') {
            $State.seq = [int]$State.seq + 1
            $a.mac = '00155D' + ('{0:X6}' -f [int]$State.seq)
        }
    }
}

function Assert-FakeSwitch {
    param($State, [string]$Name, [string]$Cmdlet)
    if (@($State.switches | Where-Object { $_.name -eq $Name }).Count -eq 0) {
        Invoke-FakeError -Message ("Hyper-V was unable to find a virtual switch with name `"" + $Name + "`".") -ErrorId ('InvalidParameter,' + (Get-FakeCmdletClass $Cmdlet)) -Category InvalidArgument -Target $Name
    }
}

# Add-VMNetworkAdapter: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/add-vmnetworkadapter
Register-FakeCmdlet -Name 'Add-VMNetworkAdapter' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Add-VMNetworkAdapter')) {
        # Without -Name the adapter is called "Network Adapter", like New-VM's own; names may repeat.
        $name = 'Network Adapter'
        if ($Bound.ContainsKey('Name')) { $name = [string]$Bound.Name }
        $switchName = $null
        if ($Bound.ContainsKey('SwitchName')) { $switchName = [string]$Bound.SwitchName; Assert-FakeSwitch -State $State -Name $switchName -Cmdlet 'Add-VMNetworkAdapter' }
        if ($vm.generation -eq 1 -and $vm.state -ne 'Off') { Assert-FakeVmOff -Vm $vm -Cmdlet 'Add-VMNetworkAdapter' -Device 'Network Adapter' }
        $static = $null
        if ($Bound.ContainsKey('StaticMacAddress')) { $static = [string]$Bound.StaticMacAddress }
        $adapter = New-FakeAdapter -State $State -Name $name -SwitchName $switchName -StaticMac $static
        $vm.adapters.Add($adapter)
        if ($vm.state -eq 'Running') { Set-FakeDynamicMacs -State $State -Vm $vm }
        if ($Bound.ContainsKey('Passthru') -and $Bound.Passthru) { ConvertTo-FakeAdapterObject -Vm $vm -Adapter $adapter }
    }
}

# Set-VMNetworkAdapter: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/set-vmnetworkadapter
Register-FakeCmdlet -Name 'Set-VMNetworkAdapter' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($pair in (Get-FakeAdapterTargets -State $State -Bound $Bound -Cmdlet 'Set-VMNetworkAdapter')) {
        $adapter = $pair[1]
        if ($Bound.ContainsKey('MacAddressSpoofing')) { $adapter.spoofing = ([string]$Bound.MacAddressSpoofing -eq 'On') }
        if ($Bound.ContainsKey('StaticMacAddress')) { $adapter.mac = ([string]$Bound.StaticMacAddress).Replace('-', '').ToUpperInvariant(); $adapter.dynamicMac = $false }
    }
}

# Get-VMNetworkAdapterVlan: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmnetworkadaptervlan
Register-FakeCmdlet -Name 'Get-VMNetworkAdapterVlan' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $pairs = @()
    if ($Bound.ContainsKey('VMNetworkAdapter')) {
        $byId = @{}
        foreach ($v in $State.vms) { $byId[([string]$v.id).ToLowerInvariant()] = $v }
        foreach ($obj in @($Bound.VMNetworkAdapter)) {
            # An adapter object names its VM by id (names can repeat on a real host).
            $vm = $null
            if ($obj.VMId) { $vm = $byId[([string]$obj.VMId).ToLowerInvariant()] }
            if (-not $vm) { $vm = Find-FakeVm -State $State -Name ([string]$obj.VMName) -Cmdlet 'Get-VMNetworkAdapterVlan' }
            $own = @($vm.adapters | Where-Object { (Get-FakeAdapterId -Vm $vm -Adapter $_) -eq [string]$obj.Id })
            if ($own.Count -eq 0) { $own = @(Find-FakeAdapter -State $State -Vm $vm -Name ([string]$obj.Name) -Cmdlet 'Get-VMNetworkAdapterVlan') }
            $pairs += , @($vm, $own[0])
        }
    } else {
        foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMNetworkAdapterVlan')) {
            foreach ($a in $vm.adapters) {
                if ($Bound.ContainsKey('VMNetworkAdapterName') -and $a.name -ne [string]$Bound.VMNetworkAdapterName) { continue }
                $pairs += , @($vm, $a)
            }
        }
    }
    foreach ($pair in $pairs) {
        $a = $pair[1]
        $mode = 'Untagged'; $id = 0
        if ($null -ne $a.vlan) { $mode = 'Access'; $id = [int]$a.vlan }
        # Like the real VMNetworkAdapterVlanSetting: the adapter it belongs to (ParentAdapter) names the VM.
        $parent = [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMNetworkAdapter'; VMName = $pair[0].name; VMId = [guid]$pair[0].id; Id = (Get-FakeAdapterId -Vm $pair[0] -Adapter $a); Name = $a.name }
        [pscustomobject]@{ ParentAdapter = $parent; OperationMode = $mode; AccessVlanId = $id }
    }
}

# Set-VMNetworkAdapterVlan: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/set-vmnetworkadaptervlan
Register-FakeCmdlet -Name 'Set-VMNetworkAdapterVlan' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($pair in (Get-FakeAdapterTargets -State $State -Bound $Bound -Cmdlet 'Set-VMNetworkAdapterVlan' -NameKey 'VMNetworkAdapterName')) {
        $adapter = $pair[1]
        if ($Bound.ContainsKey('Access') -and $Bound.Access) {
            if (-not $Bound.ContainsKey('VlanId')) { Invoke-FakeError -Message 'The VlanId parameter is required with -Access.' -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMNetworkAdapterVlan' -Category InvalidArgument }
            $adapter.vlan = [int]$Bound.VlanId
        } elseif ($Bound.ContainsKey('Untagged') -and $Bound.Untagged) {
            $adapter.vlan = $null
        }
    }
}

# Connect-VMNetworkAdapter: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/connect-vmnetworkadapter
Register-FakeCmdlet -Name 'Connect-VMNetworkAdapter' -ScriptBlock {
    param($Bound, $Set, $State)
    Assert-FakeSwitch -State $State -Name ([string]$Bound.SwitchName) -Cmdlet 'Connect-VMNetworkAdapter'
    foreach ($pair in (Get-FakeAdapterTargets -State $State -Bound $Bound -Cmdlet 'Connect-VMNetworkAdapter')) {
        $pair[1].switchName = [string]$Bound.SwitchName
    }
}

# Remove-VMNetworkAdapter: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/remove-vmnetworkadapter
Register-FakeCmdlet -Name 'Remove-VMNetworkAdapter' -ScriptBlock {
    # -VMName/-Name removes EVERY adapter of that name (names are not unique); -VMNetworkAdapter exactly those objects.
    param($Bound, $Set, $State)
    foreach ($pair in (Get-FakeAdapterTargets -State $State -Bound $Bound -Cmdlet 'Remove-VMNetworkAdapter')) {
        $vm = $pair[0]
        if ($vm.generation -eq 1 -and $vm.state -ne 'Off') { Assert-FakeVmOff -Vm $vm -Cmdlet 'Remove-VMNetworkAdapter' -Device 'Network Adapter' }
        [void]$vm.adapters.Remove($pair[1])
    }
}

# Get-NetIPAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/get-netipaddress
Register-FakeCmdlet -Name 'Get-NetIPAddress' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($a in $State.hostAddresses) {
        if ($Bound.ContainsKey('InterfaceAlias') -and @($Bound.InterfaceAlias) -notcontains $a.interfaceAlias) { continue }
        if ($Bound.ContainsKey('IPAddress') -and @($Bound.IPAddress) -notcontains $a.address) { continue }
        [pscustomobject]@{ InterfaceAlias = $a.interfaceAlias; IPAddress = $a.address; PrefixLength = [byte]$a.prefixLength; AddressFamily = 'IPv4' }
    }
}

# New-NetIPAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/new-netipaddress
Register-FakeCmdlet -Name 'New-NetIPAddress' -ScriptBlock {
    param($Bound, $Set, $State)
    $alias = [string]$Bound.InterfaceAlias
    $exists = (@($State.netAdapters | Where-Object { $_.name -eq $alias }).Count -gt 0) -or (@($State.switches | Where-Object { $_.allowManagementOS -and (Get-FakeHostNicName -Switch $_) -eq $alias }).Count -gt 0)
    if (-not $exists) {
        Invoke-FakeError -Message ("No matching MSFT_NetIPInterface objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetIPInterface class on the  CIM server: SELECT * FROM MSFT_NetIPInterface  WHERE ((InterfaceAlias LIKE '" + $alias + "'))") -ErrorId ('CmdletizationQuery_NotFound_InterfaceAlias,New-NetIPAddress') -Category ObjectNotFound -Target $alias -ExceptionType 'System.InvalidOperationException'
    }
    $parsed = $null
    if (-not [System.Net.IPAddress]::TryParse([string]$Bound.IPAddress, [ref]$parsed)) {
        Invoke-FakeError -Message 'The parameter is incorrect.' -ErrorId 'Windows System Error 87,New-NetIPAddress' -Category InvalidArgument -Target ([string]$Bound.IPAddress) -ExceptionType 'System.InvalidOperationException'
    }
    $address = [string]$Bound.IPAddress
    if (@($State.hostAddresses | Where-Object { $_.address -eq $address }).Count -gt 0) {
        Invoke-FakeError -Message 'The object already exists.' -ErrorId 'Windows System Error 5010,New-NetIPAddress' -Category ResourceExists -Target $address -ExceptionType 'System.InvalidOperationException'
    }
    $prefix = 32
    if ($Bound.ContainsKey('PrefixLength')) { $prefix = [int]$Bound.PrefixLength }
    $State.hostAddresses.Add([ordered]@{ interfaceAlias = $alias; address = $address; prefixLength = $prefix })
    [pscustomobject]@{ InterfaceAlias = $alias; IPAddress = $address; PrefixLength = $prefix }
}

# Remove-NetIPAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/remove-netipaddress
Register-FakeCmdlet -Name 'Remove-NetIPAddress' -ScriptBlock {
    param($Bound, $Set, $State)
    $found = @($State.hostAddresses | Where-Object {
        (-not $Bound.ContainsKey('InterfaceAlias') -or @($Bound.InterfaceAlias) -contains $_.interfaceAlias) -and
        (-not $Bound.ContainsKey('IPAddress') -or @($Bound.IPAddress) -contains $_.address) })
    if ($found.Count -eq 0) {
        Invoke-FakeError -Message ("No matching MSFT_NetIPAddress objects found by CIM query for instances of the ROOT/StandardCimv2/MSFT_NetIPAddress class on the  CIM server: SELECT * FROM MSFT_NetIPAddress  WHERE ((IPAddress LIKE '" + (@($Bound.IPAddress) -join ',') + "')) AND ((InterfaceAlias LIKE '" + (@($Bound.InterfaceAlias) -join ',') + "'))") -ErrorId 'CmdletizationQuery_NotFound_IPAddress,Remove-NetIPAddress' -Category ObjectNotFound -ExceptionType 'System.InvalidOperationException'
    }
    foreach ($a in $found) { [void]$State.hostAddresses.Remove($a) }
}

# Get-NetNat: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/netnat/get-netnat
Register-FakeCmdlet -Name 'Get-NetNat' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($n in $State.nats) {
        if ($Bound.ContainsKey('Name') -and @($Bound.Name) -notcontains $n.name) { continue }
        [pscustomobject]@{ Name = $n.name; InternalIPInterfaceAddressPrefix = $n.internalPrefix; Active = $true }
    }
}

Register-FakeCmdlet -Name 'New-NetNat' -ScriptBlock {
    param($Bound, $Set, $State)
    $name = [string]$Bound.Name
    $prefix = [string]$Bound.InternalIPInterfaceAddressPrefix
    # WinNAT holds one internal prefix per host and answers any second one with this generic text
    # (Microsoft Learn, Hyper-V on Windows "Set up a NAT network": one NAT internal prefix per host).
    if ($State.nats.Count -gt 0) {
        Invoke-FakeError -Message 'The parameter is incorrect.' -ErrorId 'Windows System Error 87,New-NetNat' -Category InvalidArgument -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    foreach ($a in $State.hostAddresses) {
        $own = $false
        # Only an internal switch's virtual NIC may hold the prefix (the NAT's gateway), as in the
        # simulator (src/model/hyperv-rules.ts hostAddressBlocksNatPrefix).
        foreach ($s in $State.switches) { if ((Get-FakeHostNicName -Switch $s) -eq $a.interfaceAlias -and $s.type -eq 'Internal') { $own = $true } }
        if (-not $own -and (Test-FakePrefixOverlap -A $prefix -B ($a.address + '/' + $a.prefixLength))) {
            Invoke-FakeError -Message 'The parameter is incorrect.' -ErrorId 'Windows System Error 87,New-NetNat' -Category InvalidArgument -Target $name -ExceptionType 'System.InvalidOperationException'
        }
    }
    $State.nats.Add([ordered]@{ name = $name; internalPrefix = $prefix })
    [pscustomobject]@{ Name = $name; InternalIPInterfaceAddressPrefix = $prefix }
}

Register-FakeCmdlet -Name 'Remove-NetNat' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($name in @($Bound.Name)) {
        $nat = @($State.nats | Where-Object { $_.name -eq $name })[0]
        if (-not $nat) {
            Invoke-FakeError -Message ("No MSFT_NetNat objects found with property 'Name' equal to '" + $name + "'.  Verify the value of the property and retry.") -ErrorId 'CmdletizationQuery_NotFound_Name,Remove-NetNat' -Category ObjectNotFound -Target $name -ExceptionType 'System.InvalidOperationException'
        }
        [void]$State.nats.Remove($nat)
        foreach ($m in @($State.natMappings | Where-Object { $_.nat -eq $name })) { [void]$State.natMappings.Remove($m) }
    }
}

# Get-NetNatStaticMapping: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/netnat/get-netnatstaticmapping
Register-FakeCmdlet -Name 'Get-NetNatStaticMapping' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($m in $State.natMappings) {
        if ($Bound.ContainsKey('NatName') -and @($Bound.NatName) -notcontains $m.nat) { continue }
        [pscustomobject]@{ StaticMappingID = [uint32]$m.id; NatName = $m.nat; Protocol = $m.protocol; ExternalIPAddress = $m.externalAddress; ExternalPort = [uint16]$m.externalPort; InternalIPAddress = $m.internalAddress; InternalPort = [uint16]$m.internalPort }
    }
}

# Add-NetNatStaticMapping: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/netnat/add-netnatstaticmapping
Register-FakeCmdlet -Name 'Add-NetNatStaticMapping' -ScriptBlock {
    param($Bound, $Set, $State)
    $natName = [string]$Bound.NatName
    if (@($State.nats | Where-Object { $_.name -eq $natName }).Count -eq 0) {
        Invoke-FakeError -Message ("No MSFT_NetNat objects found with property 'Name' equal to '" + $natName + "'.  Verify the value of the property and retry.") -ErrorId 'CmdletizationQuery_NotFound_Name,Add-NetNatStaticMapping' -Category ObjectNotFound -Target $natName -ExceptionType 'System.InvalidOperationException'
    }
    $protocol = ([string]$Bound.Protocol).ToUpperInvariant()
    $port = [int]$Bound.ExternalPort
    if (@($State.natMappings | Where-Object { $_.protocol -eq $protocol -and [int]$_.externalPort -eq $port }).Count -gt 0) {
        Invoke-FakeError -Message 'The object already exists.' -ErrorId 'Windows System Error 5010,Add-NetNatStaticMapping' -Category ResourceExists -Target $natName -ExceptionType 'System.InvalidOperationException'
    }
    $nat = @($State.nats | Where-Object { $_.name -eq $natName })[0]
    $internal = [string]$Bound.InternalIPAddress
    $parsed = $null
    $inside = [System.Net.IPAddress]::TryParse($internal, [ref]$parsed) -and $internal.Contains('.') -and (Test-FakePrefixOverlap -A $nat.internalPrefix -B ($internal + '/32'))
    if (-not $inside) {
        Invoke-FakeError -Message 'The parameter is incorrect.' -ErrorId 'Windows System Error 87,Add-NetNatStaticMapping' -Category InvalidArgument -Target $internal -ExceptionType 'System.InvalidOperationException'
    }
    $State.seq = [int]$State.seq + 1
    $m = [ordered]@{ id = [int]$State.seq; nat = $natName; protocol = $protocol; externalAddress = [string]$Bound.ExternalIPAddress; externalPort = $port; internalAddress = [string]$Bound.InternalIPAddress; internalPort = [int]$Bound.InternalPort }
    $State.natMappings.Add($m)
    [pscustomobject]@{ StaticMappingID = [uint32]$m.id; NatName = $natName; Protocol = $protocol; ExternalPort = $port }
}

# Remove-NetNatStaticMapping: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/netnat/remove-netnatstaticmapping
Register-FakeCmdlet -Name 'Remove-NetNatStaticMapping' -ScriptBlock {
    param($Bound, $Set, $State)
    $found = @($State.natMappings | Where-Object {
        (-not $Bound.ContainsKey('NatName') -or @($Bound.NatName) -contains $_.nat) -and
        (-not $Bound.ContainsKey('StaticMappingID') -or @($Bound.StaticMappingID | ForEach-Object { [int]$_ }) -contains [int]$_.id) })
    if ($found.Count -eq 0) {
        Invoke-FakeError -Message "No MSFT_NetNatStaticMapping objects found with property 'StaticMappingID' equal to the given value.  Verify the value of the property and retry." -ErrorId 'CmdletizationQuery_NotFound_StaticMappingID,Remove-NetNatStaticMapping' -Category ObjectNotFound -ExceptionType 'System.InvalidOperationException'
    }
    foreach ($m in $found) { [void]$State.natMappings.Remove($m) }
}
