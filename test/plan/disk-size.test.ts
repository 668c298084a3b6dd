/** Disks grow in place (Resize-VHD), never shrink; the plan says which and shows sizes as the manifest writes them. */
import { describe, expect, it } from 'vitest';
import { planErrors } from '../../src/app/make-plan.js';
import { formatPlanText } from '../../src/render/plan-text.js';
import { baseLab } from './plan-truth/lab-model.js';
import { loadDoc, newWorld, planAndApply, planOnly } from './plan-truth/harness.js';

const shape = {
  octet: 41,
  members: 1,
  memberMemoryGB: 1,
  dataDisk: true,
  script: false,
  backend: false,
  mapping: false,
  twoHosts: false,
  storagePath: true,
};

describe('disk sizes', () => {
  it('a larger data disk is grown in place while the VM runs (SCSI VHDX), shown as 5GB -> 8GB', async () => {
    const world = newWorld();
    const doc = baseLab(shape);
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
    doc.vms[1]!.disks = [{ size: '8GB' }];
    const round = await planAndApply(world, loadDoc(doc));
    const srv1 = round.plan.changes.find((c) => c.address === 'vm.srv1')!;
    expect(srv1).toMatchObject({ action: 'update', requiresStop: false });
    expect(srv1.diff).toEqual([{ path: 'disks.SCSI.0.1.size', before: 5 * 1024 ** 3, after: 8 * 1024 ** 3 }]);
    expect(formatPlanText(round.plan)).toContain('~ disks.SCSI.0.1.size: 5GB -> 8GB');
    expect(round.plan.steps.filter((s) => s.address === 'vm.srv1').map((s) => s.id)).toEqual([
      'vm.srv1/resize-SCSI-0-1',
    ]);
    expect(round.result.rootCauses).toEqual([]);
    expect((await planOnly(world, loadDoc(doc))).steps).toEqual([]);
  });

  it('a smaller data disk is refused at plan time with disk-shrink, pointing at the VM entry', async () => {
    const world = newWorld();
    const doc = baseLab(shape);
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
    doc.vms[1]!.disks = [{ size: '3GB' }];
    const plan = await planOnly(world, loadDoc(doc));
    const errors = planErrors(plan);
    expect(errors.map((e) => e.rule)).toEqual(['disk-shrink']);
    expect(errors[0]!.message).toContain('is 5GB; the manifest asks for 3GB');
    expect(errors[0]!.line).toBeGreaterThan(0);
    expect(plan.steps.some((s) => s.type === 'host' && s.operation.op === 'resizeVhd')).toBe(false);
  });
});
