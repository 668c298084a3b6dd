/** A DC restarted for a requires-stop change is waited on for Active Directory before its domain's guest work goes on. */
import { describe, expect, it } from 'vitest';
import { baseLab, byName } from './plan-truth/lab-model.js';
import { disagreements, loadDoc, newWorld, planAndApply, planOnly } from './plan-truth/harness.js';

describe('a restarted domain controller', () => {
  it('gets an Active Directory wait that the members wait for', async () => {
    const world = newWorld();
    const doc = baseLab({
      octet: 42,
      members: 1,
      memberMemoryGB: 1,
      dataDisk: false,
      script: false,
      backend: false,
      mapping: false,
      twoHosts: false,
      storagePath: true,
    });
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
    doc.vms[0]!.processors = 4;
    byName('add-file-server').mutate(doc);
    const round = await planAndApply(world, loadDoc(doc));
    const ids = round.plan.steps.map((s) => s.id);
    expect(ids).toContain('vm.dc1/stop');
    const wait = round.plan.steps.find((s) => s.id === 'vm.dc1/wait-ad-ready')!;
    expect(wait).toMatchObject({ type: 'wait', wait: 'adReady', credential: 'domain-admin' });
    const memberWork = round.plan.steps.filter((s) => s.type === 'guest' && s.vm === 'srv1');
    expect(memberWork.length).toBeGreaterThan(0);
    for (const s of memberWork) expect(s.dependsOn).toContain('vm.dc1/wait-ad-ready');
    expect(round.result.rootCauses).toEqual([]);
    const waited = round.result.steps.find((r) => r.id === 'vm.dc1/wait-ad-ready')!;
    for (const s of memberWork)
      expect(round.result.steps.find((r) => r.id === s.id)!.startedAt!).toBeGreaterThanOrEqual(
        waited.endedAt!,
      );
    expect(disagreements(round)).toEqual([]);
    expect((await planOnly(world, loadDoc(doc))).steps).toEqual([]);
  });
});
