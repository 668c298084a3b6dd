# Fake guest cmdlets: DNS zones, SMB shares, DHCP, iSCSI target, failover cluster (test code).

function Assert-FakeFeature {
    param($Guest, [string]$Feature, [string]$Cmdlet)
    if (@($Guest.features | Where-Object { $_ -eq $Feature }).Count -eq 0) {
        Throw-FakeError -Message ("The term '" + $Cmdlet + "' is not recognized: the " + $Feature + ' feature is not installed in this guest.') -ErrorId 'CommandNotFoundException' -Category ObjectNotFound -Target $Cmdlet -ExceptionType 'System.InvalidOperationException'
    }
}

# Add-DnsServerConditionalForwarderZone: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dnsserver/add-dnsserverconditionalforwarderzone
Register-FakeGuestCmdlet -Name 'Add-DnsServerConditionalForwarderZone' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-DnsServerConditionalForwarderZone'
    Assert-FakeFeature -Guest $c.guest -Feature 'DNS' -Cmdlet 'Add-DnsServerConditionalForwarderZone'
    $name = [string]$Bound.Name
    if (@($c.guest.dnsZones | Where-Object { $_.name -eq $name }).Count -gt 0) {
        Throw-FakeError -Message ('Failed to create zone ' + $name + ' on server ' + $c.guest.computerName + '. The zone already exists.') -ErrorId 'WIN32 9609,Add-DnsServerConditionalForwarderZone' -Category ResourceExists -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.dnsZones = @($c.guest.dnsZones) + @([ordered]@{ name = $name; type = 'Forwarder'; masterServers = @($Bound.MasterServers | ForEach-Object { [string]$_ }) })
}

# Get-DnsServerZone: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dnsserver/get-dnsserverzone
Register-FakeGuestCmdlet -Name 'Get-DnsServerZone' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-DnsServerZone'
    $zones = @($c.guest.dnsZones)
    if ($c.guest.dc -and -not $c.guest.dc.noDns) { $zones += @(@{ name = $c.guest.dc.domain; type = 'Primary'; masterServers = @() }) }
    foreach ($name in @($Bound.Name)) {
        if ($null -eq $name) { continue }
        $found = @($zones | Where-Object { $_.name -eq [string]$name })
        if ($found.Count -eq 0) {
            Throw-FakeError -Message ('The zone ' + $name + ' was not found on server ' + $c.guest.computerName + '.') -ErrorId 'WIN32 9601,Get-DnsServerZone' -Category ObjectNotFound -Target $name -ExceptionType 'System.InvalidOperationException'
        }
        $zones = $found
    }
    foreach ($z in $zones) { [pscustomobject]@{ ZoneName = $z.name; ZoneType = $z.type; MasterServers = @($z.masterServers) } }
}

# New-SmbShare: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/smbshare/new-smbshare
# Its access entries: -FullAccess, -ChangeAccess, -ReadAccess allow their accounts Full, Change,
# Read and -NoAccess denies (the reference's parameter descriptions); with none of them the share
# gets Everyone Read (ComputerManagementDsc, DSC_SmbShare README: "If all the access permission
# parameters are removed, then by design, the cmdlet New-SmbShare will add the *Everyone* group
# with read access permission"); with -FullAccess only those accounts (Microsoft Learn,
# Get-SmbShareAccess example 1: the share of New-SmbShare example 1 lists its two Full entries).
Register-FakeGuestCmdlet -Name 'New-SmbShare' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-SmbShare'
    $name = [string]$Bound.Name
    if (@($c.guest.shares | Where-Object { $_.name -eq $name }).Count -gt 0) {
        Throw-FakeError -Message 'The name has already been shared.' -ErrorId 'Windows System Error 2118,New-SmbShare' -Category ResourceExists -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath (ConvertTo-FakeGuestPath -Path ([string]$Bound.Path)))) {
        Throw-FakeError -Message 'The system cannot find the file specified.' -ErrorId 'Windows System Error 2,New-SmbShare' -Category ObjectNotFound -Target $Bound.Path -ExceptionType 'System.InvalidOperationException'
    }
    $access = @()
    foreach ($entry in @(@('FullAccess', 'Allow', 'Full'), @('ChangeAccess', 'Allow', 'Change'), @('ReadAccess', 'Allow', 'Read'), @('NoAccess', 'Deny', 'Full'))) {
        foreach ($account in @($Bound[$entry[0]] | Where-Object { $_ })) { $access += @([ordered]@{ account = [string]$account; type = $entry[1]; right = $entry[2] }) }
    }
    if ($access.Count -eq 0) { $access = @([ordered]@{ account = 'Everyone'; type = 'Allow'; right = 'Read' }) }
    $c.guest.shares = @($c.guest.shares) + @([ordered]@{ name = $name; path = [string]$Bound.Path; access = $access })
    [pscustomobject]@{ Name = $name; Path = [string]$Bound.Path }
}

