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
  for (const address of addresses) {
    const pc = changes.find((c) => c.change.address === address && c.change.action !== 'delete');
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
 * brings what its guest work waits for, e.g. a member its domain's first DC).
 */
export function targetClosure(
  desired: DesiredResource[],
  targets: string[],
  tasks: GuestTask[] = [],
): Set<string> {
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
    if (!byAddress.has(t)) throw unknownAddress('--target', t, [...byAddress.keys()]);
    visit(t);
    if (parseAddress(t)?.kind === 'vm')
      for (const d of desired) if (d.kind === 'role' && d.dependsOn.includes(t)) visit(d.address);
  }
  return out;
}
