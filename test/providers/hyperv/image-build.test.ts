/**
 * Build-LabformImage (scripts/host-image.ps1) on the fake module: the Convert-WindowsImage
 * sequence for each generation, the record next to the image, read-only, everything dismounted,
 * what a killed build left cleaned by the next, and the refusals.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV, type FakeSeed } from './helpers/fake-host.js';
import type { HostOperation } from '../../../src/model/host-operation.js';
import { ProviderError } from '../../../src/errors.js';

const GiB = 1024 ** 3;
const ISO = 'D:\\ISO\\WS2016.iso';
const IMAGE = 'D:\\Images\\WS2016.vhdx';
const EDITIONS = [
  'Windows Server 2016 Standard',
  'Windows Server 2016 Standard (Desktop Experience)',
  'Windows Server 2016 Datacenter',
  'Windows Server 2016 Datacenter (Desktop Experience)',
].map((name, i) => ({ index: i + 1, name }));
const MODIFIED = '2016-10-12T10:00:00.0000000Z';

const seed = (more: Partial<FakeSeed> = {}): FakeSeed => ({
  isos: [{ path: ISO, size: 5_000_000_000, modified: MODIFIED, editions: EDITIONS }],
  files: ['D:\\Updates\\kb4013429.msu'],
  ...more,
});

const build = (o: Partial<Extract<HostOperation, { op: 'buildImage' }>> = {}): HostOperation => ({
  op: 'buildImage',
  path: IMAGE,
  generation: 2,
  iso: ISO,
  edition: 'Windows Server 2016 Datacenter',
  size: 30 * GiB,
  updates: ['D:\\Updates\\kb4013429.msu'],
  ...o,
});

describePwsh('images built from an ISO on the fake module (real pwsh)', () => {
  let fake: FakeHyperV;
  const run = (op: HostOperation) => fake.provider.run('hv01', op, fake.context('image.ws2016'));
  const discover = (extra: { paths?: string[] } = {}) =>
    fake.provider.discover('hv01', {
      paths: extra.paths ?? [],
      files: [],
      images: [{ path: IMAGE, iso: ISO, updates: ['D:\\Updates\\kb4013429.msu'] }],
    });
  const refusal = async (op: HostOperation) => {
    const error = await run(op).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return (error as ProviderError).record;
  };

  beforeAll(async () => {
    fake = await createFakeHyperV();
  }, 60_000);
  beforeEach(() => fake.seed('hv01', seed()));
  afterAll(async () => fake?.dispose());

  it('builds a generation 2 image: GPT with ESP, MSR and Windows, bcdboot /f UEFI, the update, read-only, recorded, nothing left mounted', async () => {
    const before = await discover();
    expect(before.images).toEqual([
      {
        path: IMAGE,
        exists: false,
        record: null,
        iso: { path: ISO, size: 5_000_000_000, modified: MODIFIED },
        editions: EDITIONS,
        missingUpdates: [],
        dependents: [],
        leftover: false,
      },
    ]);
    await run(build());
    const state = fake.state();
    const image = state.vhds.find((v: any) => v.path === IMAGE);
    expect(image).toMatchObject({
      size: 30 * GiB,
      partitionStyle: 'GPT',
      mounted: false,
      os: 'windows',
      edition: { index: 3, name: 'Windows Server 2016 Datacenter' },
      packages: ['D:\\Updates\\kb4013429.msu'],
      bootFirmware: 'UEFI',
    });
    expect(image.partitions.map((p: any) => [p.gptType, p.fileSystem, p.letter])).toEqual([
      ['{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}', 'FAT32', null],
      ['{e3c9e316-0b5c-4db8-817d-f92df00215ae}', null, null],
      ['{ebd0a0a2-b9e5-4433-87c0-68b6b72699c7}', 'NTFS', null],
    ]);
    expect(state.fileInfo['d:\\images\\ws2016.vhdx']).toEqual({ readOnly: true });
    expect(state.isos[0].attached).toBe(false);
    expect(state.vhds.some((v: any) => /partial/.test(v.path))).toBe(false);
    expect(state.files).not.toContain(`${IMAGE}.labform-build.json`);
    // The calls, in Convert-WindowsImage's order.
    const order = state.calls
      .map((c: any) => c.cmdlet)
      .filter((c: string) =>
        [
          'Mount-DiskImage',
          'New-VHD',
          'Mount-VHD',
          'Initialize-Disk',
          'Expand-WindowsImage',
          'bcdboot.exe',
          'Add-WindowsPackage',
          'Dismount-VHD',
          'Dismount-DiskImage',
        ].includes(c),
      );
    expect(order).toEqual([
      // Discovery's look at the editions (no image yet), mounted read-only and dismounted.
      'Mount-DiskImage',
      'Dismount-DiskImage',
      // The build.
      'Mount-DiskImage',
      'New-VHD',
      'Mount-VHD',
      'Initialize-Disk',
      'Expand-WindowsImage',
      'bcdboot.exe',
      'Add-WindowsPackage',
      'Dismount-VHD',
      'Dismount-DiskImage',
    ]);
    const after = (await discover()).images![0]!;
    expect(after).toMatchObject({ exists: true, leftover: false, dependents: [], editions: EDITIONS });
    expect(after.record).toEqual({
      format: 'labform-image/1',
      iso: { path: ISO, size: 5_000_000_000, modified: MODIFIED },
      edition: { index: 3, name: 'Windows Server 2016 Datacenter' },
      editions: EDITIONS,
      size: 30 * GiB,
      generation: 2,
      updates: ['D:\\Updates\\kb4013429.msu'],
    });
    // Discovery after the build took the editions from the record: the ISO was not mounted again.
    expect(fake.state().calls.filter((c: any) => c.cmdlet === 'Mount-DiskImage')).toHaveLength(2);
  });

  it('builds a generation 1 image: MBR, one active NTFS partition, bcdboot /f BIOS; a VM disk made from it boots Windows', async () => {
    await run(build({ generation: 1, edition: 4, updates: [] }));
    const image = fake.state().vhds.find((v: any) => v.path === IMAGE);
    expect(image).toMatchObject({ partitionStyle: 'MBR', bootFirmware: 'BIOS', edition: { index: 4 } });
    expect(image.partitions).toHaveLength(1);
    expect(image.partitions[0]).toMatchObject({ mbrType: 7, isActive: true, fileSystem: 'NTFS' });
    // A differencing disk of it takes an answer file like one of a sysprepped image.
    const os = 'D:\\Labs\\test\\vm1\\vm1-os.vhdx';
    await run({
      op: 'createVhd',
      path: os,
      size: 0,
      format: 'vhdx',
      type: 'differencing',
      parentPath: IMAGE,
    });
    await run({
      op: 'injectAnswerFile',
      vhdPath: os,
      computerName: 'VM1',
      credential: 'lab-admin',
      timeZone: 'UTC',
    });
    expect(fake.state().vhds.find((v: any) => v.path === os).answerFile.computerName).toBe('VM1');
    // ... and from then on the image has a dependent: discovery says so, and a rebuild is refused.
    const live = (await discover({ paths: ['D:\\Labs\\test'] })).images![0]!;
    expect(live.dependents).toEqual([os]);
    await run({
      op: 'createVm',
      name: 'vm1',
      generation: 1,
      path: 'D:\\Labs\\test\\vm1',
      memoryStartup: GiB,
      notes: 'labform:lab=test',
    });
    await run({
      op: 'attachDisk',
      vm: 'vm1',
      path: os,
      controllerType: 'IDE',
      controllerNumber: 0,
      controllerLocation: 0,
      supportPersistentReservations: false,
    });
    expect(await refusal(build({ generation: 1, edition: 3, updates: [] }))).toMatchObject({
      category: 'InvalidOperation',
      message: `The image ${IMAGE} cannot be built again: differencing disks depend on it: ${os}.`,
    });
  });

  it('refuses an edition the ISO does not have, naming the ones it has, and leaves nothing behind', async () => {
    expect(await refusal(build({ edition: 'Windows Server 2016 Enterprise' }))).toMatchObject({
      category: 'ObjectNotFound',
      message: `${ISO} has no edition "Windows Server 2016 Enterprise"; it has 1: Windows Server 2016 Standard, 2: Windows Server 2016 Standard (Desktop Experience), 3: Windows Server 2016 Datacenter, 4: Windows Server 2016 Datacenter (Desktop Experience).`,
    });
    const state = fake.state();
    expect(state.isos[0].attached).toBe(false);
    expect(state.vhds).toEqual([]);
    expect(state.files).not.toContain(`${IMAGE}.labform-build.json`);
  });

  it('the build after a killed one dismounts and removes what that one left', async () => {
    // A run killed after mounting the ISO and the partial disk: the marker, both still mounted.
    await run(build());
    const killed = fake.state();
    killed.vhds = [];
    killed.files = killed.files.filter((f: string) => !f.endsWith('.labform.json'));
    const partial = 'D:\\Images\\WS2016.partial.vhdx';
    killed.vhds.push({
      path: partial,
      type: 'Dynamic',
      parentPath: null,
      size: 30 * GiB,
      mounted: true,
      diskNumber: 77,
      partitionStyle: 'GPT',
      partitions: [],
    });
    killed.isos[0].attached = true;
    killed.isos[0].letter = null;
    killed.files.push(`${IMAGE}.labform-build.json`);
    killed.fileContents[`${IMAGE}.labform-build.json`.toLowerCase()] = JSON.stringify({ iso: ISO, partial });
    writeFileSync(fake.statePath('hv01'), JSON.stringify(killed));
    // Mounted by the killed run with no letter here: its editions are unknown, not "none".
    expect((await discover()).images![0]).toMatchObject({ exists: false, leftover: true, editions: null });
    await run(build());
    const state = fake.state();
    expect(state.vhds.map((v: any) => v.path)).toEqual([IMAGE]);
    expect(state.isos[0].attached).toBe(false);
    expect((await discover()).images![0]).toMatchObject({ exists: true, leftover: false });
  });
});
