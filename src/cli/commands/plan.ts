import path from 'node:path';
import type { CommandIo } from '../io.js';
import { sameHostsFlags, type GlobalOptions } from '../../app/global-options.js';
import { ExitCode } from '../exit-codes.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { hasChanges, planErrors, writeSavedPlan } from '../../app/make-plan.js';
import { formatPlanJson } from '../../render/plan-json.js';
import { formatPlanText } from '../../render/plan-text.js';

/** `labform plan FILE [--sim] [--json] [--out PLAN] [--detailed-exitcode]`. */
export async function runPlan(options: {
  file: string;
  json: boolean;
  out?: string;
  detailedExitcode: boolean;
  replace?: string[];
  target?: string[];
  destroy?: boolean;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    // Apply will need every secret: a missing one is an input error now (exit 1), not later.
    for (const c of ctx.lab.credentials) ctx.credentials.get(c.name);
    const { plan } = await ctx.makePlan({
      lab: ctx.lab,
      provider: ctx.provider,
      credentials: ctx.credentials,
      logger: ctx.logger,
      mode: options.destroy ? 'destroy' : 'apply',
      replace: options.replace,
      target: options.target,
      probeRoles: !options.destroy,
    });
    options.io.stdout.write(
      options.json
        ? formatPlanJson(plan)
        : formatPlanText(plan, { color: options.io.color && options.global.color }),
    );
    const refused = plan.conflicts.length > 0 || planErrors(plan).length > 0;
    if (options.out && !refused) {
      await writeSavedPlan(path.resolve(options.out), plan);
      // The apply command to copy: with the flags that make it reach the same hosts.
      const same = sameHostsFlags(options.global);
      if (!options.json)
        options.io.stdout.write(
          `\nSaved the plan to ${options.out}; apply it with: labform apply ${options.file} ${options.out}${same}\n`,
        );
    }
    if (refused) return ExitCode.inputRejected;
    return options.detailedExitcode && hasChanges(plan) ? ExitCode.changesPending : ExitCode.ok;
  } finally {
    await ctx.provider.close();
  }
}
