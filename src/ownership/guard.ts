/**
 * The last line of "never touches what is not the lab's": every destructive host operation,
 * whatever produced it (a plan, a saved plan, checkpoint/restore, a future verb), is checked
 * against the ownership marks read from the host at the moment it runs. The executor checks
 * before it calls the provider; each provider checks again right before it acts (the simulator
 * inside the same transaction, Hyper-V with the marks read from the host just before the request).
 */
import type { Lab } from '../manifest/lab.js';
import type { HostOperation } from '../model/host-operation.js';
import type { HostState } from '../model/live-state.js';
import { isUnder, samePath } from '../model/windows-path.js';
import { ownerOf, parseNatName } from './mark.js';
import { ProviderError } from '../errors.js';

/** What a lab may destroy: resources marked with its name, disks in its places. */
export interface OwnershipPolicy {
  lab: string;
  /** Folders holding the lab's disks (storage paths, VM folders): a disk there is the lab's by place. */
  diskFolders: string[];
  /** The lab's own disk files (shared disks, wherever they are). */
  diskFiles: string[];
}

export function ownershipPolicy(lab: Lab): OwnershipPolicy {
  return {
    lab: lab.name,
    diskFolders: [...lab.hosts.map((h) => h.storagePath), ...lab.vms.map((v) => v.path)].filter(
      (p): p is string => Boolean(p),
    ),
    diskFiles: lab.disks.map((d) => d.path),
  };
}

/** The existing resource a destructive operation acts on. */
export type GuardedTarget =
  | { kind: 'vm'; name: string }
  | { kind: 'switch'; name: string }
  | { kind: 'nat'; name: string }
  | { kind: 'vhd'; path: string };

/**
 * Operations that destroy or disrupt an existing resource. Creation is not guarded (a name
 * taken by someone else is a conflict found by the plan, and Hyper-V refuses duplicates of
 * switches, NATs and files); neither are settings on a VM the plan has just read as the lab's.
 */
export function guardedTarget(op: HostOperation): GuardedTarget | undefined {
  switch (op.op) {
    case 'removeVm':
    case 'stopVm':
      return { kind: 'vm', name: op.name };
    case 'detachDisk':
    case 'removeDvdDrive':
    case 'removeAdapter':
    case 'removeDevice':
    case 'restoreCheckpoint':
    case 'removeCheckpoint':
      return { kind: 'vm', name: op.vm };
    case 'removeSwitch':
    case 'renameSwitch':
      return { kind: 'switch', name: op.name };
    case 'removeHostAddress':
      return { kind: 'switch', name: op.switchName };
    case 'removeNat':
      return { kind: 'nat', name: op.name };
    case 'removeNatMapping':
      return { kind: 'nat', name: op.nat };
    case 'removeVhd':
    case 'resizeVhd':
      return { kind: 'vhd', path: op.path };
    default:
      return undefined;
  }
}

/** The parts of a host's live state the guard reads. */
export type OwnershipFacts = Pick<HostState, 'vms' | 'switches' | 'nats'>;

function whose(notes: string | null | undefined, lab: string): string | undefined {
  const owner = ownerOf(notes);
  if (owner === lab) return undefined;
  return owner ? `it belongs to lab ${owner}` : 'it carries no labform ownership mark';
}

/**
 * Why `op` must not run on a host in the state `facts`, or undefined when it may. A target
 * that no longer exists is left to the operation (it fails, or there is nothing to do).
 */
export function ownershipRefusal(
  policy: OwnershipPolicy,
  op: HostOperation,
  facts: OwnershipFacts,
): string | undefined {
  const target = guardedTarget(op);
  if (!target) return undefined;
  const refuse = (what: string, why: string) =>
    `refusing to ${op.op} ${what}: ${why}; labform only changes what lab ${policy.lab} owns`;
  if (target.kind === 'vm') {
    const found = facts.vms.filter((v) => v.name.toLowerCase() === target.name.toLowerCase());
    for (const vm of found) {
      const why = whose(vm.notes, policy.lab);
      if (why) return refuse(`VM ${vm.name}`, why);
    }
    return undefined;
  }
  if (target.kind === 'switch') {
    const sw = facts.switches.find((s) => s.name.toLowerCase() === target.name.toLowerCase());
    const why = sw ? whose(sw.notes, policy.lab) : undefined;
    return why ? refuse(`switch ${sw!.name}`, why) : undefined;
  }
  if (target.kind === 'nat') {
    const owner = parseNatName(target.name)?.lab;
    if (owner === policy.lab) return undefined;
    return refuse(
      `NAT ${target.name}`,
      owner ? `it belongs to lab ${owner}` : 'its name is not one labform gives its NATs',
    );
  }
  const path = target.path;
  const ours =
    policy.diskFiles.some((f) => samePath(f, path)) || policy.diskFolders.some((f) => isUnder(path, f));
  if (!ours)
    return refuse(`disk ${path}`, "it is neither one of the lab's disks nor under its storage paths");
  for (const vm of facts.vms) {
    if (!vm.disks.some((d) => samePath(d.path, path))) continue;
    const why = whose(vm.notes, policy.lab);
    if (why)
      return refuse(
        `disk ${path}`,
        `it is attached to VM ${vm.name}, and ${why.replace(/^it /, 'that VM ')}`,
      );
  }
  return undefined;
}

/** The refusal as a provider error: never retryable, named as labform's own. */
export function ownershipError(message: string, site: { address: string; host: string }): ProviderError {
  return new ProviderError({
    message,
    address: site.address,
    host: site.host,
    retryable: false,
    record: { message, category: 'PermissionDenied', fullyQualifiedErrorId: 'NotOwnedByLab,Labform' },
  });
}

/** The discovery scope that shows the guard what it reads for `op` (a disk's file for removeVhd). */
export function guardScope(op: HostOperation): { paths: string[]; files: string[] } {
  return { paths: [], files: op.op === 'removeVhd' ? [op.path] : [] };
}
