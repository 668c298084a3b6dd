import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../global-options.js';
import { ExitCode } from '../exit-codes.js';
import { openCommandContext } from '../command-context.js';
import { makePlan } from '../../plan/make-plan.js';
import { formatDot, formatMermaid } from '../../render/graph.js';

/** `labform graph FILE [--format dot|mermaid]`: the plan's steps and edges. */
export async function runGraph(options: { file: string; format: 'dot' | 'mermaid'; global: GlobalOptions; io: CommandIo }): Promise<number> {
  const ctx = await openCommandContext({ file: options.file, global: options.global });
  try {
    const { plan } = await makePlan({ lab: ctx.lab, provider: ctx.provider, credentials: ctx.credentials, logger: ctx.logger, mode: 'apply' });
    options.io.stdout.write(options.format === 'mermaid' ? formatMermaid(plan) : formatDot(plan));
    return ExitCode.ok;
  } finally {
    await ctx.provider.close();
  }
}
