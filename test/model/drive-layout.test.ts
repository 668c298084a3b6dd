/**
 * Where a VM's drives go: a new VM's in labform's order (data disks, the seed, the DVD drives), an
 * existing VM's drives where they are, what is new in the first slot nobody holds.
 */
import { describe, expect, it } from 'vitest';
import { driveLayout, type LiveDrive } from '../../src/model/drive-layout.js';
import type { DriveSlot } from '../../src/model/dvd-slots.js';

const scsi = (location: number): DriveSlot => ({
  controllerType: 'SCSI',
  controllerNumber: 0,
  controllerLocation: location,
});
const ide = (controllerNumber: number, controllerLocation: number): DriveSlot => ({
  controllerType: 'IDE',
  controllerNumber,
  controllerLocation,
});
const disk = (path: string, slot: DriveSlot): LiveDrive => ({ kind: 'disk', path, slot });
const dvd = (path: string | null, slot: DriveSlot): LiveDrive => ({ kind: 'dvd', path, slot });
const where = (slots: DriveSlot[]) =>
  slots.map((s) => `${s.controllerType}${s.controllerNumber}:${s.controllerLocation}`);

describe('drive layout', () => {
  it('lays a new generation 2 VM out in order after the OS disk: data disks, seed, DVDs', () => {
    const layout = driveLayout({
      generation: 2,
      hasOsDisk: true,
      disks: ['a.vhdx', 'b.vhdx'],
      seed: 'seed.vhdx',
      dvds: ['x.iso', 'y.iso'],
    });
    expect(where(layout.disks)).toEqual(['SCSI0:1', 'SCSI0:2']);
    expect(layout.seed).toEqual(scsi(3));
    expect(where(layout.dvds)).toEqual(['SCSI0:4', 'SCSI0:5']);
  });

  it('lays a new generation 1 VM out: data disks on SCSI from 0, the seed at IDE 0:1, DVDs on IDE 1:0, 1:1', () => {
    const layout = driveLayout({
      generation: 1,
      hasOsDisk: true,
      disks: ['a.vhdx'],
      seed: 'seed.vhdx',
      dvds: ['x.iso', 'y.iso'],
    });
    expect(where(layout.disks)).toEqual(['SCSI0:0']);
    expect(layout.seed).toEqual(ide(0, 1));
    expect(where(layout.dvds)).toEqual(['IDE1:0', 'IDE1:1']);
  });

  it('keeps every drive of an existing VM where it is when a data disk is added: the new one goes after them', () => {
    const layout = driveLayout({
      generation: 2,
      hasOsDisk: true,
      disks: ['D:\\vm\\a.vhdx', 'D:\\vm\\b.vhdx'],
      seed: 'D:\\vm\\seed.vhdx',
      dvds: ['D:\\iso\\x.iso'],
      live: [
        disk('D:\\vm\\os.vhdx', scsi(0)),
        disk('d:\\VM\\A.vhdx', scsi(1)),
        disk('D:\\vm\\seed.vhdx', scsi(2)),
        dvd('D:\\iso\\x.iso', scsi(3)),
      ],
    });
    expect(where(layout.disks)).toEqual(['SCSI0:1', 'SCSI0:4']);
    expect(layout.seed).toEqual(scsi(2));
    expect(where(layout.dvds)).toEqual(['SCSI0:3']);
  });

  it('leaves a removed disk’s slot to what is new only once nothing sits there', () => {
    const live = [disk('a.vhdx', scsi(1)), disk('b.vhdx', scsi(2)), disk('c.vhdx', scsi(3))];
    // b removed: c stays at 3; a disk added in the same plan does not take 2 (b is still there).
    expect(
      where(
        driveLayout({ generation: 2, hasOsDisk: true, disks: ['a.vhdx', 'c.vhdx', 'd.vhdx'], dvds: [], live })
          .disks,
      ),
    ).toEqual(['SCSI0:1', 'SCSI0:3', 'SCSI0:4']);
    // Once b is gone, the next disk takes its slot.
    const after = [disk('a.vhdx', scsi(1)), disk('c.vhdx', scsi(3))];
    expect(
      where(
        driveLayout({
          generation: 2,
          hasOsDisk: true,
          disks: ['a.vhdx', 'c.vhdx', 'd.vhdx'],
          dvds: [],
          live: after,
        }).disks,
      ),
    ).toEqual(['SCSI0:1', 'SCSI0:3', 'SCSI0:2']);
  });

  it('puts another ISO into a drive the VM has (an empty one too) instead of adding a drive', () => {
    const layout = driveLayout({
      generation: 1,
      hasOsDisk: true,
      disks: [],
      dvds: ['new.iso', 'other.iso'],
      live: [dvd(null, ide(1, 0)), dvd('old.iso', ide(1, 1))],
    });
    expect(where(layout.dvds)).toEqual(['IDE1:0', 'IDE1:1']);
  });

  it('keeps a drive only where its kind may sit: a DVD on generation 1 goes to IDE, the generation 1 seed to IDE 0:1', () => {
    const layout = driveLayout({
      generation: 1,
      hasOsDisk: true,
      disks: ['a.vhdx'],
      seed: 'seed.vhdx',
      dvds: ['x.iso'],
      live: [disk('seed.vhdx', scsi(4)), dvd('x.iso', ide(0, 1)), disk('a.vhdx', ide(0, 0))],
    });
    expect(layout.seed).toEqual(ide(0, 1));
    // The DVD cannot stay at 0:1 (the seed's) and the disk cannot stay on IDE: both get new slots
    // that no drive holds now (SCSI 0:4 still has the old seed until it is detached).
    expect(where(layout.dvds)).toEqual(['IDE1:0']);
    expect(where(layout.disks)).toEqual(['SCSI0:0']);
  });

  it('gives each live drive to one wanted drive only', () => {
    const layout = driveLayout({
      generation: 2,
      hasOsDisk: false,
      disks: [],
      dvds: ['x.iso', 'x.iso'],
      live: [dvd('x.iso', scsi(0))],
    });
    expect(where(layout.dvds)).toEqual(['SCSI0:0', 'SCSI0:1']);
  });
});
