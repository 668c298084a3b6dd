# Fake guest cmdlets: identity, network, features, restarts, local files (test code).

# Which features Windows knows and which ask for a restart after Install-WindowsFeature
# (RestartNeeded): labform's one table, src/model/windows-features.json, where each entry cites
# Microsoft's documentation of the install; the simulator reads the same table
# (test/contract/feature-restarts.test.ts holds both to it). Name -> restart needed.
$script:FakeKnownFeatures = @{}
# Each feature's name as Windows spells it, looked up whatever the caller's case (a hashtable's keys are case-insensitive).
$script:FakeFeatureNames = @{}
$fakeFeatureTable = Join-Path $PSScriptRoot '../../../src/model/windows-features.json'
foreach ($p in (ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($fakeFeatureTable))).features.PSObject.Properties) {
    $script:FakeKnownFeatures[$p.Name] = ([int]$p.Value.restarts -gt 0)
    $script:FakeFeatureNames[$p.Name] = $p.Name
}

Register-FakeGuestCmdlet -Name 'Get-CimInstance' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $class = [string]$Bound.ClassName
    if ($class -ne 'Win32_ComputerSystem') {
        Throw-FakeError -Message ("fake guest: Get-CimInstance is faked for Win32_ComputerSystem only, not " + $class) -ErrorId 'FakeNotImplemented,Get-CimInstance' -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-CimInstance'
    $g = $c.guest
    $domain = 'WORKGROUP'
    if ($g.domain) { $domain = [string]$g.domain }
    [pscustomobject]@{ Name = $g.computerName; Domain = $domain; PartOfDomain = [bool]$g.domain; DomainRole = [int]$g.domainRole; Workgroup = $(if ($g.domain) { $null } else { 'WORKGROUP' }) }
}

Register-FakeGuestCmdlet -Name 'Rename-Computer' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Rename-Computer'
    $name = [string]$Bound.NewName
    if ($name.Length -gt 15 -or $name -notmatch '^[A-Za-z0-9-]+$' -or $name -match '^[0-9]+$') {
        Throw-FakeError -Message ("Skip computer '" + $c.guest.computerName + "' with new name '" + $name + "' because the new name is not valid. The new computer name entered is not properly formatted. Standard names may contain letters (a-z, A-Z), numbers (0-9), and hyphens (-), but no spaces or periods (.). The name may not consist entirely of digits, and may not be longer than 63 characters.") -ErrorId 'InvalidNewName,Microsoft.PowerShell.Commands.RenameComputerCommand' -Category InvalidArgument -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.pendingName = $name
    if ($Bound.ContainsKey('Restart') -and $Bound.Restart) { Restart-FakeGuest -State $State -Vm $c.vm }
}

Register-FakeGuestCmdlet -Name 'Restart-Computer' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Restart-Computer'
    Restart-FakeGuest -State $State -Vm $c.vm
}

# Set-LocalUser: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/microsoft.powershell.localaccounts/set-localuser
Register-FakeGuestCmdlet -Name 'Set-LocalUser' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-LocalUser'
    $user = [string]$Bound.Name
    if ($Bound.ContainsKey('Password')) {
        $c.guest.localAdmin = @{ user = $user; password = (New-FakePasswordHash -Password (ConvertFrom-FakeSecure $Bound.Password)) }
    }
}

function ConvertTo-FakeNetAdapter {
    param($Vm, $Adapter, [int]$Index)
    $mac = [string]$Adapter.mac
    $dashed = ($mac -replace '(..)(?!$)', '$1-')
    [pscustomobject]@{ Name = ('Ethernet' + $(if ($Index -gt 0) { ' ' + ($Index + 1) } else { '' })); InterfaceDescription = 'Microsoft Hyper-V Network Adapter'; ifIndex = [uint32](10 + $Index); InterfaceIndex = [uint32](10 + $Index); MacAddress = $dashed; Status = $(if ($Adapter.switchName) { 'Up' } else { 'Disconnected' }) }
}

