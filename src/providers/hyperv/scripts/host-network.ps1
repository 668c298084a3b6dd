# Switches, host addresses, WinNAT and its static mappings (Windows PowerShell 5.1 syntax only).

function Get-LabformSwitchAdapterName {
    <#
    The host adapter name(s) behind an external switch. A VMSwitch carries no adapter name, only
    the adapter's interface description: NetAdapterInterfaceDescription for a plain switch,
    NetAdapterInterfaceDescriptions (and EmbeddedTeamingEnabled) for a Switch Embedded Teaming
    switch, whose single description is empty. The name is mapped back with Get-NetAdapter
    -InterfaceDescription, as HyperVDsc (source/DSCResources/DSC_VMSwitch/DSC_VMSwitch.psm1,
    Get-TargetResource) and taliesins/terraform-provider-hyperv (api/hyperv-winrm/vm_switch.go,
    NetAdapterNames) do. Internal and private switches have none.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)]$Switch)
    if ([string]$Switch.SwitchType -ne 'External') { return }
    $descriptions = @()
    $team = $Switch.PSObject.Properties['EmbeddedTeamingEnabled']
    $many = $Switch.PSObject.Properties['NetAdapterInterfaceDescriptions']
    if ($team -and [bool]$team.Value -and $many -and $many.Value) { $descriptions = @($many.Value) }
    elseif ([string]$Switch.NetAdapterInterfaceDescription) { $descriptions = @([string]$Switch.NetAdapterInterfaceDescription) }
    elseif ($many -and $many.Value) { $descriptions = @($many.Value) }
    foreach ($description in $descriptions) {
        # An adapter removed from the host since: nothing to name (HyperVDsc: -ErrorAction SilentlyContinue).
        $adapter = @(Get-NetAdapter -InterfaceDescription ([string]$description) -ErrorAction SilentlyContinue)
        foreach ($a in $adapter) { [string]$a.Name }
    }
}

function New-LabformSwitch {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][ValidateSet('internal', 'private', 'external')][string]$Type,
        [AllowEmptyString()][string]$Notes = '',
        [string]$Adapter,
        [bool]$AllowManagementOS = $true
    )
    if ($Type -eq 'external') {
        New-VMSwitch -Name $Name -NetAdapterName $Adapter -AllowManagementOS $AllowManagementOS -Notes $Notes | Out-Null
    } elseif ($Type -eq 'internal') {
        New-VMSwitch -Name $Name -SwitchType Internal -Notes $Notes | Out-Null
    } else {
        New-VMSwitch -Name $Name -SwitchType Private -Notes $Notes | Out-Null
    }
}

function Remove-LabformSwitch {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Name)
    Remove-VMSwitch -Name $Name -Force
}

function Rename-LabformSwitch {
    <#
    Rename-VMSwitch changes the switch's display name only (Msvm_VirtualEthernetSwitch.ElementName;
    its Name is a GUID, learn.microsoft.com/windows/win32/hyperv_v2/msvm-virtualethernetswitch), so
    connected VM adapters stay connected. The host's own virtual adapter has a name of its own
    (Rename-VMNetworkAdapter -ManagementOS and Rename-NetAdapter rename it separately), and labform
    finds a switch's host addresses on 'vEthernet (<switch>)': when the adapter still carries the
    old name it is renamed too (Rename-NetAdapter keeps its IP configuration). A re-run after the
    switch was renamed finds nothing left to do for either.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$NewName
    )
    $ConfirmPreference = 'None'
    Rename-VMSwitch -Name $Name -NewName $NewName
    $oldAlias = 'vEthernet (' + $Name + ')'
    $newAlias = 'vEthernet (' + $NewName + ')'
    $old = @(Get-NetAdapter -Name ([System.Management.Automation.WildcardPattern]::Escape($oldAlias)) -ErrorAction SilentlyContinue)
    $taken = @(Get-NetAdapter -Name ([System.Management.Automation.WildcardPattern]::Escape($newAlias)) -ErrorAction SilentlyContinue)
    if ($old.Count -eq 1 -and $taken.Count -eq 0) {
        Rename-NetAdapter -Name $old[0].Name -NewName $newAlias
    }
}

function Set-LabformHostAddress {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$SwitchName,
        [Parameter(Mandatory = $true)][string]$IPAddress,
        [Parameter(Mandatory = $true)][int]$PrefixLength
    )
    # The host's virtual adapter for an internal switch is always named this way.
    $alias = 'vEthernet (' + $SwitchName + ')'
    New-NetIPAddress -InterfaceAlias $alias -IPAddress $IPAddress -PrefixLength $PrefixLength | Out-Null
}

function Remove-LabformHostAddress {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$SwitchName,
        [Parameter(Mandatory = $true)][string]$IPAddress
    )
    $ConfirmPreference = 'None'
    $alias = 'vEthernet (' + $SwitchName + ')'
    Remove-NetIPAddress -InterfaceAlias $alias -IPAddress $IPAddress
}

function New-LabformNat {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$InternalPrefix
    )
    New-NetNat -Name $Name -InternalIPInterfaceAddressPrefix $InternalPrefix | Out-Null
}

function Remove-LabformNat {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Name)
    $ConfirmPreference = 'None'
    Remove-NetNat -Name $Name
}

function Add-LabformNatMapping {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$NatName,
        [Parameter(Mandatory = $true)][ValidateSet('tcp', 'udp')][string]$Protocol,
        [Parameter(Mandatory = $true)][int]$ExternalPort,
        [Parameter(Mandatory = $true)][string]$InternalIPAddress,
        [Parameter(Mandatory = $true)][int]$InternalPort
    )
    $proto = 'TCP'
    if ($Protocol -eq 'udp') { $proto = 'UDP' }
    Add-NetNatStaticMapping -NatName $NatName -Protocol $proto -ExternalIPAddress '0.0.0.0' -ExternalPort $ExternalPort -InternalIPAddress $InternalIPAddress -InternalPort $InternalPort | Out-Null
}

function Remove-LabformNatMapping {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$NatName,
        [Parameter(Mandatory = $true)][ValidateSet('tcp', 'udp')][string]$Protocol,
        [Parameter(Mandatory = $true)][int]$ExternalPort
    )
    $ConfirmPreference = 'None'
    $found = @(Get-NetNatStaticMapping -NatName $NatName | Where-Object { ([string]$_.Protocol) -eq $Protocol -and [int]$_.ExternalPort -eq $ExternalPort })
    if ($found.Count -eq 0) {
        Stop-LabformOperation -Message ("No MSFT_NetNatStaticMapping objects found with property 'ExternalPort' equal to '" + $ExternalPort + "'.  Verify the value of the property and retry.") -ErrorId 'CmdletizationQuery_NotFound_ExternalPort,Remove-NetNatStaticMapping' -Category ObjectNotFound -Target ($Protocol + '/' + $ExternalPort)
    }
    foreach ($m in $found) {
        Remove-NetNatStaticMapping -NatName $NatName -StaticMappingID $m.StaticMappingID
    }
}
