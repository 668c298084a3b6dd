# Helpers shared by the fake host behaviours.

function Test-FakeSamePath {
    param([string]$A, [string]$B)
    if ($null -eq $A -or $null -eq $B) { return $false }
    return [string]::Equals($A.TrimEnd('\'), $B.TrimEnd('\'), [System.StringComparison]::OrdinalIgnoreCase)
}

function Get-FakeCmdletClass {
    # Hyper-V's FullyQualifiedErrorIds name the cmdlet class: New-VM -> Microsoft.HyperV.PowerShell.Commands.NewVM.
    param([string]$Cmdlet)
    return 'Microsoft.HyperV.PowerShell.Commands.' + $Cmdlet.Replace('-', '')
}

function Resolve-FakeVmNames {
    # The VM(s) a call names: -VMName / -Name (VM cmdlets) / -VM objects.
    param($Bound, [switch]$NameIsVm)
    # A list: discovery passes every VM of the host at once (-VM $allVms).
    $names = [System.Collections.Generic.List[string]]::new()
    if ($Bound.ContainsKey('VM')) { foreach ($v in @($Bound.VM)) { $names.Add([string]$v.Name) } }
    elseif ($Bound.ContainsKey('VMName')) { foreach ($n in @($Bound.VMName)) { $names.Add([string]$n) } }
    elseif ($NameIsVm -and $Bound.ContainsKey('Name')) { foreach ($n in @($Bound.Name)) { $names.Add([string]$n) } }
    return , $names
}

# The VMs of the shared read-only parse by name (Read-FakeStateForRead's state, which nobody
# changes): each guest of a probe batch looks its VM up several times, and a scan of the list
# made that quadratic in the lab's size. A mutating behaviour's own copy is scanned.
$script:FakeVmIndexState = $null
$script:FakeVmIndex = $null

function Find-FakeVm {
    param($State, [string]$Name, [string]$Cmdlet)
    if ($null -ne $State -and [object]::ReferenceEquals($State, $script:FakeReadCacheState)) {
        if (-not [object]::ReferenceEquals($State, $script:FakeVmIndexState)) {
            $index = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
            foreach ($vm in $State.vms) { if (-not $index.ContainsKey([string]$vm.name)) { $index[[string]$vm.name] = $vm } }
            $script:FakeVmIndex = $index
            $script:FakeVmIndexState = $State
        }
        $found = $null
        if ($Name -and $script:FakeVmIndex.TryGetValue($Name, [ref]$found)) { return $found }
    } else {
        foreach ($vm in $State.vms) { if ([string]::Equals($vm.name, $Name, [System.StringComparison]::OrdinalIgnoreCase)) { return $vm } }
    }
    if ($Cmdlet) {
        Invoke-FakeError -Message ("Hyper-V was unable to find a virtual machine with name `"" + $Name + "`".") -ErrorId ('InvalidParameter,' + (Get-FakeCmdletClass $Cmdlet)) -Category InvalidArgument -Target $Name
    }
    return $null
}

function Get-FakeVmTargets {
    param($State, $Bound, [string]$Cmdlet, [switch]$NameIsVm)
    $names = Resolve-FakeVmNames -Bound $Bound -NameIsVm:$NameIsVm
    $result = [System.Collections.Generic.List[object]]::new()
    if ($names.Count -le 1) {
        foreach ($n in $names) { $result.Add((Find-FakeVm -State $State -Name $n -Cmdlet $Cmdlet)) }
        return $result.ToArray()
    }
    # Many VMs at once: an index by name (first one wins, as Find-FakeVm) instead of a scan per name.
    $index = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($vm in $State.vms) { if (-not $index.ContainsKey([string]$vm.name)) { $index[[string]$vm.name] = $vm } }
    foreach ($n in $names) {
        if ($index.ContainsKey($n)) { $result.Add($index[$n]) } else { $result.Add((Find-FakeVm -State $State -Name $n -Cmdlet $Cmdlet)) }
    }
    return $result.ToArray()
}

function Assert-FakeVmOff {
    # Hyper-V's refusal for settings it only changes while the VM is off (processor count, startup
    # memory, MMIO, adding a NIC to a generation 1 VM: Microsoft Learn Set-VMProcessor, Set-VMMemory;
    # "Hot add and remove for network adapters and memory" is generation 2 only).
    param($Vm, [string]$Cmdlet, [string]$Device)
    if ($Vm.state -ne 'Off') {
        $message = 'The operation cannot be performed while the virtual machine is in its current state.'
        Invoke-FakeError -Message $message -ErrorId ('InvalidState,' + (Get-FakeCmdletClass $Cmdlet)) -Category InvalidOperation -Target $Vm.name
    }
}

function Assert-FakeGeneration2 {
    # Same wording as the simulator (src/providers/sim/host/vm-ops.ts requireGeneration, src/model/hyperv-rules.ts GENERATION_FEATURES).
    param($Vm, [string]$Cmdlet, [string]$What)
    if ([int]$Vm.generation -ne 2) {
        Invoke-FakeError -Message ('The operation is not supported on generation 1 virtual machines: ' + $What + ' requires generation 2.') -ErrorId ('InvalidParameter,' + (Get-FakeCmdletClass $Cmdlet)) -Category InvalidOperation -Target $Vm.name
    }
}

function Get-FakeBootSeconds {
    $value = 0.0
    if ($env:LABFORM_FAKE_BOOT_SECONDS) { $value = [double]$env:LABFORM_FAKE_BOOT_SECONDS }
    return $value
}

function Get-FakeHeartbeat {
    # OK once the guest has had LABFORM_FAKE_BOOT_SECONDS since the last start; NoContact before.
    param($Vm)
    if ($Vm.state -ne 'Running') { return @{ primary = ''; heartbeat = '' } }
    $elapsed = (Get-FakeNow) - [double]$Vm.startedAt
    if ($elapsed -ge (Get-FakeBootSeconds)) { return @{ primary = 'OK'; heartbeat = 'OkApplicationsUnknown' } }
    return @{ primary = 'No Contact'; heartbeat = 'NoContact' }
}

function Get-FakeFreeMemory {
    param($State)
    $used = [long]0
    foreach ($vm in $State.vms) { if ($vm.state -eq 'Running') { $used += [long]$vm.memoryStartup } }
    return [long]$State.baseFreeMemory - $used
}

function ConvertTo-FakeVmObject {
    param($Vm)
    $uptime = [TimeSpan]::Zero
    if ($Vm.state -eq 'Running') { $uptime = [TimeSpan]::FromSeconds([math]::Max(0, (Get-FakeNow) - [double]$Vm.startedAt)) }
    $hb = Get-FakeHeartbeat -Vm $Vm
    return [pscustomobject]@{
        PSTypeName = 'Microsoft.HyperV.PowerShell.VirtualMachine'
        Name = $Vm.name
        VMName = $Vm.name
        Id = [guid]$Vm.id
        VMId = [guid]$Vm.id
        State = $Vm.state
        Generation = [int]$Vm.generation
        ProcessorCount = [long]$Vm.processors
        MemoryStartup = [long]$Vm.memoryStartup
        DynamicMemoryEnabled = [bool]$Vm.dynamicMemory
        MemoryMinimum = [long]$Vm.memoryMinimum
        MemoryMaximum = [long]$Vm.memoryMaximum
        Notes = [string]$Vm.notes
        Path = [string]$Vm.path
        AutomaticStopAction = [string]$Vm.automaticStopAction
        AutomaticStartAction = [string]$Vm.automaticStartAction
        CheckpointType = [string]$Vm.checkpointType
        LowMemoryMappedIoSpace = [uint32]$Vm.lowMmio
        HighMemoryMappedIoSpace = [uint64]$Vm.highMmio
        GuestControlledCacheTypes = [bool]$Vm.guestControlledCacheTypes
        Uptime = $uptime
        Heartbeat = $hb.heartbeat
        IsClustered = [bool]$Vm.clustered
    }
}
