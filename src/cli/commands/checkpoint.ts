import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { discoverLab } from '../../app/discover-lab.js';
import { checkpointGraph } from '../../plan/checkpoint-steps.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { labVmDependencies } from '../../plan/vm-order.js';

/** A named checkpoint of every lab VM, taken while all are off, then started again in order. */
export async function runCheckpoint(options: { file: string; name: string; global: GlobalOptions; io: CommandIo }): Promise<number> {
  return withLockedLab({ file: options.file, global: options.global, command: 'checkpoint' }, async (ctx) => {
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const graph = checkpointGraph({ lab: ctx.lab, live, name: options.name, deps: labVmDependencies(ctx.lab) });
    return runSteps({ ctx, graph, command: 'checkpoint', verb: `Checkpoint "${options.name}"`, io: options.io });
  });
}
