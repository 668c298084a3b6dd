# Fake guest cmdlets: Active Directory, joins, HGS and attestation (test code).

function Throw-FakeAdUnreachable {
    param([string]$Cmdlet, [string]$Target)
    $class = 'Microsoft.ActiveDirectory.Management.Commands.' + $Cmdlet.Replace('-', '')
    Throw-FakeError -Message 'Unable to contact the server. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running.' -ErrorId ('ActiveDirectoryServer:0,' + $class) -Category ResourceUnavailable -Target $Target -ExceptionType 'System.InvalidOperationException'
}

function Get-FakeAdContext {
    # The directory the current guest talks to (its own when a DC, else its domain's), or the
    # one -Server names; AD must be answering there.
    param($State, $Bound, [string]$Cmdlet, [string]$Target)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet $Cmdlet
    $domain = $c.guest.domain
    if ($Bound.ContainsKey('Server') -and $Bound.Server) { $domain = [string]$Bound.Server }
    if (-not $domain) { Throw-FakeAdUnreachable -Cmdlet $Cmdlet -Target $Target }
    $dcVm = Find-FakeDomainDc -State $State -Domain $domain
    if ($null -eq $dcVm -or -not (Test-FakeAdAnswering -Vm $dcVm)) { Throw-FakeAdUnreachable -Cmdlet $Cmdlet -Target $Target }
    # Another domain answers only an account it trusts. With HGS's one-way trust (the HGS domain
    # trusts the fabric, Microsoft Learn "Configure HGS for AD attestation") the fabric does not
    # trust HGS accounts, so an HGS node cannot read the fabric's groups: the docs read the group
    # SID in the fabric domain and pass it to Add-HgsAttestationHostGroup -Identifier.
    $own = $c.guest.domain
    if ($c.guest.dc) { $own = $c.guest.dc.domain }
    if ($own -and -not [string]::Equals([string]$own, [string]$dcVm.guest.dc.domain, [System.StringComparison]::OrdinalIgnoreCase)) {
        if (@($dcVm.guest.dc.trusts | Where-Object { [string]::Equals([string]$_, [string]$own, [System.StringComparison]::OrdinalIgnoreCase) }).Count -eq 0) {
            $class = 'Microsoft.ActiveDirectory.Management.Commands.' + $Cmdlet.Replace('-', '')
            Throw-FakeError -Message 'The server has rejected the client credentials.' -ErrorId ('ActiveDirectoryCmdlet:System.Security.Authentication.AuthenticationException,' + $class) -Category SecurityError -Target $Target -ExceptionType 'System.InvalidOperationException'
        }
    }
    if ([int]$dcVm.guest.dc.pollsLeft -gt 0) {
        $dcVm.guest.dc.pollsLeft = [int]$dcVm.guest.dc.pollsLeft - 1
        Write-FakeState -State $State
        Throw-FakeAdUnreachable -Cmdlet $Cmdlet -Target $Target
    }
    return @{ guest = $c.guest; vm = $c.vm; dir = $dcVm.guest.dc; dcVm = $dcVm }
}

function Assert-FakeDomainAdmin {
    # A credential that must be the domain's administrator (join, additional DC, trust).
    param($State, [string]$Domain, [System.Management.Automation.PSCredential]$Credential, [string]$Message, [string]$ErrorId)
    $dir = Get-FakeDirectory -State $State -Domain $Domain
    $password = $Credential.GetNetworkCredential().Password
    if ($null -eq $dir -or (Get-FakeBareUser $Credential.UserName) -ne (Get-FakeBareUser $dir.admin.user) -or -not (Test-FakePassword -Stored $dir.admin.password -Password $password)) {
        Throw-FakeError -Message $Message -ErrorId $ErrorId -Category InvalidOperation -Target $Domain -ExceptionType 'System.InvalidOperationException'
    }
}

