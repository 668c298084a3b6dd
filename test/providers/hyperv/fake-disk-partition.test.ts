/**
 * The fake module's Storage cmdlets (test/fake-hyperv/host/disk-partition.ps1) behave as the
 * Storage Management API documents: a new VHD is RAW, Initialize-Disk once, partitions by type,
 * volumes that keep their content across mounts, letters only where Windows gives them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { describePwsh, pwshPath } from '../../support/pwsh.js';
import { FAKE_MODULE, fakeState } from './helpers/fake-host.js';

const dir = mkdtempSync(join(tmpdir(), 'labform-fake-disk-'));
const statePath = join(dir, 'host.json');

/** Runs a script with the fake module loaded; its last output is JSON. Errors become { error, id }. */
function pwsh(script: string, state: string = statePath): any {
  const text = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module -Name '${FAKE_MODULE.replace(/'/g, "''")}' -DisableNameChecking`,
    'function Try-It { param([scriptblock]$Block) try { & $Block; return $null } catch { return [pscustomobject]@{ error = $_.Exception.Message; id = $_.FullyQualifiedErrorId } } }',
    script,
  ].join('\n');
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.ps1`);
  writeFileSync(file, text);
  const result = spawnSync(pwshPath(), ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], {
    encoding: 'utf8',
    env: { ...process.env, LABFORM_FAKE_HYPERV_STATE: state },
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`pwsh failed: ${result.stderr}\n${result.stdout}`);
  return JSON.parse(result.stdout);
}

describePwsh('fake Storage cmdlets: disks, partitions, volumes (real pwsh)', () => {
  beforeEach(() => writeFileSync(statePath, JSON.stringify(fakeState())));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lays out a generation 2 disk as Convert-WindowsImage does: RAW, GPT, ESP + MSR + Windows', () => {
    const out = pwsh(String.raw`
