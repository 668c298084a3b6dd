import type { Lab, VmSpec } from '../manifest/lab.js';
import type { GuestTask } from './guest-task.js';
import { UserError } from '../errors.js';
import { indexLab, type LabIndex } from './lab-index.js';
import { labAdapterMacs } from './adapter-mac.js';
import type { JoinMode, RoleContext } from './role-context.js';
import { baseTasks } from './base-tasks.js';
import { fileCopyTasks } from './file-tasks.js';
import { domainControllerTasks, domainMemberTasks } from './domain-tasks.js';
import { guardedHostTasks, hgsTasks } from './hgs-tasks.js';
import {
  dhcpServerTasks,
  fileServerTasks,
  hyperVTasks,
  iscsiTargetTasks,
  scriptId,
  scriptTasks,
} from './service-tasks.js';
import { guestClusterTasks } from './cluster-tasks.js';
import { recordTasks } from './role-record.js';
import { scheduleTasks, taskCycle } from './task-graph.js';
import { OFFLINE_INSTALLED_S, offlineFeaturesEstimateS, operationEstimateS } from './estimates.js';
import { roleAddress, vmAddress } from '../model/address.js';

/**
 * Every guest task of the lab: each Windows guest's base configuration (computer name,
 * addresses, DNS), then its roles in manifest order, then guest clusters; with cross-VM
 * dependencies (members after their domain's first DC is AD-ready, guarded hosts after their
 * HGS, clusters after all nodes). Deterministic for the same lab.
 */
export function guestTasks(options: { lab: Lab }): GuestTask[] {
  const { lab } = options;
  const tasks = chosenJoinMode(lab).tasks;
  const mode = lab.settings.featureInstall;
  if (mode === 'online') return tasks;
  const offline = withOfflineFeatures(tasks);
  if (mode === 'offline') return offline;
  return pickFeatureMode({ online: tasks, offline }).mode === 'offline' ? offline : tasks;
}

/** The join mode the settings ask for (`auto`: the faster one), with the tasks built with it. */
function chosenJoinMode(lab: Lab): { mode: JoinMode; tasks: GuestTask[] } {
  const setting = lab.settings.domainJoin;
  if (setting !== 'auto') return { mode: setting, tasks: buildGuestTasks({ lab, joinMode: setting }) };
  const online = buildGuestTasks({ lab, joinMode: 'online' });
  // Without a domain join the two modes give the same tasks: no need to build and schedule them twice.
  if (!online.some((t) => t.operation.op === 'joinDomain')) return { mode: 'online', tasks: online };
  const offline = buildGuestTasks({ lab, joinMode: 'offline' });
  return pickJoinMode({ online, offline }).mode === 'offline'
    ? { mode: 'offline', tasks: offline }
    : { mode: 'online', tasks: online };
}

export interface FeatureModeChoice {
  mode: 'online' | 'offline';
  /** Estimated guest-task makespan (seconds, unlimited parallelism) each way. */
  onlineS: number;
  offlineS: number;
}

/** The features each VM gets offline (installFeatures tasks marked `offline`), in task order. */
export function offlineFeatures(tasks: readonly GuestTask[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of tasks) {
    if (!t.offline || t.operation.op !== 'installFeatures') continue;
    const list = out.get(t.vm) ?? [];
    for (const f of t.operation.features) if (!list.includes(f)) list.push(f);
    out.set(t.vm, list);
  }
  return out;
}

/** The estimated makespan of guest tasks, offline features lengthening their VMs' first boot. */
export function guestMakespanS(tasks: readonly GuestTask[]): number {
  const bootExtraS = new Map(
    [...offlineFeatures(tasks)].map(([vm, features]) => [vm, offlineFeaturesEstimateS(features)] as const),
  );
  return scheduleTasks({ tasks, bootExtraS }).makespanS;
}

/**
 * The same tasks with every Windows guest's features installed offline: into its new OS disk
 * before the first boot (the plan adds the host step for VMs it creates). The guest task stays,
 * to find them installed (or install what an existing VM lacks).
 */
