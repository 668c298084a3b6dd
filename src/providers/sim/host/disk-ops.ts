/** Virtual disk files, answer files, and drives on VMs, with the refusals Hyper-V makes. */
import type { HostOperation } from '../../../model/host-operation.js';
import { refusal } from '../sim-errors.js';
import { hostOf, type OpContext } from './op-context.js';
import { extensionOf, samePath } from '../../../model/windows-path.js';
import {
  diskSizeProblem,
  driveControllerProblem,
  isCsvPath,
  isSmbPath,
} from '../../../model/hyperv-rules.js';
import { hashPassword } from '../guest/guest-model.js';
import { findVmOrThrow, refuseInState } from './vm-lookup.js';
import type { SimVhd } from '../sim-state.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

const VHD_ID = (cmdlet: string) =>
  `InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.${cmdlet.replace('-', '')}`;

export function createVhd(ctx: OpContext, op: Op<'createVhd'>): void {
  const { world } = ctx;
  const fail = (
    message: string,
    explain?: string,
    category: 'InvalidArgument' | 'ResourceExists' | 'ObjectNotFound' = 'InvalidArgument',
  ) =>
    refusal(ctx.site, {
      cmdlet: 'New-VHD',
      message,
      category,
      errorId: VHD_ID('New-VHD'),
      target: op.path,
      explain,
    });
  const ext = extensionOf(op.path);
  if (ext !== op.format)
    throw fail(
      `Failed to create the virtual hard disk. The file extension '.${ext}' does not match the ${op.format.toUpperCase()} format.`,
    );
  if (world.findVhd(ctx.host, op.path))
    throw fail(
      `Failed to create the virtual hard disk. The system failed to create '${op.path}': The file exists. (0x80070050).`,
      undefined,
      'ResourceExists',
    );
  if (isCsvPath(op.path) && !hostOf(ctx).cluster) {
    throw fail(
      `Failed to create the virtual hard disk. The system failed to create '${op.path}': The system cannot find the path specified. (0x80070003).`,
      'this host is not a cluster node: it has no cluster shared volume',
      'ObjectNotFound',
    );
  }
  let size = op.size;
  if (op.type === 'differencing') {
    if (op.format === 'vhds')
      throw fail('Failed to create the virtual hard disk. A VHD Set cannot be a differencing disk.');
    const parent = op.parentPath ? world.findVhd(ctx.host, op.parentPath) : undefined;
    if (!parent) {
      throw fail(
        `Failed to create the virtual hard disk. The system failed to create '${op.path}': The system cannot find the file specified. (0x80070002).`,
        `the parent disk ${op.parentPath ?? '(none given)'} does not exist`,
        'ObjectNotFound',
      );
    }
    size = parent.size;
  } else {
    // The same limits validate applies (src/model/hyperv-rules.ts).
    const problem = diskSizeProblem(op.size, /\.vhd$/i.test(op.path) ? 'vhd' : op.format);
    if (problem)
      throw fail(`Failed to create the virtual hard disk. The size ${op.size} is invalid: ${problem}.`);
  }
  const vhd: SimVhd = {
    path: op.path,
    format: op.format,
    type: op.type,
    parentPath: op.type === 'differencing' ? op.parentPath! : null,
    size,
  };
  world.addVhd(ctx.host, vhd);
}

export function removeVhd(ctx: OpContext, op: Op<'removeVhd'>): void {
  const { world } = ctx;
  if (!world.findVhd(ctx.host, op.path)) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-Item',
      message: `Cannot find path '${op.path}' because it does not exist.`,
      category: 'ObjectNotFound',
      errorId: 'PathNotFound,Microsoft.PowerShell.Commands.RemoveItemCommand',
      target: op.path,
      exceptionType: 'System.Management.Automation.ItemNotFoundException',
    });
  }
  const users = world.vmsUsing(ctx.host, op.path);
  if (users.length > 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-Item',
      message: `The process cannot access the file '${op.path}' because it is being used by another process.`,
      category: 'InvalidOperation',
      errorId: 'RemoveFileSystemItemIOError,Microsoft.PowerShell.Commands.RemoveItemCommand',
      target: op.path,
      exceptionType: 'System.IO.IOException',
      explain: `attached to ${users.map((u) => u.vm.name).join(', ')}`,
    });
  }
  world.removeVhd(ctx.host, op.path);
}

/**
 * Resize-VHD (https://learn.microsoft.com/powershell/module/hyper-v/resize-vhd): expands VHD and
 * VHDX files; shrinks only VHDX, never below its minimum size (the simulator keeps no partition
 * table, so it takes a disk's minimum size to be its size: a formatted volume fills it); a disk
 * on a running VM's IDE chain cannot be resized, one on its SCSI chain can if it is a VHDX.
 */
