import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { SCENARIOS } from './scenarios.js';
import {
  HOST,
  SCOPE,
  callContext,
  comparable,
  contractLab,
  refusalOf,
  resetFake,
  simFor,
} from './contract-harness.js';

describePwsh('contract: the simulator and the Hyper-V provider on the fake module agree', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    fake = await createFakeHyperV({ lab: contractLab() });
  }, 60_000);
  afterAll(async () => fake?.dispose());

  for (const scenario of SCENARIOS) {
    it(
      scenario.name,
      async () => {
        resetFake(fake, scenario);
        const sim = await simFor(scenario);
        try {
          for (const [index, op] of scenario.steps.entries()) {
            const address = `step${index}.${op.op}`;
            await sim.run(HOST, op, callContext(address));
            await fake.provider.run(HOST, op, callContext(address));
          }
          const simState = await sim.discover(HOST, SCOPE);
          const fakeState = await fake.provider.discover(HOST, SCOPE);
          expect(comparable(fakeState)).toEqual(comparable(simState));

          if (scenario.refused) {
            const { op, expect: wanted } = scenario.refused;
            const simRefusal = await refusalOf(sim.run(HOST, op, callContext('refused')));
            const fakeRefusal = await refusalOf(fake.provider.run(HOST, op, callContext('refused')));
            expect(simRefusal.category).toBe(wanted.category);
            expect(simRefusal.message).toContain(wanted.message);
            expect({ ...fakeRefusal, message: fakeRefusal.message.includes(wanted.message) }).toEqual({
              ...simRefusal,
              message: true,
            });
            // A refusal changes nothing, on both.
            expect(comparable(await fake.provider.discover(HOST, SCOPE))).toEqual(
              comparable(await sim.discover(HOST, SCOPE)),
            );
          }
        } finally {
          await sim.close();
        }
      },
      120_000,
    );
  }
});
