# cloud-init in the fake module's Linux guests, and the host account's SSH key.
#
# A Linux guest runs cloud-init at every boot: its NoCloud datasource looks for a vfat or iso9660
# filesystem labelled cidata on the VM's disks (docs.cloud-init.io, reference/datasources/nocloud),
# and when the seed's instance-id is not the one it last applied it sets the host name, the
# network (network-config v2, adapters matched by MAC) and the users' SSH keys (explanation/
# instancedata, "first boot"). Start-VM (vm.ps1) calls Invoke-FakeCloudInit: the seed's files are
# the content folder of the attached disk's FAT32 partition labelled cidata (disk-partition.ps1),
# parsed by linux/cloud-init-seed.mjs. Static addresses are then what the guest reports through
# KVP (Get-VMNetworkAdapter IPAddresses, Update-FakeKvp); DHCP adapters keep getting their lease
# (guest/70-dhcp-lease.ps1). The simulator does the same (src/providers/sim/guest/cloud-init-boot.ts).
#
# The host account's profile: $env:USERPROFILE is <state file>.profile, so the
# provider's Get-LabformHostSshKey reads <profile>\.ssh\id_ed25519.pub as on a host. The module
# gives the account a key when it imports, unless the state says sshPublicKey: null (an account
# without one); linux/fake-openssh.mjs offers that key to the guests.

function Get-FakeProfileFolder {
    return [System.IO.Path]::GetFullPath((Get-FakeStatePath)) + '.profile'
}

function Initialize-FakeHostSshKey {
    # The account's ed25519 public key line, derived from the host's name as the simulator derives its own.
    param($State)
    $folder = Get-FakeProfileFolder
    $env:USERPROFILE = $folder
    $file = [System.IO.Path]::Combine($folder, '.ssh', 'id_ed25519.pub')
    if ($null -eq $State -or [System.IO.File]::Exists($file)) { return }
    if ($State -is [System.Collections.IDictionary] -and $State.Contains('sshPublicKey') -and $null -eq $State['sshPublicKey']) { return }
    $hostName = [string]$State.hostName
    if (-not $hostName) { $hostName = [string]$State.computerName }
    if (-not $hostName) { $hostName = 'hv01' }
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $key = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes('labform-sim-host-key/' + $hostName))
    $name = [System.Text.Encoding]::ASCII.GetBytes('ssh-ed25519')
    $blob = New-Object -TypeName System.Collections.Generic.List[byte]
    foreach ($part in @(, $name) + @(, $key)) {
        $n = $part.Length
        $blob.AddRange([byte[]]@((($n -shr 24) -band 255), (($n -shr 16) -band 255), (($n -shr 8) -band 255), ($n -band 255)))
        $blob.AddRange([byte[]]$part)
    }
    $line = 'ssh-ed25519 ' + [Convert]::ToBase64String($blob.ToArray()) + ' labform@' + $hostName.ToLowerInvariant()
    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($file))
    [System.IO.File]::WriteAllText($file, $line + "`n")
}

function Get-FakeSeedFolder {
    # The content folder of the first attached disk's partition labelled cidata with a FAT file system.
    param($State, $Vm)
    foreach ($d in @($Vm.disks)) {
        $vhd = Find-FakeVhd -State $State -Path ([string]$d.path)
        if (-not $vhd -or -not (Test-FakeOwnLayout $vhd)) { continue }
        foreach ($p in (Get-FakePartitionList -Vhd $vhd)) {
            if ([string]$p.label -eq 'cidata' -and @('FAT32', 'FAT') -contains [string]$p.fileSystem -and $p.folder) { return [string]$p.folder }
        }
    }
    return $null
}

function Invoke-FakeCloudInit {
    # At a Linux VM's boot: apply its seed when the instance-id is new.
    param($State, $Vm)
    $os = $null
    foreach ($d in @($Vm.disks)) { if (-not $os) { $os = Get-FakeImageOs -State $State -Vhd (Find-FakeVhd -State $State -Path ([string]$d.path)) } }
    if ($os -ne 'linux') { return }
    $folder = Get-FakeSeedFolder -State $State -Vm $Vm
    if (-not $folder) { return }
    $script = [System.IO.Path]::Combine($PSScriptRoot, '..', 'linux', 'cloud-init-seed.mjs')
    $json = & node $script $folder
    if ($LASTEXITCODE -ne 0) { throw ('fake cloud-init: ' + $script + ' failed') }
    $seed = ($json -join "`n") | ConvertFrom-Json -AsHashtable
    if ($null -eq $seed) { return }
    $guest = Get-FakeGuestOf -Vm $Vm
    if ($guest.Contains('cloudInit') -and $guest.cloudInit -and [string]$guest.cloudInit.instanceId -eq [string]$seed.instanceId) { return }
    if ($seed.hostname) { $guest.computerName = [string]$seed.hostname }
    $guest.networks = [ordered]@{}
    foreach ($mac in $seed.networks.Keys) {
        $n = $seed.networks[$mac]
        $guest.networks[$mac] = [ordered]@{ dhcp = [bool]$n.dhcp; addresses = @($n.addresses); gateway = $n.gateway; dns = @($n.dns) }
    }
    foreach ($a in @($Vm.adapters)) {
        $mac = ([string]$a.mac).ToUpperInvariant()
        if ($guest.networks.Contains($mac)) { Update-FakeKvp -Vm $Vm -Mac $mac } else { $a.ipAddresses = @() }
    }
    $guest.cloudInit = [ordered]@{ instanceId = [string]$seed.instanceId; authorizedKeys = $seed.authorizedKeys }
}