function Get-FakeShare {
    # The guest's share of that name; a name not shared fails as Get-SmbShare does.
    param($Guest, [string]$Name, [string]$Cmdlet)
    $share = @($Guest.shares | Where-Object { $_.name -eq $Name }) | Select-Object -First 1
    if ($null -eq $share) {
        Throw-FakeError -Message ("No MSFT_SMBShare objects found with property 'Name' equal to '" + $Name + "'.") -ErrorId ('CmdletizationQuery_NotFound_Name,' + $Cmdlet) -Category ObjectNotFound -Target $Name -ExceptionType 'System.InvalidOperationException'
    }
    return $share
}

function ConvertTo-FakeShareAccess {
    # MSFT_SmbShareAccessControlEntry (Microsoft Learn, "MSFT_SmbShareAccessControlEntry class"):
    # one object per entry of the share's security descriptor, as Get-SmbShareAccess shows it.
    param($Share)
    foreach ($e in @($Share.access)) {
        [pscustomobject]@{ Name = [string]$Share.name; ScopeName = '*'; AccountName = [string]$e.account; AccessControlType = [string]$e.type; AccessRight = [string]$e.right }
    }
}

# Get-SmbShare: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/smbshare/get-smbshare
Register-FakeGuestCmdlet -Name 'Get-SmbShare' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-SmbShare'
    $shares = @($c.guest.shares)
    if ($Bound.ContainsKey('Name')) {
        $shares = @($shares | Where-Object { @($Bound.Name) -contains $_.name })
        if ($shares.Count -eq 0) {
            Throw-FakeError -Message ("No MSFT_SMBShare objects found with property 'Name' equal to '" + (@($Bound.Name) -join ', ') + "'.") -ErrorId 'CmdletizationQuery_NotFound_Name,Get-SmbShare' -Category ObjectNotFound -Target $Bound.Name -ExceptionType 'System.InvalidOperationException'
        }
    }
    foreach ($s in $shares) { [pscustomobject]@{ Name = $s.name; Path = $s.path } }
}

# Get-SmbShareAccess: the share's ACL, one entry per account and right (Microsoft Learn,
# "Get-SmbShareAccess": Name, ScopeName, AccountName, AccessControlType, AccessRight); a name not
# shared fails as Get-SmbShare does (both query MSFT_SmbShare by Name).
Register-FakeGuestCmdlet -Name 'Get-SmbShareAccess' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-SmbShareAccess'
    foreach ($name in @($Bound.Name)) { ConvertTo-FakeShareAccess -Share (Get-FakeShare -Guest $c.guest -Name ([string]$name) -Cmdlet 'Get-SmbShareAccess') }
}

