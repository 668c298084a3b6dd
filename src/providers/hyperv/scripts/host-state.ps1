# Discovery: everything labform needs from one host, in one request (Windows PowerShell 5.1 syntax only).

function Select-LabformHeartbeatService {
    # Integration service names are localized; the heartbeat service's id is not.
    [CmdletBinding()]
    param([object[]]$Services = @())
    $heartbeat = @($Services | Where-Object { [string]$_.Id -like '*84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47' })
    if ($heartbeat.Count -eq 0) { $heartbeat = @($Services | Where-Object { [string]$_.Name -eq 'Heartbeat' }) }
    if ($heartbeat.Count -eq 0) { return $null }
    return [pscustomobject]@{ enabled = [bool]$heartbeat[0].Enabled; primaryStatusDescription = [string]$heartbeat[0].PrimaryStatusDescription }
}

function Get-LabformHeartbeatService {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)]$VM)
    return Select-LabformHeartbeatService -Services @(Get-VMIntegrationService -VM $VM)
}

function Get-LabformVmKey {
    # Hyper-V lets two VMs share a name, so results are matched to their VM by id; by name only without one.
    [CmdletBinding()]
    param($Item)
    if ($null -eq $Item) { return $null }
    $idProperty = $Item.PSObject.Properties['VMId']
    if ($idProperty -and $null -ne $idProperty.Value) {
        $id = [string]$idProperty.Value
        if ($id -and $id -ne '00000000-0000-0000-0000-000000000000') { return 'id:' + $id.ToLowerInvariant() }
    }
    $nameProperty = $Item.PSObject.Properties['VMName']
    if ($nameProperty -and $nameProperty.Value) { return 'name:' + ([string]$nameProperty.Value).ToLowerInvariant() }
    return $null
}

function Group-LabformByVm {
    <#
    The results of one cmdlet called for many VMs, grouped by VM: a hashtable whose keys are
    'id:<vm id>' (or 'name:<vm name>') and values lists of results. Results that carry no VM
    (VMSecurity, for one) are matched by position when there is exactly one per VM, in the
    order asked (the cmdlets answer in input order); otherwise $PerVm is called for each VM.
    #>
    [CmdletBinding()]
    param(
        [object[]]$Items = @(),
        [object[]]$VMs = @(),
        [scriptblock]$PerVm
    )
    $groups = @{}
    foreach ($item in $Items) {
        $key = Get-LabformVmKey -Item $item
        if (-not $key) {
            $groups = @{}
            if ($Items.Count -eq $VMs.Count) {
                for ($i = 0; $i -lt $VMs.Count; $i++) { $groups['id:' + ([string]$VMs[$i].Id).ToLowerInvariant()] = @($Items[$i]) }
            } else {
                foreach ($vm in $VMs) { $groups['id:' + ([string]$vm.Id).ToLowerInvariant()] = @(& $PerVm $vm) }
            }
            return $groups
        }
        if (-not $groups.ContainsKey($key)) { $groups[$key] = New-Object -TypeName System.Collections.ArrayList }
        [void]$groups[$key].Add($item)
    }
    return $groups
}

function Get-LabformVmGroup {
    # The results of one VM in a Group-LabformByVm table (keyed by its id, or by its name).
    [CmdletBinding()]
    param([hashtable]$Groups, $VM)
    $byId = 'id:' + ([string]$VM.Id).ToLowerInvariant()
    if ($Groups.ContainsKey($byId)) { foreach ($item in $Groups[$byId]) { $item } }
    $byName = 'name:' + ([string]$VM.Name).ToLowerInvariant()
    if ($Groups.ContainsKey($byName)) { foreach ($item in $Groups[$byName]) { $item } }
}

