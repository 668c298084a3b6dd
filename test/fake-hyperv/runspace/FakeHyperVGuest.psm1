# The guest's cmdlets in a runspace the guest code creates itself ([PowerShell]::Create(), as
# LabformGuestOp-runScript does to keep the manifest's script away from labform's functions).
#
# On a real guest such a runspace finds Install-WindowsFeature, Get-ADComputer, ... through module
# autoloading: the first use of a command that is not loaded imports the module on
# $env:PSModulePath that exports it (about_Modules, "Module autoloading":
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_modules).
# The fake does the same: FakeHyperV.psm1 writes a manifest for this module listing every
# command the fake defines and puts its folder on PSModulePath; autoloading imports this file,
# which imports the fake into the new runspace and enters the guest the PowerShell Direct call
# runs in (LABFORM_FAKE_GUEST_VM, set by Invoke-FakeDirectOne while the call lasts).
Import-Module -Name (Join-Path (Split-Path -Parent $PSScriptRoot) 'FakeHyperV.psm1') -Global -DisableNameChecking
if ($env:LABFORM_FAKE_GUEST_VM) {
    & (Get-Module -Name FakeHyperV) { param($Vm) $script:FakeGuestVm = $Vm } $env:LABFORM_FAKE_GUEST_VM
}
