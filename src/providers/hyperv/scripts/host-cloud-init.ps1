# A Linux guest's cloud-init NoCloud seed disk (src/model/cloud-init-seed.ts). Windows PowerShell 5.1 syntax only.
# cloud-init's NoCloud datasource reads meta-data, user-data and network-config from a vfat or
# iso9660 filesystem labelled cidata (docs.cloud-init.io, reference/datasources/nocloud). The disk
# is made with the Storage cmdlets the way Convert-WindowsImage and MSLab make theirs (New-VHD,
# Mount-VHD -Passthru, Initialize-Disk, New-Partition, Format-Volume, a drive letter, Dismount-VHD
# in finally), with one MBR partition formatted FAT32 and labelled cidata:
# - New-VHD -Dynamic -SizeBytes (MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps/hyper-v/New-VHD.md);
# - Mount-VHD -Passthru returns the virtual hard disk object, whose DiskNumber the Storage cmdlets
#   take (Mount-VHD.md: "-Passthru: Specifies that an object is to be passed through to the pipeline
#   representing the virtual hard disk to be mounted");
# - Initialize-Disk -PartitionStyle MBR (storage/Initialize-Disk.md), New-Partition -UseMaximumSize
#   -MbrType FAT32 (storage/New-Partition.md: MbrType accepts FAT12, FAT16, Extended, Huge, IFS, FAT32);
# - Format-Volume -FileSystem FAT32 -NewFileSystemLabel (storage/Format-Volume.md); "a FAT32 volume
#   must have a minimum of 65,527 clusters" (Learn, Windows 2000 Server resource kit "File Systems",
#   previous-versions cc938937), about 32 MB with 512-byte clusters, so the seed disk is 64 MB
#   (dynamic: a few MB on the host's disk).
# The disk is written as <seed>.partial.vhdx and renamed once complete; its record
# (<seed>.labform.json: the instance-id and what the seed configures) is removed before and written after, so a run killed at any
# point leaves no record and the next plan writes the seed again (after removing the partial disk).

function Get-LabformSeedPartialPath {
    param([Parameter(Mandatory = $true)][string]$Path)
    return $Path.Substring(0, $Path.Length - [System.IO.Path]::GetExtension($Path).Length) + '.partial.vhdx'
}