$null = New-VHD -Path 'D:\Images\new.vhdx' -SizeBytes 4GB -Dynamic
$disk = Mount-VHD -Path 'D:\Images\new.vhdx' -Passthru
$n = $disk.DiskNumber
$raw = (Get-Disk -Number $n).PartitionStyle
$beforeInit = Try-It { New-Partition -DiskNumber $n -UseMaximumSize }
Initialize-Disk -Number $n -PartitionStyle GPT
$again = Try-It { Initialize-Disk -Number $n -PartitionStyle GPT }
$both = Try-It { New-Partition -DiskNumber $n -Size 100MB -UseMaximumSize }
$mbrOnGpt = Try-It { New-Partition -DiskNumber $n -Size 100MB -MbrType IFS }
$tooBig = Try-It { New-Partition -DiskNumber $n -Size 8GB }
$esp = New-Partition -DiskNumber $n -Size 100MB -GptType '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}'
$null = Format-Volume -Partition $esp -FileSystem FAT32 -Force
Set-Partition -DiskNumber $n -PartitionNumber $esp.PartitionNumber -GptType '{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}'
$msr = New-Partition -DiskNumber $n -Size 16MB -GptType '{e3c9e316-0b5c-4db8-817d-f92df00215ae}'
$win = New-Partition -DiskNumber $n -UseMaximumSize -GptType '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}'
$volume = Format-Volume -Partition $win -FileSystem NTFS -Force
Add-PartitionAccessPath -DiskNumber $n -PartitionNumber $win.PartitionNumber -AssignDriveLetter
$win = Get-Partition -DiskNumber $n -PartitionNumber $win.PartitionNumber
$letter = [string]$win.DriveLetter
Set-Content -LiteralPath ($letter + ':\marker.txt') -Value 'kept'
$parts = @(Get-Partition -DiskNumber $n | ForEach-Object { [pscustomobject]@{ n = $_.PartitionNumber; type = $_.Type; offset = $_.Offset; size = $_.Size; letter = [int]$_.DriveLetter } })
Dismount-VHD -Path 'D:\Images\new.vhdx'
$gone = Test-Path -LiteralPath ($letter + ':\')
$disk = Mount-VHD -Path 'D:\Images\new.vhdx' -Passthru
$after = @(Get-Partition -DiskNumber $disk.DiskNumber | ForEach-Object { [pscustomobject]@{ type = $_.Type; hasLetter = ([int]$_.DriveLetter -ne 0) } })
$winAgain = Get-Partition -DiskNumber $disk.DiskNumber -PartitionNumber 3
$kept = Get-Content -LiteralPath ([string]$winAgain.DriveLetter + ':\marker.txt')
$vol = Get-Volume -Partition $winAgain
Dismount-VHD -Path 'D:\Images\new.vhdx'
[pscustomobject]@{ raw = $raw; beforeInit = $beforeInit; again = $again; both = $both; mbrOnGpt = $mbrOnGpt; tooBig = $tooBig; parts = $parts; gone = $gone; after = $after; kept = $kept; fs = $vol.FileSystem; style = 'x' } | ConvertTo-Json -Depth 6`);
    expect(out.raw).toBe('RAW');
    expect(out.beforeInit).toEqual({
      error: 'The disk has not been initialized.',
      id: 'StorageWMI 41000,New-Partition',
    });
    expect(out.again).toEqual({
      error: 'The disk has already been initialized.',
      id: 'StorageWMI 41001,Initialize-Disk',
    });
    expect(out.both.id).toBe('StorageWMI 40005,New-Partition');
    expect(out.mbrOnGpt.id).toBe('StorageWMI 41010,New-Partition');
    expect(out.tooBig).toEqual({
      error: 'Not enough available capacity',
      id: 'StorageWMI 40000,New-Partition',
    });
    const MiB = 1024 ** 2;
    expect(out.parts.map((p: any) => p.type)).toEqual(['System', 'Reserved', 'Basic']);
    expect(out.parts[0]).toMatchObject({ n: 1, offset: MiB, size: 100 * MiB, letter: 0 });
    expect(out.parts[1]).toMatchObject({ offset: 101 * MiB, size: 16 * MiB });
    expect(out.parts[2].offset).toBe(117 * MiB);
    expect(out.parts[2].size).toBe(4 * 1024 * MiB - 117 * MiB - MiB);
    expect(out.gone).toBe(false);
    // Mounted again: the Windows volume has a letter and its content; the ESP and MSR have none.
    expect(out.after).toEqual([
      { type: 'System', hasLetter: false },
      { type: 'Reserved', hasLetter: false },
      { type: 'Basic', hasLetter: true },
    ]);
    expect(out.kept).toBe('kept');
    expect(out.fs).toBe('NTFS');
  });

  it('lays out a generation 1 disk: MBR with one active NTFS partition; GPT types refused on it', () => {
    const out = pwsh(String.raw`
$null = New-VHD -Path 'D:\Images\bios.vhdx' -SizeBytes 2GB -Dynamic
$n = (Mount-VHD -Path 'D:\Images\bios.vhdx' -Passthru).DiskNumber
Initialize-Disk -Number $n -PartitionStyle MBR
$gptOnMbr = Try-It { New-Partition -DiskNumber $n -Size 100MB -GptType '{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}' }
$p = New-Partition -DiskNumber $n -UseMaximumSize -MbrType IFS -IsActive
$null = Format-Volume -Partition $p -FileSystem NTFS -Force
$p = Get-Partition -DiskNumber $n -PartitionNumber 1
$style = (Get-Disk -Number $n).PartitionStyle
$unknownDisk = Try-It { Get-Disk -Number 4242 }
Dismount-VHD -Path 'D:\Images\bios.vhdx'
[pscustomobject]@{ gptOnMbr = $gptOnMbr; type = $p.Type; active = $p.IsActive; style = $style; unknownDisk = $unknownDisk } | ConvertTo-Json -Depth 6`);
    expect(out.gptOnMbr.id).toBe('StorageWMI 41010,New-Partition');
    expect(out).toMatchObject({ type: 'IFS', active: true, style: 'MBR' });
    expect(out.unknownDisk.id).toBe('CmdletizationQuery_NotFound_Number,Get-Disk');
  });

  it('formats a small FAT32 volume with a label (a cloud-init seed disk labelled cidata)', () => {
    const out = pwsh(String.raw`
$null = New-VHD -Path 'D:\Labs\seed.vhdx' -SizeBytes 64MB -Dynamic
$n = (Mount-VHD -Path 'D:\Labs\seed.vhdx' -Passthru).DiskNumber
Initialize-Disk -Number $n -PartitionStyle MBR
$p = New-Partition -DiskNumber $n -UseMaximumSize -MbrType FAT32 -AssignDriveLetter
$v = Format-Volume -Partition $p -FileSystem FAT32 -NewFileSystemLabel cidata -Force
$letter = [string](Get-Partition -DiskNumber $n -PartitionNumber 1).DriveLetter
Set-Content -LiteralPath ($letter + ':\meta-data') -Value 'instance-id: x'
$listed = @(Get-Volume | Where-Object { $_.FileSystemLabel -eq 'cidata' }).Count
Dismount-VHD -Path 'D:\Labs\seed.vhdx'
[pscustomobject]@{ label = $v.FileSystemLabel; fs = $v.FileSystem; type = $p.Type; listed = $listed; hasLetter = [bool]$letter } | ConvertTo-Json`);
    expect(out).toEqual({ label: 'cidata', fs: 'FAT32', type: 'FAT32', listed: 1, hasLetter: true });
  });

  it('makes a shared VHDX a disk of the host that mounted it only, numbered among its own disks', () => {
    // Two hosts reaching one SMB share: each mounts its own disk there (two cloud-init seeds
    // written at once on two nodes). Both get disk number 1 from their host; each host's Storage
    // cmdlets see only the disk it mounted, so initialising one never touches the other.
    const second = join(dir, 'host-b.json');
    writeFileSync(second, JSON.stringify(fakeState()));
    writeFileSync(join(dir, 'shared-storage.json'), JSON.stringify({ vhds: [] }));
    try {
      const mount = (name: string) => {
        const vhd = `\\\\fs01\\labs\\${name}.vhdx`;
        return [
          `$null = New-VHD -Path '${vhd}' -SizeBytes 64MB -Dynamic`,
          `$n = (Mount-VHD -Path '${vhd}' -Passthru).DiskNumber`,
          '[pscustomobject]@{ number = $n } | ConvertTo-Json',
        ].join('\n');
      };
      const a = pwsh(mount('a'));
      const b = pwsh(mount('b'), second);
      const init = (n: number) => String.raw`
Initialize-Disk -Number ${n} -PartitionStyle MBR
[pscustomobject]@{ disks = @(Get-Disk | ForEach-Object { [string]$_.Location }); style = [string](Get-Disk -Number ${n}).PartitionStyle } | ConvertTo-Json`;
      expect(b.number).toBe(a.number);
      expect(pwsh(init(a.number))).toEqual({ disks: [String.raw`\\fs01\labs\a.vhdx`], style: 'MBR' });
      expect(pwsh(init(b.number), second)).toEqual({ disks: [String.raw`\\fs01\labs\b.vhdx`], style: 'MBR' });
      // Dismounting on the host that did not mount it is refused, as for a disk not attached.
      const refused = pwsh(
        String.raw`Try-It { Dismount-VHD -Path '\\fs01\labs\a.vhdx' } | ConvertTo-Json`,
        second,
      );
      expect(refused.error).toMatch(/is not attached/);
    } finally {
      rmSync(join(dir, 'shared-storage.json'), { force: true });
    }
  });
});