# Install-ADDSForest: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/addsdeployment/install-addsforest
Register-FakeGuestCmdlet -Name 'Install-ADDSForest' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Install-ADDSForest'
    $g = $c.guest
    if (@($g.features | Where-Object { $_ -eq 'AD-Domain-Services' }).Count -eq 0) {
        Throw-FakeError -Message 'Install-ADDSForest: the AD-Domain-Services role is not installed.' -ErrorId 'Test.VerifyPrerequisites,Microsoft.DirectoryServices.Deployment.PowerShell.Commands.InstallADDSForestCommand' -Category InvalidOperation -Target $Bound.DomainName -ExceptionType 'System.InvalidOperationException'
    }
    $domain = [string]$Bound.DomainName
    if ($null -ne (Find-FakeDomainDc -State $State -Domain $domain)) {
        Throw-FakeError -Message ('Verification of prerequisites for Domain Controller promotion failed. The specified domain name ' + $domain + ' already exists.') -ErrorId 'Test.VerifyDcPromoCore.DCPromo.General.74,Microsoft.DirectoryServices.Deployment.PowerShell.Commands.InstallADDSForestCommand' -Category ResourceExists -Target $domain -ExceptionType 'System.InvalidOperationException'
    }
    $netbios = [string]$Bound.DomainNetbiosName
    if (-not $netbios) { $netbios = $domain.Split('.')[0].ToUpperInvariant() }
    # The local Administrator becomes the domain's Administrator, with its password.
    $g.pendingDc = [ordered]@{ domain = $domain; netbios = $netbios; root = $true; admin = $g.localAdmin; computers = @(([string]$g.computerName).ToUpperInvariant()); sid = (New-FakeSid -State $State) }
    if (-not ($Bound.ContainsKey('InstallDns') -and $Bound.InstallDns)) { $g.pendingDc.noDns = $true }
    if (-not ($Bound.ContainsKey('NoRebootOnCompletion') -and $Bound.NoRebootOnCompletion)) { Restart-FakeGuest -State $State -Vm $c.vm }
    [pscustomobject]@{ Status = 'Success'; RebootRequired = $true }
}

# Install-ADDSDomainController: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/addsdeployment/install-addsdomaincontroller
Register-FakeGuestCmdlet -Name 'Install-ADDSDomainController' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Install-ADDSDomainController'
    $domain = [string]$Bound.DomainName
    $dcVm = Find-FakeDomainDc -State $State -Domain $domain
    if ($null -eq $dcVm -or -not (Test-FakeAdAnswering -Vm $dcVm)) {
        Throw-FakeError -Message ('Verification of prerequisites for Domain Controller promotion failed. An Active Directory domain controller for the domain "' + $domain + '" could not be contacted.') -ErrorId 'Test.VerifyDcPromoCore.DCPromo.General.54,Microsoft.DirectoryServices.Deployment.PowerShell.Commands.InstallADDSDomainControllerCommand' -Category InvalidOperation -Target $domain -ExceptionType 'System.InvalidOperationException'
    }
    Assert-FakeDomainAdmin -State $State -Domain $domain -Credential $Bound.Credential -Message 'Verification of prerequisites for Domain Controller promotion failed. The user name or password is incorrect.' -ErrorId 'Test.VerifyDcPromoCore.DCPromo.General.25,Microsoft.DirectoryServices.Deployment.PowerShell.Commands.InstallADDSDomainControllerCommand'
    $dir = $dcVm.guest.dc
    Add-FakeComputerAccount -State $State -Domain $domain -Name $c.guest.computerName
    $c.guest.pendingDc = [ordered]@{ domain = $dir.domain; netbios = $dir.netbios; root = $false; admin = $dir.admin; computers = @(); sid = $dir.sid }
    if (-not ($Bound.ContainsKey('NoRebootOnCompletion') -and $Bound.NoRebootOnCompletion)) { Restart-FakeGuest -State $State -Vm $c.vm }
    [pscustomobject]@{ Status = 'Success'; RebootRequired = $true }
}

# Get-ADComputer: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/activedirectory/get-adcomputer
Register-FakeGuestCmdlet -Name 'Get-ADComputer' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $identity = [string]$Bound.Identity
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'Get-ADComputer' -Target $identity
    $name = $identity.TrimEnd('$').ToUpperInvariant()
    if (@($ad.dir.computers | Where-Object { $_ -eq $name }).Count -eq 0) {
        Throw-FakeError -Message ("Cannot find an object with identity: '" + $identity + "' under: 'DC=" + ($ad.dir.domain -replace '\.', ',DC=') + "'.") -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADComputer' -Category ObjectNotFound -Target $identity -ExceptionType 'System.InvalidOperationException'
    }
    [pscustomobject]@{ Name = $name; SamAccountName = ($name + '$'); DNSHostName = ($name.ToLowerInvariant() + '.' + $ad.dir.domain); ObjectClass = 'computer'; DistinguishedName = (Get-FakeComputerDn -Dir $ad.dir -Name $name) }
}

