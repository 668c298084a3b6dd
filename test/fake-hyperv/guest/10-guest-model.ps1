# The fake guest OS model (test code, PowerShell 7). Each VM's guest lives under `guest` of
# its entry in the state file; guest cmdlets act on the VM whose PowerShell Direct call is
# running (Invoke-Command -VMName sets the context). Credentials are kept as salted SHA-256
# hashes, never as passwords, in the same shape as the simulator ({salt, hash}).
#
# Timing: a guest restart makes PowerShell Direct unavailable for LABFORM_FAKE_REBOOT_SECONDS
# (default 0) and restarts the heartbeat clock; Active Directory answers
# LABFORM_FAKE_AD_SECONDS (default 0) after the restart that follows a promotion, and only
# after LABFORM_FAKE_AD_POLLS (default 0) failed Get-ADComputer calls.

$script:FakeGuestVm = $null

function Get-FakeEnvNumber {
    param([string]$Name)
    $value = [Environment]::GetEnvironmentVariable($Name)
    if ($value) { return [double]$value }
    return 0.0
}

function ConvertFrom-FakeSecure {
    param($Secure)
    if ($null -eq $Secure) { return '' }
    if ($Secure -is [string]) { return $Secure }
    return [System.Net.NetworkCredential]::new('', $Secure).Password
}

function New-FakePasswordHash {
    param([string]$Password, [string]$Salt)
    if (-not $Salt) { $Salt = [guid]::NewGuid().ToString('N') }
    $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($Salt + ':' + $Password))
    return [ordered]@{ salt = $Salt; hash = [Convert]::ToHexString($bytes).ToLowerInvariant() }
}

function Test-FakePassword {
    param($Stored, [string]$Password)
    if ($null -eq $Stored) { return $false }
    return ((New-FakePasswordHash -Password $Password -Salt $Stored.salt).hash -eq $Stored.hash)
}

