# Guest-side operations and probes: Active Directory, joins, HGS (Windows PowerShell 5.1
# syntax only). Self-contained functions taking one hashtable $A (see LabformGuest.Base.ps1).
# Secrets arrive as SecureString / PSCredential and are only turned into plain text where a
# native tool (djoin, netdom) needs them, in a local variable.

function LabformGuestOp-createForest {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    if ([int]$cs.DomainRole -ge 4) {
        if ($cs.Domain -eq $A.domain) { return [pscustomobject]@{ rebooted = $false; detail = 'already a domain controller' } }
        throw ('this guest is already a domain controller of ' + $cs.Domain)
    }
    # The local Administrator becomes the domain administrator: give it the password the
    # domainAdmin credential will use afterwards.
    Set-LocalUser -Name 'Administrator' -Password $A.domainAdmin.Password
    $features = Get-WindowsFeature -Name AD-Domain-Services
    if (-not $features.Installed) { $null = Install-WindowsFeature -Name AD-Domain-Services -IncludeManagementTools }
    $null = Install-ADDSForest -DomainName $A.domain -DomainNetbiosName $A.netbios -InstallDns -SafeModeAdministratorPassword $A.safeModePassword -NoRebootOnCompletion -Force
    Restart-Computer -Force
    return [pscustomobject]@{ rebooted = $true; detail = ('forest ' + $A.domain + ' created, restarting') }
}

function LabformGuestProbe-createForest {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    $done = ([int]$cs.DomainRole -ge 4 -and $cs.Domain -eq $A.domain)
    # DomainRole 4/5: a domain controller (Win32_ComputerSystem,
    # https://learn.microsoft.com/windows/win32/cimwin32prov/win32-computersystem); of another domain it is rebuilt, not changed.
    $replace = ''
    if (-not $done -and [int]$cs.DomainRole -ge 4) { $replace = 'a domain controller of ' + $cs.Domain }
    return [pscustomobject]@{ done = $done; detail = ('domain ' + $cs.Domain + ', role ' + $cs.DomainRole); replace = $replace }
}

function LabformGuestOp-addDomainController {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    if ([int]$cs.DomainRole -ge 4 -and $cs.Domain -eq $A.domain) { return [pscustomobject]@{ rebooted = $false; detail = 'already a domain controller' } }
    $features = Get-WindowsFeature -Name AD-Domain-Services
    if (-not $features.Installed) { $null = Install-WindowsFeature -Name AD-Domain-Services -IncludeManagementTools }
    $null = Install-ADDSDomainController -DomainName $A.domain -Credential $A.domainAdmin -SafeModeAdministratorPassword $A.safeModePassword -InstallDns -NoRebootOnCompletion -Force
    Restart-Computer -Force
    return [pscustomobject]@{ rebooted = $true; detail = ('domain controller of ' + $A.domain + ', restarting') }
}

function LabformGuestProbe-addDomainController {
    # Only this function travels into the guest: the same test as createForest's probe.
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    $done = ([int]$cs.DomainRole -ge 4 -and $cs.Domain -eq $A.domain)
    $replace = ''
    if (-not $done -and [int]$cs.DomainRole -ge 4) { $replace = 'a domain controller of ' + $cs.Domain }
    return [pscustomobject]@{ done = $done; detail = ('domain ' + $cs.Domain + ', role ' + $cs.DomainRole); replace = $replace }
}

function LabformGuestOp-joinDomain {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    if ($cs.PartOfDomain -and $cs.Domain -eq $A.domain) { return [pscustomobject]@{ rebooted = $false; detail = 'already joined' } }
    $dns = @($A.dns)
    if ($dns.Count -gt 0) {
        foreach ($nic in @(Get-NetAdapter | Where-Object { $_.Status -eq 'Up' })) {
            Set-DnsClientServerAddress -InterfaceIndex $nic.ifIndex -ServerAddresses $dns
        }
    }
    $join = @{ DomainName = $A.domain; Credential = $A.joinCredential; Force = $true }
    if ($A.ou) { $join.OUPath = $A.ou }
    Add-Computer @join
    Restart-Computer -Force
    return [pscustomobject]@{ rebooted = $true; detail = ('joined ' + $A.domain + ', restarting') }
}

function LabformGuestProbe-joinDomain {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    $done = ([bool]$cs.PartOfDomain -and $cs.Domain -eq $A.domain)
    $replace = ''
    if (-not $done -and [bool]$cs.PartOfDomain) { $replace = 'joined to ' + $cs.Domain }
    return [pscustomobject]@{ done = $done; detail = ('domain ' + $cs.Domain); replace = $replace }
}

