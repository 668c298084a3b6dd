/**
 * Guest state in the diff: what the guest probes report differs from the manifest -> `~` changes
 * of the VM with before and after, in text and JSON; steps a failed apply left pending too.
 */
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/executor/execute-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { formatPlanText } from '../../src/render/plan-text.js';
import { planJson } from '../../src/render/plan-json.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { baseLab, byName } from './plan-truth/lab-model.js';
import { loadDoc, newWorld, planAndApply, planOnly } from './plan-truth/harness.js';

const shape = {
  octet: 40,
  members: 1,
  memberMemoryGB: 1,
  dataDisk: false,
  script: false,
  backend: false,
  mapping: false,
  twoHosts: false,
  storagePath: true,
};

describe('guest configuration in the plan', () => {
  it('a new NAT prefix shows each VM re-addressed, before and after, in text and JSON', async () => {
    const world = newWorld();
    const doc = baseLab(shape);
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
    byName('change-nat-prefix').mutate(doc);
    const plan = await planOnly(world, loadDoc(doc));
    const srv1 = plan.changes.find((c) => c.address === 'vm.srv1')!;
    expect(srv1.action).toBe('update');
    expect(srv1.diff).toContainEqual({
      path: 'guest.network[LabNet]',
      before: expect.stringContaining('10.77.40.3'),
      after: '10.78.3.3/24, gateway 10.78.3.1, DNS 10.78.3.2',
    });
    const text = formatPlanText(plan);
    expect(text).toContain('~ vm.srv1 will be updated in place');
    expect(text).toMatch(
      /guest\.network\[LabNet\]: "10\.77\.40\.3.*" -> "10\.78\.3\.3\/24, gateway 10\.78\.3\.1, DNS 10\.78\.3\.2"/,
    );
    const json = planJson(plan).changes as { address: string; diff: { path: string }[] }[];
    expect(json.find((c) => c.address === 'vm.dc1')!.diff.map((d) => d.path)).toContain(
      'guest.network[LabNet]',
    );
  });

  it('an address step a failed apply left pending is in the next plan', async () => {
    const world = newWorld();
    const doc = baseLab(shape);
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
    byName('change-nat-prefix').mutate(doc);
    const lab = loadDoc(doc);
    const failing = await createSim({
      lab,
      clock: world.clock,
      store: world.store,
      faults: { permanent: ['runGuest:setNetwork:srv1'] },
    });
    const credentials = createCredentialResolver({ lab });
    const { plan } = await makePlan({
      lab,
      provider: failing,
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    const result = await executePlan({
      plan,
      provider: failing,
      credentials,
      clock: world.clock,
      parallelism: 8,
      perHostParallelism: 4,
    });
    expect(result.rootCauses.map((r) => r.id)).toEqual([expect.stringMatching(/^vm\.srv1\/network\//)]);
    const next = await planOnly(world, loadDoc(doc));
    const srv1 = next.changes.find((c) => c.address === 'vm.srv1')!;
    expect(srv1).toMatchObject({ action: 'update', reason: 'the guest differs from the manifest (probed)' });
    expect(srv1.diff.map((d) => d.path)).toEqual(['guest.network[LabNet]']);
    expect(next.steps.some((s) => s.id.startsWith('vm.srv1/network/'))).toBe(true);
    expect(next.changes.find((c) => c.address === 'vm.dc1')!.action).toBe('noop');
  });

  it("a DC's new domain replaces it (and its members), said in the plan with why and who waits", async () => {
    const world = newWorld();
    const doc = baseLab({ ...shape, members: 2 });
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
    byName('change-dc-domain').mutate(doc);
    const round = await planAndApply(world, loadDoc(doc));
    const dc = round.plan.changes.find((c) => c.address === 'vm.dc1')!;
    expect(dc.action).toBe('replace');
    expect(dc.reason).toBe(
      'forces replacement: a domain controller of truth.test; the OS disk is built again from the image (data on it is lost); srv1, srv2 wait for it',
    );
    expect(round.plan.changes.find((c) => c.address === 'vm.srv1')!.reason).toContain(
      'forces replacement: joined to truth.test',
    );
    expect(formatPlanText(round.plan)).toContain('-/+ vm.dc1 will be replaced on hv01');
    expect(round.result.rootCauses).toEqual([]);
    expect((await planOnly(world, loadDoc(doc))).steps).toEqual([]);
  });
});
