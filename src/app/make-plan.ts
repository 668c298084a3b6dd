import { readFile } from 'node:fs/promises';
import type { Lab } from '../manifest/lab.js';
import type { Provider } from '../providers/provider.js';
import type { HostState } from '../model/live-state.js';
import type { CredentialResolver } from '../secrets/secret.js';
import type { Logger } from '../log/logger.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { Plan, PlanStorage, PlanSummary } from '../plan/plan.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { UserError } from '../errors.js';
import { desiredState } from '../desired/desired-state.js';
import type { DesiredVm } from '../desired/desired-resource.js';
import { discoverLab, resolveLabFromLive } from './discover-lab.js';
import { diffLab } from '../diff/diff-lab.js';
import { diffRoles } from '../diff/diff-roles.js';
import { diffRoleRecords } from '../diff/role-records.js';
import { createAttributes } from '../diff/create-attributes.js';
import { addGuestDiffs, forceGuestReplacements } from '../diff/diff-guest.js';
import { forceReplacements, targetClosure } from '../diff/plan-selection.js';
import { planTimeRules } from '../diff/plan-time-rules.js';
import { guestTasks } from '../roles/lab-guest-tasks.js';
import { buildSteps } from '../plan/build-steps.js';
import { fingerprintLive, sha256Of } from '../plan/fingerprint.js';
import {
  roleProbeRequests,
  roleStateFromProbes,
  unknownGuestNotes,
  type RoleProbeRequests,
} from './role-state.js';
import { vmAddress, vmOfAddress } from '../model/address.js';

export { readSavedPlan, writeSavedPlan, checkPlanIsCurrent } from './saved-plan.js';
export { fingerprintLive } from '../plan/fingerprint.js';

export interface MakePlanOptions {
  lab: Lab;
  provider: Provider;
  credentials: CredentialResolver;
  logger: Logger;
  /** `destroy`: every resource the lab owns is deleted. */
  mode: 'apply' | 'destroy';
  /** Run role probes inside running, reachable guests (plan output); default true. */
  probeRoles?: boolean;
  /** The lab's guest tasks; default guestTasks({lab}). */
  tasks?: GuestTask[];
  /** Live state already read (one discover() per host, guest probe answers inside); default: discovered now. */
  live?: Map<string, HostState>;
  /** `--replace ADDR`: these resources are replaced even if they match. */
  replace?: string[];
  /** `--target ADDR`: only these resources and what they depend on (a VM brings its roles). */
  target?: string[];
  /** How long each guest may take to answer its plan-time probes (inside discovery), milliseconds. */
  probeTimeoutMs?: number;
}

export interface MakePlanResult {
  plan: Plan;
  /** The live state the plan was made from, per host (one discover() per host). */
  live: Map<string, HostState>;
}

export function summarize(changes: Plan['changes']): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of changes) summary[c.action]++;
  return summary;
}

/** The hex SHA-256 of the manifest file (empty when it cannot be read, e.g. a hand-built Lab). */
export async function manifestSha(file: string): Promise<string> {
  try {
    return sha256Of(await readFile(file));
  } catch {
    return '';
  }
}