function Get-LabformVmDetails {
    <#
    Everything per VM that Get-VM does not carry, fetched with one call per cmdlet for all VMs
    (each Hyper-V call costs tens of milliseconds; per VM that made discovery linear in calls).
    #>
    [CmdletBinding()]
    param([object[]]$VMs = @())
    $details = @{ services = @{}; processors = @{}; security = @{}; firmware = @{}; disks = @{}; dvdDrives = @{}; adapters = @{}; vlans = @{}; devices = @{}; snapshots = @{} }
    if ($VMs.Count -eq 0) { return $details }
    $details.services = Group-LabformByVm -Items @(Get-VMIntegrationService -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMIntegrationService -VM $v }
    $details.processors = Group-LabformByVm -Items @(Get-VMProcessor -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMProcessor -VM $v }
    $details.security = Group-LabformByVm -Items @(Get-VMSecurity -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMSecurity -VM $v }
    # Generation 1 VMs have no firmware settings: Get-VMFirmware fails for them.
    $gen2 = @($VMs | Where-Object { [int]$_.Generation -eq 2 })
    if ($gen2.Count -gt 0) {
        $details.firmware = Group-LabformByVm -Items @(Get-VMFirmware -VM $gen2) -VMs $gen2 -PerVm { param($v) Get-VMFirmware -VM $v }
    }
    $details.disks = Group-LabformByVm -Items @(Get-VMHardDiskDrive -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMHardDiskDrive -VM $v }
    $details.dvdDrives = Get-LabformDvdDriveGroups -VMs $VMs
    $adapters = @(Get-VMNetworkAdapter -VM $VMs)
    $details.adapters = Group-LabformByVm -Items $adapters -VMs $VMs -PerVm { param($v) Get-VMNetworkAdapter -VM $v }
    if ($adapters.Count -gt 0) {
        # A VLAN setting names its adapter (ParentAdapter); by position when it does not, one setting per adapter.
        $vlans = @(Get-VMNetworkAdapterVlan -VMNetworkAdapter $adapters)
        $byAdapter = @{}
        $complete = $true
        foreach ($vlan in $vlans) {
            $parent = $vlan.ParentAdapter
            if ($parent -and $parent.PSObject.Properties['Id'] -and [string]$parent.Id) { $byAdapter[[string]$parent.Id] = $vlan } else { $complete = $false }
        }
        if (-not $complete) {
            $byAdapter = @{}
            if ($vlans.Count -eq $adapters.Count) {
                for ($i = 0; $i -lt $adapters.Count; $i++) { $byAdapter[[string]$adapters[$i].Id] = $vlans[$i] }
            } else {
                foreach ($a in $adapters) { $byAdapter[[string]$a.Id] = Get-VMNetworkAdapterVlan -VMNetworkAdapter $a }
            }
        }
        $details.vlans = $byAdapter
    }
    $details.devices = Group-LabformByVm -Items @(Get-VMAssignableDevice -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMAssignableDevice -VM $v }
    $details.snapshots = Group-LabformByVm -Items @(Get-VMSnapshot -VM $VMs) -VMs $VMs -PerVm { param($v) Get-VMSnapshot -VM $v }
    return $details
}

function Invoke-LabformOnHostVms {
    <#
    Runs $Read on the host's VMs (Get-VM). Other sessions of labform change the host meanwhile
    (steps on one host run at once, src/powershell/session-pool.ts): a VM removed between Get-VM
    and the calls $Read makes on it fails them (Hyper-V cannot find it). Then the VMs are listed
    again, and when the list changed the read starts over (up to 5 times); an error with the same
    VMs is the host's own and is thrown as it is.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)][scriptblock]$Read)
    $ErrorActionPreference = 'Stop'
    for ($attempt = 1; ; $attempt++) {
        $vms = @(Get-VM)
        try {
            return (& $Read $vms)
        } catch {
            $before = (@($vms | ForEach-Object { ([string]$_.Id).ToLowerInvariant() }) | Sort-Object) -join ','
            $now = (@(Get-VM | ForEach-Object { ([string]$_.Id).ToLowerInvariant() }) | Sort-Object) -join ','
            if ($attempt -ge 5 -or $now -eq $before) { throw }
        }
    }
}

