# Fake behaviours: virtual machines.

# Get-VM: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vm
Register-FakeCmdlet -Name 'Get-VM' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    $vms = @($State.vms)
    if ($Bound.ContainsKey('Name')) {
        $names = @($Bound.Name)
        $vms = @($vms | Where-Object { $n = $_.name; @($names | Where-Object { $n -like $_ }).Count -gt 0 })
        if ($vms.Count -eq 0 -and -not ([string]$names[0]).Contains('*')) {
            Invoke-FakeError -Message ("Hyper-V was unable to find a virtual machine with name `"" + $names[0] + "`".") -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' -Category InvalidArgument -Target $names[0]
        }
    }
    foreach ($vm in $vms) { ConvertTo-FakeVmObject -Vm $vm }
}

Register-FakeCmdlet -Name 'New-VM' -ScriptBlock {
    param($Bound, $Set, $State)
    $name = [string]$Bound.Name
    if (Find-FakeVm -State $State -Name $name) {
        Invoke-FakeError -Message ("Failed to create a new virtual machine. A virtual machine named '" + $name + "' already exists.") -ErrorId 'ObjectAlreadyExists,Microsoft.HyperV.PowerShell.Commands.NewVM' -Category ResourceExists -Target $name
    }
    $generation = 1
    if ($Bound.ContainsKey('Generation')) { $generation = [int]$Bound.Generation }
    $memory = [long]536870912
    if ($Bound.ContainsKey('MemoryStartupBytes')) { $memory = [long]$Bound.MemoryStartupBytes }
    $path = 'C:\ProgramData\Microsoft\Windows\Hyper-V\' + $name
    if ($Bound.ContainsKey('Path')) { $path = ([string]$Bound.Path).TrimEnd('\') + '\' + $name }
    $vm = [ordered]@{
        id = New-FakeId -State $State
        name = $name
        state = 'Off'
        startedAt = 0
        generation = $generation
        path = $path
        processors = 1
        memoryStartup = $memory
        dynamicMemory = $false
        memoryMinimum = [long]536870912
        memoryMaximum = [long]1099511627776
        notes = ''
        automaticStopAction = 'Save'
        # New-VM's default: start if it was running when the host stopped (Hyper-V team blog, Taylor Brown, 2008).
        automaticStartAction = 'StartIfRunning'
        checkpointType = 'Production'
        lowMmio = [long]134217728
        highMmio = [long]536870912
        guestControlledCacheTypes = $false
        nested = $false
        secureBoot = ($generation -eq 2)
        secureBootTemplate = $(if ($generation -eq 2) { 'MicrosoftWindows' } else { $null })
        tpm = $false
        keyProtector = $false
        clustered = $false
        disks = [System.Collections.Generic.List[object]]::new()
        adapters = [System.Collections.Generic.List[object]]::new()
        devices = [System.Collections.Generic.List[object]]::new()
        snapshots = [System.Collections.Generic.List[object]]::new()
        guest = $null
    }
    # New-VM always adds one network adapter, "Network Adapter", not connected unless -SwitchName is
    # given, with a dynamic MAC that reads 000000000000 until the VM first starts. Sources: HyperVDsc
    # source/DSCResources/DSC_VMHyperV/DSC_VMHyperV.psm1 ("There's always a NIC added with New-VM");
    # taliesins/terraform-provider-hyperv api/hyperv-winrm/vm.go ("Delete any auto-generated network
    # adapter" right after New-VM).
    $switchName = $null
    if ($Bound.ContainsKey('SwitchName')) { $switchName = [string]$Bound.SwitchName; Assert-FakeSwitch -State $State -Name $switchName -Cmdlet 'New-VM' }
    $vm.adapters.Add((New-FakeAdapter -State $State -Name 'Network Adapter' -SwitchName $switchName))
    $State.vms.Add($vm)
    ConvertTo-FakeVmObject -Vm $vm
}

Register-FakeCmdlet -Name 'Set-VM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Set-VM' -NameIsVm)) {
        foreach ($key in @('LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'GuestControlledCacheTypes', 'ProcessorCount', 'DynamicMemory', 'StaticMemory', 'MemoryStartupBytes', 'MemoryMinimumBytes', 'MemoryMaximumBytes')) {
            if ($Bound.ContainsKey($key)) {
                $device = 'Settings'
                if ($key -like 'Memory*' -or $key -like '*Memory') { $device = 'Memory' }
                if ($key -eq 'ProcessorCount') { $device = 'Processor' }
                if ($key -eq 'MemoryMinimumBytes' -or $key -eq 'MemoryMaximumBytes') { continue }
                Assert-FakeVmOff -Vm $vm -Cmdlet 'Set-VM' -Device $device
            }
        }
        if ($Bound.ContainsKey('ProcessorCount')) { $vm.processors = [long]$Bound.ProcessorCount }
        if ($Bound.ContainsKey('DynamicMemory')) {
            # Nested virtualization and dynamic memory exclude each other (Microsoft Learn, "Run
            # Hyper-V in a virtual machine with nested virtualization": dynamic memory is not supported).
            if ($vm.nested) {
                Invoke-FakeError -Message 'Cannot enable nested virtualization on a virtual machine with dynamic memory enabled.' -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVM' -Category InvalidOperation -Target $vm.name
            }
            $vm.dynamicMemory = $true
        }
        if ($Bound.ContainsKey('StaticMemory')) { $vm.dynamicMemory = $false }
        if ($Bound.ContainsKey('MemoryStartupBytes')) { $vm.memoryStartup = [long]$Bound.MemoryStartupBytes }
        if ($Bound.ContainsKey('MemoryMinimumBytes')) { $vm.memoryMinimum = [long]$Bound.MemoryMinimumBytes }
        if ($Bound.ContainsKey('MemoryMaximumBytes')) { $vm.memoryMaximum = [long]$Bound.MemoryMaximumBytes }
        if ($Bound.ContainsKey('LowMemoryMappedIoSpace')) { $vm.lowMmio = [long]$Bound.LowMemoryMappedIoSpace }
        if ($Bound.ContainsKey('HighMemoryMappedIoSpace')) { $vm.highMmio = [long]$Bound.HighMemoryMappedIoSpace }
        if ($Bound.ContainsKey('GuestControlledCacheTypes')) { $vm.guestControlledCacheTypes = [bool]$Bound.GuestControlledCacheTypes }
        if ($Bound.ContainsKey('AutomaticStopAction')) { $vm.automaticStopAction = [string]$Bound.AutomaticStopAction }
        if ($Bound.ContainsKey('AutomaticStartAction')) { $vm.automaticStartAction = [string]$Bound.AutomaticStartAction }
        if ($Bound.ContainsKey('CheckpointType')) { $vm.checkpointType = [string]$Bound.CheckpointType }
        if ($Bound.ContainsKey('Notes')) { $vm.notes = [string]$Bound.Notes }
    }
}

# Get-VMProcessor: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmprocessor
Register-FakeCmdlet -Name 'Get-VMProcessor' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMProcessor')) {
        [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; Count = [long]$vm.processors; ExposeVirtualizationExtensions = [bool]$vm.nested }
    }
}

# Set-VMProcessor: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/set-vmprocessor
Register-FakeCmdlet -Name 'Set-VMProcessor' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Set-VMProcessor')) {
        Assert-FakeVmOff -Vm $vm -Cmdlet 'Set-VMProcessor' -Device 'Processor'
        if ($Bound.ContainsKey('ExposeVirtualizationExtensions') -and [bool]$Bound.ExposeVirtualizationExtensions -and $vm.dynamicMemory) {
            Invoke-FakeError -Message 'Cannot enable nested virtualization on a virtual machine with dynamic memory enabled.' -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor' -Category InvalidOperation -Target $vm.name
        }
        if ($Bound.ContainsKey('Count')) {
            # A VM has at most as many virtual processors as the host has logical processors
            # (Get-VMHost LogicalProcessorCount, host/system.ps1; Microsoft's LISAv2 Hyper-V tests refuse
            # a VCPU count above the host's NumberOfLogicalProcessors, microsoft/LISAv2), and at most
            # 64 (generation 1) or 240 (generation 2) ("Plan for Hyper-V scalability in Windows Server",
            # Learn). Wording: the simulator's (src/providers/sim/host/vm-ops.ts).
            $logical = 16
            if ($State.logicalProcessors) { $logical = [int]$State.logicalProcessors }
            $most = 240
            if ([int]$vm.generation -eq 1) { $most = 64 }
            $count = [long]$Bound.Count
            if ($count -lt 1 -or $count -gt $logical -or $count -gt $most) {
                Invoke-FakeError -Message ("Failed to modify device 'Processor'. Invalid processor count: " + $count + '.') -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor' -Category InvalidArgument -Target $vm.name
            }
            $vm.processors = $count
        }
        if ($Bound.ContainsKey('ExposeVirtualizationExtensions')) { $vm.nested = [bool]$Bound.ExposeVirtualizationExtensions }
    }
}

# Get-VMMemory: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmmemory
Register-FakeCmdlet -Name 'Get-VMMemory' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMMemory')) {
        [pscustomobject]@{ VMName = $vm.name; Startup = [long]$vm.memoryStartup; DynamicMemoryEnabled = [bool]$vm.dynamicMemory; Minimum = [long]$vm.memoryMinimum; Maximum = [long]$vm.memoryMaximum }
    }
}

# Set-VMMemory: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/set-vmmemory
Register-FakeCmdlet -Name 'Set-VMMemory' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Set-VMMemory')) {
        $dynamic = [bool]$vm.dynamicMemory
        if ($Bound.ContainsKey('DynamicMemoryEnabled')) { $dynamic = [bool]$Bound.DynamicMemoryEnabled }
        $startup = [long]$vm.memoryStartup
        if ($Bound.ContainsKey('StartupBytes')) { $startup = [long]$Bound.StartupBytes }
        $minimum = [long]$vm.memoryMinimum
        if ($Bound.ContainsKey('MinimumBytes')) { $minimum = [long]$Bound.MinimumBytes }
        $maximum = [long]$vm.memoryMaximum
        if ($Bound.ContainsKey('MaximumBytes')) { $maximum = [long]$Bound.MaximumBytes }
        $offOnly = ($dynamic -ne [bool]$vm.dynamicMemory) -or (-not $dynamic -and $startup -ne [long]$vm.memoryStartup)
        if ($offOnly) { Assert-FakeVmOff -Vm $vm -Cmdlet 'Set-VMMemory' -Device 'Memory' }
        if ($dynamic -and $vm.nested) {
            Invoke-FakeError -Message 'Cannot enable nested virtualization on a virtual machine with dynamic memory enabled.' -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMMemory' -Category InvalidOperation -Target $vm.name
        }
        if ($dynamic -and -not ($minimum -le $startup -and $startup -le $maximum)) {
            Invoke-FakeError -Message "Failed to modify device 'Memory'. The minimum amount of memory must be less than or equal to the startup amount, and the startup amount less than or equal to the maximum amount." -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMMemory' -Category InvalidArgument -Target $vm.name
        }
        $vm.dynamicMemory = $dynamic
        $vm.memoryStartup = $startup
        $vm.memoryMinimum = $minimum
        $vm.memoryMaximum = $maximum
    }
}

# Get-VMFirmware: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmfirmware
Register-FakeCmdlet -Name 'Get-VMFirmware' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMFirmware')) {
        Assert-FakeGeneration2 -Vm $vm -Cmdlet 'Get-VMFirmware' -What 'firmware'
        $sb = 'Off'
        if ($vm.secureBoot) { $sb = 'On' }
        [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; SecureBoot = $sb; SecureBootTemplate = $vm.secureBootTemplate }
    }
}

# Set-VMFirmware: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/set-vmfirmware
Register-FakeCmdlet -Name 'Set-VMFirmware' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Set-VMFirmware')) {
        Assert-FakeGeneration2 -Vm $vm -Cmdlet 'Set-VMFirmware' -What 'secure boot'
        Assert-FakeVmOff -Vm $vm -Cmdlet 'Set-VMFirmware' -Device 'Firmware'
        if ($Bound.ContainsKey('EnableSecureBoot')) { $vm.secureBoot = ([string]$Bound.EnableSecureBoot -eq 'On') }
        if ($Bound.ContainsKey('SecureBootTemplate')) { $vm.secureBootTemplate = [string]$Bound.SecureBootTemplate }
    }
}

# Get-VMSecurity: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmsecurity
Register-FakeCmdlet -Name 'Get-VMSecurity' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMSecurity')) {
        # Like the real VMSecurity, no VMName/VMId (see the catalogue's output properties).
        [pscustomobject]@{ TpmEnabled = [bool]$vm.tpm; KsdEnabled = $false; Shielded = $false; EncryptStateAndVmMigrationTraffic = $false }
    }
}

# Set-VMKeyProtector: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/set-vmkeyprotector
Register-FakeCmdlet -Name 'Set-VMKeyProtector' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Set-VMKeyProtector')) {
        Assert-FakeGeneration2 -Vm $vm -Cmdlet 'Set-VMKeyProtector' -What 'a virtual TPM'
        $vm.keyProtector = $true
    }
}

# Enable-VMTPM: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/enable-vmtpm
Register-FakeCmdlet -Name 'Enable-VMTPM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Enable-VMTPM')) {
        Assert-FakeGeneration2 -Vm $vm -Cmdlet 'Enable-VMTPM' -What 'a virtual TPM'
        Assert-FakeVmOff -Vm $vm -Cmdlet 'Enable-VMTPM' -Device 'Security'
        if (-not $vm.keyProtector) {
            Invoke-FakeError -Message 'The key protector for the virtual machine is not valid. Set a key protector (Set-VMKeyProtector) before enabling the virtual TPM.' -ErrorId 'InvalidKeyProtector,Microsoft.HyperV.PowerShell.Commands.EnableVMTPM' -Category InvalidOperation -Target $vm.name
        }
        $vm.tpm = $true
    }
}

# Disable-VMTPM: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/disable-vmtpm
Register-FakeCmdlet -Name 'Disable-VMTPM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Disable-VMTPM')) {
        Assert-FakeVmOff -Vm $vm -Cmdlet 'Disable-VMTPM' -Device 'Security'
        $vm.tpm = $false
    }
}

# Get-VMIntegrationService: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmintegrationservice
Register-FakeCmdlet -Name 'Get-VMIntegrationService' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMIntegrationService')) {
        $hb = Get-FakeHeartbeat -Vm $vm
        $services = @(
            [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; Name = 'Heartbeat'; Id = ('Microsoft:' + $vm.id + '\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47'); Enabled = $true; PrimaryStatusDescription = $hb.primary; SecondaryStatusDescription = $null }
            [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; Name = 'Guest Service Interface'; Id = ('Microsoft:' + $vm.id + '\6C09BB55-D683-4DA0-8931-C9BF705F6480'); Enabled = $false; PrimaryStatusDescription = $null; SecondaryStatusDescription = $null }
        )
        if ($Bound.ContainsKey('Name')) { $names = @($Bound.Name); $services = @($services | Where-Object { $names -contains $_.Name }) }
        $services
    }
}

# Start-VM: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/start-vm
Register-FakeCmdlet -Name 'Start-VM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Start-VM' -NameIsVm)) {
        if ($vm.state -eq 'Running') { continue }
        $free = Get-FakeFreeMemory -State $State
        if ([long]$vm.memoryStartup -gt $free) {
            Invoke-FakeError -Message ("'" + $vm.name + "' failed to start. Not enough memory in the system to start the virtual machine " + $vm.name + ".") -ErrorId 'OutOfMemory,Microsoft.HyperV.PowerShell.Commands.StartVM' -Category ResourceUnavailable -Target $vm.name
        }
        $vm.state = 'Running'
        $vm.startedAt = Get-FakeNow
        # The first boot finds the features installed into its OS disk (Install-WindowsFeature -Vhd, windows-image.ps1).
        if ($null -eq $vm.guest) { $vm.offlineFeatures = @(Get-FakeOfflineFeatures -State $State -Vm $vm) }
        # Dynamic MACs are handed out when the VM first starts (see New-FakeAdapter for the source).
        Set-FakeDynamicMacs -State $State -Vm $vm
        # A Linux guest's cloud-init reads its seed at boot (cloud-init-boot.ps1).
        Invoke-FakeCloudInit -State $State -Vm $vm
    }
}

Register-FakeCmdlet -Name 'Stop-VM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Stop-VM' -NameIsVm)) {
        if ($Bound.ContainsKey('Save') -and $Bound.Save) { $vm.state = 'Saved' } else { $vm.state = 'Off' }
        $vm.startedAt = 0
    }
    # -AsJob returns a PowerShell background job that stays in the session's job table until
    # Remove-Job (Microsoft Learn, Stop-VM -AsJob; about_Jobs). The fake returns a real, finished job
    # so a caller that never removes its jobs leaks them here too (tests count Get-Job).
    if ($Bound.ContainsKey('AsJob') -and $Bound.AsJob) { Start-ThreadJob -ScriptBlock { } }
}

Register-FakeCmdlet -Name 'Remove-VM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Remove-VM' -NameIsVm)) {
        if ($vm.state -eq 'Running') {
            Invoke-FakeError -Message 'The operation cannot be performed while the virtual machine is in its current state.' -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.RemoveVM' -Category InvalidOperation -Target $vm.name
        }
        foreach ($d in $vm.devices) {
            foreach ($dev in $State.devices) { if ($dev.locationPath -eq $d) { $dev.assignedTo = $null } }
        }
        [void]$State.vms.Remove($vm)
    }
}

# Get-VMSnapshot: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/get-vmsnapshot
Register-FakeCmdlet -Name 'Get-VMSnapshot' -ReadOnly -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Get-VMSnapshot')) {
        foreach ($s in $vm.snapshots) {
            if ($Bound.ContainsKey('Name') -and $s.name -notlike [string]$Bound.Name) { continue }
            [pscustomobject]@{ VMName = $vm.name; VMId = [guid]$vm.id; Name = $s.name; Id = [guid]$s.id; SnapshotType = 'Standard' }
        }
    }
}

Register-FakeCmdlet -Name 'Checkpoint-VM' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Checkpoint-VM' -NameIsVm)) {
        if ($vm.checkpointType -eq 'Disabled') {
            Invoke-FakeError -Message ("Checkpoint operation failed for '" + $vm.name + "': checkpoints are disabled for this virtual machine.") -ErrorId 'InvalidState,Microsoft.HyperV.PowerShell.Commands.CheckpointVM' -Category InvalidOperation -Target $vm.name
        }
        $name = [string]$Bound.SnapshotName
        if (@($vm.snapshots | Where-Object { $_.name -eq $name }).Count -gt 0) {
            Invoke-FakeError -Message ("A checkpoint named '" + $name + "' already exists for virtual machine '" + $vm.name + "'.") -ErrorId 'ObjectAlreadyExists,Microsoft.HyperV.PowerShell.Commands.CheckpointVM' -Category ResourceExists -Target $name
        }
        $copy = @{}
        foreach ($key in @('processors', 'memoryStartup', 'dynamicMemory', 'memoryMinimum', 'memoryMaximum', 'notes', 'nested', 'tpm', 'secureBoot', 'secureBootTemplate', 'lowMmio', 'highMmio', 'guestControlledCacheTypes', 'automaticStopAction', 'automaticStartAction', 'checkpointType')) { $copy[$key] = $vm[$key] }
        # Drives (DVD drives with their media too), adapters and devices go back: a checkpoint keeps the VM's hardware
        # configuration (learn.microsoft.com/windows-server/virtualization/hyper-v/manage/choose-between-standard-or-production-checkpoints-in-hyper-v).
        # JSON text keeps the copy apart from the live lists.
        $dvd = @(); if ($vm.Contains('dvdDrives')) { $dvd = @($vm['dvdDrives']) }
        $copy.parts = (@{ disks = @($vm.disks); dvdDrives = $dvd; adapters = @($vm.adapters); devices = @($vm.devices) } | ConvertTo-Json -Depth 30 -Compress)
        $copy.guest = $vm.guest | ConvertTo-Json -Depth 30 -Compress
        $vm.snapshots.Add([ordered]@{ id = (New-FakeId -State $State); name = $name; config = $copy; wasRunning = ($vm.state -eq 'Running') })
    }
}

Register-FakeCmdlet -Name 'Restore-VMSnapshot' -ScriptBlock {
    param($Bound, $Set, $State)
    $vm = Find-FakeVm -State $State -Name ([string]$Bound.VMName) -Cmdlet 'Restore-VMSnapshot'
    $name = [string]$Bound.Name
    $snapshot = @($vm.snapshots | Where-Object { $_.name -eq $name })[0]
    if (-not $snapshot) {
        Invoke-FakeError -Message ("Hyper-V was unable to find a checkpoint named `"" + $name + "`" for virtual machine '" + $vm.name + "'.") -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.RestoreVMSnapshot' -Category ObjectNotFound -Target $name
    }
    foreach ($key in $snapshot.config.Keys) {
        if ($key -eq 'parts') {
            $parts = ConvertFrom-Json -InputObject $snapshot.config.parts -AsHashtable -Depth 30
            foreach ($list in @('disks', 'dvdDrives', 'adapters', 'devices')) {
                $items = [System.Collections.Generic.List[object]]::new()
                foreach ($item in @($parts[$list])) { if ($null -ne $item) { $items.Add($item) } }
                $vm[$list] = $items
            }
        } elseif ($key -eq 'guest') { $vm.guest = $(if ($snapshot.config.guest -and $snapshot.config.guest -ne 'null') { ConvertFrom-Json -InputObject $snapshot.config.guest -AsHashtable -Depth 30 } else { $null }) }
        else { $vm[$key] = $snapshot.config[$key] }
    }
    # A standard checkpoint of a running VM comes back saved (memory included); a production one off.
    if ($snapshot.wasRunning -and $vm.checkpointType -eq 'Standard') { $vm.state = 'Saved' } else { $vm.state = 'Off' }
    $vm.startedAt = 0
}

# Remove-VMSnapshot: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/hyper-v/remove-vmsnapshot
Register-FakeCmdlet -Name 'Remove-VMSnapshot' -ScriptBlock {
    param($Bound, $Set, $State)
    foreach ($vm in (Get-FakeVmTargets -State $State -Bound $Bound -Cmdlet 'Remove-VMSnapshot')) {
        $names = @($Bound.Name)
        $found = @($vm.snapshots | Where-Object { $n = $_.name; @($names | Where-Object { $n -like $_ }).Count -gt 0 })
        if ($found.Count -eq 0) {
            Invoke-FakeError -Message ("Hyper-V was unable to find a checkpoint named `"" + ($names -join ', ') + "`" for virtual machine '" + $vm.name + "'.") -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.RemoveVMSnapshot' -Category ObjectNotFound -Target $vm.name
        }
        foreach ($s in $found) { [void]$vm.snapshots.Remove($s) }
    }
}

# Add-ClusterVirtualMachineRole: parameters, output and errors as its reference documents them: https://learn.microsoft.com/powershell/module/failoverclusters/add-clustervirtualmachinerole
Register-FakeCmdlet -Name 'Add-ClusterVirtualMachineRole' -ScriptBlock {
    param($Bound, $Set, $State)
    $id = 'AddClusterVirtualMachineRole,Microsoft.FailoverClusters.PowerShell.AddClusterVirtualMachineRoleCommand'
    $vm = Find-FakeVm -State $State -Name ([string]$Bound.VMName) -Cmdlet 'Add-ClusterVirtualMachineRole'
    $cluster = [string]$Bound.Cluster
    if (-not $State.cluster -or ($cluster -and $State.cluster.name -ne $cluster)) {
        Invoke-FakeError -Message ("The cluster '" + $cluster + "' could not be found: host '" + $State.hostName + "' is not one of its nodes.") -ErrorId $id -Category ObjectNotFound -Target $cluster -ExceptionType 'System.InvalidOperationException'
    }
    if ($vm.clustered) {
        Invoke-FakeError -Message ("The virtual machine '" + $vm.name + "' is already a clustered role.") -ErrorId $id -Category ResourceExists -Target $vm.name -ExceptionType 'System.InvalidOperationException'
    }
    $local = @(@($vm.path) + @($vm.disks | ForEach-Object { $_.path }) | Where-Object { $p = $_; -not ($p -match '^\\\\') -and @($State.cluster.sharedVolumes | Where-Object { $p.StartsWith($_.TrimEnd('\') + '\', [System.StringComparison]::OrdinalIgnoreCase) }).Count -eq 0 })
    if ($local.Count -gt 0) {
        Invoke-FakeError -Message ("The virtual machine '" + $vm.name + "' has files that are not on cluster shared storage: " + ($local -join ', ') + ".") -ErrorId $id -Category InvalidOperation -Target $vm.name -ExceptionType 'System.InvalidOperationException'
    }
    $vm.clustered = $true
    [pscustomobject]@{ Name = $vm.name; OwnerNode = $State.computerName; State = 'Online' }
}
