# Host-side functions of the guest runner (Windows PowerShell 5.1 syntax only).
# They run in the host's labform session and reach guests through PowerShell Direct
# (Invoke-Command -VMName -Credential). Every value arrives as data (splatted parameters);
# the scriptblocks sent to the guest are the fixed LabformGuestOp-*/LabformGuestProbe-*
# functions of LabformGuest.Ops*.ps1, taking one hashtable of arguments.

function ConvertTo-LabformGuestError {
    # The guest's ErrorRecord (or the PowerShell Direct failure) with its own exception,
    # category and error id; the message says which VM it came from.
    param($Record, [string]$VMName, [string]$Prefix)
    $message = $Record.Exception.Message
    if ($Record.ErrorDetails -and $Record.ErrorDetails.Message) { $message = $Record.ErrorDetails.Message }
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    if ($Record.CategoryInfo) { $category = $Record.CategoryInfo.Category }
    $id = $Record.FullyQualifiedErrorId
    if (-not $id) { $id = 'LabformGuestError' }
    $target = $Record.TargetObject
    if ($null -eq $target) { $target = $VMName }
    $copy = New-Object System.Management.Automation.ErrorRecord $Record.Exception, $id, $category, $target
    $copy.ErrorDetails = New-Object System.Management.Automation.ErrorDetails ($Prefix + $message)
    return $copy
}

function Test-LabformSessionEnded {
    # The guest went down under the session (its own restart), as opposed to a refusal.
    param($Record)
    $text = '' + $Record.FullyQualifiedErrorId + ' ' + $Record.Exception.GetType().FullName + ' ' + $Record.Exception.Message
    if ($text -match 'credential') { return $false }
    return ($text -match 'PSRemotingTransportException|remote session might have ended|session .* (closed|ended|broken)|pipeline has been stopped')
}

function Get-LabformGuestScriptBlock {
    param([string]$Kind, [string]$Operation)
    $name = 'LabformGuest' + $Kind + '-' + $Operation
    if ($null -eq $global:LabformGuestBlocks -or -not $global:LabformGuestBlocks.ContainsKey($name)) {
        throw (New-Object System.Management.Automation.ErrorRecord (New-Object System.ArgumentException ('unknown guest operation ' + $Operation)), 'LabformUnknownGuestOperation', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Operation)
    }
    return $global:LabformGuestBlocks[$name]
}

function Invoke-LabformGuestCommand {
    # One PowerShell Direct call; errors inside the guest stop it and are rethrown with the
    # guest's record (message prefixed with the VM name).
    param([string]$VMName, [System.Management.Automation.PSCredential]$Credential, [scriptblock]$ScriptBlock, [object[]]$ArgumentList)
    try {
        return Invoke-Command -VMName $VMName -Credential $Credential -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList -ErrorAction Stop
    } catch {
        throw (ConvertTo-LabformGuestError -Record $_ -VMName $VMName -Prefix ('in guest ' + $VMName + ': '))
    }
}

function Invoke-LabformGuestOperation {
    # One guest operation's scriptblock in one PowerShell Direct call; its last answer.
    param([string]$VMName, [System.Management.Automation.PSCredential]$Credential, [string]$Operation, [hashtable]$Arguments)
    $block = Get-LabformGuestScriptBlock -Kind 'Op' -Operation $Operation
    return @(Invoke-LabformGuestCommand -VMName $VMName -Credential $Credential -ScriptBlock $block -ArgumentList @(, $Arguments)) | Select-Object -Last 1
}

function Invoke-LabformGuest {
    # Runs one guest operation; restarts the guest afterwards when the operation asks for it.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential,
        [Parameter(Mandatory = $true)][string]$Operation,
        [hashtable]$Arguments = @{}
    )
    $ErrorActionPreference = 'Stop'
    $block = Get-LabformGuestScriptBlock -Kind 'Op' -Operation $Operation
    $answer = $null
    try {
        $answer = Invoke-Command -VMName $VMName -Credential $Credential -ScriptBlock $block -ArgumentList @(, $Arguments) -ErrorAction Stop
    } catch {
        # An operation that restarts the guest itself may lose the session on the way down.
        if ($Arguments.ContainsKey('__restartsItself') -and (Test-LabformSessionEnded -Record $_)) {
            return [pscustomobject]@{ rebooted = $true; detail = 'the guest restarted before answering' }
        }
        throw (ConvertTo-LabformGuestError -Record $_ -VMName $VMName -Prefix ('in guest ' + $VMName + ': '))
    }
    $result = @($answer) | Select-Object -Last 1
    $rebooted = $false
    $detail = ''
    $phase = ''
    if ($null -ne $result) {
        $rebooted = [bool]$result.rebooted
        $detail = [string]$result.detail
        $phase = [string]$result.phase
    }
    return [pscustomobject]@{ rebooted = $rebooted; detail = $detail; phase = $phase }
}