function Get-FakeBareUser {
    param([string]$UserName)
    $u = $UserName
    if ($u.Contains('\')) { $u = $u.Substring($u.LastIndexOf('\') + 1) }
    if ($u.Contains('@')) { $u = $u.Substring(0, $u.IndexOf('@')) }
    return $u.ToLowerInvariant()
}

function New-FakeGuest {
    param($Vm)
    $name = ([string]$Vm.name).ToUpperInvariant()
    if ($name.Length -gt 15) { $name = $name.Substring(0, 15) }
    $admin = $null
    if ($Vm.answerFile) {
        if ($Vm.answerFile.computerName) { $name = [string]$Vm.answerFile.computerName }
        if ($Vm.answerFile.adminPassword) { $admin = @{ user = [string]$Vm.answerFile.adminUser; password = $Vm.answerFile.adminPassword } }
    }
    return [ordered]@{
        computerName = $name
        pendingName = $null
        localAdmin = $admin
        domain = $null
        pendingDomain = $null
        domainRole = 2
        pendingDc = $null
        dc = $null
        features = @($Vm.offlineFeatures | Where-Object { $_ })
        networks = [ordered]@{}
        rebootUntil = 0
        restarts = 0
        hgs = $null
        hgsClient = $null
        dnsZones = @()
        trusts = @()
        groups = @()
        attestation = [ordered]@{ hostGroups = @(); tpmHosts = @(); hostKeys = @() }
        shares = @()
        dhcpScopes = @()
        dhcpOptions = @()
        dhcpAuthorized = @()
        iscsiDisks = @()
        iscsiTargets = @()
        cluster = $null
        hostKey = $null
        certificates = @()
    }
}

function Get-FakeGuestOf {
    # The guest of a VM, created at first use (as the first boot would).
    param($Vm)
    if ($null -eq $Vm.guest) { $Vm.guest = New-FakeGuest -Vm $Vm }
    return $Vm.guest
}

function Get-FakeCurrentGuest {
    # The VM and guest the running PowerShell Direct call is in; guest cmdlets need one.
    param($State, [string]$Cmdlet)
    if (-not $script:FakeGuestVm) {
        Throw-FakeError -Message ("fake guest: " + $Cmdlet + " called outside a guest (no Invoke-Command -VMName running)") -ErrorId 'FakeNoGuest' -Category InvalidOperation -ExceptionType 'System.InvalidOperationException'
    }
    $vm = Find-FakeVm -State $State -Name $script:FakeGuestVm
    return @{ vm = $vm; guest = (Get-FakeGuestOf -Vm $vm) }
}

function Find-FakeDomainDc {
    # The forest root DC of a domain (its guest holds the directory), anywhere on this host.
    param($State, [string]$Domain)
    foreach ($vm in $State.vms) {
        $g = $vm.guest
        if ($null -ne $g -and $null -ne $g.dc -and [string]::Equals([string]$g.dc.domain, $Domain, [System.StringComparison]::OrdinalIgnoreCase) -and $g.dc.root) { return $vm }
    }
    foreach ($vm in $State.vms) {
        $g = $vm.guest
        if ($null -ne $g -and $null -ne $g.dc -and ([string]::Equals([string]$g.dc.domain, $Domain, [System.StringComparison]::OrdinalIgnoreCase) -or [string]::Equals([string]$g.dc.netbios, $Domain, [System.StringComparison]::OrdinalIgnoreCase))) { return $vm }
    }
    return $null
}

function Get-FakeDirectory {
    # The directory data of a domain (kept on its forest root DC's guest).
    param($State, [string]$Domain)
    $dc = Find-FakeDomainDc -State $State -Domain $Domain
    if ($null -eq $dc) { return $null }
    return $dc.guest.dc
}

function Test-FakeAdAnswering {
    param($Vm)
    $dc = $Vm.guest.dc
    if ($null -eq $dc -or $Vm.state -ne 'Running') { return $false }
    if ((Get-FakeNow) -lt [double]$dc.readyAt) { return $false }
    return $true
}

function Test-FakeCredential {
    # What Windows accepts: on a DC only the domain's Administrator; before promotion the local
    # Administrator; on a member either. Same rule as the simulator.
    param($State, $Guest, [System.Management.Automation.PSCredential]$Credential)
    $password = $Credential.GetNetworkCredential().Password
    $user = Get-FakeBareUser -UserName $Credential.UserName
    if ($null -ne $Guest.dc) {
        $dir = Get-FakeDirectory -State $State -Domain $Guest.dc.domain
        return ((Get-FakeBareUser $dir.admin.user) -eq $user -and (Test-FakePassword -Stored $dir.admin.password -Password $password))
    }
    if ($null -ne $Guest.localAdmin -and (Get-FakeBareUser $Guest.localAdmin.user) -eq $user -and (Test-FakePassword -Stored $Guest.localAdmin.password -Password $password)) { return $true }
    if ($Guest.domain) {
        $dir = Get-FakeDirectory -State $State -Domain $Guest.domain
        if ($null -ne $dir -and (Get-FakeBareUser $dir.admin.user) -eq $user -and (Test-FakePassword -Stored $dir.admin.password -Password $password)) { return $true }
    }
    return $false
}

function Restart-FakeGuest {
    # A restart applies what waits for it (new name, domain join, promotion) and takes
    # PowerShell Direct and the heartbeat away for a while.
    param($State, $Vm)
    $g = Get-FakeGuestOf -Vm $Vm
    $now = Get-FakeNow
    if ($g.pendingName) { $g.computerName = $g.pendingName; $g.pendingName = $null }
    if ($g.pendingDomain) { $g.domain = $g.pendingDomain; $g.pendingDomain = $null; $g.domainRole = 3 }
    if ($g.pendingDc) {
        $p = $g.pendingDc
        $g.dc = [ordered]@{
            domain = $p.domain; netbios = $p.netbios; root = [bool]$p.root
            readyAt = $now + (Get-FakeEnvNumber 'LABFORM_FAKE_AD_SECONDS')
            pollsLeft = [int](Get-FakeEnvNumber 'LABFORM_FAKE_AD_POLLS')
            admin = $p.admin; computers = @($p.computers); groups = @(); sid = $p.sid
        }
        $g.domain = $p.domain
        $g.domainRole = $(if ($p.root) { 5 } else { 4 })
        $g.pendingDc = $null
    }
    $g.rebootUntil = $now + (Get-FakeEnvNumber 'LABFORM_FAKE_REBOOT_SECONDS')
    $g.restarts = [int]$g.restarts + 1
    $Vm.startedAt = $now
}

function Add-FakeComputerAccount {
    # A computer account in a domain's directory (join, offline provisioning, promotion).
    param($State, [string]$Domain, [string]$Name)
    $dir = Get-FakeDirectory -State $State -Domain $Domain
    if ($null -eq $dir) { return }
    if (@($dir.computers | Where-Object { $_ -eq $Name.ToUpperInvariant() }).Count -eq 0) { $dir.computers = @($dir.computers) + @($Name.ToUpperInvariant()) }
}

function Set-FakeComputerOu {
    # The OU a computer object is in (Add-Computer -OUPath, djoin /machineou, Move-ADObject);
    # without one it is in the domain's default Computers container.
    param($Dir, [string]$Name, [string]$Ou)
    if (-not $Ou) { return }
    if ($null -eq $Dir.computerOus) { $Dir.computerOus = @{} }
    $Dir.computerOus[$Name.ToUpperInvariant()] = $Ou
}

function Get-FakeComputerDn {
    # CN=NAME,<its OU or CN=Computers,DC=...>: the DistinguishedName Get-ADComputer reports.
    param($Dir, [string]$Name)
    $upper = $Name.ToUpperInvariant()
    $parent = 'CN=Computers,DC=' + (([string]$Dir.domain) -replace '\.', ',DC=')
    if ($null -ne $Dir.computerOus -and $Dir.computerOus.ContainsKey($upper)) { $parent = [string]$Dir.computerOus[$upper] }
    return 'CN=' + $upper + ',' + $parent
}

function Find-FakeGuestAdapter {
    # The host-side adapter of the current VM with this MAC (the guest sees the same MAC).
    param($Vm, [string]$Mac)
    $m = ($Mac -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
    foreach ($a in $Vm.adapters) { if (([string]$a.mac).ToUpperInvariant() -eq $m) { return $a } }
    return $null
}

function Get-FakeGuestNetwork {
    # Guest-side settings of one adapter, by MAC: DHCP, addresses, gateway, DNS.
    param($Guest, [string]$Mac)
    if (-not $Guest.networks.Contains($Mac)) { $Guest.networks[$Mac] = [ordered]@{ dhcp = $true; addresses = @(); gateway = $null; dns = @() } }
    return $Guest.networks[$Mac]
}

function Update-FakeKvp {
    # What the guest reports through KVP: its static addresses on the host-side adapter.
    param($Vm, [string]$Mac)
    $net = $Vm.guest.networks[$Mac]
    $adapter = Find-FakeGuestAdapter -Vm $Vm -Mac $Mac
    if ($null -eq $adapter -or $null -eq $net) { return }
    if ($net.dhcp) { $adapter.ipAddresses = @() } else { $adapter.ipAddresses = @($net.addresses | ForEach-Object { [string]$_.address }) }
}

function Get-FakeGuestRoot {
    # A real folder per guest for files the guest scripts write (markers, temp files, PFX).
    param([string]$VmName)
    # .NET path calls, not Join-Path/Test-Path/New-Item: this runs for every PowerShell Direct call,
    # and the provider cmdlets cost tens of milliseconds each (a batch of 100 guests took seconds).
    $base = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName((Get-FakeStatePath)), 'fake-guests')
    $root = [System.IO.Path]::Combine($base, ($VmName -replace '[^A-Za-z0-9._-]', '_'))
    foreach ($sub in @('ProgramData', 'Temp', 'Windows', 'C')) { $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($root, $sub)) }
    return $root
}

function ConvertTo-FakeGuestPath {
    # Inside a guest, Windows paths (C:\Shares\x) land in the guest's folder.
    param([string]$Path)
    if (-not $script:FakeGuestVm) { return $Path }
    if ($Path -match '(?s)^([A-Za-z]):[\\/](.*)$') {
        $root = Get-FakeGuestRoot -VmName $script:FakeGuestVm
        $rest = $Matches[2] -replace '\\', '/'
        return (Join-Path (Join-Path $root $Matches[1].ToUpperInvariant()) $rest)
    }
    return $Path
}

function New-FakeSid {
    param($State)
    $State.seq = [int]$State.seq + 1
    return ('S-1-5-21-1000-2000-3000-' + (1000 + [int]$State.seq))
}

# Guest cmdlets share names with host ones (Get-NetIPAddress, New-NetIPAddress,
# Get-CimInstance, Get-ClusterSharedVolume ...): one dispatcher per name runs the guest
# behaviour inside a PowerShell Direct call and the host behaviour (registered before,
# by host/*.ps1) everywhere else.
$script:FakeGuestBehaviours = @{}
$script:FakeHostBehaviours = @{}

function Register-FakeGuestCmdlet {
    param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][scriptblock]$ScriptBlock, [switch]$ReadOnly)
    $existing = $script:FakeBehaviours[$Name]
    if ($existing -and -not $script:FakeGuestBehaviours.ContainsKey($Name)) { $script:FakeHostBehaviours[$Name] = $existing }
    $script:FakeGuestBehaviours[$Name] = @{ script = $ScriptBlock; readOnly = [bool]$ReadOnly }
    # The name is one of our own constant cmdlet names (checked), never data.
    if ($Name -notmatch '^[A-Za-z0-9.-]+$') { throw ('bad fake cmdlet name ' + $Name) }
    $dispatch = [scriptblock]::Create("param(`$Bound, `$Set, `$State) Invoke-FakeGuestDispatch -Name '$Name' -Bound `$Bound -Set `$Set")
    Register-FakeCmdlet -Name $Name -ManagesState -ScriptBlock $dispatch
}

