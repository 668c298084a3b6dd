/**
 * The guest contract: the same guest scenarios (see guest-scenarios.ts) on the simulator and on
 * the Hyper-V provider over the fake module in real pwsh. Both must answer each guest operation
 * with the same result, report the same probe answers before and after it, and refuse the same
 * operations with the same message.
 */
import { createHash } from 'node:crypto';
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
import { parseRoleRecords } from '../../src/roles/role-record.js';

const GiB = 1024 ** 3;
/** Virtual time the simulator is given before each guest step: every boot and restart is over. */
const SETTLE_MS = 60 * 60_000;

interface Seen {
  step: number;
  before?: boolean;
  rebooted?: boolean;
  after?: boolean;
  refused?: { matches: boolean; retryable: boolean };
  /** What readRoles answered: the records (texts parsed) and whether they were the expected addresses. */
  records?: { texts: unknown[]; expected: boolean };
}

const target = (vm: string, as: string, os: 'windows' | 'linux' = 'windows'): GuestTarget => ({
  host: HOST,
  vm,
  os,
  credential: credentialFor(as),
});

async function play(
  provider: Provider,
  steps: GuestStep[],
  settle: () => Promise<void>,
  media: (path: string, content: string) => Promise<void>,
): Promise<Seen[]> {
  const seen: Seen[] = [];
  for (const [index, step] of steps.entries()) {
    const ctx = callContext(`step${index}`);
    if ('media' in step) {
      for (const m of step.media) await media(m.path, m.content);
      continue;
    }
    if ('host' in step) {
      await provider.run(HOST, step.host, ctx);
      continue;
    }
    await settle();
    if ('readRoles' in step) {
      const [answer] = await provider.probeGuest(
        target(step.vm, step.as, step.os),
        [{ op: 'readRoles' }],
        ctx,
      );
      const records = parseRoleRecords(answer?.detail);
      seen.push({
        step: index,
        before: answer?.done,
        records: {
          texts: records,
          expected: JSON.stringify(records.map((r) => r.address)) === JSON.stringify(step.readRoles),
        },
      });
      continue;
    }
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
            // Media: a file of the simulated host with the content's size and SHA-256; a real file on the fake host.
            const simSeen = await play(
              sim,
              scenario.steps,
              () => clock.sleep(SETTLE_MS),
              (path, content) =>
                sim.seed(HOST, (t) =>
                  t.file({
                    path,
                    size: Buffer.byteLength(content),
                    sha256: createHash('sha256').update(content).digest('hex'),
                  }),
                ),
            );
            const fakeSeen = await play(
              fake.provider,
              scenario.steps,
              async () => undefined,
              async (path, content) => fake.media(HOST, path, content),
            );
            // Every guest step did what it should on the simulator: not done before, done after; refusals say why.
            for (const s of simSeen) {
              if (s.refused) expect(s.refused.matches, `step ${s.step}: refusal message`).toBe(true);
              else if (s.records)
                expect([s.before, s.records.expected], `step ${s.step}: records read`).toEqual([true, true]);
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