function Get-FakeGuestAdapters {
    param($Vm)
    $i = 0
    foreach ($a in $Vm.adapters) { ConvertTo-FakeNetAdapter -Vm $Vm -Adapter $a -Index $i; $i++ }
}

function Find-FakeGuestMacByIndex {
    param($Vm, $Index)
    foreach ($n in (Get-FakeGuestAdapters -Vm $Vm)) { if ([int]$n.ifIndex -eq [int]$Index) { return ([string]$n.MacAddress -replace '-', '') } }
    Throw-FakeError -Message ("No MSFT_NetAdapter objects found with property 'InterfaceIndex' equal to '" + $Index + "'. Verify the value of the property and retry.") -ErrorId 'CmdletizationQuery_NotFound_InterfaceIndex' -Category ObjectNotFound -Target $Index -ExceptionType 'System.InvalidOperationException'
}

# Get-NetAdapter: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/netadapter/get-netadapter
Register-FakeGuestCmdlet -Name 'Get-NetAdapter' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-NetAdapter'
    Get-FakeGuestAdapters -Vm $c.vm
}

function Get-FakeNetworkCategory {
    # The network profile of one guest adapter: DomainAuthenticated once the guest is in a domain
    # (NLA authenticates to a DC), else what was set, else Public, Windows' category for a network
    # it cannot identify (Microsoft Learn, Set-NetConnectionProfile; Windows Server 2025 guests on
    # a lab switch stay there, which blocks WinRM, SMB and ping in the firewall).
    param($Guest, [string]$Mac)
    if ($Guest.domain -or $Guest.dc) { return 'DomainAuthenticated' }
    $net = Get-FakeGuestNetwork -Guest $Guest -Mac $Mac
    if ($net.Contains('category') -and $net.category) { return [string]$net.category }
    return 'Public'
}

Register-FakeGuestCmdlet -Name 'Get-NetConnectionProfile' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-NetConnectionProfile'
    foreach ($n in (Get-FakeGuestAdapters -Vm $c.vm)) {
        if ($n.Status -ne 'Up') { continue }
        if ($Bound.ContainsKey('InterfaceIndex') -and @($Bound.InterfaceIndex | ForEach-Object { [int]$_ }) -notcontains [int]$n.ifIndex) { continue }
        $mac = [string]$n.MacAddress -replace '-', ''
        [pscustomobject]@{ Name = 'Unidentified network'; InterfaceAlias = $n.Name; InterfaceIndex = [uint32]$n.ifIndex; NetworkCategory = (Get-FakeNetworkCategory -Guest $c.guest -Mac $mac); IPv4Connectivity = 'LocalNetwork' }
    }
}

# Set-NetConnectionProfile: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/netconnection/set-netconnectionprofile
Register-FakeGuestCmdlet -Name 'Set-NetConnectionProfile' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-NetConnectionProfile'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    # DomainAuthenticated is NLA's to give, never a value one can set.
    if ([string]$Bound.NetworkCategory -eq 'DomainAuthenticated' -or (Get-FakeNetworkCategory -Guest $c.guest -Mac $mac) -eq 'DomainAuthenticated') {
        Throw-FakeError -Message 'Unable to set NetworkCategory to ''DomainAuthenticated''. This NetworkCategory type will be set automatically when authenticated to a domain network.' -ErrorId 'MI RESULT 1,Set-NetConnectionProfile' -Category InvalidArgument -Target $mac -ExceptionType 'System.InvalidOperationException'
    }
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    $net.category = [string]$Bound.NetworkCategory
}

# Set-NetIPInterface: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/set-netipinterface
Register-FakeGuestCmdlet -Name 'Set-NetIPInterface' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-NetIPInterface'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    if ($Bound.ContainsKey('Dhcp')) {
        $net.dhcp = ([string]$Bound.Dhcp -eq 'Enabled')
        if ($net.dhcp) { $net.addresses = @(); $net.gateway = $null }
    }
    Update-FakeKvp -Vm $c.vm -Mac $mac
}