function LabformGuestProbe-offlineDomainJoin {
    # Only this function travels into the guest: the same test as joinDomain's probe.
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    $done = ([bool]$cs.PartOfDomain -and $cs.Domain -eq $A.domain)
    $replace = ''
    if (-not $done -and [bool]$cs.PartOfDomain) { $replace = 'joined to ' + $cs.Domain }
    return [pscustomobject]@{ done = $done; detail = ('domain ' + $cs.Domain); replace = $replace }
}

function LabformGuestOp-provisionOfflineJoin {
    # On the DC: djoin /provision; the blob is read back (base64 text) for the member.
    param($A)
    $ErrorActionPreference = 'Stop'
    $file = Join-Path $env:TEMP ('labform-odj-' + [guid]::NewGuid().ToString('N') + '.txt')
    try {
        $arguments = @('/provision', '/domain', [string]$A.domain, '/machine', [string]$A.machine, '/savefile', $file, '/reuse')
        if ($A.ou) { $arguments += @('/machineou', [string]$A.ou) }
        # Inside PowerShell Direct a native command's stderr comes back as error records: under
        # 'Stop' in Windows PowerShell 5.1 the first one throws (PowerShell issue #3996). The exit
        # code decides; the output explains.
        $ErrorActionPreference = 'Continue'
        $said = @(& djoin.exe @arguments 2>&1 | ForEach-Object { [string]$_ })
        $code = $LASTEXITCODE
        $ErrorActionPreference = 'Stop'
        if ($code -ne 0) { throw ('djoin /provision failed with exit code ' + $code + ': ' + ((@($said) | Select-Object -Last 3) -join ' ')) }
        $blob = [System.IO.File]::ReadAllText($file)
    } finally {
        if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }
    }
    return [pscustomobject]@{ blob = $blob }
}

function LabformGuestOp-applyOfflineJoin {
    # On the member: djoin /requestODJ with the blob, DNS pointed at the DCs, restart.
    param($A)
    $ErrorActionPreference = 'Stop'
    $dns = @($A.dns)
    if ($dns.Count -gt 0) {
        foreach ($nic in @(Get-NetAdapter | Where-Object { $_.Status -eq 'Up' })) {
            Set-DnsClientServerAddress -InterfaceIndex $nic.ifIndex -ServerAddresses $dns
        }
    }
    $blob = $A.blob
    if ($blob -is [System.Security.SecureString]) { $blob = (New-Object System.Management.Automation.PSCredential 'odj', $blob).GetNetworkCredential().Password }
    $file = Join-Path $env:TEMP ('labform-odj-' + [guid]::NewGuid().ToString('N') + '.txt')
    try {
        [System.IO.File]::WriteAllText($file, [string]$blob, [System.Text.Encoding]::Unicode)
        $blob = $null
        # stderr handled as in provisionOfflineJoin (PowerShell issue #3996).
        $ErrorActionPreference = 'Continue'
        $said = @(& djoin.exe '/requestODJ' '/loadfile' $file '/windowspath' $env:windir '/localos' 2>&1 | ForEach-Object { [string]$_ })
        $code = $LASTEXITCODE
        $ErrorActionPreference = 'Stop'
        if ($code -ne 0) { throw ('djoin /requestODJ failed with exit code ' + $code + ': ' + ((@($said) | Select-Object -Last 3) -join ' ')) }
    } finally {
        if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }
    }
    Restart-Computer -Force
    return [pscustomobject]@{ rebooted = $true; detail = ('offline join to ' + $A.domain + ' applied, restarting') }
}

function LabformGuestOp-installHgs {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    if ([int]$cs.DomainRole -ge 4 -and $cs.Domain -eq $A.domain) { return [pscustomobject]@{ rebooted = $false; detail = 'HGS domain already installed' } }
    # The role first, with the restart Microsoft's guarded-fabric docs give it (MicrosoftDocs/
    # windowsserverdocs, guarded-fabric-install-hgs-default.md: Install-WindowsFeature -Name
    # HostGuardianServiceRole -IncludeManagementTools -Restart, then Install-HgsServer). The
    # restart is ours, so the runner knows to call again (phase 'feature') once the guest is back.
    $feature = Get-WindowsFeature -Name HostGuardianServiceRole
    if (-not $feature.Installed) {
        $installed = Install-WindowsFeature -Name HostGuardianServiceRole -IncludeManagementTools
        if ([string]$installed.RestartNeeded -eq 'Yes') {
            Restart-Computer -Force
            return [pscustomobject]@{ rebooted = $true; phase = 'feature'; detail = 'HGS role installed, restarting' }
        }
    }
    # Install-HgsServer -Restart restarts the guest itself.
    $null = Install-HgsServer -HgsDomainName $A.domain -SafeModeAdministratorPassword $A.safeModePassword -Restart
    return [pscustomobject]@{ rebooted = $true; detail = ('HGS domain ' + $A.domain + ' installed, restarting') }
}

