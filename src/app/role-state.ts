import type { DesiredVm } from '../desired/desired-resource.js';
import type { RoleState } from '../diff/diff-roles.js';
import type { HostState } from '../model/live-state.js';
import type { GuestProbeBatch, Provider } from '../providers/provider.js';
import type { GuestProbeOutcome } from '../model/guest-probes.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { Credential, CredentialResolver } from '../secrets/secret.js';
import type { Lab } from '../manifest/lab.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { UserError } from '../errors.js';
import { discoverLab } from './discover-lab.js';
import { liveVmNamed } from '../model/live-lookup.js';
import { ownerOf } from '../ownership/mark.js';
import { parseRoleRecords, type RoleRecord } from '../roles/role-record.js';

export interface RoleProbeResult {
  /** Per role / guest cluster address. */
  state: Map<string, RoleState>;
  /** Guest tasks found done: `<vm>|<key>`. */
  doneTasks: Set<string>;
  /** Guest tasks probed and found not done, with what the probe saw: `<vm>|<key>` -> detail. */
  pendingTasks: Map<string, string | undefined>;
  /** VMs whose guest cannot reach the manifest's state in place (a DC of another domain ...): VM name -> why. */
  replaceVms: Map<string, string>;
  /** The role records each answering guest holds (src/roles/role-record.ts), by VM name. */
  records: Map<string, RoleRecord[]>;
  /**
   * Running lab VMs whose guest did not answer (timed out, refused, failed): their tasks stay
   * planned. `recordsOnly`: a Linux guest with no tasks, asked only for its role records.
   */
  unknown: { vm: string; host: string; reason: string; recordsOnly?: boolean }[];
}

/** Plan-time probes must not hold a plan up: a guest that does not answer soon counts as unknown. */
export const PROBE_TIMEOUT_MS = 20_000;

/** The probe requests of every host, and the VMs whose credentials could not be resolved. */
export interface RoleProbeRequests {
  batches: Map<string, GuestProbeBatch>;
  /** A VM whose credential has no secret: the user's to fix, raised when the VM turns out to run. */
  unresolved: Map<string, UserError>;
}

function tasksByVm(tasks: GuestTask[]): Map<string, GuestTask[]> {
  const byVm = new Map<string, GuestTask[]>();
  for (const t of tasks) {
    const list = byVm.get(t.vm);
    if (list) list.push(t);
    else byVm.set(t.vm, [t]);
  }
  return byVm;
}

/**
 * A Linux guest with nothing left to copy or run has no tasks, but it may still hold records of
 * script roles the manifest dropped: the plan asks it for those alone (a Windows guest always has
 * its base tasks). A VM without an image has no guest labform configured.
 */
function asksRecordsOnly(vm: DesiredVm, tasks: GuestTask[]): boolean {
  return tasks.length === 0 && vm.os === 'linux' && vm.image !== undefined;
}

/**
 * The guest probes of every VM with guest tasks, grouped by the hosts it may run on (its host,
 * and every node of its cluster), to travel inside each host's discovery request. Which VMs
 * actually run (and carry the lab's mark) the host itself finds out while answering.
 */
export function roleProbeRequests(options: {
  lab: Lab;
  vms: DesiredVm[];
  tasks: GuestTask[];
  credentials: CredentialResolver;
  timeoutMs?: number;
}): RoleProbeRequests {
  const { lab } = options;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const byVm = tasksByVm(options.tasks);
  const batches = new Map<string, GuestProbeBatch>();
  const unresolved = new Map<string, UserError>();
  const batchOf = (host: string): GuestProbeBatch => {
    let batch = batches.get(host);
    if (!batch) batches.set(host, (batch = { lab: lab.name, requests: [], credentials: {}, timeoutMs }));
    return batch;
  };
  for (const vm of options.vms) {
    const tasks = byVm.get(vm.name) ?? [];
    if (!vm.credential || !(tasks.length > 0 || asksRecordsOnly(vm, tasks))) continue;
    // The guest's final credential (e.g. the domain administrator on a DC) first, then the VM's own.
    const lastTask = tasks.at(-1);
    const names = [
      ...new Set([
        ...(lastTask ? [lastTask.rebootCredential ?? lastTask.credential] : []),
        vm.credential,
        ...tasks.flatMap((t) => (t.alternateCredential ? [t.alternateCredential] : [])),
      ]),
    ];
    const resolved: [string, Credential][] = [];
    try {
      for (const name of names) resolved.push([name, options.credentials.get(name)]);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      unresolved.set(vm.name, error);
      continue;
    }
    const nodes = vm.cluster ? (lab.clusters.find((c) => c.name === vm.cluster)?.nodes ?? []) : [];
    // A clustered VM may run on another node than the one the manifest names: every node is asked.
    for (const host of new Set([vm.host, ...nodes])) {
      const batch = batchOf(host);
      for (const [name, credential] of resolved) batch.credentials[name] = credential;
      batch.requests.push({
        vm: vm.name,
        os: vm.os,
        credentials: names,
        // Every guest also answers with its role records (last, after the tasks' probes).
        operations: [...tasks.map((t) => t.operation), { op: 'readRoles' as const }],
      });
    }
  }
  return { batches, unresolved };
}

