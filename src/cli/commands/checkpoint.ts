import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { discoverLab } from '../../app/discover-lab.js';
import { checkpointGraph, ownedLabVms } from '../../plan/checkpoint-steps.js';
import { clearPendingRun, describePendingRun, readPendingRun, writePendingRun } from '../../executor/pending-run.js';
import { ExitCode } from '../exit-codes.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { labVmDependencies } from '../../plan/vm-order.js';

/**
 * A named checkpoint of every lab VM, taken while all are off, then started again in order.
 * Journaled (executor/pending-run.ts): a re-run after a kill or Ctrl-C takes the checkpoints still
 * missing and starts again the VMs that ran before the first attempt.
 */
export async function runCheckpoint(options: { file: string; name: string; global: GlobalOptions; io: CommandIo }): Promise<number> {
  const { io } = options;
  return withLockedLab({ file: options.file, global: options.global, command: 'checkpoint' }, async (ctx) => {
    const where = { stateDir: ctx.stateDir, lab: ctx.lab.name };
    const pending = await readPendingRun(where);
    const same = pending?.command === 'checkpoint' && pending.name.toLowerCase() === options.name.toLowerCase();
    if (pending && !same) io.stderr.write(`note: ${describePendingRun(pending, options.file)}\n`);
    if (pending && same) io.stderr.write(`resuming checkpoint "${options.name}" after an interrupted run; ${pending.running.length > 0 ? `${pending.running.join(', ')} will be running again at the end` : 'no VM was running before it'}\n`);
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const running = [...new Set([...(pending?.running ?? []), ...ownedLabVms({ lab: ctx.lab, live }).filter((v) => v.live.state !== 'Off').map((v) => v.spec.name)])];
    const graph = checkpointGraph({ lab: ctx.lab, live, name: options.name, deps: labVmDependencies(ctx.lab), resuming: same, ranBefore: running });
    await writePendingRun(where, { command: 'checkpoint', name: options.name, running, since: same ? pending!.since : new Date().toISOString() });
    const code = await runSteps({ ctx, graph, command: 'checkpoint', verb: `Checkpoint "${options.name}"`, io });
    if (code === ExitCode.ok) await clearPendingRun(where);
    return code;
  });
}