function Read-LabformSeedRecord {
    # The record of a complete seed disk (its instance-id, and what the seed configures when the
    # record holds it), or $null (no disk, no record, or a record that does not parse).
    param([Parameter(Mandatory = $true)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
    return Read-LabformRecordFile -Path $Path -Format 'labform-cloud-init/1'
}

function Get-LabformHostSshKey {
    # The public key of the account this session runs as. ssh from the host offers every default
    # identity that exists (OpenSSH ssh(1), -i: ~/.ssh/id_rsa, ~/.ssh/id_ecdsa, ~/.ssh/id_ed25519, ...),
    # so either key logs in; ed25519 first, the type ssh-keygen -t ed25519 makes.
    $folder = Join-Path -Path $env:USERPROFILE -ChildPath '.ssh'
    foreach ($name in @('id_ed25519.pub', 'id_rsa.pub')) {
        $file = Join-Path -Path $folder -ChildPath $name
        if (Test-Path -LiteralPath $file -PathType Leaf) {
            $line = @(Get-Content -LiteralPath $file | Where-Object { ([string]$_).Trim() -ne '' } | Select-Object -First 1)
            if ($line.Count -gt 0) { return ([string]$line[0]).Trim() }
        }
    }
    return $null
}

function Get-LabformCloudInitSeedStates {
    # Discovery's answer for the seeds a lab asks about: the host key, and the instance-id each seed holds.
    param([string[]]$Paths = @(), [string]$DefaultFolder = '')
    $seeds = @()
    foreach ($scopePath in $Paths) {
        $p = $scopePath
        if ($p.StartsWith('%VirtualHardDiskPath%', [System.StringComparison]::OrdinalIgnoreCase)) { $p = $DefaultFolder + $p.Substring(21) }
        $record = Read-LabformSeedRecord -Path $p
        $seed = [pscustomobject]@{ path = $p; instanceId = $null }
        if ($null -ne $record) {
            $seed.instanceId = [string]$record.instanceId
            if ($null -ne $record.seed) { $seed | Add-Member -NotePropertyName summary -NotePropertyValue $record.seed }
        }
        $seeds += $seed
    }
    return [pscustomobject]@{ sshPublicKey = (Get-LabformHostSshKey); seeds = $seeds }
}

function Write-LabformSeedFile {
    # UTF-8 without a byte order mark, the text as given (LF line ends): Windows PowerShell 5.1's
    # Set-Content -Encoding UTF8 would put a BOM before '#cloud-config', and cloud-init recognises
    # user-data by that first line. The drive path is resolved to the file system's own first.
    param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text)
    $file = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    [System.IO.File]::WriteAllText($file, $Text, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
}

function Write-LabformCloudInitSeed {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$VMName,
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][string]$InstanceId,
        [Parameter(Mandatory = $true)][string]$MetaData,
        [Parameter(Mandatory = $true)][string]$UserData,
        [Parameter(Mandatory = $true)][string]$NetworkConfig,
        # What the seed configures, as JSON text: kept in the record as it is.
        [string]$Summary = '',
        [long]$SizeBytes = 64MB
    )
    $ErrorActionPreference = 'Stop'
    $ConfirmPreference = 'None'
    $partial = Get-LabformSeedPartialPath -Path $Path
    $record = $Path + '.labform.json'
    # A running VM holds its seed open: the plan stops it first (cloud-init reads the seed at boot anyway).
    foreach ($disk in @(Get-LabformAttachedDisks)) {
        if ($disk.state -ne 'Off' -and [string]::Equals($disk.path, $Path, [System.StringComparison]::OrdinalIgnoreCase)) {
            Stop-LabformOperation -Message ('The cloud-init seed ' + $Path + ' is attached to ' + $disk.vm + ', which is ' + $disk.state + ': it is written only while the VM is off.') -ErrorId 'SeedInUse,Write-LabformCloudInitSeed' -Category InvalidOperation -Target $Path
        }
    }
    # What a killed write left: its partial disk, mounted or not.
    if (Test-Path -LiteralPath $partial -PathType Leaf) {
        if ([bool](Get-VHD -Path $partial).Attached) { Dismount-VHD -Path $partial }
        Remove-Item -LiteralPath $partial -Force
    }
    $mounted = $false
    $complete = $false
    try {
        $null = New-VHD -Path $partial -SizeBytes $SizeBytes -Dynamic
        $disk = Mount-VHD -Path $partial -Passthru
        $mounted = $true
        $number = [uint32]$disk.DiskNumber
        Initialize-Disk -Number $number -PartitionStyle MBR
        $partition = New-Partition -DiskNumber $number -UseMaximumSize -MbrType FAT32
        $null = Format-Volume -Partition $partition -FileSystem FAT32 -NewFileSystemLabel 'cidata' -Force
        $letter = Get-LabformPartitionLetter -DiskNumber $number -PartitionNumber $partition.PartitionNumber
        Write-LabformSeedFile -Path ($letter + ':\meta-data') -Text $MetaData
        Write-LabformSeedFile -Path ($letter + ':\user-data') -Text $UserData
        Write-LabformSeedFile -Path ($letter + ':\network-config') -Text $NetworkConfig
        $complete = $true
    } finally {
        if ($mounted) { Dismount-VHD -Path $partial }
        if (-not $complete -and (Test-Path -LiteralPath $partial -PathType Leaf)) { Remove-Item -LiteralPath $partial -Force }
    }
    # The record goes first and comes back last: between the two no plan takes the seed as written.
    if (Test-Path -LiteralPath $record -PathType Leaf) { Remove-Item -LiteralPath $record -Force }
    if (Test-Path -LiteralPath $Path -PathType Leaf) { Remove-Item -LiteralPath $Path -Force }
    Rename-Item -LiteralPath $partial -NewName $Path.Substring($Path.LastIndexOf('\') + 1)
    $recordText = ConvertTo-Json -InputObject ([pscustomobject]@{ format = 'labform-cloud-init/1'; vm = $VMName; instanceId = $InstanceId }) -Compress
    # The summary goes in as the JSON text it came as: ConvertTo-Json would cut nesting at its -Depth.
    if ($Summary) { $recordText = $recordText.Substring(0, $recordText.Length - 1) + ',"seed":' + $Summary + '}' }
    Set-Content -LiteralPath $record -Value $recordText -Encoding UTF8
}
