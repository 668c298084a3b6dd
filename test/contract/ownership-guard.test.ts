import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { ProviderError } from '../../src/errors.js';
import type { HostOperation } from '../../src/model/host-operation.js';
import type { OwnershipPolicy } from '../../src/ownership/guard.js';
import type { Provider } from '../../src/providers/provider.js';
import { HOST, callContext, contractLab, resetFake, simFor } from './contract-harness.js';
import { LAB_PATH, type Scenario } from './scenarios.js';

// Both providers refuse a destructive operation on what the lab does not own, with the marks
// read from the host as they act: a step that reaches them from anywhere (a tampered plan, a
// bug) cannot touch an unmarked VM, another lab's switch, a foreign NAT or a disk elsewhere.
const policy: OwnershipPolicy = { lab: 'contract', diskFolders: [LAB_PATH], diskFiles: [] };
const scenario: Scenario = {
  name: 'strangers',
  steps: [
    {
      op: 'createVm',
      name: 'stranger',
      generation: 2,
      path: 'D:\\VMs\\stranger',
      memoryStartup: 2 * 1024 ** 3,
      notes: 'the finance team box',
    },
    {
      op: 'createVm',
      name: 'neighbour',
      generation: 2,
      path: `${LAB_PATH}\\neighbour`,
      memoryStartup: 2 * 1024 ** 3,
      notes: 'labform:lab=other',
    },
    { op: 'createSwitch', name: 'CorpNet', type: 'internal', notes: '' },
    { op: 'createNat', name: 'CorpNat', internalPrefix: '172.16.0.0/16' },
    {
      op: 'createVhd',
      path: 'D:\\VMs\\stranger\\data.vhdx',
      size: 1024 ** 3,
      format: 'vhdx',
      type: 'dynamic',
    },
    {
      op: 'createVm',
      name: 'mine',
      generation: 2,
      path: `${LAB_PATH}\\mine`,
      memoryStartup: 2 * 1024 ** 3,
      notes: 'labform:lab=contract',
    },
  ],
};
const refused: [string, HostOperation, RegExp][] = [
  [
    'removeVm of an unmarked VM',
    { op: 'removeVm', name: 'stranger' },
    /refusing to removeVm VM stranger: it carries no labform ownership mark/,
  ],
  [
    'stopVm of another lab',
    { op: 'stopVm', name: 'neighbour' },
    /refusing to stopVm VM neighbour: it belongs to lab other/,
  ],
  [
    'removeSwitch of an unmarked switch',
    { op: 'removeSwitch', name: 'CorpNet' },
    /refusing to removeSwitch switch CorpNet/,
  ],
  [
    'renameSwitch of an unmarked switch',
    { op: 'renameSwitch', name: 'CorpNet', newName: 'Taken' },
    /refusing to renameSwitch switch CorpNet/,
  ],
  ['removeNat of a foreign NAT', { op: 'removeNat', name: 'CorpNat' }, /refusing to removeNat NAT CorpNat/],
  [
    'removeVhd outside the lab',
    { op: 'removeVhd', path: 'D:\\VMs\\stranger\\data.vhdx' },
    /refusing to removeVhd disk D:\\VMs\\stranger\\data\.vhdx: it is neither/,
  ],
];

async function expectGuarded(provider: Provider, state: () => Promise<string>) {
  for (const [, op, message] of refused) {
    const before = await state();
    const error = await provider.run(HOST, op, { ...callContext('guard'), ownership: policy }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, op.op).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(false);
    expect((error as ProviderError).record?.fullyQualifiedErrorId).toBe('NotOwnedByLab,Labform');
    expect((error as ProviderError).message).toMatch(message);
    expect(await state(), `${op.op} changed the host`).toBe(before);
  }
  // The lab's own VM is fine.
  await provider.run(HOST, { op: 'removeVm', name: 'mine' }, { ...callContext('guard'), ownership: policy });
}

describe('ownership guard: the simulator', () => {
  it('refuses each, changes nothing, and still acts on what the lab owns', async () => {
    const sim = await simFor(scenario);
    for (const op of scenario.steps) await sim.run(HOST, op, callContext());
    const names = async () =>
      JSON.stringify(
        (await sim.discover(HOST, { paths: ['D:\\VMs', LAB_PATH], files: [] })).vms.map((v) => v.name).sort(),
      );
    await expectGuarded(sim, async () =>
      JSON.stringify(await sim.discover(HOST, { paths: ['D:\\VMs', LAB_PATH], files: [] })),
    );
    expect(await names()).toBe(JSON.stringify(['neighbour', 'stranger']));
  });
});

describePwsh('ownership guard: the Hyper-V provider on the fake module', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    fake = await createFakeHyperV({ lab: contractLab() });
  }, 60_000);
  afterAll(async () => fake?.dispose());

  it('refuses each with the marks read from the host, changes nothing, and still acts on what the lab owns', async () => {
    resetFake(fake, scenario);
    for (const op of scenario.steps) await fake.provider.run(HOST, op, callContext());
    await expectGuarded(fake.provider, async () =>
      JSON.stringify({
        vms: fake.state(HOST).vms,
        switches: fake.state(HOST).switches,
        nats: fake.state(HOST).nats,
        vhds: fake.state(HOST).vhds,
      }),
    );
    expect(
      fake
        .state(HOST)
        .vms.map((v: { name: string }) => v.name)
        .sort(),
    ).toEqual(['neighbour', 'stranger']);
  }, 120_000);
});