export function withOfflineFeatures(tasks: readonly GuestTask[]): GuestTask[] {
  return tasks.map((t) =>
    t.os === 'windows' && t.operation.op === 'installFeatures'
      ? { ...t, offline: true as const, estimateS: OFFLINE_INSTALLED_S }
      : t,
  );
}

/**
 * `settings.featureInstall: auto`: offline when the estimated critical path is strictly shorter
 * with it, else online (no host step, and no need for the ServerManager module on the host).
 */
export function chooseFeatureMode(options: { lab: Lab }): FeatureModeChoice {
  const online = chosenJoinMode(options.lab).tasks;
  return pickFeatureMode({ online, offline: withOfflineFeatures(online) });
}

function pickFeatureMode(options: { online: GuestTask[]; offline: GuestTask[] }): FeatureModeChoice {
  if (!options.online.some((t) => t.operation.op === 'installFeatures'))
    return { mode: 'online', onlineS: 0, offlineS: 0 };
  const onlineS = guestMakespanS(options.online);
  const offlineS = guestMakespanS(options.offline);
  return { mode: offlineS < onlineS ? 'offline' : 'online', onlineS, offlineS };
}

export interface JoinModeChoice {
  mode: JoinMode;
  /** Estimated guest-task makespan (seconds, unlimited parallelism) with each join mode. */
  onlineS: number;
  offlineS: number;
}

/**
 * `settings.domainJoin: auto`: offline join when the estimated critical path is strictly
 * shorter with it, else online (the simpler path, and the fallback).
 */
export function chooseJoinMode(options: { lab: Lab }): JoinModeChoice {
  return pickJoinMode({
    online: buildGuestTasks({ lab: options.lab, joinMode: 'online' }),
    offline: buildGuestTasks({ lab: options.lab, joinMode: 'offline' }),
  });
}

function pickJoinMode(options: { online: GuestTask[]; offline: GuestTask[] }): JoinModeChoice {
  const onlineS = scheduleTasks({ tasks: options.online }).makespanS;
  const offlineS = scheduleTasks({ tasks: options.offline }).makespanS;
  return { mode: offlineS < onlineS ? 'offline' : 'online', onlineS, offlineS };
}

/** The guest tasks with a given join mode (`guestTasks` picks it from the settings). */
export function buildGuestTasks(options: { lab: Lab; joinMode: JoinMode }): GuestTask[] {
  const { lab, joinMode } = options;
  const index = indexLab(lab);
  const macs = labAdapterMacs(lab);
  const tails = new Map<string, GuestTask[]>();
  const foreign = (task: GuestTask) => {
    const list = tails.get(task.vm);
    if (list) list.push(task);
    else tails.set(task.vm, [task]);
  };
  const own = new Map<string, GuestTask[]>();
  // A VM without an image is only created and started: nothing can configure its guest.
  const configured = lab.vms.filter((vm) => vm.image !== undefined);
  for (const vm of configured)
    own.set(vm.name, vmTasks({ index, vm, joinMode, macs: macs.get(vm.name) ?? [], foreign }));
  for (const cluster of lab.guestClusters)
    for (const task of guestClusterTasks({ index, cluster, joinMode })) foreign(task);
  const tasks = configured.flatMap((vm) =>
    discountInstalledFeatures([...(own.get(vm.name) ?? []), ...(tails.get(vm.name) ?? [])]),
  );
  const cycle = taskCycle(tasks);
  if (cycle)
    throw new UserError(
      `guest roles wait for each other in a cycle: ${cycle.join(', ')}`,
      [],
      'reorder the roles of these VMs',
    );
  return tasks;
}

