import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Lab } from '../../src/manifest/lab.js';
import { ownershipMark } from '../../src/ownership/mark.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim, type SimProvider } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { runBuilt, ensureBuilt, labOf, tempDirSync } from '../support/cli-harness.js';
import { checkInvariants, labFacts, labSlice, normaliseWorld, readSimWorld } from './support/invariants.js';

const WAITS = path.resolve('test/fixtures/reliability/waits-lab.yaml');
const NEIGHBOUR = path.resolve('test/fixtures/reliability/neighbour-lab.yaml');

async function run(lab: Lab, sim: SimProvider, clock: VirtualClock, mode: 'apply' | 'destroy') {
  const credentials = createCredentialResolver({ lab });
  const { plan } = await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode });
  const result = await executePlan({
    plan,
    provider: sim,
    credentials,
    clock,
    parallelism: 8,
    perHostParallelism: 4,
  });
  return { plan, result };
}

async function world(sim: SimProvider) {
  return { hosts: { hv01: await sim.rawState('hv01') }, shared: await sim.rawShared() };
}

/** Resources nobody marked (and one marked by a lab no manifest here names), seeded before anything runs. */
function seedStrangers(sim: SimProvider) {
  return sim.seed('hv01', (t) => {
    t.switch({ name: 'CorpSwitch', type: 'internal' });
    t.vhd({ path: 'D:\\VMs\\legacy01\\legacy01.vhdx' });
    t.vm({
      name: 'legacy01',
      notes: 'the finance team test box',
      disks: ['D:\\VMs\\legacy01\\legacy01.vhdx'],
      adapters: [{ name: 'Network Adapter', switchName: 'CorpSwitch' }],
    });
    t.vm({ name: 'ghost01', notes: ownershipMark('third-lab'), state: 'Running' });
    t.nat({ name: 'SomeoneElsesNat', internalPrefix: '172.16.0.0/12' });
  });
}

function strangers(w: Awaited<ReturnType<typeof world>>) {
  const h = w.hosts.hv01;
  return {
    vms: h.vms
      .filter((v) => ['legacy01', 'ghost01'].includes(v.name))
      .map((v) => ({
        name: v.name,
        notes: v.notes,
        disks: v.disks,
        adapters: v.adapters,
        state: v.power.state,
      })),
    switches: h.switches.filter((s) => s.name === 'CorpSwitch'),
    nats: h.nats,
    vhds: h.vhds.filter((v) => v.path.startsWith('D:\\VMs')),
  };
}

describe('destroy touches only what its lab owns', () => {
  it('destroying one lab leaves the other lab and every unmarked resource exactly as they were', async () => {
    const [waits, neighbour] = await Promise.all([labOf(WAITS), labOf(NEIGHBOUR)]);
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const simA = await createSim({ lab: waits, clock, store });
    const simB = await createSim({ lab: neighbour, clock, store });
    await seedStrangers(simA);
    const seeded = strangers(await world(simA));
    expect(seeded.vms).toHaveLength(2);

    expect((await run(waits, simA, clock, 'apply')).result.rootCauses).toEqual([]);
    expect((await run(neighbour, simB, clock, 'apply')).result.rootCauses).toEqual([]);
    const before = await world(simA);
    expect(strangers(before)).toEqual(seeded);
    expect(checkInvariants({ world: before, labs: [labFacts(waits), labFacts(neighbour)] })).toEqual([]);

    const destroyed = await run(waits, simA, clock, 'destroy');
    expect(destroyed.result.rootCauses).toEqual([]);
    // Every step of the destroy addressed one of waits' own resources.
    const own = new Set([
      ...waits.vms.map((v) => `vm.${v.name}`),
      ...waits.networks.map((n) => `network.${n.name}`),
    ]);
    for (const s of destroyed.plan.steps) {
      const target = (s as { operation?: { path?: string } }).operation?.path;
      // Disks are owned by their place under the lab's folder.
      if (s.address.startsWith('disk.'))
        expect(target?.toLowerCase().startsWith('d:\\labs\\waits\\'), `destroy removes ${target}`).toBe(true);
      else expect(own, `destroy stepped on ${s.address}`).toContain(s.address);
    }

    const after = await world(simA);
    expect(strangers(after)).toEqual(seeded);
    expect(normaliseWorld(labSlice(after, labFacts(neighbour)))).toEqual(
      normaliseWorld(labSlice(before, labFacts(neighbour))),
    );
    // Nothing of waits is left: no marked VM or switch, no disk under its folder.
    const gone = labSlice(after, labFacts(waits)).hosts.hv01;
    expect([gone.vms, gone.switches, gone.nats, gone.vhds]).toEqual([[], [], [], []]);
    // The neighbour still matches its manifest.
    expect(
      (
        await makePlan({
          lab: neighbour,
          provider: simB,
          credentials: createCredentialResolver({ lab: neighbour }),
          logger: silentLogger,
          mode: 'apply',
        })
      ).plan.steps,
    ).toEqual([]);
  });
});

describe('an unmarked VM with a wanted name', () => {
  let stateDir: string;
  let lab: Lab;
  beforeAll(async () => {
    await ensureBuilt();
    lab = await labOf(WAITS);
    stateDir = tempDirSync('owner-conflict');
    const sim = await createSim({ lab, clock: new VirtualClock(), stateDir });
    await sim.seed('hv01', (t) => void t.vm({ name: 'dc01', notes: 'built by hand, not labform' }));
    await sim.close();
  }, 120_000);

  it('is reported as a conflict by plan (exit 1), without a stack trace', async () => {
    const plan = await runBuilt(['plan', WAITS, '--sim', '--state-dir', stateDir]);
    expect(plan.code).toBe(1);
    expect(`${plan.stdout}${plan.stderr}`).toMatch(/conflict/i);
    expect(`${plan.stdout}${plan.stderr}`).toContain('dc01');
    expect(plan.stderr).not.toMatch(/\n\s+at /);
  });

  it('makes apply refuse before touching anything, and destroy leave it alone', async () => {
    const before = readSimWorld(stateDir);
    const apply = await runBuilt([
      'apply',
      WAITS,
      '-y',
      '--sim',
      '--sim-speed',
      '2000',
      '--state-dir',
      stateDir,
    ]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(/conflict: vm\.dc01 on hv01/);
    expect(apply.stderr).toContain('nothing was changed');
    const afterApply = readSimWorld(stateDir);
    expect(normaliseWorld(afterApply)).toEqual(normaliseWorld(before));

    const destroy = await runBuilt([
      'destroy',
      WAITS,
      '-y',
      '--sim',
      '--sim-speed',
      '2000',
      '--state-dir',
      stateDir,
    ]);
    expect([0, 1]).toContain(destroy.code);
    const vms = readSimWorld(stateDir).hosts.hv01.vms;
    expect(vms.map((v: { name: string; notes: string }) => [v.name, v.notes])).toEqual([
      ['dc01', 'built by hand, not labform'],
    ]);
    // No step ever ran against it: the journal, if any, names no dc01 removal.
    const journal = readdirSync(stateDir).includes('journal')
      ? readdirSync(path.join(stateDir, 'journal'))
      : [];
    for (const f of journal) expect(f).toBe('waits.jsonl');
  });
});