# Grant-SmbShareAccess: "adds an allow access control entry (ACE) for a trustee" with -AccessRight
# Full, Change or Read, and shows the share's ACL (Microsoft Learn, "Grant-SmbShareAccess",
# examples 1 and 2); an entry the account already has is not added twice.
Register-FakeGuestCmdlet -Name 'Grant-SmbShareAccess' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Grant-SmbShareAccess'
    foreach ($name in @($Bound.Name)) {
        $share = Get-FakeShare -Guest $c.guest -Name ([string]$name) -Cmdlet 'Grant-SmbShareAccess'
        foreach ($account in @($Bound.AccountName)) {
            $has = @($share.access | Where-Object { $_.account -eq [string]$account -and $_.type -eq 'Allow' -and $_.right -eq [string]$Bound.AccessRight })
            if ($has.Count -eq 0) { $share.access = @($share.access) + @([ordered]@{ account = [string]$account; type = 'Allow'; right = [string]$Bound.AccessRight }) }
        }
        ConvertTo-FakeShareAccess -Share $share
    }
}

# Revoke-SmbShareAccess: "removes all of the allow ACEs for a trustee" (deny entries stay) and
# shows the share's ACL (Microsoft Learn, "Revoke-SmbShareAccess", examples 1 and 2).
Register-FakeGuestCmdlet -Name 'Revoke-SmbShareAccess' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Revoke-SmbShareAccess'
    $accounts = @($Bound.AccountName | ForEach-Object { [string]$_ })
    foreach ($name in @($Bound.Name)) {
        $share = Get-FakeShare -Guest $c.guest -Name ([string]$name) -Cmdlet 'Revoke-SmbShareAccess'
        $share.access = @($share.access | Where-Object { -not ($_.type -eq 'Allow' -and $accounts -contains $_.account) })
        ConvertTo-FakeShareAccess -Share $share
    }
}