export function resizeVhd(ctx: OpContext, op: Op<'resizeVhd'>): void {
  const { world } = ctx;
  const fail = (
    message: string,
    category: 'InvalidArgument' | 'InvalidOperation' | 'ObjectNotFound',
    explain?: string,
  ) =>
    refusal(ctx.site, {
      cmdlet: 'Resize-VHD',
      message,
      category,
      errorId: VHD_ID('Resize-VHD'),
      target: op.path,
      explain,
    });
  const vhd = world.findVhd(ctx.host, op.path);
  if (!vhd)
    throw fail(
      `Failed to resize the virtual disk. The system cannot find the file specified. (0x80070002).`,
      'ObjectNotFound',
    );
  if (!(op.size > 0) || op.size % 512 !== 0)
    throw fail(
      `Failed to resize the virtual disk. The size ${op.size} is invalid: it must be a positive multiple of 512 bytes.`,
      'InvalidArgument',
    );
  if (op.size < vhd.size) {
    throw fail(
      vhd.format === 'vhd'
        ? 'Failed to resize the virtual disk. A VHD format virtual disk cannot be shrunk.'
        : `Failed to resize the virtual disk. The size ${op.size} is smaller than the minimum size of the virtual disk (${vhd.size}).`,
      'InvalidArgument',
    );
  }
  for (const { vm } of world.vmsUsing(ctx.host, op.path)) {
    if (vm.power.state === 'Off') continue;
    const drive = vm.disks.find((d) => samePath(d.path, op.path))!;
    if (drive.controllerType === 'IDE' || vhd.format === 'vhd') {
      throw fail(
        `Failed to resize the virtual disk. The operation cannot be performed while the virtual disk is in use by '${vm.name}'.`,
        'InvalidOperation',
        drive.controllerType === 'IDE'
          ? 'a disk on the IDE chain is resized only while its VM is off'
          : 'only a VHDX is resized while its VM runs',
      );
    }
  }
  vhd.size = op.size;
}

export function injectAnswerFile(ctx: OpContext, op: Op<'injectAnswerFile'>): void {
  const { world } = ctx;
  const vhd = world.findVhd(ctx.host, op.vhdPath);
  if (!vhd) {
    throw refusal(ctx.site, {
      cmdlet: 'Mount-VHD',
      message: `The system cannot find the file specified. (0x80070002).`,
      category: 'ObjectNotFound',
      errorId: VHD_ID('Mount-VHD'),
      target: op.vhdPath,
    });
  }
  const running = world.vmsUsing(ctx.host, op.vhdPath).filter((u) => u.vm.power.state !== 'Off');
  if (running.length > 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Mount-VHD',
      message: `The process cannot access the file because it is being used by another process.`,
      category: 'InvalidOperation',
      errorId: VHD_ID('Mount-VHD'),
      target: op.vhdPath,
      explain: `${running[0]!.vm.name} is running from it`,
    });
  }
  let root: SimVhd = vhd;
  while (root.parentPath) {
    const parent = world.findVhd(ctx.host, root.parentPath);
    if (!parent) break;
    root = parent;
  }
  if (root.image?.os !== 'windows') {
    throw refusal(ctx.site, {
      cmdlet: 'Use-WindowsUnattend',
      message: 'No Windows installation was found on the mounted disk.',
      category: 'ObjectNotFound',
      errorId: 'ImageNotFound,Microsoft.Dism.Commands.UseWindowsUnattendCommand',
      target: op.vhdPath,
      explain: 'the disk does not descend from a Windows image',
    });
  }
  const credential = ctx.call.credentials.get(op.credential);
  vhd.answerFile = {
    computerName: op.computerName,
    adminUser: 'Administrator',
    adminPassword: hashPassword(credential.password.reveal()),
    timeZone: op.timeZone,
    ...(op.offlineJoin ? { offlineJoin: op.offlineJoin.fromStep } : {}),
  };
}

