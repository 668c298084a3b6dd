/**
 * `--target` closure: the linear targetClosure (indexes, then each edge once) gives exactly the
 * set the earlier per-address scans gave, on random labs of resources, roles and guest tasks
 * with their waits; and the targets' checks (an unknown address, with a suggestion).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DesiredResource } from '../../src/desired/desired-resource.js';
import type { GuestTask } from '../../src/roles/guest-task.js';
import { targetClosure } from '../../src/diff/plan-selection.js';
import { parseAddress } from '../../src/model/address.js';
import { UserError } from '../../src/errors.js';

/** The closure as it was computed before (a scan of the tasks per address): the reference. */
function referenceClosure(desired: DesiredResource[], targets: string[], tasks: GuestTask[]): Set<string> {
  const byAddress = new Map(desired.map((d) => [d.address, d]));
  const out = new Set<string>();
  const visit = (address: string) => {
    if (out.has(address)) return;
    out.add(address);
    for (const dep of byAddress.get(address)?.dependsOn ?? []) visit(dep);
    for (const t of tasks.filter((x) => x.address === address)) {
      for (const ref of t.after) {
        const other = tasks.find((x) => x.vm === ref.vm && x.key === ref.key);
        if (other) visit(other.address);
      }
    }
  };
  for (const t of targets) {
    visit(t);
    if (parseAddress(t)?.kind === 'vm')
      for (const d of desired) if (d.kind === 'role' && d.dependsOn.includes(t)) visit(d.address);
  }
  return out;
}

interface Lab {
  desired: DesiredResource[];
  tasks: GuestTask[];
}

/** A lab: networks and disks, VMs needing some of them, roles of VMs (some needing other roles), guest tasks waiting on others. */
const labs: fc.Arbitrary<Lab> = fc
  .record({
    networks: fc.integer({ min: 0, max: 4 }),
    disks: fc.integer({ min: 0, max: 6 }),
    vms: fc.integer({ min: 1, max: 8 }),
    seed: fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
  })
  .map(({ networks, disks, vms, seed }) => {
    let next = 0;
    const pick = (n: number) => seed[next++ % seed.length]! % Math.max(1, n);
    const resource = (address: string, kind: string, dependsOn: string[]) =>
      ({ address, kind, host: 'hv01', dependsOn, pointer: '' }) as unknown as DesiredResource;
    const desired: DesiredResource[] = [];
    const nets = Array.from({ length: networks }, (_, i) => `network.n${i}`);
    for (const n of nets) desired.push(resource(n, 'network', []));
    const ds = Array.from({ length: disks }, (_, i) => `disk.d${i}`);
    for (const d of ds)
      desired.push(resource(d, 'disk', pick(2) && nets.length ? [nets[pick(nets.length)]!] : []));
    const tasks: GuestTask[] = [];
    const vmNames = Array.from({ length: vms }, (_, i) => `v${i}`);
    for (const vm of vmNames) {
      const needs = [
        ...new Set([
          ...(nets.length ? [nets[pick(nets.length)]!] : []),
          ...(ds.length && pick(2) ? [ds[pick(ds.length)]!] : []),
        ]),
      ];
      desired.push(resource(`vm.${vm}`, 'vm', needs));
      tasks.push({ key: 'base', address: `vm.${vm}`, vm, after: [] } as unknown as GuestTask);
    }
    for (const vm of vmNames) {
      for (let r = 0; r < pick(3); r++) {
        const role = `role.${vm}.r${r}`;
        desired.push(resource(role, 'role', [`vm.${vm}`]));
        // Its task waits for another VM's task (a member for its DC), or for nothing.
        const other = vmNames[pick(vmNames.length)]!;
        const after = pick(3) ? [{ vm: other, key: pick(2) ? 'base' : `r0` }] : [];
        tasks.push({ key: `r${r}`, address: role, vm, after } as unknown as GuestTask);
      }
    }
    return { desired, tasks };
  });

describe('--target closure', () => {
  it('is the set the per-address scans gave, for any targets of any lab', () => {
    fc.assert(
      fc.property(labs, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), ({ desired, tasks }, picks) => {
        const targets = picks.map((p) => desired[p % desired.length]!.address);
        const linear = targetClosure(desired, targets, tasks);
        expect([...linear].sort()).toEqual([...referenceClosure(desired, targets, tasks)].sort());
        for (const t of targets) expect(linear.has(t)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a targeted VM brings its roles and what their guest work waits for; a role alone does not bring its VM's other roles", () => {
    const r = (address: string, kind: string, dependsOn: string[]) =>
      ({ address, kind, host: 'hv01', dependsOn, pointer: '' }) as unknown as DesiredResource;
    const desired = [
      r('network.lab', 'network', []),
      r('vm.dc1', 'vm', ['network.lab']),
      r('role.dc1.domainController', 'role', ['vm.dc1']),
      r('vm.srv1', 'vm', ['network.lab']),
      r('role.srv1.member', 'role', ['vm.srv1']),
      r('role.srv1.web', 'role', ['vm.srv1']),
    ];
    const tasks = [
      { key: 'forest', address: 'role.dc1.domainController', vm: 'dc1', after: [] },
      { key: 'join', address: 'role.srv1.member', vm: 'srv1', after: [{ vm: 'dc1', key: 'forest' }] },
      { key: 'iis', address: 'role.srv1.web', vm: 'srv1', after: [] },
    ] as unknown as GuestTask[];
    expect([...targetClosure(desired, ['vm.srv1'], tasks)].sort()).toEqual([
      'network.lab',
      'role.dc1.domainController',
      'role.srv1.member',
      'role.srv1.web',
      'vm.dc1',
      'vm.srv1',
    ]);
    expect([...targetClosure(desired, ['role.srv1.web'], tasks)].sort()).toEqual([
      'network.lab',
      'role.srv1.web',
      'vm.srv1',
    ]);
  });

  it('refuses an address the lab does not have, suggesting the nearest', () => {
    const desired = [
      { address: 'vm.dc01', kind: 'vm', host: 'hv01', dependsOn: [], pointer: '' },
    ] as unknown as DesiredResource[];
    expect(() => targetClosure(desired, ['vm.dc1'])).toThrow(UserError);
    expect(() => targetClosure(desired, ['vm.dc1'])).toThrow(
      /--target vm\.dc1: the lab has no such resource/,
    );
  });
});
