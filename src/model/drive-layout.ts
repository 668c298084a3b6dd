/**
 * Which slot each drive of a VM takes: its data disks, a Linux guest's cloud-init seed disk and its
 * DVD drives (the OS disk is always at IDE 0:0 on generation 1, SCSI 0:0 on generation 2).
 *
 * A drive the VM already has keeps the slot it sits in, so that adding or removing a disk does not
 * move the drives after it: "DVD drives can only be added or removed if the virtual machine is
 * offline" (Msvm_DVDDrive, learn.microsoft.com/windows/win32/hyperv_v2/msvm-dvddrive; diff-vm.ts),
 * so a moved DVD drive would stop the VM for nothing, and a moved seed or data disk would be
 * detached and attached again. Hyper-V itself leaves drives where they are: Add-VMHardDiskDrive
 * and Add-VMDvdDrive without -ControllerLocation take a free location on the controller
 * (MicrosoftDocs/windows-powershell-docs, hyper-v/Add-VMHardDiskDrive.md, Add-VMDvdDrive.md).
 * What is new takes the first slot that is free (no drive there now, none kept there), in
 * labform's order: data disks, then the seed, then the DVD drives (on generation 1 DVDs go to IDE,
 * data disks to SCSI: dvd-slots.ts). A VM still to create gets exactly that order.
 */
import { dvdSlots, seedSlot, type DriveSlot } from './dvd-slots.js';
import { samePath } from './windows-path.js';

/** A drive the VM has now (discovery), by what it holds. */
export interface LiveDrive {
  kind: 'disk' | 'dvd';
  /** The VHD, or the ISO in a DVD drive (null: the drive is empty). */
  path: string | null;
  slot: DriveSlot;
}

export interface DriveLayoutInput {
  generation: 1 | 2;
  hasOsDisk: boolean;
  /** Data disk paths, in manifest order. */
  disks: string[];
  /** The cloud-init seed disk's path, when the VM has one. */
  seed?: string;
  /** ISO paths, in `dvd:` order. */
  dvds: string[];
  /** The VM's drives on its host now; none for a VM still to create. */
  live?: readonly LiveDrive[];
}

export interface DriveLayout {
  disks: DriveSlot[];
  seed?: DriveSlot;
  dvds: DriveSlot[];
}

const key = (s: DriveSlot) => `${s.controllerType}:${s.controllerNumber}:${s.controllerLocation}`;

/** The slots each drive takes; live drives keep theirs where that slot may hold them. */
export function driveLayout(input: DriveLayoutInput): DriveLayout {
  const { generation, hasOsDisk } = input;
  const canonicalSeed = seedSlot({ generation, hasOsDisk, dataDisks: input.disks.length });
  // Where each kind may sit: data disks on SCSI; DVDs on IDE (generation 1, not the OS disk's or
  // the seed's place) or SCSI (generation 2); the seed at IDE 0:1 on generation 1.
  const dvdAllowed = new Set(
    dvdSlots({ generation, hasOsDisk, dataDisks: 0, seedDisk: Boolean(input.seed) })
      .filter((s) => generation === 1 || s.controllerType === 'SCSI')
      .map(key),
  );
  const scsiOk = (s: DriveSlot) => s.controllerType === 'SCSI' && s.controllerLocation < 64;
  const allowed = {
    disk: scsiOk,
    seed: (s: DriveSlot) => (generation === 1 ? key(s) === key(canonicalSeed) : scsiOk(s)),
    dvd: (s: DriveSlot) => (generation === 1 ? dvdAllowed.has(key(s)) : scsiOk(s)),
  };
  const taken = new Set<string>();
  if (hasOsDisk) taken.add(generation === 1 ? 'IDE:0:0' : 'SCSI:0:0');
  if (input.seed && generation === 1) taken.add(key(canonicalSeed));

  type Want = { kind: 'disk' | 'seed' | 'dvd'; path: string; slot?: DriveSlot };
  const wants: Want[] = [
    ...input.disks.map((path) => ({ kind: 'disk' as const, path })),
    ...(input.seed ? [{ kind: 'seed' as const, path: input.seed }] : []),
    ...input.dvds.map((path) => ({ kind: 'dvd' as const, path })),
  ];
  const live = [...(input.live ?? [])];
  // A drive nothing here keeps still sits in its slot until the plan detaches it (a disk) or for
  // good (a DVD drive is only emptied: diff-vm.ts): what is new goes elsewhere.
  const occupied = new Set(live.map((d) => key(d.slot)));
  const used = new Set<LiveDrive>();
  const keep = (want: Want, drive: LiveDrive) => {
    if (used.has(drive) || taken.has(key(drive.slot)) || !allowed[want.kind](drive.slot)) return false;
    want.slot = { ...drive.slot };
    taken.add(key(drive.slot));
    used.add(drive);
    return true;
  };
  // A drive holding this very disk or ISO stays where it is.
  for (const want of wants) {
    if (want.kind === 'seed' && generation === 1) continue;
    const kind = want.kind === 'dvd' ? 'dvd' : 'disk';
    for (const drive of live)
      if (drive.kind === kind && drive.path !== null && samePath(drive.path, want.path) && keep(want, drive))
        break;
  }
  // A DVD whose ISO changed keeps a drive the VM has (Set-VMDvdDrive changes the ISO in place).
  for (const want of wants)
    if (want.kind === 'dvd' && !want.slot)
      for (const drive of live) if (drive.kind === 'dvd' && keep(want, drive)) break;
  // The rest: the first free slot, in order.
  const nextScsi = () => {
    for (let location = 0; location < 64; location++) {
      const slot: DriveSlot = { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: location };
      if (!taken.has(key(slot)) && !occupied.has(key(slot))) return slot;
    }
    throw new Error('no free SCSI location on controller 0');
  };
  const ideOrder = dvdSlots({ generation: 1, hasOsDisk, dataDisks: 0, seedDisk: Boolean(input.seed) });
  for (const want of wants) {
    if (want.slot) continue;
    let slot: DriveSlot | undefined;
    if (want.kind === 'seed' && generation === 1) slot = canonicalSeed;
    else if (want.kind === 'dvd' && generation === 1)
      slot = ideOrder.find((s) => !taken.has(key(s)) && !occupied.has(key(s)));
    else slot = nextScsi();
    // More DVDs than IDE slots: the manifest rules (dvd-slots) refuse that before a plan.
    if (!slot) continue;
    want.slot = slot;
    taken.add(key(slot));
  }
  const of = (kind: Want['kind']) => wants.filter((w) => w.kind === kind && w.slot).map((w) => w.slot!);
  const seed = of('seed')[0];
  return { disks: of('disk'), ...(seed ? { seed } : {}), dvds: of('dvd') };
}
