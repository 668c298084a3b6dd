# Guest-side operations and probes: DNS, AD groups, attestation, shares, DHCP, iSCSI,
# clusters (Windows PowerShell 5.1 syntax only). Self-contained functions taking one
# hashtable $A (see LabformGuest.Base.ps1).

function LabformGuestOp-addDnsForwarder {
    param($A)
    $ErrorActionPreference = 'Stop'
    $zone = $null
    try { $zone = Get-DnsServerZone -Name $A.domain -ErrorAction Stop } catch { $zone = $null }
    if ($null -ne $zone) { return [pscustomobject]@{ rebooted = $false; detail = ('zone ' + $A.domain + ' exists') } }
    # Forwarders live on domain controllers here (DC and HGS): replicated forest-wide.
    Add-DnsServerConditionalForwarderZone -Name $A.domain -MasterServers @($A.masterServers) -ReplicationScope 'Forest'
    return [pscustomobject]@{ rebooted = $false; detail = ('forwarding ' + $A.domain + ' to ' + (@($A.masterServers) -join ', ')) }
}

function LabformGuestProbe-addDnsForwarder {
    param($A)
    $zone = $null
    try { $zone = Get-DnsServerZone -Name $A.domain -ErrorAction Stop } catch { $zone = $null }
    return [pscustomobject]@{ done = ($null -ne $zone -and [string]$zone.ZoneType -eq 'Forwarder'); detail = ('zone ' + $A.domain) }
}

function LabformGuestOp-createAdGroup {
    param($A)
    $ErrorActionPreference = 'Stop'
    $group = Get-ADGroup -Filter '*' | Where-Object { $_.Name -eq $A.name } | Select-Object -First 1
    if ($null -eq $group) { $group = New-ADGroup -Name $A.name -GroupScope Global -GroupCategory Security -PassThru }
    $members = @()
    foreach ($m in @($A.members)) { $members += Get-ADComputer -Identity $m }
    if ($members.Count -gt 0) { Add-ADGroupMember -Identity $group -Members $members }
    return [pscustomobject]@{ rebooted = $false; detail = ('group ' + $A.name + ' with ' + $members.Count + ' computers') }
}

function LabformGuestProbe-createAdGroup {
    param($A)
    $ErrorActionPreference = 'Stop'
    $group = Get-ADGroup -Filter '*' | Where-Object { $_.Name -eq $A.name } | Select-Object -First 1
    if ($null -eq $group) { return [pscustomobject]@{ done = $false; detail = ('no group ' + $A.name) } }
    $have = @(Get-ADGroupMember -Identity $group | ForEach-Object { [string]$_.Name })
    $missing = @(@($A.members) | Where-Object { $have -notcontains $_ })
    return [pscustomobject]@{ done = ($missing.Count -eq 0); detail = ('missing members: ' + ($missing -join ', ')) }
}

function LabformGuestOp-readGroupSid {
    # On a fabric DC: the SID of the guarded hosts' group. Read in the fabric domain itself, not
    # from the HGS node: the one-way trust lets HGS trust the fabric, not query it (Microsoft
    # Learn, guarded fabric "Configure HGS for AD attestation": (Get-ADGroup '...').SID in the
    # fabric domain, then Add-HgsAttestationHostGroup -Identifier on HGS).
    param($A)
    $ErrorActionPreference = 'Stop'
    $group = Get-ADGroup -Identity $A.name
    return [pscustomobject]@{ value = [string]$group.SID.Value }
}

