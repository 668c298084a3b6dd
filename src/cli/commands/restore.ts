import type { CommandIo } from '../io.js';
import type { OpenCommandContext } from '../../app/command-context.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { discoverLab } from '../../app/discover-lab.js';
import { restoreGraph } from '../../plan/checkpoint-steps.js';
import { confirm } from '../confirm.js';
import { ExitCode } from '../exit-codes.js';
import {
  clearPendingRun,
  describePendingRun,
  readPendingRun,
  writePendingRun,
} from '../../executor/pending-run.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { labVmDependencies } from '../../plan/vm-order.js';
import { vmOfAddress } from '../../model/address.js';

/** Every lab VM back to a checkpoint, started in dependency order with the usual waits. */
export async function runRestore(options: {
  file: string;
  name: string;
  autoApprove: boolean;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const { io } = options;
  return withLockedLab({ ...options, command: 'restore' }, async (ctx) => {
    const where = { stateDir: ctx.stateDir, lab: ctx.lab.name };
    const pending = await readPendingRun(where);
    const same = pending?.command === 'restore' && pending.name.toLowerCase() === options.name.toLowerCase();
    if (pending && !same) io.stderr.write(`note: ${describePendingRun(pending, options.file)}\n`);
    if (same)
      io.stderr.write(
        `resuming restore "${options.name}" after an interrupted run: every VM is restored again and started in order\n`,
      );
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const graph = restoreGraph({ lab: ctx.lab, live, name: options.name, deps: labVmDependencies(ctx.lab) });
    const vms = new Set(graph.steps.map((s) => vmOfAddress(s.address)!));
    io.stdout.write(
      `Restore ${[...vms].join(', ')} to checkpoint "${options.name}"; what changed since is lost.\n`,
    );
    const yes = await confirm({
      io,
      question: 'Restore these VMs?',
      autoApprove: options.autoApprove,
      action: 'restore',
    });
    if (!yes) throw new UserError('restore cancelled; nothing was changed');
    // Journaled like checkpoint: a re-run restores and starts every VM again (restore starts them all).
    await writePendingRun(where, {
      command: 'restore',
      name: options.name,
      running: [...vms],
      since: same ? pending!.since : new Date().toISOString(),
    });
    const code = await runSteps({ ctx, graph, command: 'restore', verb: `Restore "${options.name}"`, io });
    // A restore replaces whatever an unfinished checkpoint left: the lab is back to NAME and running.
    if (code === ExitCode.ok) await clearPendingRun(where);
    return code;
  });
}