function vmTasks(options: {
  index: LabIndex;
  vm: VmSpec;
  joinMode: JoinMode;
  macs: string[];
  foreign: (t: GuestTask) => void;
}): GuestTask[] {
  const { index, vm, joinMode, foreign } = options;
  // A Linux guest with nothing to copy or run needs no login (its cloud-init seed configures it).
  if (vm.os === 'linux' && vm.files.length === 0 && vm.roles.length === 0) return [];
  const credential = index.initialCredential(vm);
  const final = index.finalCredential(vm);
  const cursor = { vm, credential, ...(final !== credential ? { alternate: final } : {}) };
  const context = (prefix: string, address: string): RoleContext => ({
    index,
    joinMode,
    cursor,
    prefix,
    address,
    foreign,
  });
  const tasks: GuestTask[] = [];
  if (vm.os === 'linux') {
    // Linux guests: addresses come from DHCP or the image; files, then bash scripts (over SSH).
    tasks.push(...fileCopyTasks(context('base', vmAddress(vm.name))));
    for (const [i, prefix] of index.rolePrefixes(vm).entries()) {
      const role = vm.roles[i]!;
      if (role.kind !== 'script' || role.shell !== 'bash')
        throw new UserError(
          `VM ${vm.name} is a Linux guest: it takes only script roles with shell: bash, not ${role.kind}`,
        );
      tasks.push(
        ...scriptTasks(context(prefix, roleAddress(vm.name, prefix)), role, uniqueId(tasks, scriptId(role))),
      );
    }
    // Last, as on Windows: the guest's record of each script role (/var/lib/labform/roles).
    tasks.push(...recordTasks(tasks, cursor.credential));
    return tasks;
  }
  tasks.push(...baseTasks({ ctx: context('base', vmAddress(vm.name)), macs: options.macs }));
  // The media the roles may install from, once the guest has its name and addresses.
  tasks.push(...fileCopyTasks(context('base', vmAddress(vm.name))));
  // Add-DhcpServerInDC needs the guest in its domain, which may be a later role of the VM.
  let pendingAuthorize: (() => GuestTask) | undefined;
  const domainRoleAt = vm.roles.findIndex((r) => r.kind === 'domainController' || r.kind === 'domainMember');
  for (const [i, prefix] of index.rolePrefixes(vm).entries()) {
    const role = vm.roles[i]!;
    const ctx = context(prefix, roleAddress(vm.name, prefix));
    switch (role.kind) {
      case 'domainController':
        tasks.push(...domainControllerTasks(ctx, role));
        break;
      case 'domainMember':
        tasks.push(...domainMemberTasks(ctx, role));
        break;
      case 'hostGuardianService':
        tasks.push(...hgsTasks(ctx, role));
        break;
      case 'guardedHost':
        tasks.push(...guardedHostTasks(ctx, role));
        break;
      case 'hyperV':
        tasks.push(...hyperVTasks(ctx));
        break;
      case 'fileServer':
        tasks.push(...fileServerTasks(ctx, role));
        break;
      case 'dhcpServer': {
        const dhcp = dhcpServerTasks(ctx, role);
        tasks.push(...dhcp.tasks);
        pendingAuthorize = dhcp.authorize;
        break;
      }
      case 'iscsiTarget':
        tasks.push(...iscsiTargetTasks(ctx, role));
        break;
      case 'script':
        tasks.push(...scriptTasks(ctx, role, uniqueId(tasks, scriptId(role))));
        break;
    }
    if (pendingAuthorize && i >= domainRoleAt) {
      tasks.push(pendingAuthorize());
      pendingAuthorize = undefined;
    }
  }
  // Last: the guest's record of each role, which later plans compare with the manifest.
  tasks.push(...recordTasks(tasks, cursor.credential));
  return tasks;
}

/**
 * A feature installed by an earlier task of the VM (Hyper-V by `hyperV`, then again by
 * `guardedHost`) costs only its probe the second time: estimate only what is new.
 */
function discountInstalledFeatures(tasks: GuestTask[]): GuestTask[] {
  const installed = new Set<string>();
  return tasks.map((t) => {
    if (t.operation.op !== 'installFeatures') return t;
    const fresh = t.operation.features.filter((f) => !installed.has(f));
    for (const f of fresh) installed.add(f);
    if (fresh.length === t.operation.features.length) return t;
    return {
      ...t,
      estimateS: fresh.length > 0 ? operationEstimateS({ op: 'installFeatures', features: fresh }) : 5,
    };
  });
}

/** Two identical scripts on one VM still get distinct ids. */
function uniqueId(tasks: readonly GuestTask[], id: string): string {
  const used = new Set(tasks.flatMap((t) => (t.operation.op === 'runScript' ? [t.operation.id] : [])));
  let candidate = id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id}-${n}`;
  return candidate;
}
