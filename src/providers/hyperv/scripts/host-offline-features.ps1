# Windows features into a VM's OS disk before its first boot (settings.featureInstall). Windows PowerShell 5.1 syntax only.
# Install-WindowsFeature -Vhd services an offline disk (ServerManager module, Windows Server only:
# MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps/ServerManager/Install-WindowsFeature.md,
# "-Vhd: Specifies the path to a VHD file on the local computer" / parameter set ComponentNamesAndVhdPath).
# The disk must not be in use: the plan runs this right after the differencing disk is made.

function Install-LabformFeaturesOffline {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VhdPath,
        [Parameter(Mandatory = $true)][string[]]$Features
    )
    $ErrorActionPreference = 'Stop'
    if (-not (Get-Command -Name 'Install-WindowsFeature' -ErrorAction SilentlyContinue)) {
        Stop-LabformOperation -Message 'Install-WindowsFeature is not available on this host (it needs Windows Server with the ServerManager module); set settings.featureInstall: online.' -ErrorId 'LabformEnvironment,ServerManagerMissing' -Category NotInstalled -Target $VhdPath
    }
    $result = Install-WindowsFeature -Name $Features -Vhd $VhdPath
    if (-not $result.Success) {
        Stop-LabformOperation -Message ('Install-WindowsFeature -Vhd ' + $VhdPath + ' did not succeed for ' + ($Features -join ', ') + '.') -ErrorId 'OfflineFeaturesFailed,Install-LabformFeaturesOffline' -Category InvalidResult -Target $VhdPath
    }
}