Register-FakeGuestCmdlet -Name 'Move-ADObject' -ScriptBlock {
    # Microsoft Learn, ActiveDirectory "Move-ADObject": moves an object (piped from
    # Get-ADComputer, or named by DN or GUID) into the container -TargetPath names.
    param($Bound, $Set, $State)
    $identity = $Bound.Identity
    $name = ''
    if ($identity -is [string]) { $name = ([string]$identity -replace '^CN=([^,]+),.*$', '$1') } else { $name = [string]$identity.Name }
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'Move-ADObject' -Target $name
    $upper = $name.TrimEnd('$').ToUpperInvariant()
    if (@($ad.dir.computers | Where-Object { $_ -eq $upper }).Count -eq 0) {
        Throw-FakeError -Message ("Cannot find an object with identity: '" + $name + "' under: 'DC=" + ($ad.dir.domain -replace '\.', ',DC=') + "'.") -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.MoveADObject' -Category ObjectNotFound -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    Set-FakeComputerOu -Dir $ad.dir -Name $upper -Ou ([string]$Bound.TargetPath)
}

# Add-Computer: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/microsoft.powershell.management/add-computer
Register-FakeGuestCmdlet -Name 'Add-Computer' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-Computer'
    $domain = [string]$Bound.DomainName
    $prefix = "Computer '" + $c.guest.computerName + "' failed to join domain '" + $domain + "' from its current workgroup 'WORKGROUP' with following error message: "
    $dcVm = Find-FakeDomainDc -State $State -Domain $domain
    if ($null -eq $dcVm -or -not (Test-FakeAdAnswering -Vm $dcVm)) {
        Throw-FakeError -Message ($prefix + 'The specified domain either does not exist or could not be contacted.') -ErrorId 'FailToJoinDomainFromWorkgroup,Microsoft.PowerShell.Commands.AddComputerCommand' -Category OperationStopped -Target $c.guest.computerName -ExceptionType 'System.InvalidOperationException'
    }
    Assert-FakeDomainAdmin -State $State -Domain $domain -Credential $Bound.Credential -Message ($prefix + 'The user name or password is incorrect.') -ErrorId 'FailToJoinDomainFromWorkgroup,Microsoft.PowerShell.Commands.AddComputerCommand'
    Add-FakeComputerAccount -State $State -Domain $domain -Name $c.guest.computerName
    # -OUPath: the account is created in that OU (Microsoft Learn, "Add-Computer" -OUPath).
    if ($Bound.ContainsKey('OUPath')) { Set-FakeComputerOu -Dir $dcVm.guest.dc -Name $c.guest.computerName -Ou ([string]$Bound.OUPath) }
    $c.guest.pendingDomain = $dcVm.guest.dc.domain
    if ($Bound.ContainsKey('Restart') -and $Bound.Restart) { Restart-FakeGuest -State $State -Vm $c.vm }
}

# netdom.exe: parameters, output and errors as its reference documents them: https://learn.microsoft.com/windows-server/administration/windows-commands/netdom
Register-FakeCmdlet -Name 'netdom.exe' -ManagesState -ScriptBlock {
    # Not traced: its arguments carry a password. netdom trust <trusting> /domain:<trusted> /userD /passwordD /add
    param($Bound, $Set, $State)
    # Read, change, write under the host state lock (FakeHyperV.psm1, Enter-FakeStateLock).
    Enter-FakeStateLock
    try {
        $s = Read-FakeState
        $c = Get-FakeCurrentGuest -State $s -Cmdlet 'netdom.exe'
        $a = @($Bound.Arguments)
        if ($a.Count -lt 2 -or $a[0] -ne 'trust' -or ($a -notcontains '/add')) { $global:LASTEXITCODE = 87; return 'The syntax of this command is incorrect.' }
        $remote = ''; $user = ''; $password = ''
        foreach ($arg in $a) {
            if ($arg -like '/domain:*') { $remote = $arg.Substring(8) }
            elseif ($arg -like '/userD:*') { $user = $arg.Substring(7) }
            elseif ($arg -like '/passwordD:*') { $password = $arg.Substring(11) }
        }
        $dir = Get-FakeDirectory -State $s -Domain $remote
        if ($null -eq $dir -or $null -eq $c.guest.dc) { $global:LASTEXITCODE = 1355; return 'The specified domain either does not exist or could not be contacted.' }
        if ((Get-FakeBareUser $user) -ne (Get-FakeBareUser $dir.admin.user) -or -not (Test-FakePassword -Stored $dir.admin.password -Password $password)) { $global:LASTEXITCODE = 1326; return 'The user name or password is incorrect.' }
        $own = Get-FakeDirectory -State $s -Domain $c.guest.dc.domain
        if (@($own.trusts | Where-Object { $_ -eq $dir.domain }).Count -eq 0) { $own.trusts = @($own.trusts) + @($dir.domain) }
        Write-FakeState -State $s
        $global:LASTEXITCODE = 0
        return 'The command completed successfully.'
    } finally {
        Exit-FakeStateLock
    }
}