Register-FakeGuestCmdlet -Name 'Remove-SmbShare' -ScriptBlock {
    # Microsoft Learn, SmbShare "Remove-SmbShare": deletes the share (the folder stays); a name
    # that is not shared fails as Get-SmbShare does.
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Remove-SmbShare'
    $names = @($Bound.Name | ForEach-Object { [string]$_ })
    if (@($c.guest.shares | Where-Object { $names -contains $_.name }).Count -eq 0) {
        Throw-FakeError -Message ("No MSFT_SMBShare objects found with property 'Name' equal to '" + ($names -join ', ') + "'.") -ErrorId 'CmdletizationQuery_NotFound_Name,Remove-SmbShare' -Category ObjectNotFound -Target $Bound.Name -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.shares = @($c.guest.shares | Where-Object { $names -notcontains $_.name })
}

Register-FakeGuestCmdlet -Name 'Remove-DhcpServerv4Scope' -ScriptBlock {
    # Microsoft Learn, DhcpServer "Remove-DhcpServerv4Scope": deletes the scopes (-Force: even
    # with active leases); a scope that does not exist fails as Get-DhcpServerv4Scope does.
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Remove-DhcpServerv4Scope'
    Assert-FakeFeature -Guest $c.guest -Feature 'DHCP' -Cmdlet 'Remove-DhcpServerv4Scope'
    $ids = @($Bound.ScopeId | ForEach-Object { [string]$_ })
    if (@($c.guest.dhcpScopes | Where-Object { $ids -contains $_.scopeId }).Count -eq 0) {
        Throw-FakeError -Message ('Failed to delete scope ' + ($ids -join ', ') + ' on DHCP server ' + $c.guest.computerName + '. The specified DHCP scope does not exist.') -ErrorId 'DHCP 20022,Remove-DhcpServerv4Scope' -Category ObjectNotFound -Target $Bound.ScopeId -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.dhcpScopes = @($c.guest.dhcpScopes | Where-Object { $ids -notcontains $_.scopeId })
}

# Add-DhcpServerv4Scope: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dhcpserver/add-dhcpserverv4scope
Register-FakeGuestCmdlet -Name 'Add-DhcpServerv4Scope' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-DhcpServerv4Scope'
    Assert-FakeFeature -Guest $c.guest -Feature 'DHCP' -Cmdlet 'Add-DhcpServerv4Scope'
    $mask = [System.Net.IPAddress]::Parse([string]$Bound.SubnetMask).GetAddressBytes()
    $start = [System.Net.IPAddress]::Parse([string]$Bound.StartRange).GetAddressBytes()
    $id = @(0, 1, 2, 3 | ForEach-Object { $start[$_] -band $mask[$_] }) -join '.'
    if (@($c.guest.dhcpScopes | Where-Object { $_.scopeId -eq $id }).Count -gt 0) {
        Throw-FakeError -Message ('Failed to add scope ' + $id + ' on DHCP server ' + $c.guest.computerName + '. The specified IPv4 subnet already exists on the DHCP server.') -ErrorId 'DHCP 20010,Add-DhcpServerv4Scope' -Category ResourceExists -Target $id -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.dhcpScopes = @($c.guest.dhcpScopes) + @([ordered]@{ scopeId = $id; name = [string]$Bound.Name; start = [string]$Bound.StartRange; end = [string]$Bound.EndRange; subnetMask = [string]$Bound.SubnetMask; state = [string]$Bound.State })
}

# Get-DhcpServerv4Scope: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dhcpserver/get-dhcpserverv4scope
Register-FakeGuestCmdlet -Name 'Get-DhcpServerv4Scope' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-DhcpServerv4Scope'
    $scopes = @($c.guest.dhcpScopes)
    if ($Bound.ContainsKey('ScopeId')) {
        $scopes = @($scopes | Where-Object { @($Bound.ScopeId | ForEach-Object { [string]$_ }) -contains $_.scopeId })
        if ($scopes.Count -eq 0) {
            Throw-FakeError -Message ('Failed to get scope ' + (@($Bound.ScopeId) -join ', ') + ' on DHCP server ' + $c.guest.computerName + '. The specified DHCP scope does not exist.') -ErrorId 'DHCP 20022,Get-DhcpServerv4Scope' -Category ObjectNotFound -Target $Bound.ScopeId -ExceptionType 'System.InvalidOperationException'
        }
    }
    foreach ($s in $scopes) { [pscustomobject]@{ ScopeId = $s.scopeId; Name = $s.name; StartRange = $s.start; EndRange = $s.end; SubnetMask = $s.subnetMask; State = $s.state } }
}

Register-FakeGuestCmdlet -Name 'Set-DhcpServerv4OptionValue' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-DhcpServerv4OptionValue'
    $id = [string]$Bound.ScopeId
    if ($id -and @($c.guest.dhcpScopes | Where-Object { $_.scopeId -eq $id }).Count -eq 0) {
        Throw-FakeError -Message ('Failed to set option value on scope ' + $id + '. The specified DHCP scope does not exist.') -ErrorId 'DHCP 20022,Set-DhcpServerv4OptionValue' -Category ObjectNotFound -Target $id -ExceptionType 'System.InvalidOperationException'
    }
    # Without -Force the cmdlet checks that each DNS server answers and fails otherwise (Microsoft
    # Learn, Set-DhcpServerv4OptionValue -Force: "Specifies that the DNS server validation is
    # skipped"). A DNS server here is a running guest with the DNS feature and that address.
    if (-not ($Bound.ContainsKey('Force') -and $Bound.Force)) {
        foreach ($dns in @($Bound.DnsServer | Where-Object { $_ })) {
            $answering = @($State.vms | Where-Object { $_.state -eq 'Running' -and $_.guest -and @($_.guest.features) -contains 'DNS' -and @($_.adapters | ForEach-Object { @($_.ipAddresses) }) -contains [string]$dns })
            if ($answering.Count -eq 0) {
                Throw-FakeError -Message ('The DNS server ' + $dns + ' is not a valid DNS server.') -ErrorId 'DHCP 20093,Set-DhcpServerv4OptionValue' -Category InvalidArgument -Target ([string]$dns) -ExceptionType 'System.InvalidOperationException'
            }
        }
    }
    $entry = [ordered]@{ scopeId = $id; router = @($Bound.Router | ForEach-Object { [string]$_ }); dnsServer = @($Bound.DnsServer | ForEach-Object { [string]$_ }); dnsDomain = [string]$Bound.DnsDomain }
    $c.guest.dhcpOptions = @($c.guest.dhcpOptions | Where-Object { $_.scopeId -ne $id }) + @($entry)
}

