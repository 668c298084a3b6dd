/**
 * Plan and apply a lab against a provider the way `labform apply` does, for tests that drive a
 * provider directly (the simulator or the Hyper-V provider on the fake module): `plan` makes the
 * apply plan; `apply` runs one, after checking it holds no plan-time error, and checks nothing
 * failed.
 */
import { expect } from 'vitest';
import { makePlan, planErrors } from '../../src/app/make-plan.js';
import { RealClock, type Clock } from '../../src/clock/clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { Plan } from '../../src/plan/plan.js';
import type { Provider } from '../../src/providers/provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';

export function planAndApply(options: {
  /** The provider, looked up at each call (tests often create it in beforeAll). */
  provider: () => Provider;
  clock?: () => Clock;
  parallelism?: number;
  /** Where the lab's `fromEnv` secrets are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}) {
  const credentials = (lab: Lab) => createCredentialResolver({ lab, env: options.env });
  const plan = async (lab: Lab): Promise<Plan> =>
    (
      await makePlan({
        lab,
        provider: options.provider(),
        credentials: credentials(lab),
        logger: silentLogger,
        mode: 'apply',
      })
    ).plan;
  const execute = (lab: Lab, p: Plan) =>
    executePlan({
      plan: p,
      provider: options.provider(),
      credentials: credentials(lab),
      clock: options.clock?.() ?? new RealClock(),
      parallelism: options.parallelism ?? 4,
      perHostParallelism: 4,
      journal: memoryJournal(),
    });
  const apply = async (lab: Lab, p: Plan) => {
    expect(planErrors(p)).toEqual([]);
    const result = await execute(lab, p);
    expect(result.rootCauses.map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
    return result;
  };
  /** Plan, then run that plan, checking nothing: the test asserts on both. */
  const run = async (lab: Lab) => {
    const made = await plan(lab);
    return { plan: made, result: await execute(lab, made) };
  };
  return { plan, apply, run };
}
