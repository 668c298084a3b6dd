import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import * as generator from '../fake-hyperv/generate-declarations.mjs';
import { describePwsh } from '../support/pwsh.js';
import { pwshSession } from './support.js';

interface Catalogue {
  cmdlets: Record<
    string,
    { parameterSets: { name: string; parameters: { name: string; mandatory: boolean }[] }[] }
  >;
}
const gen = generator as {
  generateDeclarations: (c: unknown) => string;
  readCatalogue: () => Catalogue;
  OUTPUT_PATH: string;
  CATALOGUE_PATH: string;
  SHARED_CATALOGUE_PATH: string;
};
const catalogue = gen.readCatalogue();
const declarations = readFileSync(gen.OUTPUT_PATH, 'utf8');

describe('fake Hyper-V declarations', () => {
  it('are current: regenerating from the catalogue gives the same file', () => {
    expect(gen.generateDeclarations(catalogue)).toBe(declarations);
  });

  it('the repo copy of the catalogue holds ../shared unchanged wherever that exists, and each cmdlet it adds names its source', () => {
    const repo = JSON.parse(readFileSync(gen.CATALOGUE_PATH, 'utf8'));
    const shared = existsSync(gen.SHARED_CATALOGUE_PATH)
      ? JSON.parse(readFileSync(gen.SHARED_CATALOGUE_PATH, 'utf8'))
      : repo;
    expect(repo.meta).toEqual(shared.meta);
    expect(repo.enums).toEqual(shared.enums);
    for (const [name, cmdlet] of Object.entries(shared.cmdlets))
      expect(repo.cmdlets[name], name).toEqual(cmdlet);
    // The project extends the list from Microsoft's docs (issue 14: cmdlets the catalogue lacked).
    for (const [name, cmdlet] of Object.entries(repo.cmdlets as Record<string, { source?: string }>)) {
      if (!(name in shared.cmdlets)) expect(cmdlet.source, name).toMatch(/^MicrosoftDocs\//);
    }
  });

  it('declare every cmdlet of the catalogue, with every parameter set', () => {
    for (const [name, cmdlet] of Object.entries(catalogue.cmdlets)) {
      expect(declarations).toContain(`function ${name} {`);
      for (const set of cmdlet.parameterSets)
        expect(declarations).toContain(`ParameterSetName = '${set.name.replace(/'/g, "''")}'`);
    }
  });
});

// Test-only library: a stub Invoke-FakeCmdlet, the declarations, and a binder that reports what bound.
const BINDER = String.raw`
function Invoke-FakeCmdlet { param($Name, $ParameterSetName, $Bound) return [pscustomobject]@{ name = $Name; set = $ParameterSetName; bound = @($Bound.Keys | Sort-Object) } }
function Test-FakeBinding {
  [CmdletBinding()]
  param([string]$Cmdlet, [hashtable]$Parameters)
  return (& (Get-Command -Name $Cmdlet -CommandType Function) @Parameters)
}
function Test-AllRejectUnknown {
  $accepted = @()
  foreach ($f in @(Get-ChildItem -Path function: | Where-Object { $_.Name -ne 'Test-AllRejectUnknown' -and $_.ScriptBlock.ToString() -match "Invoke-FakeCmdlet -Name '" })) {
    try { $null = & $f -LabformNoSuchParameter 1; $accepted += $f.Name }
    catch {
      # Without a default parameter set, PowerShell gives up on the set before it looks at names.
      $ok = $_.FullyQualifiedErrorId -like 'NamedParameterNotFound*' -or ($_.FullyQualifiedErrorId -like 'AmbiguousParameterSet*' -and $f.CmdletBinding -and $null -eq $f.DefaultParameterSet)
      if (-not $ok) { $accepted += ($f.Name + ':' + $_.FullyQualifiedErrorId) }
    }
  }
  return ,$accepted
}
`;

describePwsh('fake Hyper-V declarations bind like the real cmdlets (real pwsh)', () => {
  const session = pwshSession({ libraryScripts: [BINDER, declarations] });
  afterAll(() => session.close());
  const bind = (Cmdlet: string, Parameters: Record<string, unknown>) =>
    session.invoke<{ name: string; set: string; bound: string[] }>({
      command: 'Test-FakeBinding',
      parameters: { Cmdlet, Parameters },
    });

  it('binds real parameters to the right parameter set', async () => {
    expect(
      await bind('New-VHD', { Path: 'D:\\diff.vhdx', ParentPath: 'D:\\base.vhdx', Differencing: true }),
    ).toEqual({ name: 'New-VHD', set: 'Differencing', bound: ['Differencing', 'ParentPath', 'Path'] });
    expect(
      (
        await bind('New-VM', {
          Name: 'dc01',
          Generation: 2,
          MemoryStartupBytes: 2147483648,
          NoVHD: true,
          Path: 'D:\\Labs',
        })
      ).set,
    ).toBe('No VHD');
    expect(
      (
        await bind('Set-VM', {
          Name: 'dc01',
          LowMemoryMappedIoSpace: 3221225472,
          HighMemoryMappedIoSpace: 34896609280,
          GuestControlledCacheTypes: true,
        })
      ).set,
    ).toBe('Name');
    expect(
      (await bind('Set-VMProcessor', { VMName: 'dc01', ExposeVirtualizationExtensions: true })).bound,
    ).toContain('ExposeVirtualizationExtensions');
    expect(
      (
        await bind('Add-VMHardDiskDrive', {
          VMName: 'n1',
          ControllerType: 'SCSI',
          Path: 'C:\\ClusterStorage\\v1\\s.vhdx',
          SupportPersistentReservations: true,
        })
      ).bound,
    ).toContain('SupportPersistentReservations');
    expect(
      (await bind('New-NetNat', { Name: 'LabNet', InternalIPInterfaceAddressPrefix: '192.168.50.0/24' }))
        .name,
    ).toBe('New-NetNat');
    // Aliases of the real cmdlets bind too.
    expect(
      (await bind('Add-VMHardDiskDrive', { VMName: 'n1', Path: 'x.vhdx', ShareVirtualDisk: true })).bound,
    ).toContain('SupportPersistentReservations');
  });

  it('refuses a parameter the real cmdlet does not have', async () => {
    const error = (await bind('New-VHD', {
      Path: 'x.vhdx',
      ParentPath: 'p.vhdx',
      Differencing: true,
      ParentDisk: 'p',
    }).catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.record?.fullyQualifiedErrorId).toMatch(/^NamedParameterNotFound/);
    expect(error.record?.message).toMatch(/ParentDisk/);
    const unknown = await session.invoke<string[]>({
      command: 'Test-AllRejectUnknown',
      parameters: {},
      timeoutMs: 30_000,
    });
    expect(unknown).toEqual([]);
  });

  it('refuses values outside the real enum and parameters from two sets at once', async () => {
    const badEnum = (await bind('Add-VMHardDiskDrive', {
      VMName: 'n1',
      ControllerType: 'NVMe',
      Path: 'x.vhdx',
    }).catch((e) => e)) as ProviderError;
    expect(badEnum.record?.fullyQualifiedErrorId).toMatch(/^ParameterArgumentValidationError/);
    const mixed = (await bind('New-VHD', {
      Path: 'x.vhdx',
      SizeBytes: 1073741824,
      Fixed: true,
      Differencing: true,
      ParentPath: 'p',
    }).catch((e) => e)) as ProviderError;
    expect(mixed.record?.fullyQualifiedErrorId).toMatch(/^AmbiguousParameterSet/);
    const missing = (await bind('New-VHD', { Differencing: true, ParentPath: 'p' }).catch(
      (e) => e,
    )) as ProviderError;
    expect(missing.record?.fullyQualifiedErrorId).toMatch(/^MissingMandatoryParameter/);
  });
});