export function attachDisk(ctx: OpContext, op: Op<'attachDisk'>): void {
  const { world } = ctx;
  const { vm } = findVmOrThrow(ctx, op.vm, 'Add-VMHardDiskDrive');
  const fail = (
    message: string,
    explain?: string,
    category: 'InvalidArgument' | 'InvalidOperation' | 'ObjectNotFound' = 'InvalidArgument',
  ) =>
    refusal(ctx.site, {
      cmdlet: 'Add-VMHardDiskDrive',
      message,
      category,
      errorId: 'InvalidParameter',
      target: op.path,
      explain,
    });
  const vhd = world.findVhd(ctx.host, op.path);
  if (!vhd)
    throw fail(
      `Failed to add device 'Virtual Hard Disk'. The system cannot find the file specified. (0x80070002).`,
      `${op.path} does not exist`,
      'ObjectNotFound',
    );
  const controllerProblem = driveControllerProblem(vm.generation, 'hardDisk', op.controllerType);
  if (controllerProblem) throw fail(controllerProblem);
  if (op.controllerType === 'IDE' && vm.power.state !== 'Off')
    throw refuseInState(
      ctx,
      'Add-VMHardDiskDrive',
      vm.name,
      'drives on an IDE controller are added while the VM is off',
    );
  const maxLocation = op.controllerType === 'IDE' ? 1 : 63;
  const maxController = op.controllerType === 'IDE' ? 1 : 3;
  if (
    op.controllerNumber < 0 ||
    op.controllerNumber > maxController ||
    op.controllerLocation < 0 ||
    op.controllerLocation > maxLocation
  ) {
    throw fail(
      `The controller location ${op.controllerType} ${op.controllerNumber}:${op.controllerLocation} does not exist.`,
    );
  }
  const sameSlot = (d: { controllerType: string; controllerNumber: number; controllerLocation: number }) =>
    d.controllerType === op.controllerType &&
    d.controllerNumber === op.controllerNumber &&
    d.controllerLocation === op.controllerLocation;
  const occupied = vm.disks.find(sameSlot) ?? vm.dvdDrives.find(sameSlot);
  if (occupied)
    throw fail(
      `There is already a drive at ${op.controllerType} ${op.controllerNumber}:${op.controllerLocation} of '${vm.name}'.`,
      occupied.path ? `it holds ${occupied.path}` : 'an empty DVD drive',
      'InvalidOperation',
    );
  const shared = op.supportPersistentReservations || vhd.format === 'vhds';
  if (shared) {
    if (!op.supportPersistentReservations)
      throw fail(
        'A VHD Set can only be attached with persistent reservations (shared).',
        `${op.path} is a .vhds file`,
      );
    if (op.controllerType !== 'SCSI')
      throw fail('Shared virtual hard disks are supported only on SCSI controllers.');
    if (vhd.format !== 'vhdx' && vhd.format !== 'vhds')
      throw fail('Shared virtual hard disks must be VHDX or VHD Set (.vhds) files.');
    if (!isCsvPath(op.path) && !isSmbPath(op.path)) {
      throw fail(
        `The storage where the virtual hard disk '${op.path}' is located does not support virtual hard disk sharing.`,
        'a shared disk must be on a cluster shared volume (C:\\ClusterStorage\\...) or an SMB share (\\\\server\\share\\...)',
      );
    }
  }
  const others = world.vmsUsing(ctx.host, op.path).filter((u) => u.vm.id !== vm.id);
  for (const other of others) {
    const theirs = other.vm.disks.find((d) => samePath(d.path, op.path))!;
    if (!shared || !theirs.supportPersistentReservations) {
      throw fail(
        `Failed to add device 'Virtual Hard Disk'. The process cannot access the file because it is being used by another process. (0x80070020).`,
        `${op.path} is attached to ${other.vm.name} without persistent reservations`,
        'InvalidOperation',
      );
    }
  }
  vm.disks.push({
    controllerType: op.controllerType,
    controllerNumber: op.controllerNumber,
    controllerLocation: op.controllerLocation,
    path: op.path,
    supportPersistentReservations: op.supportPersistentReservations,
  });
}

export function detachDisk(ctx: OpContext, op: Op<'detachDisk'>): void {
  const { vm } = findVmOrThrow(ctx, op.vm, 'Remove-VMHardDiskDrive');
  const index = vm.disks.findIndex(
    (d) =>
      d.controllerType === op.controllerType &&
      d.controllerNumber === op.controllerNumber &&
      d.controllerLocation === op.controllerLocation,
  );
  if (index < 0) {
    throw refusal(ctx.site, {
      cmdlet: 'Remove-VMHardDiskDrive',
      message: `Hyper-V was unable to find a hard disk drive at ${op.controllerType} ${op.controllerNumber}:${op.controllerLocation} of virtual machine '${vm.name}'.`,
      category: 'ObjectNotFound',
      errorId: 'ObjectNotFound',
      target: vm.name,
    });
  }
  if (op.controllerType === 'IDE' && vm.power.state !== 'Off')
    throw refuseInState(
      ctx,
      'Remove-VMHardDiskDrive',
      vm.name,
      'drives on an IDE controller are removed while the VM is off',
    );
  vm.disks.splice(index, 1);
}
