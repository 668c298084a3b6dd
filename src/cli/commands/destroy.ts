import type { CommandIo } from '../io.js';
import type { OpenCommandContext } from '../../app/command-context.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { formatPlanText } from '../../render/plan-text.js';
import { confirm } from '../confirm.js';
import { ExitCode } from '../exit-codes.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { refuseBrokenPlan } from './apply.js';

/** Everything the lab owns (marked with its name), in reverse dependency order; nothing else. */
export async function runDestroy(options: {
  file: string;
  autoApprove: boolean;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const { io } = options;
  return withLockedLab({ ...options, command: 'destroy' }, async (ctx) => {
    const { plan } = await ctx.makePlan({
      lab: ctx.lab,
      provider: ctx.provider,
      credentials: ctx.credentials,
      logger: ctx.logger,
      mode: 'destroy',
      probeRoles: false,
    });
    // Only errors stop a destroy: a conflict (someone else's resource) is simply not touched.
    refuseBrokenPlan({ ...plan, conflicts: [] }, io);
    if (plan.steps.length === 0) {
      io.stdout.write(`Nothing to destroy: lab ${ctx.lab.name} owns nothing on its hosts.\n`);
      return ExitCode.ok;
    }
    io.stdout.write(formatPlanText({ ...plan, conflicts: [] }, { color: io.color }));
    const yes = await confirm({
      io,
      question: `Destroy everything lab ${ctx.lab.name} owns?`,
      autoApprove: options.autoApprove,
      action: 'destroy',
    });
    if (!yes) throw new UserError('destroy cancelled; nothing was changed');
    return runSteps({ ctx, graph: plan, command: 'destroy', verb: 'Destroy', io });
  });
}
