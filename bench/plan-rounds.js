// The plan command's own path (openCommandContext + makePlan, as `labform plan --sim` runs it)
// in a child process, reporting the simulator's per-host counters, which the CLI does not print.
//   node bench/plan-rounds.js FILE STATE_DIR   -> {"hosts":{"hv01":{"roundTrips":1,"discover":1,"guestsProbed":6}},"changes":N}
import { openCommandContext } from '../dist/app/command-context.js';
import { makePlan } from '../dist/app/make-plan.js';
import { labHosts } from '../dist/app/discover-lab.js';

const [, , file, stateDir] = process.argv;
const ctx = await openCommandContext({ file, global: { sim: true, stateDir, color: false, debug: false } });
try {
  const { plan, live } = await makePlan({
    lab: ctx.lab,
    provider: ctx.provider,
    credentials: ctx.credentials,
    logger: ctx.logger,
    mode: 'apply',
  });
  // guestsProbed: running guests whose probes answered inside the host's discovery request.
  const probed = (h) => (live.get(h)?.guestProbes ?? []).filter((o) => o.status === 'answered').length;
  const hosts = Object.fromEntries(
    labHosts(ctx.lab).map((h) => [
      h,
      {
        roundTrips: ctx.provider.roundTrips(h),
        discover: ctx.provider.discoverCalls(h),
        guestsProbed: probed(h),
      },
    ]),
  );
  process.stdout.write(`${JSON.stringify({ hosts, changes: plan.changes.length, summary: plan.summary })}\n`);
} finally {
  await ctx.provider.close();
}
