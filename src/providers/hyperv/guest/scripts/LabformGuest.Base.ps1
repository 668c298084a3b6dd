# Guest-side operations and probes: base configuration (Windows PowerShell 5.1 syntax only).
# Each function's scriptblock is sent as is through PowerShell Direct, so it must be
# self-contained (no calls to other labform functions) and take ONE hashtable, $A, whose
# values are only ever used as data.
# Operations return @{ rebooted; detail }; probes return @{ done; detail }.

function LabformGuestOp-setComputerName {
    param($A)
    $ErrorActionPreference = 'Stop'
    if ($env:COMPUTERNAME -eq $A.computerName) {
        return [pscustomobject]@{ rebooted = $false; detail = 'already named' }
    }
    Rename-Computer -NewName $A.computerName -Force
    Restart-Computer -Force
    return [pscustomobject]@{ rebooted = $true; detail = 'renamed, restarting' }
}

function LabformGuestProbe-setComputerName {
    param($A)
    return [pscustomobject]@{ done = ($env:COMPUTERNAME -eq $A.computerName); detail = ('computer name ' + $env:COMPUTERNAME) }
}

function LabformGuestOp-setNetwork {
    param($A)
    $ErrorActionPreference = 'Stop'
    # No one answers prompts in a PowerShell Direct session: removals must not ask.
    $ConfirmPreference = 'None'
    # Adapters are identified by MAC, never by order or name.
    $mac = ([string]$A.mac -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
    $nic = @(Get-NetAdapter | Where-Object { ([string]$_.MacAddress -replace '[^0-9A-Fa-f]', '').ToUpperInvariant() -eq $mac }) | Select-Object -First 1
    if ($null -eq $nic) { throw ('no network adapter with MAC address ' + $mac + ' in this guest') }
    $index = $nic.ifIndex
    if ($A.dhcp) {
        Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Dhcp Enabled
    } else {
        Set-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4 -Dhcp Disabled
        $wanted = @($A.addresses)
        $present = @(Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue)
        foreach ($old in $present) {
            $keep = @($wanted | Where-Object { $_.address -eq $old.IPAddress -and [int]$_.prefixLength -eq [int]$old.PrefixLength }).Count -gt 0
            if (-not $keep) { Remove-NetIPAddress -InterfaceIndex $index -IPAddress $old.IPAddress }
        }
        $routes = @(Get-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue)
        $needGateway = $false
        if ($A.gateway) { $needGateway = @($routes | Where-Object { $_.NextHop -eq $A.gateway }).Count -eq 0 }
        foreach ($route in $routes) {
            if ($route.NextHop -ne $A.gateway) { Remove-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -NextHop $route.NextHop }
        }
        foreach ($want in $wanted) {
            $have = @($present | Where-Object { $_.IPAddress -eq $want.address -and [int]$_.PrefixLength -eq [int]$want.prefixLength }).Count -gt 0
            if ($have) { continue }
            $ip = @{ InterfaceIndex = $index; AddressFamily = 'IPv4'; IPAddress = $want.address; PrefixLength = [byte]$want.prefixLength }
            if ($needGateway) { $ip.DefaultGateway = $A.gateway; $needGateway = $false }
            $null = New-NetIPAddress @ip
        }
        if ($needGateway) { $null = New-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -NextHop $A.gateway }
    }
    $dns = @($A.dns)
    if ($dns.Count -gt 0) {
        Set-DnsClientServerAddress -InterfaceIndex $index -ServerAddresses $dns
    } else {
        Set-DnsClientServerAddress -InterfaceIndex $index -ResetServerAddresses
    }
    # A lab network Windows cannot identify (no domain yet, often no gateway) gets the Public
    # profile, the default for unknown networks; Windows Server 2025 guests keep it, and its
    # firewall rules block WinRM, SMB and ping there. Lab networks are trusted: Private.
    # A domain network is DomainAuthenticated, which Set-NetConnectionProfile cannot set and
    # labform leaves alone (Microsoft Learn, Set-NetConnectionProfile -NetworkCategory).
    $connection = @(Get-NetConnectionProfile -InterfaceIndex $index -ErrorAction SilentlyContinue) | Select-Object -First 1
    if ($null -ne $connection -and [string]$connection.NetworkCategory -eq 'Public') {
        Set-NetConnectionProfile -InterfaceIndex $index -NetworkCategory Private
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('configured adapter ' + $nic.Name) }
}

function LabformGuestProbe-setNetwork {
    param($A)
    $ErrorActionPreference = 'Stop'
    $mac = ([string]$A.mac -replace '[^0-9A-Fa-f]', '').ToUpperInvariant()
    $nic = @(Get-NetAdapter | Where-Object { ([string]$_.MacAddress -replace '[^0-9A-Fa-f]', '').ToUpperInvariant() -eq $mac }) | Select-Object -First 1
    if ($null -eq $nic) { return [pscustomobject]@{ done = $false; detail = ('no adapter with MAC ' + $mac) } }
    $index = $nic.ifIndex
    $ipif = Get-NetIPInterface -InterfaceIndex $index -AddressFamily IPv4
    if ($A.dhcp) {
        if ([string]$ipif.Dhcp -ne 'Enabled') { return [pscustomobject]@{ done = $false; detail = 'DHCP disabled' } }
    } else {
        $present = @(Get-NetIPAddress -InterfaceIndex $index -AddressFamily IPv4 -ErrorAction SilentlyContinue)
        foreach ($want in @($A.addresses)) {
            $have = @($present | Where-Object { $_.IPAddress -eq $want.address -and [int]$_.PrefixLength -eq [int]$want.prefixLength }).Count -gt 0
            if (-not $have) { return [pscustomobject]@{ done = $false; detail = ('missing ' + $want.address + '/' + $want.prefixLength) } }
        }
        if (@($present).Count -ne @($A.addresses).Count) { return [pscustomobject]@{ done = $false; detail = 'extra addresses' } }
        if ($A.gateway) {
            $routes = @(Get-NetRoute -InterfaceIndex $index -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue)
            if (@($routes | Where-Object { $_.NextHop -eq $A.gateway }).Count -eq 0) { return [pscustomobject]@{ done = $false; detail = 'gateway missing' } }
        }
    }
    $connection = @(Get-NetConnectionProfile -InterfaceIndex $index -ErrorAction SilentlyContinue) | Select-Object -First 1
    if ($null -ne $connection -and [string]$connection.NetworkCategory -eq 'Public') { return [pscustomobject]@{ done = $false; detail = 'network profile Public' } }
    $dnsNow = @((Get-DnsClientServerAddress -InterfaceIndex $index -AddressFamily IPv4).ServerAddresses)
    $dnsWanted = @($A.dns)
    if ($dnsWanted.Count -gt 0 -and (($dnsNow -join ',') -ne ($dnsWanted -join ','))) {
        return [pscustomobject]@{ done = $false; detail = ('DNS ' + ($dnsNow -join ',')) }
    }
    return [pscustomobject]@{ done = $true; detail = ('adapter ' + $nic.Name + ' configured') }
}

function LabformGuestOp-installFeatures {
    param($A)
    $ErrorActionPreference = 'Stop'
    $names = @($A.features)
    $found = @(Get-WindowsFeature -Name $names)
    # Unknown names stay in the list: Install-WindowsFeature says which one it does not know.
    $missing = @($names | Where-Object { $n = $_; @($found | Where-Object { $_.Name -eq $n -and $_.Installed }).Count -eq 0 })
    if ($missing.Count -eq 0) { return [pscustomobject]@{ rebooted = $false; detail = 'already installed' } }
    $result = Install-WindowsFeature -Name $missing -IncludeManagementTools
    if (-not $result.Success) { throw ('Install-WindowsFeature did not succeed for ' + ($missing -join ', ')) }
    if ([string]$result.RestartNeeded -eq 'Yes') {
        Restart-Computer -Force
        return [pscustomobject]@{ rebooted = $true; detail = ('installed ' + ($missing -join ', ') + ', restarting') }
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('installed ' + ($missing -join ', ')) }
}

function LabformGuestProbe-installFeatures {
    param($A)
    $ErrorActionPreference = 'Stop'
    $installed = @{}
    foreach ($feature in @(Get-WindowsFeature -Name @($A.features))) { if ($feature.Installed) { $installed[[string]$feature.Name] = $true } }
    $missing = @()
    foreach ($name in @($A.features)) { if (-not $installed.ContainsKey([string]$name)) { $missing += [string]$name } }
    return [pscustomobject]@{ done = ($missing.Count -eq 0); detail = ('missing: ' + ($missing -join ', ')) }
}

function LabformGuestOp-runScript {
    param($A)
    $ErrorActionPreference = 'Stop'
    # The manifest's script runs in its own runspace: it can do anything in the guest, but
    # cannot reach this harness's variables or functions. Its text is data until here.
    $ps = [System.Management.Automation.PowerShell]::Create()
    try {
        $null = $ps.AddScript([string]$A.run)
        $output = $ps.Invoke()
        if ($ps.HadErrors -and $ps.Streams.Error.Count -gt 0) {
            $first = $ps.Streams.Error[0]
            throw $first
        }
    } finally {
        $ps.Dispose()
    }
    if (-not $A.test) {
        # Without a test, one successful run is recorded by a marker.
        $folder = Join-Path (Join-Path $env:ProgramData 'labform') 'scripts'
        if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }
        $marker = ([string]$A.id) -replace '[^A-Za-z0-9._-]', '_'
        [System.IO.File]::WriteAllText((Join-Path $folder ($marker + '.done')), 'done')
    }
    if ($A.reboots) {
        Restart-Computer -Force
        return [pscustomobject]@{ rebooted = $true; detail = ('script ' + $A.id + ' ran (' + @($output).Count + ' output objects), restarting') }
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('script ' + $A.id + ' ran (' + @($output).Count + ' output objects)') }
}

