import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { discoverLab } from '../../app/discover-lab.js';
import { restoreGraph } from '../../plan/checkpoint-steps.js';
import { confirm } from '../confirm.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { labVmDependencies } from '../../plan/vm-order.js';

/** Every lab VM back to a checkpoint, started in dependency order with the usual waits. */
export async function runRestore(options: { file: string; name: string; autoApprove: boolean; global: GlobalOptions; io: CommandIo }): Promise<number> {
  const { io } = options;
  return withLockedLab({ file: options.file, global: options.global, command: 'restore' }, async (ctx) => {
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const graph = restoreGraph({ lab: ctx.lab, live, name: options.name, deps: labVmDependencies(ctx.lab) });
    const vms = new Set(graph.steps.map((s) => s.address.replace(/^vm\./, '')));
    io.stdout.write(`Restore ${[...vms].join(', ')} to checkpoint "${options.name}"; what changed since is lost.\n`);
    const yes = await confirm({ io, question: 'Restore these VMs?', autoApprove: options.autoApprove, action: 'restore' });
    if (!yes) throw new UserError('restore cancelled; nothing was changed');
    return runSteps({ ctx, graph, command: 'restore', verb: `Restore "${options.name}"`, io });
  });
}
