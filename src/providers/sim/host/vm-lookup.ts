import type { ProviderError } from '../../../errors.js';
import type { SimVm } from '../sim-state.js';
import { refusal } from '../sim-errors.js';
import type { OpContext } from './op-context.js';

/** The VM as seen from the operation's host (clustered VMs from any node), or Get-VM's error. */
export function findVmOrThrow(ctx: OpContext, name: string, cmdlet: string): { host: string; vm: SimVm } {
  const found = ctx.world.findVm(ctx.host, name);
  if (!found) {
    throw refusal(ctx.site, {
      cmdlet,
      message: `Hyper-V was unable to find a virtual machine with name "${name}".`,
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      target: name,
    });
  }
  return found;
}

/** Hyper-V's refusal of a change the VM's current state does not allow. */
export function refuseInState(ctx: OpContext, cmdlet: string, vm: string, explain: string): ProviderError {
  return refusal(ctx.site, {
    cmdlet,
    message: 'The operation cannot be performed while the virtual machine is in its current state.',
    category: 'InvalidOperation',
    errorId: 'InvalidState',
    target: vm,
    explain,
  });
}
