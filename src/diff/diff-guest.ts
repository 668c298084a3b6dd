/**
 * PURE: the guest's own configuration in the diff. A VM whose hardware matches can still have a
 * guest that differs from the manifest (another address after a prefix change, DNS servers, a
 * step a failed apply left pending): the plan-time probes say which base-configuration tasks
 * are not done, and each becomes a `guest.*` property change of the VM, with what the guest
 * reports before and what apply will set after.
 */
import type { PropertyDiff } from '../model/change.js';
import type { GuestOperation } from '../model/guest-operation.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { PlannedChange } from './planned-change.js';
import { LOST } from './diff-lab.js';
import { vmAddress } from '../model/address.js';
import { fileCopyAfter } from './file-copy-wording.js';

export interface GuestProbeState {
  /** `<vm>|<key>` of tasks the probes found done. */
  done: Set<string>;
  /** `<vm>|<key>` of tasks the probes found not done, with what the probe saw. */
  pending: Map<string, string | undefined>;
}

type Op<K extends GuestOperation['op']> = Extract<GuestOperation, { op: K }>;

/** `10.0.0.5/24, gateway 10.0.0.1, DNS 10.0.0.2` (or `DHCP`): what apply sets on an adapter. */
export function networkSetting(op: Op<'setNetwork'>): string {
  const parts = [op.dhcp ? 'DHCP' : op.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(', ')];
  if (op.gateway) parts.push(`gateway ${op.gateway}`);
  if (op.dns.length > 0) parts.push(`DNS ${op.dns.join(', ')}`);
  return parts.join(', ');
}

function guestDiff(task: GuestTask, pc: PlannedChange, detail: string | undefined): PropertyDiff {
  const op = task.operation;
  const live = pc.live?.kind === 'vm' ? pc.live.vm : undefined;
  if (op.op === 'setNetwork') {
    const mac = op.mac.replace(/[-:.]/g, '').toUpperCase();
    const adapter = live?.adapters.find((a) => a.mac.replace(/[-:.]/g, '').toUpperCase() === mac);
    // What the guest reports through KVP (addresses only), else what the probe saw.
    const reported = (adapter?.addresses ?? []).filter((a) => !a.includes(':'));
    const before =
      reported.length > 0 ? reported.join(', ') + (detail ? ` (${detail})` : '') : (detail ?? null);
    // Named by the network the manifest puts the adapter on (a renamed switch has its new name).
    const wanted = pc.desired?.kind === 'vm' ? pc.desired.adapters.find((a) => a.mac === mac) : undefined;
    const network = wanted?.switchName ?? adapter?.switchName ?? mac;
    return { path: `guest.network[${network}]`, before, after: networkSetting(op) };
  }
  if (op.op === 'setComputerName')
    return { path: 'guest.computerName', before: detail ?? null, after: op.computerName };
  if (op.op === 'copyFiles') {
    // `files[0]`: what the probe found differing (sizes and hashes), and what apply copies.
    const index = /files\/(\d+)$/.exec(task.key)?.[1] ?? '0';
    return {
      path: `files[${index}]`,
      before: detail ?? null,
      after: fileCopyAfter(op),
    };
  }
  const tail = task.key.slice(task.key.indexOf('/') + 1);
  return { path: `guest.${tail}`, before: detail ?? null, after: task.title };
}

/**
 * In place: VM changes (noop or update) get a `guest.*` diff for every base-configuration task
 * the probes found not done; a noop becomes an update. A running VM whose guest could not be
 * probed says so: apply checks its configuration and may change it.
 */
export function addGuestDiffs(options: {
  changes: PlannedChange[];
  tasks: GuestTask[];
  probes: GuestProbeState;
}): void {
  const { probes } = options;
  // Each VM's tasks, grouped once (a filter of every task per VM was quadratic in the lab's size).
  const tasksByVm = new Map<string, GuestTask[]>();
  for (const t of options.tasks) {
    const list = tasksByVm.get(t.address);
    if (list) list.push(t);
    else tasksByVm.set(t.address, [t]);
  }
  for (const pc of options.changes) {
    const c = pc.change;
    if (c.kind !== 'vm' || (c.action !== 'noop' && c.action !== 'update') || pc.live?.kind !== 'vm') continue;
    const mine = tasksByVm.get(c.address) ?? [];
    if (mine.length === 0) continue;
    const ref = (t: GuestTask) => `${t.vm}|${t.key}`;
    const probed = mine.some((t) => probes.done.has(ref(t)) || probes.pending.has(ref(t)));
    const added: PropertyDiff[] = [];
    if (probed) {
      for (const t of mine)
        if (probes.pending.has(ref(t))) added.push(guestDiff(t, pc, probes.pending.get(ref(t))));
    } else if (pc.live.vm.state === 'Running' && c.action === 'noop') {
      added.push({
        path: 'guest',
        before: '(not reachable at plan time)',
        after: 'base configuration checked and set by apply',
      });
    }
    if (added.length === 0) continue;
    c.diff.push(...added);
    if (c.action === 'noop') {
      c.action = 'update';
      c.reason = probed
        ? 'the guest differs from the manifest (probed)'
        : 'the guest could not be probed; apply checks it';
    }
  }
}

/**
 * In place: a VM whose probes say its guest cannot reach the manifest's state in place (a domain
 * controller of another domain, a member of another domain) is replaced: the plan says why and
 * which VMs' guest work waits for it; its guest is new, so none of its tasks count as done.
 */
export function forceGuestReplacements(options: {
  changes: PlannedChange[];
  tasks: GuestTask[];
  probed: {
    state: Map<string, 'done' | 'pending' | 'unknown'>;
    doneTasks: Set<string>;
    pendingTasks: Map<string, string | undefined>;
    replaceVms: Map<string, string>;
  };
}): void {
  const { probed } = options;
  for (const [vm, why] of probed.replaceVms) {
    const pc = options.changes.find((x) => x.change.kind === 'vm' && x.change.address === vmAddress(vm));
    if (!pc || pc.live?.kind !== 'vm' || pc.change.action === 'create' || pc.change.action === 'delete')
      continue;
    const mine = options.tasks.filter((t) => t.vm === vm);
    const keys = new Set(mine.map((t) => t.key));
    const waiting = [
      ...new Set(
        options.tasks
          .filter((t) => t.vm !== vm && t.after.some((r) => r.vm === vm && keys.has(r.key)))
          .map((t) => t.vm),
      ),
    ];
    pc.change.action = 'replace';
    pc.change.reason = `forces replacement: ${why}; ${LOST}${waiting.length ? `; ${waiting.join(', ')} wait for it` : ''}`;
    pc.change.diff.push({
      path: 'guest',
      before: why,
      after: 'a new guest built from the image',
      forcesReplace: true,
    });
    for (const t of mine) {
      probed.doneTasks.delete(`${t.vm}|${t.key}`);
      probed.pendingTasks.delete(`${t.vm}|${t.key}`);
      probed.state.delete(t.address);
    }
  }
}