function Invoke-LabformGuestProbe {
    # Every probe of one VM in ONE PowerShell Direct call: the probe scriptblocks travel as
    # text (our own library code, never manifest values) and are created inside the guest.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential,
        [Parameter(Mandatory = $true)][object[]]$Probes
    )
    $ErrorActionPreference = 'Stop'
    $batch = @()
    foreach ($probe in $Probes) {
        $block = Get-LabformGuestScriptBlock -Kind 'Probe' -Operation $probe.operation
        $batch += , @{ text = $block.ToString(); arguments = $probe.arguments }
    }
    $runner = {
        param($Batch)
        $ErrorActionPreference = 'Stop'
        foreach ($item in $Batch) {
            $probeBlock = [scriptblock]::Create($item.text)
            $seen = @(& $probeBlock $item.arguments) | Select-Object -Last 1
            [pscustomobject]@{ done = [bool]$seen.done; detail = [string]$seen.detail }
        }
    }
    $answers = Invoke-LabformGuestCommand -VMName $VMName -Credential $Credential -ScriptBlock $runner -ArgumentList @(, $batch)
    $out = @()
    foreach ($a in @($answers)) { $out += [pscustomobject]@{ done = [bool]$a.done; detail = [string]$a.detail } }
    # A copy's answer is the guest's listing: compared here with the host's media.
    return , (Resolve-LabformCopyProbes -Probes $Probes -Results $out -Os 'windows')
}

function Test-LabformGuestReachable {
    # PowerShell Direct answering { $true }. Not up yet or credential refused: false with a
    # detail (the executor's wait keeps polling). A VM that does not exist is an error.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential
    )
    $ErrorActionPreference = 'Stop'
    $vm = Get-VM -Name $VMName
    if ($vm.State -ne 'Running') {
        return [pscustomobject]@{ reachable = $false; detail = ('the VM is ' + $vm.State) }
    }
    try {
        $null = Invoke-Command -VMName $VMName -Credential $Credential -ScriptBlock { $true } -ErrorAction Stop
        return [pscustomobject]@{ reachable = $true; detail = 'PowerShell Direct answered' }
    } catch {
        $message = $_.Exception.Message
        if ($message -match 'credential') {
            return [pscustomobject]@{ reachable = $false; detail = ('the guest refused the credential: ' + $message) }
        }
        return [pscustomobject]@{ reachable = $false; detail = ('PowerShell Direct not ready: ' + $message) }
    }
}

function Test-LabformAdReady {
    # Active Directory answering on a domain controller: Get-ADComputer of itself.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential
    )
    $ErrorActionPreference = 'Stop'
    try {
        $null = Invoke-Command -VMName $VMName -Credential $Credential -ErrorAction Stop -ScriptBlock {
            $ErrorActionPreference = 'Stop'
            $null = Get-ADComputer -Identity $env:COMPUTERNAME
            $true
        }
        return [pscustomobject]@{ ready = $true; detail = 'Active Directory answered' }
    } catch {
        return [pscustomobject]@{ ready = $false; detail = ('Active Directory not answering: ' + $_.Exception.Message) }
    }
}

function Get-LabformOfflineJoinBlob {
    # On the DC: provision the member's computer account (djoin /provision) and return the
    # blob. The blob is a secret: it is returned as a SecureString-protected value only to
    # Invoke-LabformOfflineJoin in the same host session, or (cross-host) to labform, which
    # wraps it as a Secret at once.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential,
        [Parameter(Mandatory = $true)][hashtable]$Arguments
    )
    $ErrorActionPreference = 'Stop'
    $answer = Invoke-LabformGuestOperation -VMName $VMName -Credential $Credential -Operation 'provisionOfflineJoin' -Arguments $Arguments
    return [pscustomobject]@{ blob = [string]$answer.blob }
}

function Invoke-LabformOfflineJoin {
    # Offline domain join when the DC runs on the same host: the blob never leaves this
    # PowerShell session. Name of the member read from the member itself.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential,
        [Parameter(Mandatory = $true)][string]$DcVMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$DcCredential,
        [Parameter(Mandatory = $true)][hashtable]$Arguments
    )
    $ErrorActionPreference = 'Stop'
    $name = Invoke-LabformGuestCommand -VMName $VMName -Credential $Credential -ScriptBlock { $env:COMPUTERNAME } -ArgumentList @()
    $provision = @{ domain = $Arguments.domain; machine = [string]$name }
    if ($Arguments.ContainsKey('ou') -and $Arguments.ou) { $provision.ou = $Arguments.ou }
    $blob = (Get-LabformOfflineJoinBlob -VMName $DcVMName -Credential $DcCredential -Arguments $provision).blob
    $apply = @{ domain = $Arguments.domain; dns = $Arguments.dns; blob = $blob; __restartsItself = $true }
    return Invoke-LabformGuest -VMName $VMName -Credential $Credential -Operation 'applyOfflineJoin' -Arguments $apply
}

function Invoke-LabformGuestRead {
    # Reads a value from a guest for another guest's operation (platform identifier, host
    # key): not secret, returned to labform.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$Credential,
        [Parameter(Mandatory = $true)][string]$Operation,
        [hashtable]$Arguments = @{}
    )
    $ErrorActionPreference = 'Stop'
    $answer = Invoke-LabformGuestOperation -VMName $VMName -Credential $Credential -Operation $Operation -Arguments $Arguments
    return [pscustomobject]@{ value = [string]$answer.value }
}

# The guest scriptblocks are kept out of the session's callable functions: they are meant to
# run inside guests only, so they move into a table and their functions are removed.
$global:LabformGuestBlocks = @{}
foreach ($labformGuestFunction in @(Get-ChildItem -Path function: | Where-Object { $_.Name -like 'LabformGuestOp-*' -or $_.Name -like 'LabformGuestProbe-*' })) {
    $global:LabformGuestBlocks[$labformGuestFunction.Name] = $labformGuestFunction.ScriptBlock
    Remove-Item -LiteralPath ('function:' + $labformGuestFunction.Name)
}