# Get-ADTrust: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/activedirectory/get-adtrust
Register-FakeGuestCmdlet -Name 'Get-ADTrust' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'Get-ADTrust' -Target ''
    foreach ($t in @($ad.dir.trusts)) { [pscustomobject]@{ Name = $t; Target = $t; Direction = 'Outbound'; ForestTransitive = $true } }
}

function Find-FakeAdGroup {
    param($Dir, [string]$Name)
    foreach ($g in @($Dir.groups)) { if ([string]::Equals([string]$g.name, $Name, [System.StringComparison]::OrdinalIgnoreCase)) { return $g } }
    return $null
}

function ConvertTo-FakeAdGroup {
    param($Group)
    [pscustomobject]@{ Name = $Group.name; SamAccountName = $Group.name; GroupScope = 'Global'; GroupCategory = 'Security'; SID = [pscustomobject]@{ Value = $Group.sid } }
}

# New-ADGroup: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/activedirectory/new-adgroup
Register-FakeGuestCmdlet -Name 'New-ADGroup' -ScriptBlock {
    param($Bound, $Set, $State)
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'New-ADGroup' -Target $Bound.Name
    if ($null -ne (Find-FakeAdGroup -Dir $ad.dir -Name $Bound.Name)) {
        Throw-FakeError -Message 'The specified group already exists' -ErrorId 'ActiveDirectoryServer:1318,Microsoft.ActiveDirectory.Management.Commands.NewADGroup' -Category ResourceExists -Target $Bound.Name -ExceptionType 'System.InvalidOperationException'
    }
    $group = [ordered]@{ name = [string]$Bound.Name; sid = (New-FakeSid -State $State); members = @() }
    $ad.dir.groups = @($ad.dir.groups) + @($group)
    if ($Bound.ContainsKey('PassThru') -and $Bound.PassThru) { ConvertTo-FakeAdGroup -Group $group }
}

# Get-ADGroup: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/activedirectory/get-adgroup
Register-FakeGuestCmdlet -Name 'Get-ADGroup' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'Get-ADGroup' -Target ([string]$Bound.Identity)
    if ($Set -eq 'Identity') {
        $g = Find-FakeAdGroup -Dir $ad.dir -Name ([string]$Bound.Identity)
        if ($null -eq $g) {
            Throw-FakeError -Message ("Cannot find an object with identity: '" + $Bound.Identity + "' under: 'DC=" + ($ad.dir.domain -replace '\.', ',DC=') + "'.") -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADGroup' -Category ObjectNotFound -Target $Bound.Identity -ExceptionType 'System.InvalidOperationException'
        }
        return ConvertTo-FakeAdGroup -Group $g
    }
    foreach ($g in @($ad.dir.groups)) { ConvertTo-FakeAdGroup -Group $g }
}

function Resolve-FakeAdIdentityName {
    param($Identity)
    if ($Identity -is [string]) { return $Identity }
    if ($null -ne $Identity.Name) { return [string]$Identity.Name }
    return [string]$Identity
}

# Add-ADGroupMember: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/activedirectory/add-adgroupmember
Register-FakeGuestCmdlet -Name 'Add-ADGroupMember' -ScriptBlock {
    param($Bound, $Set, $State)
    $name = Resolve-FakeAdIdentityName $Bound.Identity
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'Add-ADGroupMember' -Target $name
    $g = Find-FakeAdGroup -Dir $ad.dir -Name $name
    if ($null -eq $g) {
        Throw-FakeError -Message ("Cannot find an object with identity: '" + $name + "'.") -ErrorId 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.AddADGroupMember' -Category ObjectNotFound -Target $name -ExceptionType 'System.InvalidOperationException'
    }
    foreach ($m in @($Bound.Members)) {
        $member = (Resolve-FakeAdIdentityName $m).TrimEnd('$').ToUpperInvariant()
        if (@($g.members | Where-Object { $_ -eq $member }).Count -eq 0) { $g.members = @($g.members) + @($member) }
    }
}

# Get-ADGroupMember: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/activedirectory/get-adgroupmember
Register-FakeGuestCmdlet -Name 'Get-ADGroupMember' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $name = Resolve-FakeAdIdentityName $Bound.Identity
    $ad = Get-FakeAdContext -State $State -Bound $Bound -Cmdlet 'Get-ADGroupMember' -Target $name
    $g = Find-FakeAdGroup -Dir $ad.dir -Name $name
    foreach ($m in @($g.members)) { [pscustomobject]@{ Name = $m; SamAccountName = ($m + '$'); objectClass = 'computer' } }
}

