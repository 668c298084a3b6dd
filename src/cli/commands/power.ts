import type { CommandIo } from '../io.js';
import type { OpenCommandContext } from '../../app/command-context.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { discoverLab } from '../../app/discover-lab.js';
import { ownedLabVms, startSteps, stopSteps, type LabVm } from '../../plan/checkpoint-steps.js';
import { labVmDependencies } from '../../plan/vm-order.js';
import { runSteps, withLockedLab } from '../execute-steps.js';
import { vmSpecNamed } from '../lab-vm.js';
import { ExitCode } from '../exit-codes.js';
import { vmOfAddress } from '../../model/address.js';

/** The lab's VMs named on the command line (all when none), as they live. */
function chosenVms(all: LabVm[], names: string[], lab: Parameters<typeof vmSpecNamed>[0]): LabVm[] {
  if (names.length === 0) return all;
  const wanted = new Set(names.map((n) => vmSpecNamed(lab, n).name));
  const chosen = all.filter((v) => wanted.has(v.spec.name));
  const missing = [...wanted].filter((n) => !chosen.some((v) => v.spec.name === n));
  if (missing.length > 0)
    throw new UserError(
      `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist yet`,
      [],
      'run: labform apply FILE',
    );
  return chosen;
}

/**
 * `labform start FILE [VM...]`: the lab's VMs that are off (or saved) started in dependency
 * order (DCs and HGS before their members), each followed by the usual waits: heartbeat,
 * PowerShell Direct (SSH), Active Directory on a DC. Journaled and locked like apply.
 */
export async function runStart(options: {
  file: string;
  vms: string[];
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const { io } = options;
  return withLockedLab({ ...options, command: 'start' }, async (ctx) => {
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const all = ownedLabVms({ lab: ctx.lab, live });
    if (all.length === 0)
      throw new UserError(`lab ${ctx.lab.name} has no VMs yet`, [], 'run: labform apply FILE');
    const chosen = chosenVms(all, options.vms, ctx.lab);
    const off = chosen.filter((v) => v.live.state !== 'Running');
    for (const v of chosen.filter((c) => c.live.state === 'Running'))
      io.stdout.write(`${v.spec.name} is already running\n`);
    if (off.length === 0) {
      io.stdout.write('Nothing to start.\n');
      return ExitCode.ok;
    }
    const deps = labVmDependencies(ctx.lab);
    // A member started alone still needs its DC: say so when that DC is not running and not being started.
    const starting = new Set(off.map((v) => v.spec.name));
    for (const v of off) {
      const down = [...(deps.get(v.spec.name) ?? [])].filter(
        (d) => !starting.has(d) && all.find((a) => a.spec.name === d)?.live.state !== 'Running',
      );
      if (down.length > 0)
        io.stdout.write(
          `note: ${v.spec.name} depends on ${down.join(', ')}, which ${down.length === 1 ? 'is' : 'are'} not running\n`,
        );
    }
    const graph = { lab: ctx.lab.name, steps: startSteps({ lab: ctx.lab, vms: off, deps, after: [] }) };
    return runSteps({
      ctx,
      graph,
      command: 'start',
      verb: `Start ${off.map((v) => v.spec.name).join(', ')}`,
      io,
    });
  });
}

/** `labform stop FILE [VM...]`: running VMs shut down gracefully, members before the DCs they depend on. */
export async function runStop(options: {
  file: string;
  vms: string[];
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const { io } = options;
  return withLockedLab({ ...options, command: 'stop' }, async (ctx) => {
    const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
    const all = ownedLabVms({ lab: ctx.lab, live });
    if (all.length === 0)
      throw new UserError(`lab ${ctx.lab.name} has no VMs yet`, [], 'run: labform apply FILE');
    const chosen = chosenVms(all, options.vms, ctx.lab);
    for (const v of chosen.filter((c) => c.live.state === 'Off'))
      io.stdout.write(`${v.spec.name} is already off\n`);
    const steps = stopSteps({ lab: ctx.lab, vms: chosen, deps: labVmDependencies(ctx.lab) });
    if (steps.length === 0) {
      io.stdout.write('Nothing to stop.\n');
      return ExitCode.ok;
    }
    const names = steps.map((s) => vmOfAddress(s.address)!);
    return runSteps({
      ctx,
      graph: { lab: ctx.lab.name, steps },
      command: 'stop',
      verb: `Stop ${names.join(', ')}`,
      io,
    });
  });
}