function LabformGuestOp-addAttestationHostGroup {
    param($A)
    $ErrorActionPreference = 'Stop'
    # The SID was read on a fabric DC (LabformGuestOp-readGroupSid) and arrives as data.
    Add-HgsAttestationHostGroup -Name $A.name -Identifier $A.identifier
    return [pscustomobject]@{ rebooted = $false; detail = ('host group ' + $A.name + ' = ' + $A.fabricDomain + '\' + $A.groupName + ' (' + $A.identifier + ')') }
}

function LabformGuestProbe-addAttestationHostGroup {
    param($A)
    $found = @()
    try { $found = @(Get-HgsAttestationHostGroup -ErrorAction Stop | Where-Object { $_.Name -eq $A.name }) } catch { $found = @() }
    return [pscustomobject]@{ done = ($found.Count -gt 0); detail = ('host group ' + $A.name) }
}

function LabformGuestOp-readPlatformIdentifier {
    # On a guarded host: its TPM platform identifier (XML), for the HGS.
    param($A)
    $ErrorActionPreference = 'Stop'
    $xml = Get-PlatformIdentifier -Name $A.name
    return [pscustomobject]@{ value = $xml.OuterXml }
}

function LabformGuestOp-addAttestationTpmHost {
    param($A)
    $ErrorActionPreference = 'Stop'
    $xml = New-Object System.Xml.XmlDocument
    $xml.LoadXml([string]$A.identifier)
    $null = Add-HgsAttestationTpmHost -Name $A.name -Xml $xml -Force
    return [pscustomobject]@{ rebooted = $false; detail = ('TPM host ' + $A.name + ' registered') }
}

function LabformGuestProbe-addAttestationTpmHost {
    param($A)
    $found = @()
    try { $found = @(Get-HgsAttestationTpmHost -ErrorAction Stop | Where-Object { $_.Name -eq $A.name }) } catch { $found = @() }
    return [pscustomobject]@{ done = ($found.Count -gt 0); detail = ('TPM host ' + $A.name) }
}

function LabformGuestOp-readHostKey {
    # On a guarded host: its host key (created once), exported as base64 of the .cer file.
    param($A)
    $ErrorActionPreference = 'Stop'
    $file = Join-Path $env:TEMP ('labform-hostkey-' + [guid]::NewGuid().ToString('N') + '.cer')
    try {
        $key = $null
        try { $key = Get-HgsClientHostKey -ErrorAction Stop } catch { $key = $null }
        if ($null -eq $key) { $null = Set-HgsClientHostKey }
        $null = Get-HgsClientHostKey -Path $file
        $value = [Convert]::ToBase64String([System.IO.File]::ReadAllBytes($file))
    } finally {
        if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }
    }
    return [pscustomobject]@{ value = $value }
}

function LabformGuestOp-addAttestationHostKey {
    param($A)
    $ErrorActionPreference = 'Stop'
    $file = Join-Path $env:TEMP ('labform-hostkey-' + [guid]::NewGuid().ToString('N') + '.cer')
    try {
        [System.IO.File]::WriteAllBytes($file, [Convert]::FromBase64String([string]$A.hostKey))
        $null = Add-HgsAttestationHostKey -Name $A.name -Path $file
    } finally {
        if (Test-Path -LiteralPath $file) { Remove-Item -LiteralPath $file -Force }
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('host key ' + $A.name + ' registered') }
}

function LabformGuestProbe-addAttestationHostKey {
    param($A)
    $found = @()
    try { $found = @(Get-HgsAttestationHostKey -ErrorAction Stop | Where-Object { $_.Name -eq $A.name }) } catch { $found = @() }
    return [pscustomobject]@{ done = ($found.Count -gt 0); detail = ('host key ' + $A.name) }
}

function LabformGuestOp-configureGuardedHost {
    param($A)
    $ErrorActionPreference = 'Stop'
    $null = Set-HgsClientConfiguration -AttestationServerUrl $A.attestationServerUrl -KeyProtectionServerUrl $A.keyProtectionServerUrl
    $now = Get-HgsClientConfiguration
    return [pscustomobject]@{ rebooted = $false; detail = ('attestation status ' + $now.AttestationStatus + ', guarded ' + $now.IsHostGuarded) }
}

function LabformGuestProbe-configureGuardedHost {
    param($A)
    $now = $null
    try { $now = Get-HgsClientConfiguration -ErrorAction Stop } catch { $now = $null }
    if ($null -eq $now) { return [pscustomobject]@{ done = $false; detail = 'no HGS client configuration' } }
    $done = ($now.AttestationServerUrl -eq $A.attestationServerUrl -and $now.KeyProtectionServerUrl -eq $A.keyProtectionServerUrl)
    return [pscustomobject]@{ done = $done; detail = ('attestation ' + $now.AttestationServerUrl + ', status ' + $now.AttestationStatus + ', guarded ' + $now.IsHostGuarded) }
}

function LabformGuestOp-createShare {
    # New-SmbShare, -FullAccess when the manifest lists accounts (Microsoft Learn, "New-SmbShare";
    # without it Windows gives Everyone Read). A share of that name at another path is removed
    # (Remove-SmbShare -Force: the folder and its files stay) and made again, since Set-SmbShare
    # has no -Path (Microsoft Learn, "Set-SmbShare"; ComputerManagementDsc's DSC_SmbShare does
    # the same). One at the path gets the manifest's Full access (docs/roles.md, "fileServer"):
    # Grant-SmbShareAccess -AccessRight Full -Force for the accounts missing, Revoke-SmbShareAccess
    # -Force (every allow entry of the account) for the others with Full, and Everyone Read, as
    # New-SmbShare gives, when no allow entry is left.
    param($A)
    $ErrorActionPreference = 'Stop'
    $ConfirmPreference = 'None'
    function Test-LabformSameAccount {
        # One account under two names: the same SID when Windows translates both; else the rule of
        # src/model/share-access.ts (equal names, or the same account part when either is bare or a UPN).
        param([string]$Left, [string]$Right)
        $sids = @()
        foreach ($n in @($Left, $Right)) {
            try { $sids += @([string](New-Object System.Security.Principal.NTAccount($n)).Translate([System.Security.Principal.SecurityIdentifier]).Value) } catch { $sids += @('') }
        }
        if ($sids[0] -and $sids[1]) { return ($sids[0] -eq $sids[1]) }
        $x = $Left.Trim().ToLowerInvariant()
        $y = $Right.Trim().ToLowerInvariant()
        if ($x -eq $y) { return $true }
        if (($x.Contains('\') -and $y.Contains('\')) -or ($x.Contains('@') -and $y.Contains('@'))) { return $false }
        $parts = @()
        foreach ($n in @($x, $y)) {
            if ($n.Contains('\')) { $parts += @($n.Substring($n.LastIndexOf('\') + 1)) }
            elseif ($n.Contains('@')) { $parts += @($n.Substring(0, $n.IndexOf('@'))) }
            else { $parts += @($n) }
        }
        return ($parts[0] -eq $parts[1])
    }
    $fullAccess = @(@($A.fullAccess) | Where-Object { $_ } | ForEach-Object { [string]$_ })
    if (-not (Test-Path -LiteralPath $A.path)) { $null = New-Item -ItemType Directory -Path $A.path -Force }
    $share = $null
    try { $share = Get-SmbShare -Name $A.name -ErrorAction Stop } catch { $share = $null }
    $moved = ''
    if ($null -ne $share -and [string]$share.Path -ne [string]$A.path) {
        $moved = [string]$share.Path
        Remove-SmbShare -Name $A.name -Force
        $share = $null
    }
    if ($null -eq $share) {
        $smb = @{ Name = $A.name; Path = $A.path }
        if ($fullAccess.Count -gt 0) { $smb.FullAccess = $fullAccess }
        $null = New-SmbShare @smb
        if ($moved) { return [pscustomobject]@{ rebooted = $false; detail = ('share ' + $A.name + ' made again at ' + $A.path + ' (' + $moved + ' and its files stay)') } }
        return [pscustomobject]@{ rebooted = $false; detail = ('share ' + $A.name + ' (' + $A.path + ')') }
    }
    $full = @(Get-SmbShareAccess -Name $A.name | Where-Object { [string]$_.AccessControlType -eq 'Allow' -and [string]$_.AccessRight -eq 'Full' } | ForEach-Object { [string]$_.AccountName })
    $granted = @()
    foreach ($wanted in $fullAccess) {
        $has = $false
        foreach ($f in $full) { if (Test-LabformSameAccount -Left $wanted -Right $f) { $has = $true } }
        if (-not $has) {
            $null = Grant-SmbShareAccess -Name $A.name -AccountName $wanted -AccessRight Full -Force
            $granted += @($wanted)
        }
    }
    $revoked = @()
    foreach ($f in ($full | Select-Object -Unique)) {
        $listed = $false
        foreach ($wanted in $fullAccess) { if (Test-LabformSameAccount -Left $wanted -Right $f) { $listed = $true } }
        if (-not $listed) {
            $null = Revoke-SmbShareAccess -Name $A.name -AccountName $f -Force
            $revoked += @($f)
        }
    }
    if ($revoked.Count -gt 0 -and @(Get-SmbShareAccess -Name $A.name | Where-Object { [string]$_.AccessControlType -eq 'Allow' }).Count -eq 0) {
        # Everyone by its SID (S-1-1-0): the group's name is translated on other Windows languages.
        $everyone = 'Everyone'
        try { $everyone = [string](New-Object System.Security.Principal.SecurityIdentifier('S-1-1-0')).Translate([System.Security.Principal.NTAccount]).Value } catch { $everyone = 'Everyone' }
        $null = Grant-SmbShareAccess -Name $A.name -AccountName $everyone -AccessRight Read -Force
    }
    $said = @()
    if ($granted.Count -gt 0) { $said += @('Full access granted to ' + ($granted -join ', ')) }
    if ($revoked.Count -gt 0) { $said += @('Full access revoked from ' + ($revoked -join ', ')) }
    if ($said.Count -eq 0) { $said = @('exists') }
    return [pscustomobject]@{ rebooted = $false; detail = ('share ' + $A.name + ' ' + ($said -join '; ')) }
}

function LabformGuestProbe-createShare {
    # Done when the share is at the path and exactly the listed accounts have Full / Allow
    # (Get-SmbShareAccess; Change and Read entries, such as New-SmbShare's Everyone Read, aside).
    param($A)
    function Test-LabformSameAccount {
        # As in LabformGuestOp-createShare (each guest scriptblock carries what it calls).
        param([string]$Left, [string]$Right)
        $sids = @()
        foreach ($n in @($Left, $Right)) {
            try { $sids += @([string](New-Object System.Security.Principal.NTAccount($n)).Translate([System.Security.Principal.SecurityIdentifier]).Value) } catch { $sids += @('') }
        }
        if ($sids[0] -and $sids[1]) { return ($sids[0] -eq $sids[1]) }
        $x = $Left.Trim().ToLowerInvariant()
        $y = $Right.Trim().ToLowerInvariant()
        if ($x -eq $y) { return $true }
        if (($x.Contains('\') -and $y.Contains('\')) -or ($x.Contains('@') -and $y.Contains('@'))) { return $false }
        $parts = @()
        foreach ($n in @($x, $y)) {
            if ($n.Contains('\')) { $parts += @($n.Substring($n.LastIndexOf('\') + 1)) }
            elseif ($n.Contains('@')) { $parts += @($n.Substring(0, $n.IndexOf('@'))) }
            else { $parts += @($n) }
        }
        return ($parts[0] -eq $parts[1])
    }
    $fullAccess = @(@($A.fullAccess) | Where-Object { $_ } | ForEach-Object { [string]$_ })
    $share = $null
    try { $share = Get-SmbShare -Name $A.name -ErrorAction Stop } catch { $share = $null }
    if ($null -eq $share) { return [pscustomobject]@{ done = $false; detail = ('no share ' + $A.name) } }
    if ([string]$share.Path -ne [string]$A.path) { return [pscustomobject]@{ done = $false; detail = ('share ' + $A.name + ' exists with path ' + $share.Path) } }
    $full = @(Get-SmbShareAccess -Name $A.name -ErrorAction Stop | Where-Object { [string]$_.AccessControlType -eq 'Allow' -and [string]$_.AccessRight -eq 'Full' } | ForEach-Object { [string]$_.AccountName })
    $missing = @()
    foreach ($wanted in $fullAccess) {
        $has = $false
        foreach ($f in $full) { if (Test-LabformSameAccount -Left $wanted -Right $f) { $has = $true } }
        if (-not $has) { $missing += @($wanted) }
    }
    $extra = @()
    foreach ($f in ($full | Select-Object -Unique)) {
        $listed = $false
        foreach ($wanted in $fullAccess) { if (Test-LabformSameAccount -Left $wanted -Right $f) { $listed = $true } }
        if (-not $listed) { $extra += @($f) }
    }
    $said = @()
    if ($missing.Count -gt 0) { $said += @('no Full access for ' + ($missing -join ', ')) }
    if ($extra.Count -gt 0) { $said += @('Full access also for ' + ($extra -join ', ')) }
    $detail = 'share ' + $A.name + ' (' + $share.Path + ')'
    if ($said.Count -gt 0) { $detail += ': ' + ($said -join '; ') }
    return [pscustomobject]@{ done = ($said.Count -eq 0); detail = $detail }
}

function LabformGuestOp-addDhcpScope {
    param($A)
    $ErrorActionPreference = 'Stop'
    $scope = $null
    try { $scope = Get-DhcpServerv4Scope -ScopeId $A.scopeId -ErrorAction Stop } catch { $scope = $null }
    if ($null -eq $scope) {
        Add-DhcpServerv4Scope -Name $A.name -StartRange $A.start -EndRange $A.end -SubnetMask $A.subnetMask -State Active
    }
    $options = @{ ScopeId = $A.scopeId }
    if ($A.router) { $options.Router = $A.router }
    if (@($A.dnsServers).Count -gt 0) { $options.DnsServer = @($A.dnsServers) }
    if ($A.dnsDomain) { $options.DnsDomain = $A.dnsDomain }
    # -Force: without it the cmdlet checks each DNS server answers and refuses one that does not
    # yet (Microsoft Learn, Set-DhcpServerv4OptionValue -Force: "Specifies that the DNS server
    # validation is skipped"); the lab's DNS servers may still be starting.
    if ($options.Count -gt 1) { Set-DhcpServerv4OptionValue @options -Force }
    return [pscustomobject]@{ rebooted = $false; detail = ('scope ' + $A.scopeId + ' ' + $A.start + '-' + $A.end) }
}

function LabformGuestProbe-addDhcpScope {
    param($A)
    $scope = $null
    try { $scope = Get-DhcpServerv4Scope -ScopeId $A.scopeId -ErrorAction Stop } catch { $scope = $null }
    $done = ($null -ne $scope -and [string]$scope.StartRange -eq $A.start -and [string]$scope.EndRange -eq $A.end)
    return [pscustomobject]@{ done = $done; detail = ('scope ' + $A.scopeId) }
}

function LabformGuestOp-authorizeDhcp {
    param($A)
    $ErrorActionPreference = 'Stop'
    Add-DhcpServerInDC -DnsName $A.dnsName -IPAddress $A.address
    return [pscustomobject]@{ rebooted = $false; detail = ('DHCP server ' + $A.dnsName + ' authorised') }
}

function LabformGuestProbe-authorizeDhcp {
    param($A)
    $found = @()
    try { $found = @(Get-DhcpServerInDC -ErrorAction Stop | Where-Object { $_.DnsName -eq $A.dnsName }) } catch { $found = @() }
    return [pscustomobject]@{ done = ($found.Count -gt 0); detail = ('DHCP server ' + $A.dnsName) }
}

function LabformGuestOp-createIscsiTarget {
    param($A)
    $ErrorActionPreference = 'Stop'
    $folder = Join-Path $env:SystemDrive 'iSCSIVirtualDisks'
    if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }
    $ids = @(@($A.initiatorAddresses) | ForEach-Object { 'IPAddress:' + $_ })
    $target = $null
    try { $target = Get-IscsiServerTarget -TargetName $A.targetName -ErrorAction Stop } catch { $target = $null }
    if ($null -eq $target) { $null = New-IscsiServerTarget -TargetName $A.targetName -InitiatorIds $ids }
    else { $null = Set-IscsiServerTarget -TargetName $A.targetName -InitiatorIds $ids }
    foreach ($disk in @($A.disks)) {
        $path = Join-Path $folder ([string]$disk.name + '.vhdx')
        $existing = $null
        try { $existing = Get-IscsiVirtualDisk -Path $path -ErrorAction Stop } catch { $existing = $null }
        if ($null -eq $existing) { $null = New-IscsiVirtualDisk -Path $path -SizeBytes ([uint64]$disk.size) }
        $mapped = @((Get-IscsiServerTarget -TargetName $A.targetName).LunMappings | Where-Object { $_.Path -eq $path })
        if ($mapped.Count -eq 0) { $null = Add-IscsiVirtualDiskTargetMapping -TargetName $A.targetName -Path $path }
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('target ' + $A.targetName + ' with ' + @($A.disks).Count + ' disks') }
}

function LabformGuestProbe-createIscsiTarget {
    param($A)
    $target = $null
    try { $target = Get-IscsiServerTarget -TargetName $A.targetName -ErrorAction Stop } catch { $target = $null }
    if ($null -eq $target) { return [pscustomobject]@{ done = $false; detail = ('no target ' + $A.targetName) } }
    $folder = Join-Path $env:SystemDrive 'iSCSIVirtualDisks'
    foreach ($disk in @($A.disks)) {
        $path = Join-Path $folder ([string]$disk.name + '.vhdx')
        if (@($target.LunMappings | Where-Object { $_.Path -eq $path }).Count -eq 0) { return [pscustomobject]@{ done = $false; detail = ('disk ' + $disk.name + ' not mapped') } }
    }
    return [pscustomobject]@{ done = $true; detail = ('target ' + $A.targetName) }
}

function LabformGuestOp-createCluster {
    param($A)
    $ErrorActionPreference = 'Stop'
    $cluster = $null
    try { $cluster = Get-Cluster -ErrorAction Stop } catch { $cluster = $null }
    if ($null -eq $cluster) {
        $cluster = New-Cluster -Name $A.name -Node @($A.nodes) -StaticAddress $A.address -NoStorage -Force
    }
    # Each cluster disk is told apart by which lab disk it is: an available disk is matched to a
    # lab disk of the same size (Get-ClusterAvailableDisk reports Size; cluster resources have no
    # such property) and its resource is named after that lab disk, as MSLab does
    # (Scenarios/Hyper-V with Shared Storage/Scenario.ps1: Add-ClusterDisk, then
    # $clusterDisk.Name = ..., Set-ClusterQuorum -DiskWitness). A re-run finds them by name.
    $names = @(Get-ClusterResource | Where-Object { [string]$_.ResourceType -eq 'Physical Disk' } | ForEach-Object { [string]$_.Name })
    $pending = @(@($A.disks) | Where-Object { $names -notcontains [string]$_.name })
    foreach ($available in @(Get-ClusterAvailableDisk)) {
        $lab = @($pending | Where-Object { [uint64]$_.size -eq [uint64]$available.Size }) | Select-Object -First 1
        if ($null -eq $lab) { continue }
        $resource = Add-ClusterDisk -InputObject $available
        $resource.Name = [string]$lab.name
        $pending = @($pending | Where-Object { $_ -ne $lab })
    }
    if ($pending.Count -gt 0) {
        throw ('no cluster disk of the size of lab disk(s) ' + ((@($pending) | ForEach-Object { [string]$_.name + ' (' + $_.size + ' bytes)' }) -join ', ') + ' is visible to the cluster nodes')
    }
    if ($A.witness -and $A.witness.share) {
        $null = Set-ClusterQuorum -FileShareWitness $A.witness.share
    } elseif ($A.witness -and $A.witness.disk) {
        $null = Set-ClusterQuorum -DiskWitness ([string]$A.witness.disk)
    }
    $csv = @()
    try { $csv = @(Get-ClusterSharedVolume -ErrorAction Stop | ForEach-Object { [string]$_.Name }) } catch { $csv = @() }
    foreach ($volume in @($A.sharedVolumes)) {
        if ($csv -contains [string]$volume) { continue }
        $null = Add-ClusterSharedVolume -Name ([string]$volume)
        $csv += [string]$volume
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('cluster ' + $A.name + ' with ' + $csv.Count + ' shared volumes') }
}

function LabformGuestProbe-createCluster {
    param($A)
    $cluster = $null
    try { $cluster = Get-Cluster -ErrorAction Stop } catch { $cluster = $null }
    if ($null -eq $cluster -or $cluster.Name -ne $A.name) { return [pscustomobject]@{ done = $false; detail = 'no cluster' } }
    $csv = @()
    try { $csv = @(Get-ClusterSharedVolume -ErrorAction Stop) } catch { $csv = @() }
    $done = $csv.Count -ge @($A.sharedVolumes).Count
    return [pscustomobject]@{ done = $done; detail = ('cluster ' + $cluster.Name + ', ' + $csv.Count + ' shared volumes') }
}

function LabformGuestOp-removeShare {
    # Remove-SmbShare -Name -Force (Microsoft Learn, SmbShare "Remove-SmbShare"): the share goes,
    # its clients are disconnected; the folder and its files stay.
    param($A)
    $ErrorActionPreference = 'Stop'
    $ConfirmPreference = 'None'
    $share = $null
    try { $share = Get-SmbShare -Name $A.name -ErrorAction Stop } catch { $share = $null }
    if ($null -eq $share) { return [pscustomobject]@{ rebooted = $false; detail = ('share ' + $A.name + ' already gone') } }
    Remove-SmbShare -Name $A.name -Force
    return [pscustomobject]@{ rebooted = $false; detail = ('share ' + $A.name + ' removed') }
}

function LabformGuestProbe-removeShare {
    param($A)
    $share = $null
    try { $share = Get-SmbShare -Name $A.name -ErrorAction Stop } catch { $share = $null }
    return [pscustomobject]@{ done = ($null -eq $share); detail = ('share ' + $A.name) }
}

function LabformGuestOp-removeDhcpScope {
    # Remove-DhcpServerv4Scope -ScopeId -Force (Microsoft Learn, DhcpServer
    # "Remove-DhcpServerv4Scope": -Force deletes the scope even when it has active leases).
    param($A)
    $ErrorActionPreference = 'Stop'
    $ConfirmPreference = 'None'
    $scope = $null
    try { $scope = Get-DhcpServerv4Scope -ScopeId $A.scopeId -ErrorAction Stop } catch { $scope = $null }
    if ($null -eq $scope) { return [pscustomobject]@{ rebooted = $false; detail = ('scope ' + $A.scopeId + ' already gone') } }
    Remove-DhcpServerv4Scope -ScopeId $A.scopeId -Force
    return [pscustomobject]@{ rebooted = $false; detail = ('scope ' + $A.scopeId + ' removed') }
}

function LabformGuestProbe-removeDhcpScope {
    param($A)
    $scope = $null
    try { $scope = Get-DhcpServerv4Scope -ScopeId $A.scopeId -ErrorAction Stop } catch { $scope = $null }
    return [pscustomobject]@{ done = ($null -eq $scope); detail = ('scope ' + $A.scopeId) }
}
