import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { discoverLab } from '../../app/discover-lab.js';
import { checkpointGraph, ownedLabVms } from '../../plan/checkpoint-steps.js';
import { deleteCheckpointGraph, checkpointTable } from '../../plan/checkpoint-list.js';
import { confirm } from '../confirm.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { labVmDependencies } from '../../plan/vm-order.js';
import { ExitCode } from '../exit-codes.js';
import {
  clearPendingRun,
  describePendingRun,
  readPendingRun,
  writePendingRun,
} from '../../executor/pending-run.js';
import { vmOfAddress } from '../../model/address.js';

export interface CheckpointOptions {
  file: string;
  name?: string;
  list: boolean;
  delete?: string;
  autoApprove: boolean;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}

/**
 * `checkpoint FILE NAME`: a named checkpoint of every lab VM, taken while all are off (asks
 * before stopping running VMs unless -y), then started again in order.
 * `checkpoint FILE --list`: the lab's checkpoints and the VMs that have them.
 * `checkpoint FILE --delete NAME`: removes that checkpoint from every lab VM (asks unless -y).
 */
export async function runCheckpoint(options: CheckpointOptions): Promise<number> {
  const { io } = options;
  const modes = [options.name !== undefined, options.list, options.delete !== undefined].filter(
    Boolean,
  ).length;
  if (modes !== 1)
    throw new UserError(
      'checkpoint takes exactly one of: a NAME to take, --list, or --delete NAME',
      [],
      'labform checkpoint lab.yaml baseline | --list | --delete baseline',
    );
  if (options.list) return listCheckpoints(options);
  if (options.delete !== undefined) {
    const name = options.delete;
    return withLockedLab({ ...options, command: 'checkpoint' }, async (ctx) => {
      const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
      const graph = deleteCheckpointGraph({ lab: ctx.lab, live, name });
      const vms = graph.steps.map((s) => vmOfAddress(s.address)!);
      io.stdout.write(
        `Delete checkpoint "${name}" of ${vms.join(', ')}; the VMs can no longer be restored to it.\n`,
      );
      if (
        !(await confirm({
          io,
          question: 'Delete this checkpoint?',
          autoApprove: options.autoApprove,
          action: 'delete a checkpoint',
        }))
      )
        throw new UserError('checkpoint --delete cancelled; nothing was changed');
      return runSteps({ ctx, graph, command: 'checkpoint', verb: `Delete checkpoint "${name}"`, io });
    });
  }
  const name = options.name!;
  // Journaled (executor/pending-run.ts): a re-run after a kill or Ctrl-C takes the checkpoints
  // still missing and starts again the VMs that ran before the first attempt.
  return withLockedLab({ ...options, command: 'checkpoint' }, async (ctx) => {
    const where = { stateDir: ctx.stateDir, lab: ctx.lab.name };
    const pending = await readPendingRun(where);
    const same = pending?.command === 'checkpoint' && pending.name.toLowerCase() === name.toLowerCase();
    if (pending && !same) io.stderr.write(`note: ${describePendingRun(pending, options.file)}\n`);
    if (pending && same)
      io.stderr.write(
        `resuming checkpoint "${name}" after an interrupted run; ${pending.running.length > 0 ? `${pending.running.join(', ')} will be running again at the end` : 'no VM was running before it'}\n`,
      );
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const runningNow = ownedLabVms({ lab: ctx.lab, live })
      .filter((v) => v.live.state !== 'Off')
      .map((v) => v.spec.name);
    const running = [...new Set([...(pending?.running ?? []), ...runningNow])];
    const graph = checkpointGraph({
      lab: ctx.lab,
      live,
      name,
      deps: labVmDependencies(ctx.lab),
      resuming: same,
      ranBefore: running,
    });
    if (runningNow.length > 0) {
      io.stdout.write(
        `Checkpoint "${name}" stops ${runningNow.join(', ')} (members first), checkpoints every lab VM while all are off, then starts them again.\n`,
      );
      if (
        !(await confirm({
          io,
          question: 'Stop the lab for the checkpoint?',
          autoApprove: options.autoApprove,
          action: 'stop the lab for a checkpoint',
        }))
      )
        throw new UserError('checkpoint cancelled; nothing was changed');
    }
    await writePendingRun(where, {
      command: 'checkpoint',
      name,
      running,
      since: same ? pending!.since : new Date().toISOString(),
    });
    const code = await runSteps({ ctx, graph, command: 'checkpoint', verb: `Checkpoint "${name}"`, io });
    if (code === ExitCode.ok) await clearPendingRun(where);
    return code;
  });
}

async function listCheckpoints(options: CheckpointOptions): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    options.io.stdout.write(checkpointTable({ lab: ctx.lab, live }));
    return ExitCode.ok;
  } finally {
    await ctx.provider.close();
  }
}
