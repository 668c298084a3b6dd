/**
 * Windows features installed into a simulated OS disk before its first boot
 * (Install-WindowsFeature -Vhd, the Hyper-V provider's Install-LabformFeaturesOffline), with the
 * refusals the fake module gives (test/fake-hyperv/host/windows-image.ps1): the disk must exist
 * and no running VM may have it open. The features are on the disk; the guest that boots from
 * it has them (src/providers/sim/guest/guest-model.ts bootGuest).
 */
import type { HostOperation } from '../../../model/host-operation.js';
import { refusal } from '../sim-errors.js';
import type { OpContext } from './op-context.js';
import { featureRestarts } from '../../../model/windows-features.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

const ID = 'Microsoft.Windows.ServerManager.Commands.AddWindowsFeatureCommand';

export function installFeaturesOffline(ctx: OpContext, op: Op<'installFeaturesOffline'>): void {
  const { world } = ctx;
  const fail = (message: string, category: 'ObjectNotFound' | 'InvalidOperation', errorId: string) =>
    refusal(ctx.site, {
      cmdlet: 'Install-WindowsFeature',
      message,
      category,
      errorId: `${errorId},${ID}`,
      target: op.vhdPath,
      exceptionType: 'System.InvalidOperationException',
    });
  const vhd = world.findVhd(ctx.host, op.vhdPath);
  if (!vhd) throw fail('The system cannot find the file specified.', 'ObjectNotFound', 'FileNotFound');
  if (world.vmsUsing(ctx.host, op.vhdPath).some(({ vm }) => vm.power.state !== 'Off'))
    throw fail(
      'The process cannot access the file because it is being used by another process.',
      'InvalidOperation',
      'VhdInUse',
    );
  const installed = vhd.offlineFeatures ?? [];
  vhd.offlineFeatures = [...installed, ...op.features.filter((f) => !installed.includes(f))];
}

/** Seconds of simulated time: the install, and per restart the features ask for, the first boot's pending work. */
export function installFeaturesOfflineDuration(ctx: OpContext, op: Op<'installFeaturesOffline'>): number {
  const restarts = featureRestarts(op.features);
  return ctx.timing.host.installFeaturesOffline + restarts * ctx.timing.host.offlineFeatureRestart;
}