function LabformGuestProbe-runScript {
    param($A)
    $ErrorActionPreference = 'Stop'
    if ($A.test) {
        $ps = [System.Management.Automation.PowerShell]::Create()
        try {
            $null = $ps.AddScript([string]$A.test)
            $output = @($ps.Invoke())
        } finally {
            $ps.Dispose()
        }
        $last = $output | Select-Object -Last 1
        $done = ($null -ne $last) -and ([string]$last -eq 'True')
        return [pscustomobject]@{ done = $done; detail = ('test printed ' + [string]$last) }
    }
    $marker = Join-Path (Join-Path (Join-Path $env:ProgramData 'labform') 'scripts') ((([string]$A.id) -replace '[^A-Za-z0-9._-]', '_') + '.done')
    return [pscustomobject]@{ done = (Test-Path -LiteralPath $marker); detail = 'run-once marker' }
}

function LabformGuestOp-readComputerName {
    param($A)
    return [pscustomobject]@{ value = [string]$env:COMPUTERNAME }
}

function LabformGuestOp-uninstallFeatures {
    # Uninstall-WindowsFeature (Microsoft Learn, ServerManager "Uninstall-WindowsFeature"): its
    # result says Success and RestartNeeded; removing Hyper-V needs a restart to finish, which
    # the guest then does (as Install-WindowsFeature's restart is done above).
    param($A)
    $ErrorActionPreference = 'Stop'
    $names = @($A.features)
    $found = @(Get-WindowsFeature -Name $names)
    $present = @($names | Where-Object { $n = $_; @($found | Where-Object { $_.Name -eq $n -and $_.Installed }).Count -gt 0 })
    if ($present.Count -eq 0) { return [pscustomobject]@{ rebooted = $false; detail = 'not installed' } }
    $result = Uninstall-WindowsFeature -Name $present
    if (-not $result.Success) { throw ('Uninstall-WindowsFeature did not succeed for ' + ($present -join ', ')) }
    if ([string]$result.RestartNeeded -eq 'Yes') {
        Restart-Computer -Force
        return [pscustomobject]@{ rebooted = $true; detail = ('removed ' + ($present -join ', ') + ', restarting') }
    }
    return [pscustomobject]@{ rebooted = $false; detail = ('removed ' + ($present -join ', ')) }
}

