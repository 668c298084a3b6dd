# PowerShell Direct in the fake: Invoke-Command -VMName runs the scriptblock in this process,
# inside the VM's guest context, failing the way the real one does when the VM is off, the
# guest is restarting or the credential is refused.

function Throw-FakePsDirect {
    param([string]$Message, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category, [string]$Target, [string]$Kind)
    $exception = $null
    if ($Kind -eq 'transport') { $exception = [System.Management.Automation.Remoting.PSRemotingTransportException]::new($Message) }
    elseif ($Kind -eq 'direct') { $exception = [System.Management.Automation.Remoting.PSDirectException]::new($Message) }
    else { $exception = [System.ArgumentException]::new($Message) }
    throw [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $Target)
}

function Enter-FakeGuest {
    # Checks PowerShell Direct can open a session in the VM; returns its name.
    param([string]$VmName, [System.Management.Automation.PSCredential]$Credential)
    $state = Read-FakeState
    $vm = Find-FakeVm -State $state -Name $VmName
    if ($null -eq $vm) {
        Throw-FakePsDirect -Message ("The input VMName " + $VmName + " does not resolve to a single virtual machine.") -ErrorId 'InvalidVMNameNotSingle,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidArgument -Target $VmName -Kind 'argument'
    }
    if ($vm.state -ne 'Running') {
        Throw-FakePsDirect -Message ("The virtual machine " + $vm.name + " is not in running state.") -ErrorId 'InvalidVMState,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidOperation -Target $vm.name -Kind 'direct'
    }
    $hb = Get-FakeHeartbeat -Vm $vm
    $guest = Get-FakeGuestOf -Vm $vm
    if ($hb.primary -ne 'OK' -or (Get-FakeNow) -lt [double]$guest.rebootUntil) {
        Throw-FakePsDirect -Message 'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.' -ErrorId 'PSSessionStateBroken' -Category OpenError -Target $vm.name -Kind 'transport'
    }
    $changed = $false
    if ($null -eq $guest.localAdmin -and $null -eq $guest.dc) {
        # No answer file recorded: the first credential used is the one the image was given.
        $guest.localAdmin = @{ user = $Credential.UserName; password = (New-FakePasswordHash -Password $Credential.GetNetworkCredential().Password) }
        $changed = $true
    }
    if (-not (Test-FakeCredential -State $state -Guest $guest -Credential $Credential)) {
        Throw-FakePsDirect -Message 'The credential is invalid.' -ErrorId 'CreateRemoteRunspaceForVMFailed,Microsoft.PowerShell.Commands.InvokeCommandCommand' -Category InvalidArgument -Target $vm.name -Kind 'direct'
    }
    if ($changed) { Write-FakeState -State $state }
    return $vm.name
}

Register-FakeCmdlet -Name 'Invoke-Command' -ManagesState -ScriptBlock {
    param($Bound, $Set, $State)
    if ($Set -notin @('VMName', 'VMId')) {
        Throw-FakeError -Message ("fake Hyper-V: Invoke-Command is only faked for PowerShell Direct (-VMName/-VMId), not the " + $Set + " parameter set") -ErrorId 'FakeNotImplemented,Invoke-Command' -Category NotImplemented -ExceptionType 'System.InvalidOperationException'
    }
    $names = @()
    if ($Bound.ContainsKey('VMName')) { $names = @($Bound.VMName) }
    else {
        $s = Read-FakeState
        foreach ($id in @($Bound.VMId)) { foreach ($v in $s.vms) { if ([guid]$v.id -eq [guid]$id) { $names += $v.name } } }
    }
    $arguments = @()
    if ($Bound.ContainsKey('ArgumentList')) { $arguments = @($Bound.ArgumentList) }
    foreach ($name in $names) {
        $vmName = Enter-FakeGuest -VmName ([string]$name) -Credential $Bound.Credential
        # A guest sees its own name and folders in its environment.
        $saved = @{}
        foreach ($key in @('COMPUTERNAME', 'ProgramData', 'TEMP', 'windir', 'SystemDrive')) { $saved[$key] = [Environment]::GetEnvironmentVariable($key) }
        $root = Get-FakeGuestRoot -VmName $vmName
        $s = Read-FakeState
        $g = Get-FakeGuestOf -Vm (Find-FakeVm -State $s -Name $vmName)
        $previous = $script:FakeGuestVm
        try {
            $script:FakeGuestVm = $vmName
            [Environment]::SetEnvironmentVariable('COMPUTERNAME', [string]$g.computerName)
            [Environment]::SetEnvironmentVariable('ProgramData', (Join-Path $root 'ProgramData'))
            [Environment]::SetEnvironmentVariable('TEMP', (Join-Path $root 'Temp'))
            [Environment]::SetEnvironmentVariable('windir', (Join-Path $root 'Windows'))
            [Environment]::SetEnvironmentVariable('SystemDrive', (Join-Path $root 'C'))
            # Like a remote runspace: the scriptblock runs with its arguments, errors stop it.
            $block = [scriptblock]::Create($Bound.ScriptBlock.ToString())
            & $block @arguments
        } finally {
            $script:FakeGuestVm = $previous
            foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        }
    }
}
