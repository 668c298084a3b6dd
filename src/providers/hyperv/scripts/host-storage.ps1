# Virtual disks and the answer file written into a new Windows OS disk (Windows PowerShell 5.1 syntax only).

function New-LabformVhd {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [long]$SizeBytes = 0,
        [Parameter(Mandatory = $true)][ValidateSet('dynamic', 'fixed', 'differencing')][string]$Type,
        [string]$ParentPath
    )
    if ($Type -eq 'differencing') {
        New-VHD -Path $Path -ParentPath $ParentPath -Differencing | Out-Null
    } elseif ($Type -eq 'fixed') {
        New-VHD -Path $Path -SizeBytes $SizeBytes -Fixed | Out-Null
    } else {
        New-VHD -Path $Path -SizeBytes $SizeBytes -Dynamic | Out-Null
    }
}

function Remove-LabformVhd {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Path)
    # A disk still attached to a VM (running or not) must never be deleted under it. Other sessions
    # remove the lab's other VMs meanwhile: Get-LabformAttachedDisks reads again when one goes.
    foreach ($disk in @(Get-LabformAttachedDisks)) {
        if ([string]::Equals($disk.path, $Path, [System.StringComparison]::OrdinalIgnoreCase)) {
            Stop-LabformOperation -Message ("The process cannot access the file '" + $Path + "' because it is being used by another process.") -ErrorId 'RemoveFileSystemItemIOError,Remove-LabformVhd' -Category InvalidOperation -Target $Path
        }
    }
    # A missing file falls through to Remove-Item, whose own error says so.
    $vhd = $null
    if (Test-Path -LiteralPath $Path -PathType Leaf) { $vhd = Get-VHD -Path $Path }
    if ($vhd -and $vhd.Attached) {
        Stop-LabformOperation -Message ("The process cannot access the file '" + $Path + "' because it is being used by another process.") -ErrorId 'RemoveFileSystemItemIOError,Remove-LabformVhd' -Category InvalidOperation -Target $Path
    }
    Remove-Item -LiteralPath $Path -Force
    # What labform recorded about the disk goes with it (a cloud-init seed's instance-id: host-cloud-init.ps1).
    if (Test-Path -LiteralPath ($Path + '.labform.json') -PathType Leaf) { Remove-Item -LiteralPath ($Path + '.labform.json') -Force }
}

function Resize-LabformVhd {
    # Resize-VHD grows a VHD or VHDX in place; on a running VM only a VHDX on the SCSI chain
    # (https://learn.microsoft.com/powershell/module/hyper-v/resize-vhd). Already that size: nothing to do.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][long]$SizeBytes
    )
    $vhd = Get-VHD -Path $Path
    if ([long]$vhd.Size -eq $SizeBytes) { return }
    Resize-VHD -Path $Path -SizeBytes ([uint64]$SizeBytes) | Out-Null
}