function LabformGuestProbe-uninstallFeatures {
    param($A)
    $ErrorActionPreference = 'Stop'
    $found = @(Get-WindowsFeature -Name @($A.features))
    $present = @($A.features | Where-Object { $n = $_; @($found | Where-Object { $_.Name -eq $n -and $_.Installed }).Count -gt 0 })
    return [pscustomobject]@{ done = ($present.Count -eq 0); detail = ('installed: ' + ($present -join ', ')) }
}

# The guest's role records (docs/roles.md): one file per role labform applied, under
# %ProgramData%\labform\roles, holding the JSON text labform sent. .NET file calls, not
# Set-Content: the text is kept byte for byte (UTF-8 without BOM), so the probe compares it exactly.
function LabformGuestOp-recordRole {
    param($A)
    $ErrorActionPreference = 'Stop'
    $folder = Join-Path (Join-Path $env:ProgramData 'labform') 'roles'
    $null = [System.IO.Directory]::CreateDirectory($folder)
    [System.IO.File]::WriteAllText((Join-Path $folder ([string]$A.file)), [string]$A.record)
    return [pscustomobject]@{ rebooted = $false; detail = ('recorded ' + $A.file) }
}

function LabformGuestProbe-recordRole {
    param($A)
    $file = Join-Path (Join-Path (Join-Path $env:ProgramData 'labform') 'roles') ([string]$A.file)
    if (-not [System.IO.File]::Exists($file)) { return [pscustomobject]@{ done = $false; detail = 'no record' } }
    $held = [System.IO.File]::ReadAllText($file)
    return [pscustomobject]@{ done = ($held -ceq [string]$A.record); detail = 'recorded' }
}

function LabformGuestOp-forgetRole {
    param($A)
    $ErrorActionPreference = 'Stop'
    $file = Join-Path (Join-Path (Join-Path $env:ProgramData 'labform') 'roles') ([string]$A.file)
    if ([System.IO.File]::Exists($file)) { [System.IO.File]::Delete($file) }
    return [pscustomobject]@{ rebooted = $false; detail = ('forgot ' + $A.file) }
}

function LabformGuestProbe-forgetRole {
    param($A)
    $file = Join-Path (Join-Path (Join-Path $env:ProgramData 'labform') 'roles') ([string]$A.file)
    return [pscustomobject]@{ done = (-not [System.IO.File]::Exists($file)); detail = 'role records' }
}

function LabformGuestOp-readRoles {
    param($A)
    return [pscustomobject]@{ rebooted = $false; detail = 'nothing to do' }
}

function LabformGuestProbe-readRoles {
    # Every role record, as a JSON array of their texts, in the detail.
    param($A)
    $folder = Join-Path (Join-Path $env:ProgramData 'labform') 'roles'
    $texts = @()
    if ([System.IO.Directory]::Exists($folder)) {
        foreach ($file in @([System.IO.Directory]::GetFiles($folder, '*.json') | Sort-Object)) { $texts += , [System.IO.File]::ReadAllText($file) }
    }
    return [pscustomobject]@{ done = $true; detail = (ConvertTo-Json -InputObject @($texts) -Compress) }
}