# Add-DhcpServerInDC: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dhcpserver/add-dhcpserverindc
Register-FakeGuestCmdlet -Name 'Add-DhcpServerInDC' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-DhcpServerInDC'
    $domain = $c.guest.domain
    $dcVm = $null
    if ($domain) { $dcVm = Find-FakeDomainDc -State $State -Domain $domain }
    if ($null -eq $dcVm -or -not (Test-FakeAdAnswering -Vm $dcVm)) {
        Throw-FakeError -Message ('Failed to add DHCP server ' + $Bound.DnsName + ' to the list of authorized servers in the directory. The DHCP server is not a member of a domain, or the domain cannot be contacted.') -ErrorId 'DHCP 20070,Add-DhcpServerInDC' -Category InvalidOperation -Target $Bound.DnsName -ExceptionType 'System.InvalidOperationException'
    }
    $dir = $dcVm.guest.dc
    $name = [string]$Bound.DnsName
    if (@($dir.dhcpServers | Where-Object { $_.dnsName -eq $name }).Count -eq 0) { $dir.dhcpServers = @($dir.dhcpServers) + @([ordered]@{ dnsName = $name; address = [string]$Bound.IPAddress }) }
}

# Get-DhcpServerInDC: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dhcpserver/get-dhcpserverindc
Register-FakeGuestCmdlet -Name 'Get-DhcpServerInDC' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-DhcpServerInDC'
    if (-not $c.guest.domain) { return }
    $dir = Get-FakeDirectory -State $State -Domain $c.guest.domain
    foreach ($s in @($dir.dhcpServers)) { if ($null -ne $s) { [pscustomobject]@{ DnsName = $s.dnsName; IPAddress = $s.address } } }
}

function Find-FakeIscsiTarget {
    param($Guest, [string]$Name)
    foreach ($t in @($Guest.iscsiTargets)) { if ($t.name -eq $Name) { return $t } }
    return $null
}

function ConvertTo-FakeIscsiTarget {
    param($Target)
    [pscustomobject]@{ TargetName = $Target.name; InitiatorIds = @($Target.initiatorIds); LunMappings = @($Target.paths | ForEach-Object { [pscustomobject]@{ Path = $_ } }) }
}

# New-IscsiVirtualDisk: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/iscsitarget/new-iscsivirtualdisk
Register-FakeGuestCmdlet -Name 'New-IscsiVirtualDisk' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-IscsiVirtualDisk'
    Assert-FakeFeature -Guest $c.guest -Feature 'FS-iSCSITarget-Server' -Cmdlet 'New-IscsiVirtualDisk'
    $path = [string]$Bound.Path
    if (@($c.guest.iscsiDisks | Where-Object { $_.path -eq $path }).Count -gt 0) {
        Throw-FakeError -Message ('The file ' + $path + ' already exists.') -ErrorId 'NewIscsiVirtualDisk,Microsoft.Iscsi.Target.Commands.NewIscsiVirtualDiskCommand' -Category ResourceExists -Target $path -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.iscsiDisks = @($c.guest.iscsiDisks) + @([ordered]@{ path = $path; size = [long]$Bound.SizeBytes })
    [pscustomobject]@{ Path = $path; Size = [long]$Bound.SizeBytes }
}

# Get-IscsiVirtualDisk: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/iscsitarget/get-iscsivirtualdisk
Register-FakeGuestCmdlet -Name 'Get-IscsiVirtualDisk' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-IscsiVirtualDisk'
    foreach ($d in @($c.guest.iscsiDisks)) {
        if ($Bound.ContainsKey('Path') -and $d.path -ne [string]$Bound.Path) { continue }
        [pscustomobject]@{ Path = $d.path; Size = [long]$d.size }
    }
}

