/**
 * A Linux guest's cloud-init seed disk on a simulated host (the Hyper-V provider's
 * Write-LabformCloudInitSeed, src/providers/hyperv/scripts/host-cloud-init.ps1): the seed files on
 * a small VHDX, with the refusal Mount-VHD gives while a running VM has the disk open. The guest
 * that boots with the disk attached takes its host name, addresses and keys from it
 * (src/providers/sim/guest/guest-model.ts, bootGuest).
 */
import type { HostOperation } from '../../../model/host-operation.js';
import { CLOUD_INIT_DISK_SIZE, cloudInitPartialPath } from '../../../model/cloud-init-seed.js';
import { refusal } from '../sim-errors.js';
import type { OpContext } from './op-context.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

export function writeCloudInitSeed(ctx: OpContext, op: Op<'writeCloudInitSeed'>): void {
  const { world } = ctx;
  const running = world.vmsUsing(ctx.host, op.path).filter((u) => u.vm.power.state !== 'Off');
  if (running.length > 0)
    throw refusal(ctx.site, {
      cmdlet: 'Move-Item',
      // The Hyper-V provider's Write-LabformCloudInitSeed says the same before it touches anything.
      message: `The cloud-init seed ${op.path} is attached to ${running[0]!.vm.name}, which is ${running[0]!.vm.power.state}: it is written only while the VM is off.`,
      category: 'InvalidOperation',
      errorId: 'MoveFileInfoItemIOError,Microsoft.PowerShell.Commands.MoveItemCommand',
      target: op.path,
      exceptionType: 'System.IO.IOException',
    });
  // What an interrupted write left goes first; the new disk takes the seed's name whole.
  if (world.findVhd(ctx.host, cloudInitPartialPath(op.path)))
    world.removeVhd(ctx.host, cloudInitPartialPath(op.path));
  if (world.findVhd(ctx.host, op.path)) world.removeVhd(ctx.host, op.path);
  world.addVhd(ctx.host, {
    path: op.path,
    format: 'vhdx',
    type: 'dynamic',
    parentPath: null,
    size: CLOUD_INIT_DISK_SIZE,
    cloudInit: { instanceId: op.instanceId, files: { ...op.files }, summary: op.summary },
  });
}
