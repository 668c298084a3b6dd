import type { DesiredVm } from '../desired/desired-resource.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { StepGraph } from './step-graph.js';
import type { VmAnchor } from './vm-steps.js';
import { waitStepId } from './step-titles.js';
import { vmAddress } from '../model/address.js';

/** `vm.dc01/computerName`, `role.dc01.domainController/forest`: the task key without its group prefix. */
export function taskStepId(task: GuestTask): string {
  const slash = task.key.indexOf('/');
  const tail = slash >= 0 ? task.key.slice(slash + 1) : task.key;
  return `${task.address}/${tail || task.key}`;
}

const refKey = (vm: string, key: string) => `${vm}|${key}`;

/**
 * Each pending guest task becomes a GuestStep after its VM is reachable, in the VM's order;
 * a task's `then` becomes a WaitStep that its dependents wait for; `after` adds cross-VM edges.
 * Returns, per VM, the step ids its guest work ends with.
 */
export function guestSteps(
  g: StepGraph,
  o: { tasks: GuestTask[]; anchors: Map<string, VmAnchor>; vms: Map<string, DesiredVm>; done: Set<string> },
): Map<string, string[]> {
  const completion = new Map<string, string>();
  const lastOfVm = new Map<string, string[]>();
  const created: { task: GuestTask; id: string }[] = [];
  // A done task's wait (a run killed right after a promotion: AD may not answer yet) is kept when a pending task needs it; it costs one poll.
  const deferred = new Map<string, GuestTask>();
  const deferredOfVm = new Map<string, GuestTask>();
  const keepWait = (task: GuestTask, prev: string[]): string => {
    const end = thenWait(g, task, prev);
    completion.set(refKey(task.vm, task.key), end);
    deferred.delete(refKey(task.vm, task.key));
    return end;
  };
  for (const task of o.tasks) {
    if (o.done.has(refKey(task.vm, task.key))) {
      if (task.then) {
        deferred.set(refKey(task.vm, task.key), task);
        deferredOfVm.set(task.vm, task);
      }
      continue;
    }
    const before = deferredOfVm.get(task.vm);
    if (before) {
      deferredOfVm.delete(task.vm);
      lastOfVm.set(task.vm, [
        keepWait(
          before,
          lastOfVm.get(task.vm) ?? reachable(g, before, o.anchors.get(task.vm), o.vms.get(task.vm)),
        ),
      ]);
    }
    let prev = lastOfVm.get(task.vm);
    if (!prev) prev = reachable(g, task, o.anchors.get(task.vm), o.vms.get(task.vm));
    let id = taskStepId(task);
    for (let n = 2; g.has(id); n++) id = `${taskStepId(task)}-${n}`;
    g.guest({
      id,
      address: task.address,
      host: task.host,
      title: task.title,
      dependsOn: prev,
      vm: task.vm,
      os: task.os,
      credential: task.credential,
      operation: task.operation,
      rebootCredential: task.rebootCredential,
      ...(task.alternateCredential ? { alternateCredential: task.alternateCredential } : {}),
      estimateS: task.estimateS,
    });
    const end = task.then ? thenWait(g, task, [id]) : id;
    completion.set(refKey(task.vm, task.key), end);
    lastOfVm.set(task.vm, [end]);
    created.push({ task, id });
  }
  for (const { task, id } of created) {
    for (const r of task.after) {
      const wanted = deferred.get(refKey(r.vm, r.key));
      if (wanted) keepWait(wanted, reachable(g, wanted, o.anchors.get(wanted.vm), o.vms.get(wanted.vm)));
    }
    g.addDeps(
      id,
      task.after.map((r) => completion.get(refKey(r.vm, r.key)) ?? ''),
    );
  }
  return lastOfVm;
}

/** The step after which the VM's guest is reachable; adds the waits when the VM itself has no steps. */
function reachable(
  g: StepGraph,
  task: GuestTask,
  anchor: VmAnchor | undefined,
  vm: DesiredVm | undefined,
): string[] {
  if (anchor?.guestReady) return [anchor.guestReady];
  const address = vm?.address ?? vmAddress(task.vm);
  const hbId = waitStepId(address, 'heartbeat', task.os);
  const psdId = waitStepId(address, 'powershellDirect', task.os);
  if (!g.has(hbId))
    g.wait({
      id: hbId,
      address,
      host: task.host,
      vm: task.vm,
      os: task.os,
      wait: 'heartbeat',
      dependsOn: anchor?.last ?? [],
    });
  if (!g.has(psdId))
    g.wait({
      id: psdId,
      address,
      host: task.host,
      vm: task.vm,
      os: task.os,
      wait: 'powershellDirect',
      credential: vm?.credential ?? task.credential,
      dependsOn: [hbId],
    });
  return [psdId];
}

/** The wait a task's `then` asks for (AD answering after a promotion ...), after `dependsOn`. */
function thenWait(g: StepGraph, task: GuestTask, dependsOn: string[]): string {
  const then = task.then!;
  const waitId = waitStepId(task.address, then.wait, task.os);
  let unique = waitId;
  for (let n = 2; g.has(unique); n++) unique = `${waitId}-${n}`;
  return g.wait({
    id: unique,
    address: task.address,
    host: task.host,
    vm: task.vm,
    os: task.os,
    wait: then.wait,
    credential: then.credential,
    dependsOn,
  });
}