/**
 * The role state from the probe answers discovery brought back (HostState.guestProbes). A VM
 * that does not run (or is not the lab's) has no answer: its roles stay `unknown` and run.
 */
export function roleStateFromProbes(options: {
  lab: Lab;
  vms: DesiredVm[];
  tasks: GuestTask[];
  live: Map<string, HostState>;
  unresolved?: Map<string, UserError>;
}): RoleProbeResult {
  const state = new Map<string, RoleState>();
  const doneTasks = new Set<string>();
  const pendingTasks = new Map<string, string | undefined>();
  const replaceVms = new Map<string, string>();
  const unknown: RoleProbeResult['unknown'] = [];
  const records = new Map<string, RoleRecord[]>();
  const byVm = tasksByVm(options.tasks);
  const outcomes = new Map<string, { host: string; outcome: GuestProbeOutcome }>();
  for (const [host, hostState] of options.live) {
    for (const outcome of hostState.guestProbes ?? []) {
      const key = outcome.vm.toLowerCase();
      // A clustered VM is answered by the node it runs on; an answer beats an unknown.
      if (
        !outcomes.has(key) ||
        (outcome.status === 'answered' && outcomes.get(key)!.outcome.status !== 'answered')
      )
        outcomes.set(key, { host, outcome });
    }
  }
  for (const vm of options.vms) {
    const tasks = byVm.get(vm.name) ?? [];
    const recordsOnly = asksRecordsOnly(vm, tasks);
    if (!vm.credential || !(tasks.length > 0 || recordsOnly)) continue;
    const problem = options.unresolved?.get(vm.name);
    if (problem) {
      // A missing secret is the user's to fix, not an unreachable guest: raised for a running lab VM.
      const liveVm = liveVmNamed(options.live.get(vm.host), vm.name);
      if (liveVm?.state === 'Running' && ownerOf(liveVm.notes) === options.lab.name) throw problem;
      continue;
    }
    const found = outcomes.get(vm.name.toLowerCase());
    if (!found) continue;
    if (found.outcome.status === 'unknown') {
      unknown.push({
        vm: vm.name,
        host: found.host,
        reason: found.outcome.reason,
        ...(recordsOnly ? { recordsOnly: true } : {}),
      });
      continue;
    }
    const results = found.outcome.results;
    tasks.forEach((t, i) => {
      if (results[i]?.done) doneTasks.add(`${t.vm}|${t.key}`);
      else if (results[i]) pendingTasks.set(`${t.vm}|${t.key}`, results[i]!.detail);
      if (results[i]?.replace && !replaceVms.has(t.vm)) replaceVms.set(t.vm, results[i]!.replace!);
    });
    if (results.length > tasks.length) records.set(vm.name, parseRoleRecords(results[tasks.length]?.detail));
    const addresses = new Map<string, GuestTask[]>();
    for (const t of tasks) addresses.set(t.address, [...(addresses.get(t.address) ?? []), t]);
    // A role with tasks on several VMs (a member's OU move runs on its DC) is done when all are.
    for (const [address, mine] of addresses)
      if (state.get(address) !== 'pending')
        state.set(address, mine.every((t) => doneTasks.has(`${t.vm}|${t.key}`)) ? 'done' : 'pending');
  }
  return { state, doneTasks, pendingTasks, replaceVms, unknown, records };
}

/** A plan note per guest that did not answer: what was asked, why it is unknown, what the plan does. */
export function unknownGuestNotes(lab: Lab, unknown: RoleProbeResult['unknown']): Diagnostic[] {
  const specs = new Map(lab.vms.map((v) => [v.name, v]));
  return unknown.map((u) => {
    const pointer = specs.get(u.vm)?.pointer ?? '';
    const at = lab.positions[pointer];
    const consequence = u.recordsOnly
      ? 'its role records were not read, so a script role removed from the manifest is shown once it answers'
      : 'its guest state is unknown, so its guest steps stay in the plan';
    return {
      severity: 'warning',
      rule: 'guest-unknown',
      message: `the guest of VM ${u.vm} on ${u.host} did not answer the plan's probes (${u.reason}): ${consequence}`,
      file: lab.file,
      line: at?.line ?? 0,
      column: at?.column ?? 0,
      pointer,
      hint: `check that ${u.vm} has booted and accepts its credential (labform show), then plan again`,
    };
  });
}

/**
 * Discovery with the guest probes of every running lab VM in the same request: exactly one
 * round trip per host. For commands that need the role state of the whole lab (`show`).
 */
export async function discoverWithRoleProbes(options: {
  lab: Lab;
  vms: DesiredVm[];
  tasks: GuestTask[];
  provider: Provider;
  credentials: CredentialResolver;
  timeoutMs?: number;
}): Promise<{ live: Map<string, HostState>; probed: RoleProbeResult }> {
  const requests = roleProbeRequests(options);
  const live = await discoverLab({ lab: options.lab, provider: options.provider, probes: requests.batches });
  return { live, probed: roleStateFromProbes({ ...options, live, unresolved: requests.unresolved }) };
}
