# Discovery: everything labform needs from one host, in one request (Windows PowerShell 5.1 syntax only).

function Get-LabformHeartbeatService {
    # Integration service names are localized; the heartbeat service's id is not.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)]$VM)
    $services = @(Get-VMIntegrationService -VM $VM)
    $heartbeat = @($services | Where-Object { [string]$_.Id -like '*84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47' })
    if ($heartbeat.Count -eq 0) { $heartbeat = @($services | Where-Object { [string]$_.Name -eq 'Heartbeat' }) }
    if ($heartbeat.Count -eq 0) { return $null }
    return [pscustomobject]@{ enabled = [bool]$heartbeat[0].Enabled; primaryStatusDescription = [string]$heartbeat[0].PrimaryStatusDescription }
}

function ConvertTo-LabformVmState {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)]$VM)
    $name = $VM.Name
    $hb = Get-LabformHeartbeatService -VM $VM
    $processor = Get-VMProcessor -VM $VM
    $security = Get-VMSecurity -VM $VM
    $firmware = $null
    if ([int]$VM.Generation -eq 2) {
        $fw = Get-VMFirmware -VM $VM
        $firmware = [pscustomobject]@{
            secureBoot = [string]$fw.SecureBoot
            secureBootTemplate = [string]$fw.SecureBootTemplate
        }
    }
    $disks = @()
    foreach ($d in @(Get-VMHardDiskDrive -VM $VM)) {
        $disks += [pscustomobject]@{
            controllerType = [string]$d.ControllerType
            controllerNumber = [int]$d.ControllerNumber
            controllerLocation = [int]$d.ControllerLocation
            path = [string]$d.Path
            supportPersistentReservations = [bool]$d.SupportPersistentReservations
        }
    }
    $adapters = @()
    foreach ($a in @(Get-VMNetworkAdapter -VM $VM)) {
        $vlan = Get-VMNetworkAdapterVlan -VMNetworkAdapter $a
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
    foreach ($dev in @(Get-VMAssignableDevice -VM $VM)) {
        $devices += [pscustomobject]@{ locationPath = [string]$dev.LocationPath; instanceId = [string]$dev.InstanceID }
    }
    $snapshots = @()
    foreach ($s in @(Get-VMSnapshot -VM $VM)) { $snapshots += [string]$s.Name }
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
        automaticStopAction = [string]$VM.AutomaticStopAction
        checkpointType = [string]$VM.CheckpointType
        lowMemoryMappedIoSpace = [long]$VM.LowMemoryMappedIoSpace
        highMemoryMappedIoSpace = [long]$VM.HighMemoryMappedIoSpace
        guestControlledCacheTypes = [bool]$VM.GuestControlledCacheTypes
        uptimeSeconds = $uptime
        heartbeat = [string]$VM.Heartbeat
        heartbeatService = $hb
        exposeVirtualizationExtensions = [bool]$processor.ExposeVirtualizationExtensions
        tpmEnabled = [bool]$security.TpmEnabled
        firmware = $firmware
        snapshots = $snapshots
        disks = $disks
        adapters = $adapters
        assignedDevices = $devices
        isClustered = [bool]$VM.IsClustered
    }
}

function ConvertTo-LabformVhdState {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Path)
    $vhd = Get-VHD -Path $Path
    return [pscustomobject]@{
        path = [string]$vhd.Path
        vhdFormat = [string]$vhd.VhdFormat
        vhdType = [string]$vhd.VhdType
        parentPath = [string]$vhd.ParentPath
        size = [long]$vhd.Size
        attached = [bool]$vhd.Attached
    }
}

function Get-LabformHostState {
    [CmdletBinding()]
    param(
        [string[]]$Paths = @(),
        [string[]]$Files = @(),
        [string[]]$Devices = @()
    )
    $ErrorActionPreference = 'Stop'
    $vmHost = Get-VMHost
    $vms = @()
    foreach ($vm in @(Get-VM)) { $vms += ConvertTo-LabformVmState -VM $vm }

    $switches = @()
    foreach ($s in @(Get-VMSwitch)) {
        $switches += [pscustomobject]@{
            name = [string]$s.Name
            switchType = [string]$s.SwitchType
            notes = [string]$s.Notes
            netAdapterInterfaceDescription = [string]$s.NetAdapterInterfaceDescription
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

    $addresses = @()
    foreach ($a in @(Get-NetIPAddress -AddressFamily IPv4)) {
        $addresses += [pscustomobject]@{ interfaceAlias = [string]$a.InterfaceAlias; ipAddress = [string]$a.IPAddress; prefixLength = [int]$a.PrefixLength }
    }

    $vhdPaths = @()
    foreach ($p in $Paths) {
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
    $vhds = @()
    $seen = @{}
    foreach ($p in $vhdPaths) {
        $key = $p.ToLowerInvariant()
        if (-not $seen.ContainsKey($key)) {
            $seen[$key] = $true
            $vhds += ConvertTo-LabformVhdState -Path $p
        }
    }

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

    return [pscustomobject]@{
        computerName = [string]$vmHost.ComputerName
        totalMemory = [long]$vmHost.MemoryCapacity
        freeMemory = $freeMemory
        vms = $vms
        switches = $switches
        nats = $nats
        natMappings = $mappings
        hostAddresses = $addresses
        vhds = $vhds
        files = $fileStates
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
