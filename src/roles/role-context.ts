/**
 * What a role builder works with: the lab index, the VM's credential cursor (which changes when
 * a forest or HGS is installed), and a sink for tasks the role places on other VMs.
 */
import type { VmSpec } from '../manifest/lab.js';
import type { GuestOperation } from '../model/guest-operation.js';
import type { GuestTask, TaskRef } from './guest-task.js';
import type { LabIndex } from './lab-index.js';
import { operationEstimateS } from './estimates.js';

export type JoinMode = 'online' | 'offline';

/** The credential reaching a guest at this point of its task sequence. */
export interface VmCursor {
  vm: VmSpec;
  credential: string;
  /** Until the switch: the credential the guest will answer to afterwards (for re-runs). */
  alternate?: string;
}

export interface RoleContext {
  index: LabIndex;
  joinMode: JoinMode;
  cursor: VmCursor;
  /** `domainController`, `script.2`, `guestCluster.sqlclu`: prefix of the task keys. */
  prefix: string;
  /** `role.dc01.domainController`, `guestCluster.sqlclu`. */
  address: string;
  /** A task this role runs on another VM (placed after that VM's own roles). */
  foreign(task: GuestTask): void;
}

export interface TaskExtras {
  after?: TaskRef[];
  rebootCredential?: string;
  then?: GuestTask['then'];
  /** Overrides the cursor's credential (a script's own credential). */
  credential?: string;
}

/** A task of the context's VM, reached with the cursor's credential. */
export function ownTask(
  ctx: RoleContext,
  step: string,
  title: string,
  operation: GuestOperation,
  extras: TaskExtras = {},
): GuestTask {
  const credential = extras.credential ?? ctx.cursor.credential;
  return finish({
    key: `${ctx.prefix}/${step}`,
    address: ctx.address,
    vm: ctx.cursor.vm,
    title,
    operation,
    credential,
    alternate: extras.credential ? undefined : ctx.cursor.alternate,
    extras,
  });
}

/** A task this role runs on `vm` (another VM), reached with that VM's final credential. */
export function foreignTask(
  ctx: RoleContext,
  vm: VmSpec,
  step: string,
  title: string,
  operation: GuestOperation,
  extras: TaskExtras = {},
): GuestTask {
  const owner = ctx.cursor.vm.name;
  return finish({
    key: `${ctx.prefix}@${owner}/${step}`,
    address: ctx.address,
    vm,
    title,
    operation,
    credential: extras.credential ?? ctx.index.finalCredential(vm),
    alternate: undefined,
    extras,
  });
}

function finish(t: {
  key: string;
  address: string;
  vm: VmSpec;
  title: string;
  operation: GuestOperation;
  credential: string;
  alternate: string | undefined;
  extras: TaskExtras;
}): GuestTask {
  const task: GuestTask = {
    key: t.key,
    address: t.address,
    vm: t.vm.name,
    host: t.vm.host,
    os: t.vm.os,
    title: t.title,
    operation: t.operation,
    credential: t.credential,
    after: t.extras.after ?? [],
    estimateS: operationEstimateS(t.operation),
  };
  if (t.alternate && t.alternate !== t.credential) task.alternateCredential = t.alternate;
  if (t.extras.rebootCredential) task.rebootCredential = t.extras.rebootCredential;
  if (t.extras.then) task.then = t.extras.then;
  return task;
}
