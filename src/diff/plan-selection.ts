/**
 * `--replace ADDR` and `--target ADDR` (plan and apply).
 * - A replace turns the resource's change into a replacement (an existing VM, disk, network or
 *   NAT is removed and built again; a VM's guest work all runs again on the new guest).
 * - A target keeps only the targeted resources and what they depend on (a VM's disks and
 *   networks, a mapping's NAT ...); a targeted VM brings its own roles. Everything else is left
 *   for a later plan.
 */
import { UserError } from '../errors.js';
import type { DesiredResource } from '../desired/desired-resource.js';
import { closestName } from '../manifest/suggest.js';
import type { PlannedChange } from './planned-change.js';
import type { GuestTask } from '../roles/guest-task.js';
import { parseAddress, vmAddress, vmOfAddress } from '../model/address.js';
import { reachable } from '../model/graph.js';

const REPLACEABLE = new Set(['vm', 'disk', 'network', 'nat']);

function unknownAddress(flag: string, address: string, known: string[]): UserError {
  const near = closestName(address, known);
  return new UserError(
    `${flag} ${address}: the lab has no such resource`,
    [],
    near
      ? `did you mean ${near}?`
      : `addresses look like vm.dc01, disk.shared-data, network.LabNet (see labform plan --json)`,
  );
}

/** In place: the changes of `addresses` become replacements. */
export function forceReplacements(changes: PlannedChange[], addresses: string[]): void {
  const kept = new Map<string, PlannedChange>();
  for (const c of changes)
    if (c.change.action !== 'delete' && !kept.has(c.change.address)) kept.set(c.change.address, c);
  for (const address of addresses) {
    const pc = kept.get(address);
    if (!pc)
      throw unknownAddress(
        '--replace',
        address,
        changes.map((c) => c.change.address),
      );
    if (!REPLACEABLE.has(pc.change.kind))
      throw new UserError(
        `--replace ${address}: only VMs, disks, networks and NATs are replaced`,
        [],
        pc.change.kind === 'role'
          ? `replace the VM: --replace ${vmAddress(vmOfAddress(address) ?? '')}`
          : undefined,
      );
    if (pc.change.action === 'create' || !pc.live) continue;
    const lost =
      pc.change.kind === 'vm'
        ? '; the OS disk is built again from the image (data on it is lost)'
        : pc.change.kind === 'disk'
          ? "; the disk's data is lost"
          : '';
    pc.change.action = 'replace';
    pc.change.reason = `replacement requested with --replace${lost}`;
  }
}

/**
 * The targeted addresses and everything they depend on (a VM also brings its roles; a role
 * brings what its guest work waits for, e.g. a member its domain's first DC). Linear in the
 * lab: every resource and guest task is indexed once, then each edge is followed once.
 */
export function targetClosure(
  desired: DesiredResource[],
  targets: string[],
  tasks: GuestTask[] = [],
): Set<string> {
  const byAddress = new Map(desired.map((d) => [d.address, d]));
  // The first task of each (vm, key), as a task's `after` names it.
  const taskByRef = new Map<string, GuestTask>();
  for (const t of tasks) {
    const ref = taskRefKey(t.vm, t.key);
    if (!taskByRef.has(ref)) taskByRef.set(ref, t);
  }
  // What an address waits for: its resources, then what its guest tasks wait for.
  const waitsFor = new Map<string, string[]>();
  for (const d of desired) waitsFor.set(d.address, [...d.dependsOn]);
  for (const t of tasks) {
    let list = waitsFor.get(t.address);
    if (!list) waitsFor.set(t.address, (list = []));
    for (const ref of t.after) {
      const other = taskByRef.get(taskRefKey(ref.vm, ref.key));
      if (other) list.push(other.address);
    }
  }
  // The roles of each VM (a targeted VM brings them).
  const rolesOf = new Map<string, string[]>();
  for (const d of desired) {
    if (d.kind !== 'role') continue;
    for (const vm of d.dependsOn) {
      const list = rolesOf.get(vm);
      if (list) list.push(d.address);
      else rolesOf.set(vm, [d.address]);
    }
  }
  const roots: string[] = [];
  for (const t of targets) {
    if (!byAddress.has(t)) throw unknownAddress('--target', t, [...byAddress.keys()]);
    roots.push(t);
    if (parseAddress(t)?.kind === 'vm') roots.push(...(rolesOf.get(t) ?? []));
  }
  return reachable({ predecessors: (address) => waitsFor.get(address) ?? [] }, roots);
}

function taskRefKey(vm: string, key: string): string {
  return `${vm}\u0000${key}`;
}
