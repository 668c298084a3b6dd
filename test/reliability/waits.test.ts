import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { labOf } from '../support/cli-harness.js';

// In-process on virtual time: the timeouts of settings.timeouts are exact simulated durations.
const FILE = path.resolve('test/fixtures/reliability/waits-lab.yaml');

async function applyWithFault(permanent: string[]) {
  const lab = await labOf(FILE);
  const clock = new VirtualClock();
  const provider = await createSim({ lab, clock, memory: true, faults: { permanent } });
  const credentials = createCredentialResolver({ lab });
  const { plan } = await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' });
  const result = await executePlan({
    plan,
    provider,
    credentials,
    clock,
    parallelism: 8,
    perHostParallelism: 4,
  });
  return { lab, plan, result };
}

describe('waits give up at their setting and say what they waited for', () => {
  it('a heartbeat that never comes: the wait times out at settings.timeouts.heartbeat, naming the VM', async () => {
    const { lab, result } = await applyWithFault(['heartbeat:web01']);
    expect(lab.settings.timeouts.heartbeat).toBe(3 * 60_000);
    expect(result.rootCauses).toHaveLength(1);
    const failed = result.steps.find((s) => s.outcome === 'failed')!;
    expect(failed.address).toBe('vm.web01');
    expect(failed.error!.name).toBe('WaitTimeoutError');
    expect(failed.error!.message).toMatch(
      /^gave up waiting for the heartbeat of web01 on hv01 after 3m(\d+s)?: /,
    );
    // It gave up at its setting: not before, and not long after (one poll interval at most).
    expect(failed.durationMs).toBeGreaterThanOrEqual(3 * 60_000);
    expect(failed.durationMs).toBeLessThan(3 * 60_000 + 15_000);
    // The DC's branch does not depend on web01's heartbeat: it completed.
    expect(
      result.steps.filter((s) => s.address.includes('dc01') && !['done', 'skipped-done'].includes(s.outcome)),
    ).toEqual([]);
    expect(
      result.steps
        .filter((s) => s.outcome === 'skipped-dependency')
        .every((s) => s.address.includes('web01')),
    ).toBe(true);
  });

  it('Active Directory that never answers: the wait times out at settings.timeouts.adReady, naming the DC; its members are skipped', async () => {
    const { lab, result } = await applyWithFault(['adReady:dc01']);
    expect(lab.settings.timeouts.adReady).toBe(7 * 60_000);
    expect(result.rootCauses).toHaveLength(1);
    const failed = result.steps.find((s) => s.outcome === 'failed')!;
    expect(failed.address).toMatch(/dc01/);
    expect(failed.error!.name).toBe('WaitTimeoutError');
    expect(failed.error!.message).toMatch(
      /^gave up waiting for Active Directory on dc01 on hv01 after 7m(\d+s)?: /,
    );
    expect(failed.durationMs).toBeGreaterThanOrEqual(7 * 60_000);
    expect(failed.durationMs).toBeLessThan(7 * 60_000 + 15_000);
    // The member's join needs AD: skipped because of that one wait, not failed on its own.
    const join = result.steps.filter((s) => s.address === 'role.web01.domainMember');
    expect(join.length).toBeGreaterThan(0);
    for (const s of join) {
      expect(s.outcome).toBe('skipped-dependency');
      expect(s.blockedBy).toEqual([failed.id]);
    }
    // Everything else either completed or was skipped because of this one wait.
    for (const s of result.steps.filter((x) => x.id !== failed.id)) {
      if (s.outcome === 'skipped-dependency') expect(s.blockedBy).toEqual([failed.id]);
      else expect(['done', 'skipped-done']).toContain(s.outcome);
    }
  });
});