# Get-NetIPInterface: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/get-netipinterface
Register-FakeGuestCmdlet -Name 'Get-NetIPInterface' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-NetIPInterface'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    [pscustomobject]@{ InterfaceIndex = [uint32](@($Bound.InterfaceIndex)[0]); AddressFamily = 'IPv4'; Dhcp = $(if ($net.dhcp) { 'Enabled' } else { 'Disabled' }) }
}

# Get-NetIPAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/get-netipaddress
Register-FakeGuestCmdlet -Name 'Get-NetIPAddress' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-NetIPAddress'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    foreach ($a in @($net.addresses)) { [pscustomobject]@{ IPAddress = [string]$a.address; PrefixLength = [byte]$a.prefixLength; InterfaceIndex = [uint32](@($Bound.InterfaceIndex)[0]); AddressFamily = 'IPv4' } }
}

# New-NetIPAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/new-netipaddress
Register-FakeGuestCmdlet -Name 'New-NetIPAddress' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-NetIPAddress'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    $address = [string]$Bound.IPAddress
    if (@($net.addresses | Where-Object { $_.address -eq $address }).Count -gt 0) {
        Throw-FakeError -Message 'Instance MSFT_NetIPAddress already exists' -ErrorId 'Windows System Error 87,New-NetIPAddress' -Category InvalidArgument -Target $address -ExceptionType 'System.InvalidOperationException'
    }
    if ($Bound.ContainsKey('DefaultGateway')) {
        if ($net.gateway) {
            Throw-FakeError -Message 'Instance DefaultGateway already exists' -ErrorId 'Windows System Error 87,New-NetIPAddress' -Category InvalidArgument -Target $address -ExceptionType 'System.InvalidOperationException'
        }
        $net.gateway = [string]$Bound.DefaultGateway
    }
    $net.addresses = @($net.addresses) + @([ordered]@{ address = $address; prefixLength = [int]$Bound.PrefixLength })
    Update-FakeKvp -Vm $c.vm -Mac $mac
    [pscustomobject]@{ IPAddress = $address; PrefixLength = [byte]$Bound.PrefixLength }
}

# Remove-NetIPAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/remove-netipaddress
Register-FakeGuestCmdlet -Name 'Remove-NetIPAddress' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Remove-NetIPAddress'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    $net.addresses = @($net.addresses | Where-Object { $_.address -ne [string]$Bound.IPAddress })
    Update-FakeKvp -Vm $c.vm -Mac $mac
}

# Get-NetRoute: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/get-netroute
Register-FakeGuestCmdlet -Name 'Get-NetRoute' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-NetRoute'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    if ($net.gateway) { [pscustomobject]@{ DestinationPrefix = '0.0.0.0/0'; NextHop = [string]$net.gateway; InterfaceIndex = [uint32](@($Bound.InterfaceIndex)[0]) } }
}

# New-NetRoute: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/new-netroute
Register-FakeGuestCmdlet -Name 'New-NetRoute' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-NetRoute'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    $net.gateway = [string]$Bound.NextHop
}

# Remove-NetRoute: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/nettcpip/remove-netroute
Register-FakeGuestCmdlet -Name 'Remove-NetRoute' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Remove-NetRoute'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    if ($net.gateway -eq [string]$Bound.NextHop) { $net.gateway = $null }
}

# Set-DnsClientServerAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dnsclient/set-dnsclientserveraddress
Register-FakeGuestCmdlet -Name 'Set-DnsClientServerAddress' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-DnsClientServerAddress'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    if ($Bound.ContainsKey('ResetServerAddresses') -and $Bound.ResetServerAddresses) { $net.dns = @() }
    else { $net.dns = @($Bound.ServerAddresses | ForEach-Object { [string]$_ }) }
}

# Get-DnsClientServerAddress: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/dnsclient/get-dnsclientserveraddress
Register-FakeGuestCmdlet -Name 'Get-DnsClientServerAddress' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-DnsClientServerAddress'
    $mac = Find-FakeGuestMacByIndex -Vm $c.vm -Index (@($Bound.InterfaceIndex)[0])
    $net = Get-FakeGuestNetwork -Guest $c.guest -Mac $mac
    [pscustomobject]@{ InterfaceIndex = [uint32](@($Bound.InterfaceIndex)[0]); AddressFamily = 2; ServerAddresses = [string[]]@($net.dns) }
}