function LabformGuestProbe-installHgs {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    return [pscustomobject]@{ done = ([int]$cs.DomainRole -ge 4 -and $cs.Domain -eq $A.domain); detail = ('domain ' + $cs.Domain + ', role ' + $cs.DomainRole) }
}

function LabformGuestOp-initializeHgs {
    param($A)
    $ErrorActionPreference = 'Stop'
    # Self-signed signing and encryption certificates, exported to PFX files protected by a
    # throwaway password that never leaves the guest.
    $password = New-Object System.Security.SecureString
    foreach ($c in [guid]::NewGuid().ToString('N').ToCharArray()) { $password.AppendChar($c) }
    $folder = Join-Path (Join-Path $env:ProgramData 'labform') 'hgs'
    if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }
    # HGS needs Data Encipherment on both; New-SelfSignedCertificate's default is DigitalSignature,
    # KeyEncipherment (MicrosoftDocs/windowsserverdocs, guarded-fabric-initialize-hgs-tpm-mode.md and
    # siblings: New-SelfSignedCertificate -KeyUsage DataEncipherment, DigitalSignature).
    $signing = New-SelfSignedCertificate -DnsName ('signing.' + $A.serviceName) -CertStoreLocation 'Cert:\LocalMachine\My' -KeyUsage DataEncipherment, DigitalSignature
    $encryption = New-SelfSignedCertificate -DnsName ('encryption.' + $A.serviceName) -CertStoreLocation 'Cert:\LocalMachine\My' -KeyUsage DataEncipherment, DigitalSignature
    $signingPath = Join-Path $folder 'signing.pfx'
    $encryptionPath = Join-Path $folder 'encryption.pfx'
    $null = Export-PfxCertificate -Cert $signing -FilePath $signingPath -Password $password
    $null = Export-PfxCertificate -Cert $encryption -FilePath $encryptionPath -Password $password
    $init = @{
        HgsServiceName = $A.serviceName
        SigningCertificatePath = $signingPath
        SigningCertificatePassword = $password
        EncryptionCertificatePath = $encryptionPath
        EncryptionCertificatePassword = $password
        Force = $true
    }
    if ($A.attestation -eq 'ad') { $init.TrustActiveDirectory = $true } else { $init.TrustTpm = $true }
    $null = Initialize-HgsServer @init
    # Host key attestation (Windows Server 2019+) is selected after initialisation.
    if ($A.attestation -eq 'hostKey') { $null = Set-HgsServer -TrustHostKey }
    return [pscustomobject]@{ rebooted = $false; detail = ('HGS initialised as ' + $A.serviceName + ' (' + $A.attestation + ')') }
}

function LabformGuestProbe-initializeHgs {
    param($A)
    try {
        $server = Get-HgsServer -ErrorAction Stop
        return [pscustomobject]@{ done = ($null -ne $server); detail = 'HGS initialised' }
    } catch {
        return [pscustomobject]@{ done = $false; detail = ('HGS not initialised: ' + $_.Exception.Message) }
    }
}

function LabformGuestOp-joinHgs {
    # An extra HGS node: promoted into the HGS domain (restart), then initialised against the
    # first node. Two phases across the restart: each run does the phase that is missing.
    param($A)
    $ErrorActionPreference = 'Stop'
    $cs = Get-CimInstance -ClassName Win32_ComputerSystem
    if (-not ([int]$cs.DomainRole -ge 4 -and $cs.Domain -eq $A.domain)) {
        # The role and its restart first, as on the first node (see LabformGuestOp-installHgs).
        $feature = Get-WindowsFeature -Name HostGuardianServiceRole
        if (-not $feature.Installed) {
            $installed = Install-WindowsFeature -Name HostGuardianServiceRole -IncludeManagementTools
            if ([string]$installed.RestartNeeded -eq 'Yes') {
                Restart-Computer -Force
                return [pscustomobject]@{ rebooted = $true; phase = 'feature'; detail = 'HGS role installed, restarting' }
            }
        }
        $null = Install-HgsServer -HgsDomainName $A.domain -HgsDomainCredential $A.credential -SafeModeAdministratorPassword $A.safeModePassword -Restart
        return [pscustomobject]@{ rebooted = $true; phase = 'install'; detail = ('joined HGS domain ' + $A.domain + ', restarting') }
    }
    $null = Initialize-HgsServer -HgsServerIPAddress $A.primaryAddress -Force
    return [pscustomobject]@{ rebooted = $false; phase = 'initialize'; detail = ('joined HGS at ' + $A.primaryAddress) }
}

