import { readFile } from 'node:fs/promises';
import type { CommandIo } from '../io.js';
import { sameHostsFlags, type GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import type { Plan } from '../../plan/plan.js';
import { checkPlanIsCurrent, readSavedPlan } from '../../app/saved-plan.js';
import { sha256Of } from '../../plan/fingerprint.js';
import { checkSavedPlanMatches } from '../../plan/saved-plan-check.js';
import { readLastRun } from '../../executor/journal.js';
import { describePendingRun, readPendingRun } from '../../executor/pending-run.js';
import { formatDiagnostics } from '../../render/diagnostics.js';
import { formatPlanText } from '../../render/plan-text.js';
import type { CommandContext, OpenCommandContext } from '../../app/command-context.js';
import { confirm } from '../confirm.js';
import { ExitCode } from '../exit-codes.js';
import { parseParallelism, runSteps, withLockedLab } from '../execute-steps.js';

/**
 * Conflicts and plan-time errors stop apply and destroy before anything is touched. The plan
 * text (stdout) shows them in context; stderr repeats them for logs that keep only stderr.
 */
export function refuseBrokenPlan(plan: Plan, io: CommandIo): void {
  const errors = plan.warnings.filter((d) => d.severity === 'error');
  if (plan.conflicts.length === 0 && errors.length === 0) return;
  if (errors.length > 0) io.stderr.write(`${formatDiagnostics(errors, { color: io.color })}\n`);
  for (const c of plan.conflicts)
    io.stderr.write(
      `conflict: ${c.address} on ${c.host}: ${c.message}${c.hint ? `\n  hint: ${c.hint}` : ''}\n`,
    );
  const n = plan.conflicts.length + errors.length;
  throw new UserError(
    `the plan has ${n} problem${n === 1 ? '' : 's'}; nothing was changed`,
    [],
    'resolve the conflicts above, then run again',
  );
}

/**
 * A saved plan, checked: the same lab, manifest content and live state, and steps that are exactly
 * what those call for (saved-plan-check.ts). Returns the re-derived plan: what runs is never the
 * file's steps, only what the checked manifest and hosts give.
 */
async function savedPlan(
  ctx: CommandContext,
  planFile: string,
  file: string,
  sameHosts: string,
): Promise<Plan> {
  const saved = await readSavedPlan(planFile);
  if (saved.lab !== ctx.lab.name)
    throw new UserError(`${planFile} is a plan for lab ${saved.lab}, not ${ctx.lab.name}`);
  // One discovery per host, the guest probes inside it, as `plan` made it (the fingerprint leaves the probe answers out).
  const { plan, live } = await ctx.makePlan({
    lab: ctx.lab,
    provider: ctx.provider,
    credentials: ctx.credentials,
    logger: ctx.logger,
    mode: 'apply',
  });
  checkPlanIsCurrent({ plan: saved, live, manifestSha: sha256Of(await readFile(file)), sameHosts });
  checkSavedPlanMatches({ saved, derived: plan, file: planFile, sameHosts });
  return plan;
}

export async function runApply(options: {
  file: string;
  planFile?: string;
  autoApprove: boolean;
  parallelism?: number;
  replace?: string[];
  target?: string[];
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const { io } = options;
  const parallelism = parseParallelism(options.parallelism);
  return withLockedLab({ ...options, command: 'apply' }, async (ctx) => {
    // A missing secret is an input error (exit 1) found before anything is touched, as plan does, not a step failure halfway.
    for (const c of ctx.lab.credentials) ctx.credentials.get(c.name);
    if (options.planFile && (options.replace?.length || options.target?.length)) {
      throw new UserError(
        '--replace and --target shape a new plan; a saved plan already has its own',
        [],
        'pass them to labform plan --out instead',
      );
    }
    const unfinished = await readPendingRun({ stateDir: ctx.stateDir, lab: ctx.lab.name });
    if (unfinished) io.stderr.write(`note: ${describePendingRun(unfinished, options.file)}\n`);
    const last = await readLastRun({ stateDir: ctx.stateDir, lab: ctx.lab.name });
    if (last?.interrupted && last.command === 'apply') {
      io.stderr.write(
        `resuming after an interrupted apply (${last.stepsFinished} step${last.stepsFinished === 1 ? '' : 's'} had finished); live state decides what is left\n`,
      );
      ctx.logger.info({ lastRun: last }, 'resuming after an interrupted apply');
    }
    const plan = options.planFile
      ? await savedPlan(ctx, options.planFile, options.file, sameHostsFlags(options.global))
      : (
          await ctx.makePlan({
            lab: ctx.lab,
            provider: ctx.provider,
            credentials: ctx.credentials,
            logger: ctx.logger,
            mode: 'apply',
            replace: options.replace,
            target: options.target,
          })
        ).plan;
    if (
      plan.steps.length === 0 &&
      plan.conflicts.length === 0 &&
      !plan.warnings.some((d) => d.severity === 'error')
    ) {
      io.stdout.write('No changes. The lab matches the manifest.\n');
      return ExitCode.ok;
    }
    io.stdout.write(formatPlanText(plan, { color: io.color }));
    refuseBrokenPlan(plan, io);
    // A saved plan was already reviewed when it was made.
    if (!options.planFile) {
      const yes = await confirm({
        io,
        question: 'Apply these changes?',
        autoApprove: options.autoApprove,
        action: 'apply',
      });
      if (!yes) throw new UserError('apply cancelled; nothing was changed');
    }
    return runSteps({ ctx, graph: plan, command: 'apply', verb: 'Apply', io, parallelism });
  });
}