function Get-LabformAttachedDisks {
    # Every hard disk attached to a VM of the host: its path, the VM's name and state; read again if
    # a VM goes meanwhile (Invoke-LabformOnHostVms): a disk's removal or a seed's write checks this
    # while other sessions remove the lab's VMs.
    return Invoke-LabformOnHostVms -Read {
        param($vms)
        $out = @()
        if ($vms.Count -gt 0) {
            $states = @{}
            foreach ($v in $vms) { $states[([string]$v.Id).ToLowerInvariant()] = [string]$v.State }
            foreach ($d in @(Get-VMHardDiskDrive -VM $vms)) {
                if ($d.Path) { $out += [pscustomobject]@{ path = [string]$d.Path; vm = [string]$d.VMName; state = $states[([string]$d.VMId).ToLowerInvariant()] } }
            }
        }
        $out
    }
}

function Read-LabformVmsAndDetails {
    # The host's VMs and their details, read again if a VM goes meanwhile (Invoke-LabformOnHostVms).
    return Invoke-LabformOnHostVms -Read { param($vms) @{ vms = $vms; details = (Get-LabformVmDetails -VMs $vms) } }
}

function ConvertTo-LabformVmState {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]$VM,
        [Parameter(Mandatory = $true)][hashtable]$Details,
        [string[]]$Properties = @()
    )
    $name = $VM.Name
    # The simple settings (src/model/vm-settings.ts): Get-VM properties the request names, as strings.
    $settings = @{}
    foreach ($property in $Properties) { $settings[$property] = [string]$VM.$property }
    $hb = Select-LabformHeartbeatService -Services @(Get-LabformVmGroup -Groups $Details.services -VM $VM)
    $processor = @(Get-LabformVmGroup -Groups $Details.processors -VM $VM)[0]
    $security = @(Get-LabformVmGroup -Groups $Details.security -VM $VM)[0]
    $firmware = $null
    if ([int]$VM.Generation -eq 2) {
        $fw = @(Get-LabformVmGroup -Groups $Details.firmware -VM $VM)[0]
        $firmware = [pscustomobject]@{
            secureBoot = [string]$fw.SecureBoot
            secureBootTemplate = [string]$fw.SecureBootTemplate
        }
    }
    $disks = @()
    foreach ($d in @(Get-LabformVmGroup -Groups $Details.disks -VM $VM)) {
        $disks += [pscustomobject]@{
            controllerType = [string]$d.ControllerType
            controllerNumber = [int]$d.ControllerNumber
            controllerLocation = [int]$d.ControllerLocation
            path = [string]$d.Path
            supportPersistentReservations = [bool]$d.SupportPersistentReservations
        }
    }
    $adapters = @()
    foreach ($a in @(Get-LabformVmGroup -Groups $Details.adapters -VM $VM)) {
        $vlan = $null
        if ($Details.vlans.ContainsKey([string]$a.Id)) { $vlan = $Details.vlans[[string]$a.Id] }
        $addresses = @()
        foreach ($ip in @($a.IPAddresses)) { if ($ip) { $addresses += [string]$ip } }
        $adapters += [pscustomobject]@{
            name = [string]$a.Name
            switchName = $a.SwitchName
            macAddress = [string]$a.MacAddress
            dynamicMacAddressEnabled = [bool]$a.DynamicMacAddressEnabled
            macAddressSpoofing = [string]$a.MacAddressSpoofing
            vlanMode = [string]$vlan.OperationMode
            accessVlanId = [int]$vlan.AccessVlanId
            ipAddresses = $addresses
        }
    }
    $devices = @()
    foreach ($dev in @(Get-LabformVmGroup -Groups $Details.devices -VM $VM)) {
        $devices += [pscustomobject]@{ locationPath = [string]$dev.LocationPath; instanceId = [string]$dev.InstanceID }
    }
    $snapshots = @()
    foreach ($s in @(Get-LabformVmGroup -Groups $Details.snapshots -VM $VM)) { $snapshots += [string]$s.Name }
    $uptime = 0
    if ($VM.Uptime) { $uptime = [long][math]::Floor($VM.Uptime.TotalSeconds) }
    return [pscustomobject]@{
        name = [string]$name
        id = [string]$VM.Id
        state = [string]$VM.State
        notes = [string]$VM.Notes
        generation = [int]$VM.Generation
        path = [string]$VM.Path
        processorCount = [int]$VM.ProcessorCount
        memoryStartup = [long]$VM.MemoryStartup
        dynamicMemoryEnabled = [bool]$VM.DynamicMemoryEnabled
        memoryMinimum = [long]$VM.MemoryMinimum
        memoryMaximum = [long]$VM.MemoryMaximum
        lowMemoryMappedIoSpace = [long]$VM.LowMemoryMappedIoSpace
        highMemoryMappedIoSpace = [long]$VM.HighMemoryMappedIoSpace
        settings = $settings
        uptimeSeconds = $uptime
        heartbeat = [string]$VM.Heartbeat
        heartbeatService = $hb
        exposeVirtualizationExtensions = [bool]$processor.ExposeVirtualizationExtensions
        tpmEnabled = [bool]$security.TpmEnabled
        firmware = $firmware
        snapshots = $snapshots
        disks = $disks
        dvdDrives = (ConvertTo-LabformDvdDrives -Groups $Details.dvdDrives -VM $VM)
        adapters = $adapters
        assignedDevices = $devices
        isClustered = [bool]$VM.IsClustered
    }
}