function Invoke-FakeBehaviour {
    # What Invoke-FakeCmdlet does for a behaviour: state read, call traced (secrets hidden), saved.
    param([string]$Name, $Script, [bool]$ReadOnly, [bool]$ManagesState, $Bound, $Set)
    if ($ManagesState) { return & $Script $Bound $Set $null }
    # As Invoke-FakeCmdlet: read-only behaviours share the last parse (inside a PowerShell Direct
    # request, the request's), mutating ones get their own fresh copy, under the host state lock.
    if ($ReadOnly) {
        $state = Read-FakeStateForRead
        $output = & $Script $Bound $Set $state
        return $output
    }
    Enter-FakeStateLock
    try {
        $state = Read-FakeState
        $record = [ordered]@{ cmdlet = $Name; parameterSet = $Set; parameters = @{} }
        foreach ($key in $Bound.Keys) {
            $value = $Bound[$key]
            if ($value -is [System.Security.SecureString]) { $value = '(securestring)' }
            elseif ($value -is [System.Management.Automation.PSCredential]) { $value = '(credential ' + $value.UserName + ')' }
            elseif ($value -is [System.Management.Automation.SwitchParameter]) { $value = [bool]$value }
            elseif ($value -is [System.Collections.IDictionary] -or $value -is [System.Xml.XmlNode]) { $value = '(object)' }
            $record.parameters[$key] = $value
        }
        $state.calls.Add($record)
        while ($state.calls.Count -gt 200) { $state.calls.RemoveAt(0) }
        $output = & $Script $Bound $Set $state
        Write-FakeState -State $state
        return $output
    } finally {
        Exit-FakeStateLock
    }
}

function Invoke-FakeGuestDispatch {
    param([string]$Name, $Bound, $Set)
    $guest = $script:FakeGuestBehaviours[$Name]
    $hostBehaviour = $script:FakeHostBehaviours[$Name]
    if ($script:FakeGuestVm -or $null -eq $hostBehaviour) {
        return Invoke-FakeBehaviour -Name $Name -Script $guest.script -ReadOnly $guest.readOnly -ManagesState $false -Bound $Bound -Set $Set
    }
    return Invoke-FakeBehaviour -Name $Name -Script $hostBehaviour.Script -ReadOnly $hostBehaviour.ReadOnly -ManagesState $hostBehaviour.ManagesState -Bound $Bound -Set $Set
}
