import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { ExitCode } from '../exit-codes.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { formatDot, formatMermaid, resourceGraph } from '../../render/graph.js';
import { desiredState } from '../../desired/desired-state.js';
import { ProviderError } from '../../errors.js';
import { untouchedHosts } from '../../app/untouched-hosts.js';

/** `labform graph FILE [--format dot|mermaid]`: the plan's steps and edges; when nothing is left to do, the resource graph. */
export async function runGraph(options: {
  file: string;
  format: 'dot' | 'mermaid';
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const planOf = (live?: ReturnType<typeof untouchedHosts>) =>
      ctx.makePlan({
        lab: ctx.lab,
        provider: ctx.provider,
        credentials: ctx.credentials,
        logger: ctx.logger,
        mode: 'apply',
        live,
      });
    let made;
    try {
      // Discovery (with the guest probes, one round trip per host) is the plan's only host call.
      made = await planOf();
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      // The graph is worth seeing before any host exists: without hosts, show the whole build.
      options.io.stderr.write(
        `note: ${error.message}\nnote: showing the graph of building the lab from nothing\n`,
      );
      made = await planOf(untouchedHosts(ctx.lab));
    }
    const { plan } = made;
    // Nothing left to do: the lab's resources and what each needs, rather than an empty graph.
    const doc =
      plan.steps.length > 0
        ? plan
        : resourceGraph({
            lab: ctx.lab.name,
            resources: desiredState({ lab: ctx.lab }),
            note: `lab ${ctx.lab.name} is up to date: no steps left; its resources and what each needs`,
          });
    if (plan.steps.length === 0)
      options.io.stderr.write(
        `note: lab ${ctx.lab.name} is up to date, no steps left: showing its resources and their dependencies\n`,
      );
    options.io.stdout.write(options.format === 'mermaid' ? formatMermaid(doc) : formatDot(doc));
    return ExitCode.ok;
  } finally {
    await ctx.provider.close();
  }
}
