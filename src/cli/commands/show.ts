import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { ExitCode } from '../exit-codes.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { desiredState } from '../../desired/desired-state.js';
import type { DesiredVm } from '../../desired/desired-resource.js';
import { guestTasks } from '../../roles/lab-guest-tasks.js';
import { discoverWithRoleProbes } from '../../app/role-state.js';
import { labStatus } from '../../render/show-status.js';
import { formatShowText } from '../../render/show-text.js';
import { formatInventory, type InventoryFormat } from '../../render/show-inventory.js';

/**
 * `labform show FILE [--json | --format ssh-config|ansible|hosts]`: everything the lab owns: VMs
 * (CPU, memory, state, heartbeat, uptime, addresses, checkpoints, roles), disks, devices and MMIO,
 * shared disks, host and guest clusters, networks, NAT and mappings; or an inventory.
 */
export async function runShow(options: {
  file: string;
  json: boolean;
  format?: InventoryFormat;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const { lab, provider } = ctx;
    const desired = desiredState({ lab });
    const vms = desired.filter((d): d is DesiredVm => d.kind === 'vm');
    const tasks = guestTasks({ lab });
    // One round trip per host: discovery and the guest probes of its running lab VMs.
    const { live, probed } = await discoverWithRoleProbes({
      lab,
      vms,
      tasks,
      provider,
      credentials: ctx.credentials,
    });
    const roleAddresses = new Map<string, string[]>();
    for (const d of desired)
      if (d.kind === 'role') roleAddresses.set(d.vm, [...(roleAddresses.get(d.vm) ?? []), d.address]);
    const status = labStatus({ lab, live, roleState: probed.state, roleAddresses });
    if (options.format) options.io.stdout.write(formatInventory(options.format, lab, status));
    else
      options.io.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : formatShowText(status));
    return ExitCode.ok;
  } finally {
    await ctx.provider.close();
  }
}