function New-LabformUnattendXml {
    # Built with System.Xml so no value (name, time zone, password) can change the document's shape.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$ComputerName,
        [Parameter(Mandatory = $true)][string]$TimeZone,
        [Parameter(Mandatory = $true)][System.Security.SecureString]$Password,
        [System.Security.SecureString]$OfflineJoinBlob
    )
    $ns = 'urn:schemas-microsoft-com:unattend'
    $doc = New-Object -TypeName System.Xml.XmlDocument
    $null = $doc.AppendChild($doc.CreateXmlDeclaration('1.0', 'utf-8', $null))
    $root = $doc.CreateElement('unattend', $ns)
    $null = $doc.AppendChild($root)

    $newComponent = {
        param($settings, $componentName)
        $c = $doc.CreateElement('component', $ns)
        $c.SetAttribute('name', $componentName)
        $c.SetAttribute('processorArchitecture', 'amd64')
        $c.SetAttribute('publicKeyToken', '31bf3856ad364e35')
        $c.SetAttribute('language', 'neutral')
        $c.SetAttribute('versionScope', 'nonSxS')
        $null = $settings.AppendChild($c)
        return $c
    }
    $addText = {
        param($parent, $elementName, $text)
        $e = $doc.CreateElement($elementName, $ns)
        $e.InnerText = $text
        $null = $parent.AppendChild($e)
        return $e
    }

    if ($OfflineJoinBlob) {
        $offline = $doc.CreateElement('settings', $ns)
        $offline.SetAttribute('pass', 'offlineServicing')
        $null = $root.AppendChild($offline)
        $join = & $newComponent $offline 'Microsoft-Windows-UnattendedJoin'
        # In the offlineServicing pass the element is OfflineIdentification (Microsoft Learn, unattend
        # reference Microsoft-Windows-UnattendedJoin-OfflineIdentification-Provisioning-AccountData;
        # MSLab Scenarios/AzSHCI and AVD/Scenario.ps1); Identification belongs to specialize.
        $identification = $doc.CreateElement('OfflineIdentification', $ns)
        $null = $join.AppendChild($identification)
        $provisioning = $doc.CreateElement('Provisioning', $ns)
        $null = $identification.AppendChild($provisioning)
        $blob = (New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'blob', $OfflineJoinBlob).GetNetworkCredential().Password
        $null = & $addText $provisioning 'AccountData' $blob
    }

    $specialize = $doc.CreateElement('settings', $ns)
    $specialize.SetAttribute('pass', 'specialize')
    $null = $root.AppendChild($specialize)
    $shell = & $newComponent $specialize 'Microsoft-Windows-Shell-Setup'
    $null = & $addText $shell 'ComputerName' $ComputerName
    $null = & $addText $shell 'TimeZone' $TimeZone

    $oobeSystem = $doc.CreateElement('settings', $ns)
    $oobeSystem.SetAttribute('pass', 'oobeSystem')
    $null = $root.AppendChild($oobeSystem)
    $shell2 = & $newComponent $oobeSystem 'Microsoft-Windows-Shell-Setup'
    $oobe = $doc.CreateElement('OOBE', $ns)
    $null = $shell2.AppendChild($oobe)
    foreach ($flag in @('HideEULAPage', 'HideLocalAccountScreen', 'HideOEMRegistrationScreen', 'HideOnlineAccountScreens', 'HideWirelessSetupInOOBE', 'SkipMachineOOBE', 'SkipUserOOBE')) {
        $null = & $addText $oobe $flag 'true'
    }
    $null = & $addText $oobe 'ProtectYourPC' '3'
    $accounts = $doc.CreateElement('UserAccounts', $ns)
    $null = $shell2.AppendChild($accounts)
    $admin = $doc.CreateElement('AdministratorPassword', $ns)
    $null = $accounts.AppendChild($admin)
    # Setup's own encoding (base64 of UTF-16LE password + element name): not plain text in the file.
    $plain = (New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'Administrator', $Password).GetNetworkCredential().Password
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($plain + 'AdministratorPassword'))
    $plain = $null
    $null = & $addText $admin 'Value' $encoded
    $null = & $addText $admin 'PlainText' 'false'
    $null = & $addText $shell2 'TimeZone' $TimeZone
    return $doc
}

function Set-LabformAnswerFile {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VhdPath,
        [Parameter(Mandatory = $true)][string]$ComputerName,
        [Parameter(Mandatory = $true)][System.Security.SecureString]$Password,
        [Parameter(Mandatory = $true)][string]$TimeZone,
        [System.Security.SecureString]$OfflineJoinBlob
    )
    $doc = New-LabformUnattendXml -ComputerName $ComputerName -TimeZone $TimeZone -Password $Password -OfflineJoinBlob $OfflineJoinBlob
    $mounted = $false
    try {
        # Mounted first, on its own: whatever fails afterwards, the finally below dismounts it.
        $vhd = Mount-VHD -Path $VhdPath -Passthru
        $mounted = $true
        # The volumes' drive letters can arrive a moment after Mount-VHD returns (the mount
        # manager assigns them asynchronously; AutomatedLab and MSLab wait or retry after
        # Mount-VHD for the same reason): poll for up to 30 seconds.
        $target = $null
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            $volumes = @()
            foreach ($partition in @(Get-Partition -DiskNumber $vhd.DiskNumber)) { $volumes += @(Get-Volume -Partition $partition) }
            foreach ($v in $volumes) {
                if ($v.DriveLetter) {
                    $candidate = [string]$v.DriveLetter + ':\Windows'
                    if (Test-Path -LiteralPath $candidate -PathType Container) { $target = [string]$v.DriveLetter + ':\' }
                }
            }
            if ($target) { break }
            Start-Sleep -Milliseconds 500
        } while ([DateTime]::UtcNow -lt $deadline)
        if (-not $target) {
            Stop-LabformOperation -Message 'No Windows installation was found on the mounted disk.' -ErrorId 'ImageNotFound,Set-LabformAnswerFile' -Category ObjectNotFound -Target $VhdPath
        }
        $panther = Join-Path -Path $target -ChildPath 'Windows\Panther'
        # .NET does not know PowerShell drives: resolve to the provider's own path first.
        $pantherPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($panther)
        $null = [System.IO.Directory]::CreateDirectory($pantherPath)
        $doc.Save([System.IO.Path]::Combine($pantherPath, 'unattend.xml'))
    } finally {
        if ($mounted) { Dismount-VHD -Path $VhdPath }
    }
}