# Get-WindowsFeature: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/servermanager/get-windowsfeature
Register-FakeGuestCmdlet -Name 'Get-WindowsFeature' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-WindowsFeature'
    foreach ($name in @($Bound.Name)) {
        # A lookup, not a scan or a pipeline: every guest of a plan's probe batch asks this.
        $known = $script:FakeFeatureNames[[string]$name]
        if ($null -eq $known) { continue }
        $installed = @($c.guest.features) -contains $known
        [pscustomobject]@{ Name = $known; Installed = $installed; InstallState = $(if ($installed) { 'Installed' } else { 'Available' }) }
    }
}

Register-FakeGuestCmdlet -Name 'Install-WindowsFeature' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Install-WindowsFeature'
    $restart = $false
    foreach ($name in @($Bound.Name)) {
        $known = @($script:FakeKnownFeatures.Keys | Where-Object { $_ -eq [string]$name })
        if ($known.Count -eq 0) {
            Throw-FakeError -Message ("ArgumentNotValid: The role, role service, or feature name is not valid: '" + $name + "'. The name was not found.") -ErrorId 'NameDoesNotExist,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand' -Category InvalidArgument -Target $name -ExceptionType 'System.InvalidOperationException'
        }
        if (@($c.guest.features | Where-Object { $_ -eq $known[0] }).Count -eq 0) {
            # Hyper-V inside a VM needs the virtualization extensions exposed (Set-VMProcessor
            # -ExposeVirtualizationExtensions): without them its prerequisite check fails
            # (https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/enable-nested-virtualization;
            # the simulator's refusal, src/providers/sim/guest/guest-ops-base.ts installFeatures).
            if ($known[0] -eq 'Hyper-V' -and -not $c.vm.nested) {
                Throw-FakeError -Message 'Hyper-V cannot be installed: The processor does not have required virtualization capabilities.' -ErrorId 'Alteration_PrerequisiteCheck_Failed,Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand' -Category InvalidOperation -Target $name -ExceptionType 'System.InvalidOperationException'
            }
            $c.guest.features = @($c.guest.features) + @($known[0])
            if ($script:FakeKnownFeatures[$known[0]]) { $restart = $true }
        }
    }
    [pscustomobject]@{ Success = $true; RestartNeeded = $(if ($restart) { 'Yes' } else { 'No' }); ExitCode = $(if ($restart) { 'SuccessRestartRequired' } else { 'Success' }) }
}

Register-FakeGuestCmdlet -Name 'Uninstall-WindowsFeature' -ScriptBlock {
    # Microsoft Learn, ServerManager "Uninstall-WindowsFeature": removes installed features and
    # answers Success and RestartNeeded; the features that restart to install (the table above:
    # Hyper-V, HGS) also need a restart to finish their removal. A domain controller keeps
    # AD DS until it is demoted (Uninstall-ADDSDomainController), so removing it is refused.
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Uninstall-WindowsFeature'
    $restart = $false
    foreach ($name in @($Bound.Name)) {
        $known = @($script:FakeKnownFeatures.Keys | Where-Object { $_ -eq [string]$name })
        if ($known.Count -eq 0) {
            Throw-FakeError -Message ("ArgumentNotValid: The role, role service, or feature name is not valid: '" + $name + "'. The name was not found.") -ErrorId 'NameDoesNotExist,Microsoft.Windows.ServerManager.Commands.RemoveWindowsFeatureCommand' -Category InvalidArgument -Target $name -ExceptionType 'System.InvalidOperationException'
        }
        if ($known[0] -eq 'AD-Domain-Services' -and $null -ne $c.guest.dc) {
            Throw-FakeError -Message 'The Active Directory Domain Services role cannot be removed while this server is a domain controller.' -ErrorId 'Alteration_PrerequisiteCheck_Failed,Microsoft.Windows.ServerManager.Commands.RemoveWindowsFeatureCommand' -Category InvalidOperation -Target $name -ExceptionType 'System.InvalidOperationException'
        }
        if (@($c.guest.features | Where-Object { $_ -eq $known[0] }).Count -gt 0) {
            $c.guest.features = @($c.guest.features | Where-Object { $_ -ne $known[0] })
            if ($script:FakeKnownFeatures[$known[0]]) { $restart = $true }
        }
    }
    [pscustomobject]@{ Success = $true; RestartNeeded = $(if ($restart) { 'Yes' } else { 'No' }); ExitCode = $(if ($restart) { 'SuccessRestartRequired' } else { 'Success' }) }
}

