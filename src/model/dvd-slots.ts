/**
 * Where labform puts a VM's DVD drives, shared by the desired state (which slot each `dvd:` entry
 * takes) and the manifest rules (how many fit).
 *
 * Generation 1 VMs read DVDs from IDE only, two controllers with two locations each; generation 2
 * VMs have no IDE controller and take DVD drives on SCSI ("Should I create a generation 1 or 2
 * virtual machine in Hyper-V?", learn.microsoft.com/windows-server/virtualization/hyper-v/plan/
 * should-i-create-a-generation-1-or-2-virtual-machine-in-hyper-v; Add-VMDvdDrive,
 * MicrosoftDocs/windows-powershell-docs docset/winserver2022-ps/Hyper-V/Add-VMDvdDrive.md).
 * On generation 1, IDE 1:0 comes first: it is where New-VM puts a generation 1 VM's DVD drive, and
 * IDE 0:0 is the OS disk's. On generation 2 the drives follow the OS disk and the data disks on
 * SCSI controller 0 (locations 0-63).
 */
export interface DriveSlot {
  controllerType: 'IDE' | 'SCSI';
  controllerNumber: number;
  controllerLocation: number;
}

const IDE_ORDER: [number, number][] = [
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];

const SCSI_LOCATIONS = 64;

export interface SlotLayout {
  generation: 1 | 2;
  hasOsDisk: boolean;
  dataDisks: number;
  /** A Linux guest's cloud-init seed disk (src/model/cloud-init-seed.ts) takes a slot before the DVDs. */
  seedDisk?: boolean;
}

/**
 * The cloud-init seed disk's slot: IDE 0:1 on generation 1 (beside the OS disk, on the controller
 * the firmware boots from; the seed has no boot loader, so the OS disk at 0:0 still boots), else
 * SCSI controller 0 right after the OS disk and the data disks. cloud-init finds the seed by its
 * volume label, not by its slot.
 */
export function seedSlot(options: Omit<SlotLayout, 'seedDisk'>): DriveSlot {
  if (options.generation === 1) return { controllerType: 'IDE', controllerNumber: 0, controllerLocation: 1 };
  return {
    controllerType: 'SCSI',
    controllerNumber: 0,
    controllerLocation: (options.hasOsDisk ? 1 : 0) + options.dataDisks,
  };
}

/** The slots free for DVD drives, in the order `dvd:` entries take them. */
export function dvdSlots(options: SlotLayout): DriveSlot[] {
  if (options.generation === 1) {
    // Data disks are on SCSI on generation 1 too; only the OS disk holds an IDE slot (0:0), and the seed 0:1.
    const ide = IDE_ORDER.filter(
      ([n, l]) => !(options.hasOsDisk && n === 0 && l === 0) && !(options.seedDisk && n === 0 && l === 1),
    );
    return ide.map(([controllerNumber, controllerLocation]) => ({
      controllerType: 'IDE',
      controllerNumber,
      controllerLocation,
    }));
  }
  const first = (options.hasOsDisk ? 1 : 0) + options.dataDisks + (options.seedDisk ? 1 : 0);
  const out: DriveSlot[] = [];
  for (let location = first; location < SCSI_LOCATIONS; location++)
    out.push({ controllerType: 'SCSI', controllerNumber: 0, controllerLocation: location });
  return out;
}