# New-IscsiServerTarget: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/iscsitarget/new-iscsiservertarget
Register-FakeGuestCmdlet -Name 'New-IscsiServerTarget' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-IscsiServerTarget'
    Assert-FakeFeature -Guest $c.guest -Feature 'FS-iSCSITarget-Server' -Cmdlet 'New-IscsiServerTarget'
    $name = [string]$Bound.TargetName
    if ($null -ne (Find-FakeIscsiTarget -Guest $c.guest -Name $name)) {
        Throw-FakeError -Message ('The target ' + $name + ' already exists.') -ErrorId 'NewIscsiServerTarget,Microsoft.Iscsi.Target.Commands.NewIscsiServerTargetCommand' -Category ResourceExists -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    $t = [ordered]@{ name = $name; initiatorIds = @($Bound.InitiatorIds | ForEach-Object { [string]$_ }); paths = @() }
    $c.guest.iscsiTargets = @($c.guest.iscsiTargets) + @($t)
    ConvertTo-FakeIscsiTarget -Target $t
}

# Set-IscsiServerTarget: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/iscsitarget/set-iscsiservertarget
Register-FakeGuestCmdlet -Name 'Set-IscsiServerTarget' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-IscsiServerTarget'
    $t = Find-FakeIscsiTarget -Guest $c.guest -Name ([string]$Bound.TargetName)
    if ($null -eq $t) {
        Throw-FakeError -Message ('The target ' + $Bound.TargetName + ' does not exist.') -ErrorId 'SetIscsiServerTarget,Microsoft.Iscsi.Target.Commands.SetIscsiServerTargetCommand' -Category ObjectNotFound -Target $Bound.TargetName -ExceptionType 'System.InvalidOperationException'
    }
    if ($Bound.ContainsKey('InitiatorIds')) { $t.initiatorIds = @($Bound.InitiatorIds | ForEach-Object { [string]$_ }) }
}

# Get-IscsiServerTarget: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/iscsitarget/get-iscsiservertarget
Register-FakeGuestCmdlet -Name 'Get-IscsiServerTarget' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-IscsiServerTarget'
    foreach ($t in @($c.guest.iscsiTargets)) {
        if ($Bound.ContainsKey('TargetName') -and $t.name -ne [string]$Bound.TargetName) { continue }
        ConvertTo-FakeIscsiTarget -Target $t
    }
}

# Add-IscsiVirtualDiskTargetMapping: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/iscsitarget/add-iscsivirtualdisktargetmapping
Register-FakeGuestCmdlet -Name 'Add-IscsiVirtualDiskTargetMapping' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-IscsiVirtualDiskTargetMapping'
    $t = Find-FakeIscsiTarget -Guest $c.guest -Name ([string]$Bound.TargetName)
    $path = [string]$Bound.Path
    if ($null -eq $t -or @($c.guest.iscsiDisks | Where-Object { $_.path -eq $path }).Count -eq 0) {
        Throw-FakeError -Message ('The target ' + $Bound.TargetName + ' or the virtual disk ' + $path + ' does not exist.') -ErrorId 'AddIscsiVirtualDiskTargetMapping,Microsoft.Iscsi.Target.Commands.AddIscsiVirtualDiskTargetMappingCommand' -Category ObjectNotFound -Target $path -ExceptionType 'System.InvalidOperationException'
    }
    if (@($t.paths) -notcontains $path) { $t.paths = @($t.paths) + @($path) }
}

function Get-FakeClusterOf {
    # The cluster a guest is a node of (kept with the node that created it).
    param($State, $Guest)
    foreach ($vm in $State.vms) {
        $cl = $vm.guest.cluster
        if ($null -ne $cl -and (@($cl.nodes) -contains ([string]$Guest.computerName).ToUpperInvariant())) { return $cl }
    }
    return $null
}