Register-FakeGuestCmdlet -Name 'Install-HgsServer' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Install-HgsServer'
    $g = $c.guest
    if (@($g.features | Where-Object { $_ -eq 'HostGuardianServiceRole' }).Count -eq 0) {
        Throw-FakeError -Message 'The Host Guardian Service role is not installed.' -ErrorId 'HgsServerNotInstalled,Microsoft.Windows.HgsServer.Commands.InstallHgsServerCommand' -Category InvalidOperation -Target $Bound.HgsDomainName -ExceptionType 'System.InvalidOperationException'
    }
    $domain = [string]$Bound.HgsDomainName
    if ($Set -eq 'AdditionalServer') {
        $dcVm = Find-FakeDomainDc -State $State -Domain $domain
        if ($null -eq $dcVm -or -not (Test-FakeAdAnswering -Vm $dcVm)) {
            Throw-FakeError -Message ('The HGS domain ' + $domain + ' could not be contacted.') -ErrorId 'HgsDomainUnreachable,Microsoft.Windows.HgsServer.Commands.InstallHgsServerCommand' -Category InvalidOperation -Target $domain -ExceptionType 'System.InvalidOperationException'
        }
        Assert-FakeDomainAdmin -State $State -Domain $domain -Credential $Bound.HgsDomainCredential -Message 'The user name or password is incorrect.' -ErrorId 'HgsDomainCredential,Microsoft.Windows.HgsServer.Commands.InstallHgsServerCommand'
        $dir = $dcVm.guest.dc
        Add-FakeComputerAccount -State $State -Domain $domain -Name $g.computerName
        $g.pendingDc = [ordered]@{ domain = $dir.domain; netbios = $dir.netbios; root = $false; admin = $dir.admin; computers = @(); sid = $dir.sid }
    } else {
        $g.pendingDc = [ordered]@{ domain = $domain; netbios = $domain.Split('.')[0].ToUpperInvariant(); root = $true; admin = $g.localAdmin; computers = @(([string]$g.computerName).ToUpperInvariant()); sid = (New-FakeSid -State $State) }
    }
    # Install-HgsServer promotes the node to a domain controller of the HGS domain, with AD DS and
    # its DNS server (Learn, Install-HgsServer: "promotes the node to the primary domain controller";
    # MicrosoftDocs/windowsserverdocs guarded-fabric-install-hgs-default.md), so DNS cmdlets work there.
    foreach ($feature in @('AD-Domain-Services', 'DNS')) { if (@($g.features) -notcontains $feature) { $g.features = @($g.features) + @($feature) } }
    $g.hgs = [ordered]@{ domain = $domain; initialized = $false; serviceName = $null; attestation = $null; primary = $null }
    if ($Bound.ContainsKey('Restart') -and $Bound.Restart) { Restart-FakeGuest -State $State -Vm $c.vm }
}

Register-FakeGuestCmdlet -Name 'New-SelfSignedCertificate' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'New-SelfSignedCertificate'
    $thumb = ([guid]::NewGuid().ToString('N') + '00000000').Substring(0, 40).ToUpperInvariant()
    # Without -KeyUsage a self-signed certificate has DigitalSignature and KeyEncipherment
    # (Microsoft Learn, New-SelfSignedCertificate -KeyUsage: "The default value, None, ...
    # DigitalSignature and KeyEncipherment" for the default SSL server type).
    $usage = @('DigitalSignature', 'KeyEncipherment')
    if ($Bound.ContainsKey('KeyUsage')) { $usage = @($Bound.KeyUsage | ForEach-Object { [string]$_ }) }
    $c.guest.certificates = @($c.guest.certificates) + @([ordered]@{ thumbprint = $thumb; dnsName = @($Bound.DnsName)[0]; store = [string]$Bound.CertStoreLocation; keyUsage = $usage })
    [pscustomobject]@{ Thumbprint = $thumb; Subject = ('CN=' + @($Bound.DnsName)[0]) }
}

Register-FakeGuestCmdlet -Name 'Export-PfxCertificate' -ScriptBlock {
    param($Bound, $Set, $State)
    $null = Get-FakeCurrentGuest -State $State -Cmdlet 'Export-PfxCertificate'
    if (-not $Bound.ContainsKey('Password')) {
        Throw-FakeError -Message 'Export-PfxCertificate: a password or ProtectTo is required.' -ErrorId 'System.ArgumentException,Microsoft.CertificateServices.Commands.ExportPfxCertificate' -Category InvalidArgument -Target $Bound.FilePath -ExceptionType 'System.InvalidOperationException'
    }
    [System.IO.File]::WriteAllText([string]$Bound.FilePath, ('PFX ' + $Bound.Cert.Thumbprint))
    [pscustomobject]@{ FullName = [string]$Bound.FilePath }
}