function LabformGuestProbe-joinHgs {
    param($A)
    try {
        $server = Get-HgsServer -ErrorAction Stop
        return [pscustomobject]@{ done = ($null -ne $server); detail = 'HGS node initialised' }
    } catch {
        return [pscustomobject]@{ done = $false; detail = ('HGS node not initialised: ' + $_.Exception.Message) }
    }
}

function LabformGuestOp-createTrust {
    # The HGS domain trusts the fabric domain (AD attestation), as documented with netdom.
    param($A)
    $ErrorActionPreference = 'Stop'
    $local = (Get-CimInstance -ClassName Win32_ComputerSystem).Domain
    $user = $A.remoteCredential.UserName
    $plain = $A.remoteCredential.GetNetworkCredential().Password
    $said = @()
    try {
        # stderr handled as in provisionOfflineJoin (PowerShell issue #3996): never thrown under Stop.
        $ErrorActionPreference = 'Continue'
        $said = @(& netdom.exe trust $local ('/domain:' + $A.remoteDomain) ('/userD:' + $user) ('/passwordD:' + $plain) /add 2>&1 | ForEach-Object { [string]$_ })
        $code = $LASTEXITCODE
        $ErrorActionPreference = 'Stop'
    } finally {
        $plain = $null
    }
    if ($code -ne 0) { throw ('netdom trust ' + $local + ' /domain:' + $A.remoteDomain + ' /add failed with exit code ' + $code + ': ' + ((@($said) | Select-Object -Last 3) -join ' ')) }
    return [pscustomobject]@{ rebooted = $false; detail = ($local + ' trusts ' + $A.remoteDomain) }
}

function LabformGuestProbe-createTrust {
    param($A)
    $trust = $null
    try { $trust = @(Get-ADTrust -Filter '*' -ErrorAction Stop | Where-Object { $_.Target -eq $A.remoteDomain }) | Select-Object -First 1 } catch { $trust = $null }
    return [pscustomobject]@{ done = ($null -ne $trust); detail = ('trust to ' + $A.remoteDomain) }
}

function LabformGuestOp-moveComputer {
    # On a domain controller: Get-ADComputer | Move-ADObject -TargetPath (Microsoft Learn,
    # ActiveDirectory "Move-ADObject": the object from Get-ADComputer can be piped to it).
    param($A)
    $ErrorActionPreference = 'Stop'
    $computer = Get-ADComputer -Identity ([string]$A.computerName)
    # Distinguished names compare without the spaces a manifest may put around ',' and '='
    # (Active Directory stores them without); -eq ignores case, as AD does.
    $parent = (([string]$computer.DistinguishedName) -replace '^CN=[^,]+,', '') -replace '\s*([,=])\s*', '$1'
    if ($parent -eq (([string]$A.ou) -replace '\s*([,=])\s*', '$1')) { return [pscustomobject]@{ rebooted = $false; detail = ('already in ' + $A.ou) } }
    $computer | Move-ADObject -TargetPath ([string]$A.ou)
    return [pscustomobject]@{ rebooted = $false; detail = ('moved ' + $A.computerName + ' to ' + $A.ou) }
}

function LabformGuestProbe-moveComputer {
    # Done when the computer object's distinguished name is in the OU; the detail is that name.
    param($A)
    $computer = $null
    try { $computer = Get-ADComputer -Identity ([string]$A.computerName) -ErrorAction Stop } catch { $computer = $null }
    if ($null -eq $computer) { return [pscustomobject]@{ done = $false; detail = ('no computer object ' + $A.computerName) } }
    $dn = [string]$computer.DistinguishedName
    $parent = ($dn -replace '^CN=[^,]+,', '') -replace '\s*([,=])\s*', '$1'
    return [pscustomobject]@{ done = ($parent -eq (([string]$A.ou) -replace '\s*([,=])\s*', '$1')); detail = $dn }
}