# djoin.exe: parameters, output and errors as its reference documents them: https://learn.microsoft.com/windows-server/administration/windows-commands/djoin
Register-FakeGuestCmdlet -Name 'djoin.exe' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'djoin.exe'
    $a = @($Bound.Arguments)
    $value = {
        param([string]$Flag)
        for ($i = 0; $i -lt $a.Count - 1; $i++) { if ([string]$a[$i] -eq $Flag) { return [string]$a[$i + 1] } }
        return $null
    }
    if ($a -contains '/provision') {
        $domain = & $value '/domain'
        $machine = & $value '/machine'
        $file = & $value '/savefile'
        if ($null -eq $c.guest.dc -or -not (Test-FakeAdAnswering -Vm $c.vm)) { $global:LASTEXITCODE = 1355; return 'Failed to provision [' + $machine + '] in the domain [' + $domain + ']: 0x54b' }
        Add-FakeComputerAccount -State $State -Domain $domain -Name $machine
        # /machineou: the account is created in that OU (Microsoft Learn, "Djoin": /machineou <OU>).
        $ou = & $value '/machineou'
        if ($ou) { Set-FakeComputerOu -Dir (Get-FakeDirectory -State $State -Domain $domain) -Name $machine -Ou $ou }
        $blob = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('ODJ|' + $domain + '|' + $machine.ToUpperInvariant() + '|' + [guid]::NewGuid().ToString('N')))
        [System.IO.File]::WriteAllText($file, $blob)
        $global:LASTEXITCODE = 0
        return 'Provisioning the computer... The operation completed successfully.'
    }
    if ($a -contains '/requestODJ') {
        $file = & $value '/loadfile'
        $text = [System.IO.File]::ReadAllText($file, [System.Text.Encoding]::Unicode)
        $parts = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($text)).Split('|')
        if ($parts[0] -ne 'ODJ' -or $parts[2] -ne ([string]$c.guest.computerName).ToUpperInvariant()) { $global:LASTEXITCODE = 87; return 'The parameter is incorrect.' }
        $c.guest.pendingDomain = $parts[1]
        $global:LASTEXITCODE = 0
        return 'Loading provisioning data... The operation completed successfully. A reboot is required for changes to be applied.'
    }
    $global:LASTEXITCODE = 87
    return 'The parameter is incorrect.'
}

function New-Item {
    # Inside a fake guest, Windows paths go to the guest's folder; elsewhere the real cmdlet.
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string]$ItemType, [object]$Value, [switch]$Force, [string]$Name)
    $p = @{}
    foreach ($key in $PSBoundParameters.Keys) { $p[$key] = $PSBoundParameters[$key] }
    if ($p.ContainsKey('Path')) { $p.Path = @($p.Path | ForEach-Object { ConvertTo-FakeGuestPath -Path $_ }) }
    Microsoft.PowerShell.Management\New-Item @p
}

function Test-Path {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [string[]]$LiteralPath, [string]$PathType)
    $p = @{}
    foreach ($key in $PSBoundParameters.Keys) { $p[$key] = $PSBoundParameters[$key] }
    if ($p.ContainsKey('Path')) { $p.Path = @($p.Path | ForEach-Object { ConvertTo-FakeGuestPath -Path $_ }) }
    if ($p.ContainsKey('LiteralPath')) { $p.LiteralPath = @($p.LiteralPath | ForEach-Object { ConvertTo-FakeGuestPath -Path $_ }) }
    Microsoft.PowerShell.Management\Test-Path @p
}
