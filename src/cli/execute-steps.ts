import { executePlan } from '../executor/execute-plan.js';
import { ownershipPolicy } from '../ownership/guard.js';
import { type StepGraph } from '../plan/plan.js';
import { openFileJournal } from '../executor/journal.js';
import { acquireLabLock } from '../executor/lock.js';
import { installInterruptHandlers } from '../executor/interrupt.js';
import { UserError } from '../errors.js';
import { createProgress } from '../render/progress.js';
import { formatSummary } from '../render/summary.js';
import { openCommandContext, type CommandContext, type OpenCommandContext } from '../app/command-context.js';
import { ExitCode } from './exit-codes.js';
import type { GlobalOptions } from '../app/global-options.js';
import type { CommandIo } from './io.js';

export type LabCommand = 'apply' | 'destroy' | 'checkpoint' | 'restore' | 'start' | 'stop';

/**
 * The frame of every command that changes hosts: open the context, take the lab's lock
 * (exit 4 when held), run `body`, and always release the lock and close the provider.
 */
export async function withLockedLab(
  options: { file: string; global: GlobalOptions; command: LabCommand; open?: OpenCommandContext },
  body: (ctx: CommandContext) => Promise<number>,
): Promise<number> {
  const open = options.open ?? openCommandContext;
  const ctx = await open({ file: options.file, global: options.global });
  try {
    const lock = await acquireLabLock({
      stateDir: ctx.stateDir,
      lab: ctx.lab.name,
      command: options.command,
      logger: ctx.logger,
    });
    try {
      return await body(ctx);
    } finally {
      await lock.release();
    }
  } finally {
    await ctx.provider.close();
  }
}

/** `--parallelism N`: a positive integer, else input rejected. */
export function parseParallelism(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1)
    throw new UserError(`--parallelism must be a positive integer, not ${value}`);
  return value;
}

/**
 * Runs a step graph with the journal, Ctrl-C handling and progress output, prints the summary
 * and returns the exit code (3 when a step failed, 130 after Ctrl-C).
 */
export async function runSteps(options: {
  ctx: CommandContext;
  graph: StepGraph;
  command: LabCommand;
  verb: string;
  io: CommandIo;
  parallelism?: number;
}): Promise<number> {
  const { ctx, io } = options;
  const journal = await openFileJournal({
    stateDir: ctx.stateDir,
    lab: ctx.lab.name,
    command: options.command,
  });
  const progress = createProgress({ out: io.stdout, isTTY: io.isTTY, color: io.color, clock: ctx.clock });
  const interrupt = installInterruptHandlers();
  let result;
  try {
    result = await executePlan({
      plan: options.graph,
      provider: ctx.provider,
      credentials: ctx.credentials,
      clock: ctx.clock,
      logger: ctx.logger.child({ command: options.command }),
      parallelism: options.parallelism ?? ctx.lab.settings.parallelism,
      perHostParallelism: ctx.lab.settings.perHostParallelism,
      signal: interrupt.signal,
      hardSignal: interrupt.hardSignal,
      journal,
      rebootWaits: {
        heartbeat: ctx.lab.settings.timeouts.heartbeat,
        powershellDirect: ctx.lab.settings.timeouts.powershellDirect,
      },
      ownership: ownershipPolicy(ctx.lab),
      onEvent: progress.listener,
    });
  } finally {
    progress.stop();
    interrupt.dispose();
    await journal.close();
  }
  io.stdout.write(
    `\n${formatSummary(result, { verb: options.verb, command: options.command, color: io.color, simulated: ctx.provider.kind === 'sim' })}\n`,
  );
  if (result.rootCauses.length > 0) return ExitCode.failed;
  // The summary already said it was interrupted and what to do: exit 130 without saying it twice.
  return result.interrupted ? ExitCode.interrupted : ExitCode.ok;
}