Register-FakeGuestCmdlet -Name 'Initialize-HgsServer' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Initialize-HgsServer'
    $g = $c.guest
    if ($null -eq $g.hgs -or $null -eq $g.dc -or -not (Test-FakeAdAnswering -Vm $c.vm)) {
        Throw-FakeError -Message 'Initialize-HgsServer: this node is not an HGS domain controller yet (run Install-HgsServer and restart).' -ErrorId 'HgsNotInstalled,Microsoft.Windows.HgsServer.Commands.InitializeHgsServerCommand' -Category InvalidOperation -Target $g.computerName -ExceptionType 'System.InvalidOperationException'
    }
    if ($Set -eq 'AdditionalServer') {
        $g.hgs.initialized = $true; $g.hgs.primary = [string]$Bound.HgsServerIPAddress
        return
    }
    foreach ($p in @('SigningCertificatePath', 'EncryptionCertificatePath')) {
        if ($Bound.ContainsKey($p) -and -not (Microsoft.PowerShell.Management\Test-Path -LiteralPath ([string]$Bound[$p]))) {
            Throw-FakeError -Message ('Cannot find path ' + $Bound[$p] + ' because it does not exist.') -ErrorId ('PathNotFound,Microsoft.Windows.HgsServer.Commands.InitializeHgsServerCommand') -Category ObjectNotFound -Target $Bound[$p] -ExceptionType 'System.InvalidOperationException'
        }
        # HGS signing and encryption certificates need Data Encipherment (MicrosoftDocs/windowsserverdocs,
        # guarded-fabric-initialize-hgs-tpm-mode.md: -KeyUsage DataEncipherment, DigitalSignature).
        if ($Bound.ContainsKey($p)) {
            $text = [System.IO.File]::ReadAllText([string]$Bound[$p])
            $cert = @($g.certificates | Where-Object { $text -eq ('PFX ' + $_.thumbprint) })[0]
            if ($cert -and @($cert.keyUsage) -notcontains 'DataEncipherment') {
                Throw-FakeError -Message ('The certificate ' + $cert.thumbprint + ' does not have the Data Encipherment key usage required by the Host Guardian Service.') -ErrorId ('InvalidCertificateKeyUsage,Microsoft.Windows.HgsServer.Commands.InitializeHgsServerCommand') -Category InvalidArgument -Target $Bound[$p] -ExceptionType 'System.InvalidOperationException'
            }
        }
    }
    $g.hgs.initialized = $true
    $g.hgs.serviceName = [string]$Bound.HgsServiceName
    $g.hgs.attestation = $(if ($Bound.ContainsKey('TrustActiveDirectory') -and $Bound.TrustActiveDirectory) { 'ad' } else { 'tpm' })
}

# Set-HgsServer: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsserver/set-hgsserver
Register-FakeGuestCmdlet -Name 'Set-HgsServer' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-HgsServer'
    if ($null -eq $c.guest.hgs -or -not $c.guest.hgs.initialized) {
        Throw-FakeError -Message 'The Host Guardian Service is not initialized.' -ErrorId 'HgsNotInitialized,Microsoft.Windows.HgsServer.Commands.SetHgsServerCommand' -Category InvalidOperation -Target $c.guest.computerName -ExceptionType 'System.InvalidOperationException'
    }
    if ($Bound.ContainsKey('TrustHostKey') -and $Bound.TrustHostKey) { $c.guest.hgs.attestation = 'hostKey' }
    if ($Bound.ContainsKey('TrustTpm') -and $Bound.TrustTpm) { $c.guest.hgs.attestation = 'tpm' }
    if ($Bound.ContainsKey('TrustActiveDirectory') -and $Bound.TrustActiveDirectory) { $c.guest.hgs.attestation = 'ad' }
}

Register-FakeGuestCmdlet -Name 'Get-HgsServer' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-HgsServer'
    if ($null -eq $c.guest.hgs -or -not $c.guest.hgs.initialized) {
        Throw-FakeError -Message 'The Host Guardian Service is not initialized on this node.' -ErrorId 'HgsNotInitialized,Microsoft.Windows.HgsServer.Commands.GetHgsServerCommand' -Category ObjectNotFound -Target $c.guest.computerName -ExceptionType 'System.InvalidOperationException'
    }
    $name = $c.guest.hgs.serviceName
    if (-not $name) { $name = 'hgs' }
    [pscustomobject]@{ Name = 'AttestationService'; State = 'Running'; Url = ('http://' + $name + '.' + $c.guest.hgs.domain + '/Attestation'); AttestationOperationMode = [string]$c.guest.hgs.attestation }
}

