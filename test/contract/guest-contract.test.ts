/**
 * The guest contract: the same guest scenarios (see guest-scenarios.ts) on the simulator and on
 * the Hyper-V provider over the fake module in real pwsh. Both must answer each guest operation
 * with the same result, report the same probe answers before and after it, and refuse the same
 * operations with the same message.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { ProviderError } from '../../src/errors.js';
import type { Provider } from '../../src/providers/provider.js';
import type { GuestTarget } from '../../src/providers/call-context.js';
import { HOST, callContext, contractLab, resetFake } from './contract-harness.js';
import { GUEST_SCENARIOS, type GuestStep } from './guest-scenarios.js';
import { credentialFor } from '../providers/hyperv/helpers/fake-host.js';

const GiB = 1024 ** 3;
/** Virtual time the simulator is given before each guest step: every boot and restart is over. */
const SETTLE_MS = 60 * 60_000;

interface Seen {
  step: number;
  before?: boolean;
  rebooted?: boolean;
  after?: boolean;
  refused?: { matches: boolean; retryable: boolean };
}

const target = (vm: string, as: string, os: 'windows' | 'linux' = 'windows'): GuestTarget => ({
  host: HOST,
  vm,
  os,
  credential: credentialFor(as),
});

async function play(provider: Provider, steps: GuestStep[], settle: () => Promise<void>): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (const [index, step] of steps.entries()) {
    const ctx = callContext(`step${index}`);
    if ('host' in step) {
      await provider.run(HOST, step.host, ctx);
      continue;
    }
    await settle();
    if ('refused' in step) {
      const error = await provider.runGuest(target(step.vm, step.as, step.os), step.refused, ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(error instanceof ProviderError))
        throw new Error(
          `${provider.kind}: step ${index} (${step.refused.op} on ${step.vm}) was not refused: ${String(error)}`,
        );
      const text = `${error.record?.message ?? ''} ${error.message}`;
      if (!text.includes(step.message))
        throw new Error(
          `${provider.kind}: step ${index} (${step.refused.op} on ${step.vm}) was refused without "${step.message}": ${text}`,
        );
      seen.push({ step: index, refused: { matches: true, retryable: error.retryable } });
      continue;
    }
    const [before] = await provider.probeGuest(target(step.vm, step.as, step.os), [step.run], ctx);
    const result = await provider.runGuest(target(step.vm, step.as, step.os), step.run, ctx);
    await settle();
    // After a forest or a join the local account is gone: the probe asks as the domain admin.
    const after = ['createForest', 'joinDomain', 'offlineDomainJoin'].includes(step.run.op)
      ? 'domain-admin'
      : step.as;
    const [now] = await provider.probeGuest(target(step.vm, after, step.os), [step.run], ctx);
    seen.push({ step: index, before: before?.done, rebooted: result.rebooted, after: now?.done });
  }
  return seen;
}

describePwsh(
  'guest contract: the simulator and the Hyper-V provider on the fake module agree inside guests',
  () => {
    let fake: FakeHyperV;
    beforeAll(async () => {
      fake = await createFakeHyperV({ lab: contractLab() });
    }, 60_000);
    afterAll(async () => fake?.dispose());

    for (const scenario of GUEST_SCENARIOS) {
      it(
        scenario.name,
        async () => {
          resetFake(fake, { name: scenario.name, steps: [] });
          const clock = new VirtualClock();
          const sim = await createSim({
            lab: contractLab(),
            clock,
            memory: true,
            hosts: {
              [HOST]: { freeMemory: 64 * GiB, ethernet: { address: '10.254.0.10', prefixLength: 24 } },
            },
          });
          try {
            const simSeen = await play(sim, scenario.steps, () => clock.sleep(SETTLE_MS));
            const fakeSeen = await play(fake.provider, scenario.steps, async () => undefined);
            // Every guest step did what it should on the simulator: not done before, done after; refusals say why.
            for (const s of simSeen) {
              if (s.refused) expect(s.refused.matches, `step ${s.step}: refusal message`).toBe(true);
              else expect([s.before, s.after], `step ${s.step}: probe before/after`).toEqual([false, true]);
            }
            expect(fakeSeen).toEqual(simSeen);
          } finally {
            await sim.close();
          }
        },
        300_000,
      );
    }
  },
);