# New-Cluster: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/new-cluster
Register-FakeGuestCmdlet -Name 'New-Cluster' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-Cluster'
    Assert-FakeFeature -Guest $c.guest -Feature 'Failover-Clustering' -Cmdlet 'New-Cluster'
    $nodes = @($Bound.Node | ForEach-Object { ([string]$_).ToUpperInvariant() })
    $domain = $c.guest.domain
    foreach ($n in $nodes) {
        # A node may run on another Hyper-V host (guest/75-peer-hosts.ps1).
        $vm = Find-FakeGuestByComputerName -State $State -ComputerName $n
        if ($null -eq $vm -or -not $domain -or $vm.guest.domain -ne $domain -or @($vm.guest.features | Where-Object { $_ -eq 'Failover-Clustering' }).Count -eq 0) {
            Throw-FakeError -Message ('There was an error validating node ' + $n + ': it must be joined to the same domain and have the Failover-Clustering feature installed.') -ErrorId 'NewCluster,Microsoft.FailoverClusters.PowerShell.NewClusterCommand' -Category InvalidOperation -Target $n -ExceptionType 'System.InvalidOperationException'
        }
    }
    $c.guest.cluster = [ordered]@{ name = [string]$Bound.Name; nodes = $nodes; address = @($Bound.StaticAddress)[0]; witness = $null; disks = @(); csv = @() }
    [pscustomobject]@{ Name = [string]$Bound.Name }
}

# Get-Cluster: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/get-cluster
Register-FakeGuestCmdlet -Name 'Get-Cluster' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-Cluster'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    if ($null -eq $cl) {
        Throw-FakeError -Message 'The cluster service is not running. Make sure that the service is running on all nodes in the cluster.' -ErrorId 'Get-Cluster,Microsoft.FailoverClusters.PowerShell.GetClusterCommand' -Category ConnectionError -Target $c.guest.computerName -ExceptionType 'System.InvalidOperationException'
    }
    [pscustomobject]@{ Name = $cl.name }
}

# Get-ClusterAvailableDisk: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/get-clusteravailabledisk
Register-FakeGuestCmdlet -Name 'Get-ClusterAvailableDisk' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-ClusterAvailableDisk'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    # Shared disks attached to the VM on SCSI with persistent reservations, not yet clustered.
    $i = 0
    foreach ($d in $c.vm.disks) {
        if (-not $d.supportPersistentReservations) { continue }
        $i++
        if ($null -ne $cl -and @($cl.disks | Where-Object { $_.path -eq $d.path }).Count -gt 0) { continue }
        # Size: the virtual disk's size (the attachment carries none; the guest sees the disk the file holds).
        $file = Find-FakeVhd -State $State -Path ([string]$d.path)
        [pscustomobject]@{ Name = ('Cluster Disk ' + $i); Path = $d.path; Size = [long]$file.size }
    }
}

# Add-ClusterDisk: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/add-clusterdisk
Register-FakeGuestCmdlet -Name 'Add-ClusterDisk' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-ClusterDisk'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    foreach ($d in @($Bound.InputObject)) {
        $index = @($cl.disks).Count + 1
        $cl.disks = @($cl.disks) + @([ordered]@{ name = ('Cluster Disk ' + $index); path = [string]$d.Path; size = [long]$d.Size })
        ConvertTo-FakeClusterResource -Name ('Cluster Disk ' + $index) -VmName $c.vm.name
    }
}