function Get-FakeHgsNode {
    # HGS registrations live with the HGS domain's first node.
    param($State, $Guest, [string]$Cmdlet)
    if ($null -eq $Guest.hgs -or -not $Guest.hgs.initialized) {
        Throw-FakeError -Message 'The Host Guardian Service is not initialized on this node.' -ErrorId ('HgsNotInitialized,Microsoft.Windows.HgsAttestation.Commands.' + $Cmdlet.Replace('-', '') + 'Command') -Category InvalidOperation -Target $Guest.computerName -ExceptionType 'System.InvalidOperationException'
    }
    return $Guest.attestation
}

Register-FakeGuestCmdlet -Name 'Add-HgsAttestationHostGroup' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-HgsAttestationHostGroup'
    $att = Get-FakeHgsNode -State $State -Guest $c.guest -Cmdlet 'Add-HgsAttestationHostGroup'
    if ($c.guest.hgs.attestation -ne 'ad') {
        Throw-FakeError -Message 'Host groups apply to Active Directory attestation only.' -ErrorId 'InvalidAttestationMode,Microsoft.Windows.HgsAttestation.Commands.AddHgsAttestationHostGroupCommand' -Category InvalidOperation -Target $Bound.Name -ExceptionType 'System.InvalidOperationException'
    }
    if (@($att.hostGroups | Where-Object { $_.name -eq [string]$Bound.Name }).Count -gt 0) {
        Throw-FakeError -Message ('A host group named ' + $Bound.Name + ' already exists.') -ErrorId 'HostGroupExists,Microsoft.Windows.HgsAttestation.Commands.AddHgsAttestationHostGroupCommand' -Category ResourceExists -Target $Bound.Name -ExceptionType 'System.InvalidOperationException'
    }
    $att.hostGroups = @($att.hostGroups) + @([ordered]@{ name = [string]$Bound.Name; identifier = [string]$Bound.Identifier })
}

# Get-HgsAttestationHostGroup: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsattestation/get-hgsattestationhostgroup
Register-FakeGuestCmdlet -Name 'Get-HgsAttestationHostGroup' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-HgsAttestationHostGroup'
    $att = Get-FakeHgsNode -State $State -Guest $c.guest -Cmdlet 'Get-HgsAttestationHostGroup'
    foreach ($h in @($att.hostGroups)) { [pscustomobject]@{ Name = $h.name; Identifier = $h.identifier } }
}

# Add-HgsAttestationTpmHost: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsattestation/add-hgsattestationtpmhost
Register-FakeGuestCmdlet -Name 'Add-HgsAttestationTpmHost' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-HgsAttestationTpmHost'
    $att = Get-FakeHgsNode -State $State -Guest $c.guest -Cmdlet 'Add-HgsAttestationTpmHost'
    $xml = $Bound.Xml
    $id = [string]$xml.DocumentElement.GetAttribute('Identifier')
    $att.tpmHosts = @($att.tpmHosts | Where-Object { $_.name -ne [string]$Bound.Name }) + @([ordered]@{ name = [string]$Bound.Name; identifier = $id })
    [string]$Bound.Name
}

# Get-HgsAttestationTpmHost: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsattestation/get-hgsattestationtpmhost
Register-FakeGuestCmdlet -Name 'Get-HgsAttestationTpmHost' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-HgsAttestationTpmHost'
    $att = Get-FakeHgsNode -State $State -Guest $c.guest -Cmdlet 'Get-HgsAttestationTpmHost'
    foreach ($h in @($att.tpmHosts)) { [pscustomobject]@{ Name = $h.name; Identifier = $h.identifier } }
}

# Get-PlatformIdentifier: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/platformidentifier/get-platformidentifier
Register-FakeGuestCmdlet -Name 'Get-PlatformIdentifier' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-PlatformIdentifier'
    if (-not $c.vm.tpm) {
        Throw-FakeError -Message 'A TPM 2.0 is required: no TPM was found on this computer.' -ErrorId 'TpmNotFound,Microsoft.Windows.PlatformIdentifier.Commands.GetPlatformIdentifierCommand' -Category ObjectNotFound -Target $Bound.Name -ExceptionType 'System.InvalidOperationException'
    }
    $doc = New-Object System.Xml.XmlDocument
    $root = $doc.CreateElement('PlatformIdentifier')
    $root.SetAttribute('Name', [string]$Bound.Name)
    $root.SetAttribute('Identifier', ('EK-' + ([string]$c.vm.id).Replace('-', '').ToUpperInvariant()))
    $null = $doc.AppendChild($root)
    , $doc
}