function ConvertTo-LabformVhdState {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)]$Vhd)
    return [pscustomobject]@{
        path = [string]$Vhd.Path
        vhdFormat = [string]$Vhd.VhdFormat
        vhdType = [string]$Vhd.VhdType
        parentPath = [string]$Vhd.ParentPath
        size = [long]$Vhd.Size
        # Bytes the file takes on disk (Get-VHD's FileSize: https://learn.microsoft.com/powershell/module/hyper-v/get-vhd, example 1).
        fileSize = $Vhd.FileSize
        attached = [bool]$Vhd.Attached
    }
}

function Get-LabformHostState {
    [CmdletBinding()]
    param(
        [string[]]$Paths = @(),
        [string[]]$Files = @(),
        [string[]]$Devices = @(),
        [string[]]$VmProperties = @(),
        [string[]]$Sources = @(),
        [object[]]$Images = @(),
        [string[]]$Seeds = @()
    )
    $ErrorActionPreference = 'Stop'
    $vmHost = Get-VMHost
    $read = Read-LabformVmsAndDetails
    $allVms = $read.vms
    $details = $read.details
    $vmList = New-Object -TypeName System.Collections.ArrayList
    foreach ($vm in $allVms) { [void]$vmList.Add((ConvertTo-LabformVmState -VM $vm -Details $details -Properties $VmProperties)) }
    $vms = $vmList.ToArray()

    $switches = @()
    foreach ($s in @(Get-VMSwitch)) {
        $switches += [pscustomobject]@{
            name = [string]$s.Name
            switchType = [string]$s.SwitchType
            notes = [string]$s.Notes
            netAdapterNames = @(Get-LabformSwitchAdapterName -Switch $s)
            allowManagementOS = [bool]$s.AllowManagementOS
        }
    }

    $nats = @()
    $mappings = @()
    # WinNAT is absent on some hosts (no NetNat module): then there is simply no NAT.
    if (Get-Command -Name 'Get-NetNat' -ErrorAction SilentlyContinue) {
        foreach ($n in @(Get-NetNat)) {
            $nats += [pscustomobject]@{ name = [string]$n.Name; internalIPInterfaceAddressPrefix = [string]$n.InternalIPInterfaceAddressPrefix }
        }
        foreach ($m in @(Get-NetNatStaticMapping)) {
            $mappings += [pscustomobject]@{
                natName = [string]$m.NatName
                protocol = [string]$m.Protocol
                externalPort = [int]$m.ExternalPort
                internalIPAddress = [string]$m.InternalIPAddress
                internalPort = [int]$m.InternalPort
            }
        }
    }

    # The host's physical adapters, which an external switch binds by name (New-VMSwitch
    # -NetAdapterName); -Physical leaves out virtual ones such as vEthernet (Learn, Get-NetAdapter).
    $physicalAdapters = $null
    if (Get-Command -Name 'Get-NetAdapter' -ErrorAction SilentlyContinue) {
        $physicalAdapters = @()
        foreach ($nic in @(Get-NetAdapter -Physical)) {
            $physicalAdapters += [pscustomobject]@{ name = [string]$nic.Name; interfaceDescription = [string]$nic.InterfaceDescription }
        }
    }

    $addresses = @()
    foreach ($a in @(Get-NetIPAddress -AddressFamily IPv4)) {
        $addresses += [pscustomobject]@{ interfaceAlias = [string]$a.InterfaceAlias; ipAddress = [string]$a.IPAddress; prefixLength = [int]$a.PrefixLength }
    }

    # A lab folder under the host's default virtual hard disk folder (no storagePath in the
    # manifest) arrives as %VirtualHardDiskPath%\<lab>: Get-VMHost says where that is.
    $defaultFolder = ([string]$vmHost.VirtualHardDiskPath).TrimEnd('\')
    $vhdPaths = @()
    foreach ($scopePath in $Paths) {
        $p = $scopePath
        if ($p.StartsWith('%VirtualHardDiskPath%', [System.StringComparison]::OrdinalIgnoreCase)) { $p = $defaultFolder + $p.Substring(21) }
        if (Test-Path -LiteralPath $p -PathType Container) {
            foreach ($f in @(Get-ChildItem -LiteralPath $p -Recurse -File)) {
                if (@('.vhd', '.vhdx', '.vhds') -contains $f.Extension.ToLowerInvariant()) { $vhdPaths += [string]$f.FullName }
            }
        }
    }
    # PowerShell variables ignore case: this must not be called $files (the parameter).
    $fileStates = @()
    foreach ($f in $Files) {
        $exists = [bool](Test-Path -LiteralPath $f -PathType Leaf)
        $fileStates += [pscustomobject]@{ path = [string]$f; exists = $exists }
        if ($exists -and $f -match '\.(vhd|vhdx|vhds)$') { $vhdPaths += [string]$f }
    }
    # Sources of `files:` copies: a file or a folder each (Test-Path without -PathType).
    $sourceStates = @()
    foreach ($s in $Sources) { $sourceStates += [pscustomobject]@{ path = [string]$s; exists = [bool](Test-Path -LiteralPath $s) } }
    $uniquePaths = New-Object -TypeName System.Collections.ArrayList
    $seen = @{}
    foreach ($p in $vhdPaths) {
        $key = $p.ToLowerInvariant()
        if (-not $seen.ContainsKey($key)) {
            $seen[$key] = $true
            [void]$uniquePaths.Add($p)
        }
    }
    # One Get-VHD for every disk file (two or more per VM): it takes String[] and answers in order.
    $vhdList = New-Object -TypeName System.Collections.ArrayList
    if ($uniquePaths.Count -gt 0) {
        foreach ($vhd in @(Get-VHD -Path ([string[]]$uniquePaths.ToArray()))) { [void]$vhdList.Add((ConvertTo-LabformVhdState -Vhd $vhd)) }
    }
    $vhds = $vhdList.ToArray()

    $hostDevices = @()
    foreach ($d in @(Get-VMHostAssignableDevice)) {
        $hostDevices += [pscustomobject]@{ locationPath = [string]$d.LocationPath; instanceId = [string]$d.InstanceID }
    }

    # Devices still mounted on the host are not Hyper-V's yet: only PnP knows them by location path.
    $mountedDevices = @()
    if ($Devices.Count -gt 0 -and (Get-Command -Name 'Get-PnpDevice' -ErrorAction SilentlyContinue)) {
        $pci = @(Get-PnpDevice -PresentOnly | Where-Object { [string]$_.InstanceId -like 'PCI\*' })
        if ($pci.Count -gt 0) {
            $ids = @($pci | ForEach-Object { [string]$_.InstanceId })
            foreach ($property in @(Get-PnpDeviceProperty -InstanceId $ids -KeyName 'DEVPKEY_Device_LocationPaths')) {
                foreach ($locationPath in @($property.Data)) {
                    if ($Devices -contains [string]$locationPath) {
                        $mountedDevices += [pscustomobject]@{ locationPath = [string]$locationPath; instanceId = [string]$property.InstanceId }
                    }
                }
            }
        }
    }

    $freeMemory = 0
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    if ($os) { $freeMemory = [long]$os.FreePhysicalMemory * 1024 }

    $cluster = $null
    # Only cluster nodes have the FailoverClusters cmdlets answering; anything else is "not clustered".
    if (Get-Command -Name 'Get-ClusterNode' -ErrorAction SilentlyContinue) {
        try {
            $nodes = @(Get-ClusterNode -ErrorAction Stop)
            $volumes = @()
            foreach ($csv in @(Get-ClusterSharedVolume -ErrorAction Stop)) {
                $volumes += [string]$csv.SharedVolumeInfo.FriendlyVolumeName
            }
            $nodeNames = @()
            foreach ($n in $nodes) { $nodeNames += [string]$n.Name }
            if ($nodes.Count -gt 0) {
                $cluster = [pscustomobject]@{ name = [string]$nodes[0].Cluster; nodes = $nodeNames; sharedVolumes = $volumes }
            }
        } catch {
            $cluster = $null
        }
    }

    $imageStates = $null
    # Images built from an ISO (host-image.ps1): record, ISO, editions when a build may be needed, dependents.
    if ($Images.Count -gt 0) { $imageStates = @(Get-LabformImageStates -Images $Images -Vms $vms -Listed ([string[]]$uniquePaths.ToArray())) }

    $seedStates = $null
    # cloud-init seeds of Linux guests (host-cloud-init.ps1): the host account's SSH key, each seed's instance-id.
    if ($Seeds.Count -gt 0) { $seedStates = Get-LabformCloudInitSeedStates -Paths $Seeds -DefaultFolder $defaultFolder }

    return [pscustomobject]@{
        images = $imageStates
        cloudInit = $seedStates
        computerName = [string]$vmHost.ComputerName
        totalMemory = [long]$vmHost.MemoryCapacity
        logicalProcessors = [int]$vmHost.LogicalProcessorCount
        virtualHardDiskPath = [string]$vmHost.VirtualHardDiskPath
        freeMemory = $freeMemory
        vms = $vms
        switches = $switches
        nats = $nats
        natMappings = $mappings
        hostAddresses = $addresses
        physicalAdapters = $physicalAdapters
        vhds = $vhds
        files = $fileStates
        sources = $sourceStates
        hostAssignableDevices = $hostDevices
        mountedDevices = $mountedDevices
        cluster = $cluster
    }
}

function Get-LabformHeartbeat {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$VMName)
    $vm = Get-LabformSingleVm -Name $VMName
    $hb = Get-LabformHeartbeatService -VM $vm
    return [pscustomobject]@{ state = [string]$vm.State; heartbeat = [string]$vm.Heartbeat; heartbeatService = $hb }
}