function ConvertTo-FakeClusterResource {
    <#
    A Physical Disk cluster resource: Name, ResourceType, State, OwnerGroup; no Size (that is
    Get-ClusterAvailableDisk's; Microsoft Learn, Get-ClusterResource output ClusterResource).
    Its Name can be set, which renames the resource (MSLab "Hyper-V with Shared Storage"
    Scenario.ps1: $clusterDisk.Name = $volumename).
    #>
    param([string]$Name, [string]$VmName)
    $resource = [pscustomobject]@{ ResourceType = 'Physical Disk'; State = 'Online'; OwnerGroup = 'Available Storage'; FakeName = $Name; FakeVm = $VmName }
    $resource | Add-Member -MemberType ScriptProperty -Name Name -Value { $this.FakeName } -SecondValue { param($new) Rename-FakeClusterResource -VmName $this.FakeVm -Name $this.FakeName -NewName ([string]$new); $this.FakeName = [string]$new }
    return $resource
}

function Rename-FakeClusterResource {
    param([string]$VmName, [string]$Name, [string]$NewName)
    # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        $vm = Find-FakeVm -State $state -Name $VmName
        $cl = Get-FakeClusterOf -State $state -Guest (Get-FakeGuestOf -Vm $vm)
        foreach ($d in @($cl.disks)) { if ($d.name -eq $Name) { $d.name = $NewName } }
        if ($cl.witness -and $cl.witness.disk -eq $Name) { $cl.witness.disk = $NewName }
        $cl.csv = @(@($cl.csv) | ForEach-Object { if ($_ -eq $Name) { $NewName } else { $_ } })
        Write-FakeState -State $state
    } finally {
        Exit-FakeStateLock
    }
}

# Get-ClusterResource: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/get-clusterresource
Register-FakeGuestCmdlet -Name 'Get-ClusterResource' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-ClusterResource'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    if ($null -eq $cl) { return }
    foreach ($d in @($cl.disks)) { ConvertTo-FakeClusterResource -Name $d.name -VmName $c.vm.name }
}

# Set-ClusterQuorum: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/set-clusterquorum
Register-FakeGuestCmdlet -Name 'Set-ClusterQuorum' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-ClusterQuorum'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    if ($Bound.ContainsKey('DiskWitness')) {
        $name = [string]$Bound.DiskWitness
        if (@($cl.disks | Where-Object { $_.name -eq $name }).Count -eq 0) {
            Throw-FakeError -Message ("The cluster resource '" + $name + "' could not be found.") -ErrorId 'SetClusterQuorum,Microsoft.FailoverClusters.PowerShell.SetClusterQuorumCommand' -Category ObjectNotFound -Target $name -ExceptionType 'System.InvalidOperationException'
        }
        $cl.witness = [ordered]@{ disk = $name }
    }
    elseif ($Bound.ContainsKey('FileShareWitness')) { $cl.witness = [ordered]@{ share = [string]$Bound.FileShareWitness } }
}

Register-FakeGuestCmdlet -Name 'Add-ClusterSharedVolume' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-ClusterSharedVolume'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    $name = [string]$Bound.Name
    if (@($cl.disks | Where-Object { $_.name -eq $name }).Count -eq 0) {
        Throw-FakeError -Message ("The cluster resource '" + $name + "' could not be found.") -ErrorId 'AddClusterSharedVolume,Microsoft.FailoverClusters.PowerShell.AddClusterSharedVolumeCommand' -Category ObjectNotFound -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    # The disk witness cannot be a Cluster Shared Volume (Microsoft Learn, "Configure and manage
    # quorum": a disk witness is a dedicated small disk, not a CSV).
    if ($cl.witness -and $cl.witness.disk -eq $name) {
        Throw-FakeError -Message ("The cluster resource '" + $name + "' is the quorum witness and cannot be added to Cluster Shared Volumes.") -ErrorId 'AddClusterSharedVolume,Microsoft.FailoverClusters.PowerShell.AddClusterSharedVolumeCommand' -Category InvalidOperation -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    if (@($cl.csv) -notcontains $name) { $cl.csv = @($cl.csv) + @($name) }
}

Register-FakeGuestCmdlet -Name 'Get-ClusterSharedVolume' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-ClusterSharedVolume'
    $cl = Get-FakeClusterOf -State $State -Guest $c.guest
    if ($null -eq $cl) { return }
    foreach ($n in @($cl.csv)) { [pscustomobject]@{ Name = $n } }
}
