import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../../support/pwsh.js';
import { ProviderError } from '../../../src/errors.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { SCENARIOS } from '../../contract/scenarios.js';
import { HOST, contractLab, resetFake, callContext } from '../../contract/contract-harness.js';

describePwsh(
  'Hyper-V provider: every Hyper-V refusal arrives as a ProviderError with the PowerShell record',
  () => {
    let fake: FakeHyperV;
    beforeAll(async () => {
      fake = await createFakeHyperV({ lab: contractLab() });
    }, 60_000);
    afterAll(async () => fake?.dispose());

    for (const scenario of SCENARIOS.filter((s) => s.refused)) {
      it(
        scenario.name,
        async () => {
          resetFake(fake, scenario);
          for (const op of scenario.steps) await fake.provider.run(HOST, op, callContext());
          const before = JSON.stringify(fake.state(HOST).vms);
          const error = await fake.provider.run(HOST, scenario.refused!.op, callContext('vm.refused')).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(ProviderError);
          const refusal = error as ProviderError;
          expect(refusal.address).toBe('vm.refused');
          expect(refusal.host).toBe(HOST);
          expect(refusal.record?.category).toBe(scenario.refused!.expect.category);
          expect(refusal.record?.message).toContain(scenario.refused!.expect.message);
          expect(refusal.record?.fullyQualifiedErrorId).toMatch(/\S+,\S+/);
          expect(refusal.message).toContain(scenario.refused!.expect.message);
          // Refused before anything changed.
          expect(JSON.stringify(fake.state(HOST).vms)).toBe(before);
        },
        60_000,
      );
    }

    it('a parameter the cmdlet does not have fails to bind, like on a real host', async () => {
      resetFake(fake, SCENARIOS[0]!);
      const error = (await fake.provider
        .run(
          HOST,
          { op: 'createSwitch', name: 'x', type: 'internal', notes: '', bogus: 1 } as never,
          callContext(),
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        )) as ProviderError | undefined;
      // Unknown fields of an operation never reach a cmdlet: the request is built from known fields only.
      expect(error).toBeUndefined();
      expect(fake.state(HOST).calls.at(-1).parameters).toEqual({
        Name: 'x',
        SwitchType: 'Internal',
        Notes: '',
      });
    }, 60_000);
  },
);
