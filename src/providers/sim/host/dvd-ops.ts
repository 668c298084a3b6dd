/**
 * DVD drives of simulated VMs, with the refusals the Hyper-V provider meets on the fake module
 * (test/fake-hyperv/host/dvd.ps1): drives are added and removed only while the VM is off
 * (Msvm_DVDDrive: "DVD drives can only be added or removed if the virtual machine is offline",
 * learn.microsoft.com/windows/win32/hyperv_v2/msvm-dvddrive), media change while it runs;
 * generation 2 has no IDE controller, generation 1 takes DVD drives on IDE only.
 */
import type { HostOperation } from '../../../model/host-operation.js';
import type { SimVm } from '../sim-state.js';
import { refusal } from '../sim-errors.js';
import type { OpContext } from './op-context.js';
import { findVmOrThrow, refuseInState } from './vm-lookup.js';
import { driveControllerProblem } from '../../../model/hyperv-rules.js';
import { findHostFile } from './host-files.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;
type Slot = { controllerType: 'IDE' | 'SCSI'; controllerNumber: number; controllerLocation: number };

const sameSlot = (a: Slot, b: Slot) =>
  a.controllerType === b.controllerType &&
  a.controllerNumber === b.controllerNumber &&
  a.controllerLocation === b.controllerLocation;
const slotText = (s: Slot) => `${s.controllerType} ${s.controllerNumber}:${s.controllerLocation}`;

/** The ISO must be on the host (Hyper-V opens it when the media goes in). */
function isoOrThrow(ctx: OpContext, cmdlet: string, path: string): void {
  if (!findHostFile(ctx.world.host(ctx.host), path)) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Failed to add device 'Virtual CD/DVD Disk'. The system cannot find the file specified. (0x80070002).`,
      category: 'ObjectNotFound',
      errorId: 'InvalidParameter',
      target: path,
      explain: `${path} does not exist on the host`,
    });
  }
}

function controllerOrThrow(ctx: OpContext, vm: SimVm, cmdlet: string, slot: Slot): void {
  const fail = (message: string) =>
    refusal(ctx.site, {
      cmdlet,
      message,
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      target: vm.name,
    });
  const controllerProblem = driveControllerProblem(vm.generation, 'dvd', slot.controllerType);
  if (controllerProblem) throw fail(controllerProblem);
  const ide = slot.controllerType === 'IDE';
  if (
    slot.controllerNumber < 0 ||
    slot.controllerNumber > (ide ? 1 : 3) ||
    slot.controllerLocation < 0 ||
    slot.controllerLocation > (ide ? 1 : 63)
  ) {
    throw fail(`The controller location ${slotText(slot)} does not exist.`);
  }
}

function driveOrThrow(ctx: OpContext, vm: SimVm, cmdlet: string, slot: Slot) {
  const drive = vm.dvdDrives.find((d) => sameSlot(d, slot));
  if (!drive) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Hyper-V was unable to find a DVD drive at ${slotText(slot)} of virtual machine '${vm.name}'.`,
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      target: vm.name,
    });
  }
  return drive;
}

export function addDvdDrive(ctx: OpContext, op: Op<'addDvdDrive'>): void {
  const cmdlet = 'Add-VMDvdDrive';
  const { vm } = findVmOrThrow(ctx, op.vm, cmdlet);
  controllerOrThrow(ctx, vm, cmdlet, op);
  // A DVD drive already at the slot (New-VM's on generation 1, or one a killed run added) takes the media, as Set-VMDvdDrive would.
  const existing = vm.dvdDrives.find((d) => sameSlot(d, op));
  if (existing) {
    isoOrThrow(ctx, 'Set-VMDvdDrive', op.path);
    existing.path = op.path;
    return;
  }
  if (vm.power.state !== 'Off')
    throw refuseInState(ctx, cmdlet, vm.name, 'DVD drives are added while the VM is off');
  const disk = vm.disks.find((d) => sameSlot(d, op));
  if (disk) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `There is already a drive at ${slotText(op)} of '${vm.name}'.`,
      category: 'InvalidOperation',
      errorId: 'InvalidParameter',
      target: vm.name,
      explain: `it holds ${disk.path}`,
    });
  }
  isoOrThrow(ctx, cmdlet, op.path);
  vm.dvdDrives.push({
    controllerType: op.controllerType,
    controllerNumber: op.controllerNumber,
    controllerLocation: op.controllerLocation,
    path: op.path,
  });
}

export function setDvdDrive(ctx: OpContext, op: Op<'setDvdDrive'>): void {
  const cmdlet = 'Set-VMDvdDrive';
  const { vm } = findVmOrThrow(ctx, op.vm, cmdlet);
  const drive = driveOrThrow(ctx, vm, cmdlet, op);
  if (op.path !== null) isoOrThrow(ctx, cmdlet, op.path);
  drive.path = op.path;
}

export function removeDvdDrive(ctx: OpContext, op: Op<'removeDvdDrive'>): void {
  const cmdlet = 'Remove-VMDvdDrive';
  const { vm } = findVmOrThrow(ctx, op.vm, cmdlet);
  const drive = driveOrThrow(ctx, vm, cmdlet, op);
  if (vm.power.state !== 'Off')
    throw refuseInState(ctx, cmdlet, vm.name, 'DVD drives are removed while the VM is off');
  vm.dvdDrives = vm.dvdDrives.filter((d) => d !== drive);
}