/** Live state with the guest probes (one round trip per host, concurrently) x desired state -> the plan. */
export async function makePlan(options: MakePlanOptions): Promise<MakePlanResult> {
  const { lab, provider, mode } = options;
  const probing = mode !== 'destroy' && options.probeRoles !== false;
  const tasksOf = () => (mode === 'destroy' ? [] : (options.tasks ?? guestTasks({ lab })));
  const vmsOf = (d: ReturnType<typeof desiredState>) => d.filter((r): r is DesiredVm => r.kind === 'vm');
  const requestsOf = (desired: ReturnType<typeof desiredState>, tasks: GuestTask[]) =>
    roleProbeRequests({
      lab,
      vms: vmsOf(desired),
      tasks,
      credentials: options.credentials,
      timeoutMs: options.probeTimeoutMs,
    });
  // The probes of every running lab VM travel inside its host's discovery request.
  let requests = probing && !options.live ? requestsOf(desiredState({ lab }), tasksOf()) : undefined;
  let live = options.live ?? (await discoverLab({ lab, provider, probes: requests?.batches }));
  // Live state read elsewhere (graph, tests): storage folders and kept addresses from it too.
  resolveLabFromLive(lab, live);
  // The desired state and guest tasks of the resolved lab (kept addresses, storage folders).
  let desired = desiredState({ lab });
  let tasks = tasksOf();
  if (requests) {
    // A kept automatic address can change what a guest probe checks (a DNS server's address):
    // in that rare case the hosts are asked again with the resolved lab's probes.
    const resolved = requestsOf(desired, tasks);
    if (!sameProbeRequests(requests, resolved)) {
      requests = resolved;
      live = await discoverLab({ lab, provider, probes: requests.batches });
      resolveLabFromLive(lab, live);
      desired = desiredState({ lab });
      tasks = tasksOf();
    }
  }
  const {
    changes,
    conflicts,
    diagnostics: diffDiagnostics,
  } = diffLab({ lab, desired, live, requiresStop: (p) => provider.requiresStop(p), mode });
  if (options.replace?.length) forceReplacements(changes, options.replace);
  const targeted = options.target?.length ? targetClosure(desired, options.target, tasks) : undefined;
  const conflicted = new Set(conflicts.map((c) => c.address));
  // A VM to be created or replaced gets a new guest: its roles run whatever the old guest says.
  const fresh = new Set(
    changes
      .filter(
        (pc) => pc.change.kind === 'vm' && (pc.change.action === 'create' || pc.change.action === 'replace'),
      )
      .map((pc) => pc.change.address),
  );
  const vms = vmsOf(desired).filter((d) => !conflicted.has(d.address) && !fresh.has(d.address));
  const probed = probing
    ? roleStateFromProbes({
        lab,
        vms,
        // A fresh VM's roles start from nothing, also where a task of one runs on another VM (a
        // member's OU move on its DC): what that VM answers describes the old guest.
        tasks: tasks.filter((t) => !fresh.has(vmAddress(vmOfAddress(t.address) ?? ''))),
        live,
        unresolved: requests?.unresolved,
      })
    : {
        state: new Map(),
        doneTasks: new Set<string>(),
        pendingTasks: new Map<string, string | undefined>(),
        replaceVms: new Map<string, string>(),
        unknown: [],
        records: new Map(),
      };
  for (const u of probed.unknown)
    options.logger.debug(
      { vm: u.vm, host: u.host, reason: u.reason },
      'plan-time probe: guest did not answer',
    );
  // A guest that cannot become what the manifest says in place (a DC of another domain) is rebuilt.
  forceGuestReplacements({ changes, tasks, probed });
  // A rebuilt guest starts without the old one's roles: nothing of them is undone.
  for (const vm of probed.replaceVms.keys()) probed.records.delete(vm);
  if (probing)
    addGuestDiffs({ changes, tasks, probes: { done: probed.doneTasks, pending: probed.pendingTasks } });
  const roleChanges = diffRoles({
    desired: desired.filter((d) => !d.dependsOn.some((a) => conflicted.has(a)) || d.kind !== 'role'),
    state: probed.state,
    mode,
  });
  // What the guests record of their roles: removed roles undone, changed ones shown.
  const recorded = diffRoleRecords({
    lab,
    tasks,
    records: probed.records,
    doneTasks: probed.doneTasks,
    pendingTasks: probed.pendingTasks,
    roleChanges,
  });
  // A role still to create lists what it will do (its domain, shares, scopes), as other creates do.
  for (const pc of roleChanges) {
    const after = pc.change.action === 'create' && pc.desired ? createAttributes(pc.desired, lab) : undefined;
    if (after) pc.change.after = after;
  }
  // A targeted VM brings the roles it no longer has, as it brings those it has.
  if (targeted)
    for (const pc of recorded.removed)
      if (targeted.has(vmAddress(vmOfAddress(pc.change.address) ?? ''))) targeted.add(pc.change.address);
  // Creates and updates in dependency order, roles after their VMs, deletions last.
  const ordered = [
    ...changes.filter((pc) => pc.change.action !== 'delete'),
    ...roleChanges,
    ...recorded.removed,
    ...changes.filter((pc) => pc.change.action === 'delete'),
  ];
  // --target: what is outside the targets and their dependencies waits for a later plan.
  const all = targeted ? ordered.filter((pc) => targeted.has(pc.change.address)) : ordered;
  const steps = buildSteps({ lab, changes: all, tasks: recorded.tasks, live, doneTasks: probed.doneTasks });
  const diagnostics =
    mode === 'destroy'
      ? []
      : [
          ...diffDiagnostics,
          ...planTimeRules({ lab, live }),
          ...unknownGuestNotes(lab, probed.unknown),
          ...recorded.diagnostics,
        ];
  const plan: Plan = {
    format: 'labform-plan/1',
    lab: lab.name,
    manifest: { file: lab.file, sha256: await manifestSha(lab.file) },
    createdAt: new Date().toISOString(),
    liveFingerprint: fingerprintLive(live),
    changes: all.map((pc) => pc.change),
    summary: summarize(all.map((pc) => pc.change)),
    conflicts,
    // Every plan-time diagnostic; those with severity `error` make plan exit 1 and apply refuse.
    warnings: diagnostics,
    steps,
    storage: storageOf(lab),
    provider: provider.kind,
  };
  options.logger.info(
    { summary: plan.summary, steps: steps.length, conflicts: conflicts.length },
    'plan made',
  );
  return { plan, live };
}

/** Whether two sets of probe requests ask the same hosts the same questions (credentials aside). */
function sameProbeRequests(a: RoleProbeRequests, b: RoleProbeRequests): boolean {
  const questions = (r: RoleProbeRequests) =>
    JSON.stringify([...r.batches].map(([host, batch]) => [host, batch.requests]));
  return questions(a) === questions(b);
}

/** Where each host keeps the lab's files, and whether that is the host's Hyper-V default folder. */
function storageOf(lab: Lab): PlanStorage[] {
  return lab.hosts.map((h) => ({
    host: h.name,
    path: h.storagePath,
    ...(h.storagePathDefault ? { hostDefault: true } : {}),
  }));
}

/** Plan-time diagnostics of severity error (nat-prefix-host-address, nat-foreign, image-missing). */
export function planErrors(plan: Plan): Diagnostic[] {
  return plan.warnings.filter((d) => d.severity === 'error');
}

/** Apply refuses a plan with conflicts or plan-time errors (UserError, exit 1). */
export function assertPlanApplicable(plan: Plan): void {
  const errors = planErrors(plan);
  if (errors.length > 0) throw new UserError(`the plan for ${plan.lab} has errors`, errors);
  if (plan.conflicts.length > 0) {
    const first = plan.conflicts[0]!;
    throw new UserError(
      `${plan.conflicts.length} conflict(s): ${plan.conflicts.map((c) => `${c.address}: ${c.message}`).join('; ')}`,
      [],
      first.hint,
    );
  }
}

/** Whether the plan changes anything (create, update, replace, delete, or guest work to run). */
export function hasChanges(plan: Plan): boolean {
  const s = plan.summary;
  return s.create + s.update + s.replace + s.delete > 0;
}