# Set-HgsClientHostKey: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsclient/set-hgsclienthostkey
Register-FakeGuestCmdlet -Name 'Set-HgsClientHostKey' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-HgsClientHostKey'
    $c.guest.hostKey = ('HOSTKEY-' + [guid]::NewGuid().ToString('N'))
}

# Get-HgsClientHostKey: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsclient/get-hgsclienthostkey
Register-FakeGuestCmdlet -Name 'Get-HgsClientHostKey' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-HgsClientHostKey'
    if (-not $c.guest.hostKey) { return }
    if ($Bound.ContainsKey('Path')) { [System.IO.File]::WriteAllText([string]$Bound.Path, [string]$c.guest.hostKey) }
    [pscustomobject]@{ Thumbprint = [string]$c.guest.hostKey }
}

# Add-HgsAttestationHostKey: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsattestation/add-hgsattestationhostkey
Register-FakeGuestCmdlet -Name 'Add-HgsAttestationHostKey' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Add-HgsAttestationHostKey'
    $att = Get-FakeHgsNode -State $State -Guest $c.guest -Cmdlet 'Add-HgsAttestationHostKey'
    $key = [System.IO.File]::ReadAllText([string]$Bound.Path)
    $att.hostKeys = @($att.hostKeys | Where-Object { $_.name -ne [string]$Bound.Name }) + @([ordered]@{ name = [string]$Bound.Name; key = $key })
}

# Get-HgsAttestationHostKey: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsattestation/get-hgsattestationhostkey
Register-FakeGuestCmdlet -Name 'Get-HgsAttestationHostKey' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-HgsAttestationHostKey'
    $att = Get-FakeHgsNode -State $State -Guest $c.guest -Cmdlet 'Get-HgsAttestationHostKey'
    foreach ($h in @($att.hostKeys)) { [pscustomobject]@{ Name = $h.name } }
}

# Set-HgsClientConfiguration: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsclient/set-hgsclientconfiguration
Register-FakeGuestCmdlet -Name 'Set-HgsClientConfiguration' -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Set-HgsClientConfiguration'
    if (@($c.guest.features | Where-Object { $_ -eq 'HostGuardian' }).Count -eq 0) {
        Throw-FakeError -Message 'The term Set-HgsClientConfiguration requires the HostGuardian feature.' -ErrorId 'HostGuardianNotInstalled,Microsoft.Windows.HgsClient.Commands.SetHgsClientConfigurationCommand' -Category InvalidOperation -Target $c.guest.computerName -ExceptionType 'System.InvalidOperationException'
    }
    $c.guest.hgsClient = [ordered]@{ attestationServerUrl = [string]$Bound.AttestationServerUrl; keyProtectionServerUrl = [string]$Bound.KeyProtectionServerUrl }
    [pscustomobject]@{ AttestationServerUrl = [string]$Bound.AttestationServerUrl; KeyProtectionServerUrl = [string]$Bound.KeyProtectionServerUrl }
}

# Get-HgsClientConfiguration: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hgsclient/get-hgsclientconfiguration
Register-FakeGuestCmdlet -Name 'Get-HgsClientConfiguration' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $c = Get-FakeCurrentGuest -State $State -Cmdlet 'Get-HgsClientConfiguration'
    $conf = $c.guest.hgsClient
    if ($null -eq $conf) { return [pscustomobject]@{ IsHostGuarded = $false; Mode = 'Local'; AttestationServerUrl = $null; KeyProtectionServerUrl = $null; AttestationStatus = 'NotConfigured' } }
    # Attestation passes when an initialised HGS on this host serves the URL's host name.
    $status = 'InsecureHostConfiguration'
    foreach ($vm in $State.vms) {
        $h = $vm.guest.hgs
        if ($null -ne $h -and $h.initialized -and $conf.attestationServerUrl -like ('*' + [string]$h.serviceName + '*')) { $status = 'Passed' }
    }
    [pscustomobject]@{ IsHostGuarded = ($status -eq 'Passed'); Mode = 'HostGuardianService'; AttestationServerUrl = $conf.attestationServerUrl; KeyProtectionServerUrl = $conf.keyProtectionServerUrl; AttestationStatus = $status }
}
