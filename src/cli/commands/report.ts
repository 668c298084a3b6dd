import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { ExitCode } from '../exit-codes.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { desiredState } from '../../desired/desired-state.js';
import type { DesiredVm } from '../../desired/desired-resource.js';
import { guestTasks } from '../../roles/lab-guest-tasks.js';
import { discoverWithRoleProbes } from '../../app/role-state.js';
import { labStatus } from '../../render/show-status.js';
import { readTimelineRun } from '../../render/report/journal-run.js';
import { reportHtml } from '../../render/report/report-html.js';
import { counted } from '../../model/plural.js';

/** `labform report FILE [--out lab.html]`: the topology, the live state and the last apply's timeline in one HTML file. */
export async function runReport(options: {
  file: string;
  out?: string;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const { lab, provider } = ctx;
    const desired = desiredState({ lab });
    const vms = desired.filter((d): d is DesiredVm => d.kind === 'vm');
    // One round trip per host: discovery and the guest probes of its running lab VMs.
    const { live, probed } = await discoverWithRoleProbes({
      lab,
      vms,
      tasks: guestTasks({ lab }),
      provider,
      credentials: ctx.credentials,
    });
    const roleAddresses = new Map<string, string[]>();
    for (const d of desired)
      if (d.kind === 'role') roleAddresses.set(d.vm, [...(roleAddresses.get(d.vm) ?? []), d.address]);
    const status = labStatus({ lab, live, roleState: probed.state, roleAddresses });
    const run = await readTimelineRun({ stateDir: ctx.stateDir, lab: lab.name, command: 'apply' });
    const out = path.resolve(options.out ?? `${lab.name}.html`);
    await writeFileAtomic(
      out,
      reportHtml({
        lab,
        status,
        run,
        simulated: provider.kind === 'sim',
        generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      }),
    );
    options.io.stdout.write(
      `wrote ${out}${run ? ` (topology, ${counted(status.vms.length, 'VM')}, last apply: ${counted(run.steps.length, 'step')})` : ' (topology; no apply recorded yet)'}\n`,
    );
    return ExitCode.ok;
  } finally {
    await ctx.provider.close();
  }
}
