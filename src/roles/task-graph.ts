/**
 * The guest tasks as a graph: within a VM each task follows the previous one (and its `then`
 * wait), across VMs the `after` edges. Used to check for cycles and to estimate the critical
 * path (the `auto` domain-join choice, docs, closing notes).
 */
import type { GuestTask, TaskRef } from './guest-task.js';
import { AD_READY_S, FIRST_BOOT_S } from './estimates.js';
import { InternalError } from '../errors.js';

export const taskId = (ref: TaskRef): string => `${ref.vm}/${ref.key}`;

/** Each task's predecessors: the previous task of its VM, then its `after` refs. */
function predecessors(tasks: readonly GuestTask[]): Map<string, string[]> {
  const ids = new Set(tasks.map(taskId));
  const lastOfVm = new Map<string, string>();
  const preds = new Map<string, string[]>();
  for (const t of tasks) {
    const id = taskId(t);
    if (preds.has(id)) throw new InternalError(`guest task ${id} appears twice`);
    const list: string[] = [];
    const prev = lastOfVm.get(t.vm);
    if (prev) list.push(prev);
    for (const ref of t.after) {
      const dep = taskId(ref);
      if (!ids.has(dep)) throw new InternalError(`guest task ${id} waits for ${dep}, which does not exist`);
      if (!list.includes(dep)) list.push(dep);
    }
    preds.set(id, list);
    lastOfVm.set(t.vm, id);
  }
  return preds;
}

/** Topological order of task ids, or the ids left on a cycle. */
function topoSort(preds: Map<string, string[]>): { order: string[]; cyclic: string[] } {
  const indegree = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const [id, ps] of preds) {
    indegree.set(id, ps.length);
    for (const p of ps) {
      const list = next.get(p);
      if (list) list.push(id);
      else next.set(p, [id]);
    }
  }
  const ready = [...preds.keys()].filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  // A read index, not shift(): linear in the number of tasks.
  for (let head = 0; head < ready.length; head++) {
    const id = ready[head]!;
    order.push(id);
    for (const n of next.get(id) ?? []) {
      const d = indegree.get(n)! - 1;
      indegree.set(n, d);
      if (d === 0) ready.push(n);
    }
  }
  return { order, cyclic: [...preds.keys()].filter((id) => indegree.get(id)! > 0) };
}

/** Task ids (`vm/key`) caught in a dependency cycle, or undefined when there is none. */
export function taskCycle(tasks: readonly GuestTask[]): string[] | undefined {
  const { cyclic } = topoSort(predecessors(tasks));
  return cyclic.length > 0 ? cyclic : undefined;
}

export interface TaskSchedule {
  /** Seconds from the start of the apply until the last task (and its wait) is done. */
  makespanS: number;
  /** Finish time of each task, `then` wait included, by `vm/key`. */
  finishS: Map<string, number>;
  /** The chain of task ids that decides the makespan, first to last. */
  criticalPath: string[];
}

/**
 * Earliest-finish schedule with unlimited parallelism: every VM's first task starts after
 * `firstBootS`, each task takes its `estimateS`, a `then` wait adds `adReadyS`.
 */
export function scheduleTasks(options: { tasks: readonly GuestTask[]; firstBootS?: number; adReadyS?: number }): TaskSchedule {
  const firstBoot = options.firstBootS ?? FIRST_BOOT_S;
  const adReady = options.adReadyS ?? AD_READY_S;
  const preds = predecessors(options.tasks);
  const { order, cyclic } = topoSort(preds);
  if (cyclic.length > 0) throw new InternalError(`guest tasks form a cycle: ${cyclic.join(', ')}`);
  const byId = new Map(options.tasks.map((t) => [taskId(t), t]));
  const finishS = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  for (const id of order) {
    const t = byId.get(id)!;
    let start = firstBoot;
    let from: string | undefined;
    for (const p of preds.get(id)!) {
      const f = finishS.get(p)!;
      if (f > start) [start, from] = [f, p];
    }
    finishS.set(id, start + (t.estimateS ?? 0) + (t.then ? adReady : 0));
    via.set(id, from);
  }
  let last: string | undefined;
  for (const id of order) if (last === undefined || finishS.get(id)! > finishS.get(last)!) last = id;
  const criticalPath: string[] = [];
  for (let id = last; id !== undefined; id = via.get(id)) criticalPath.unshift(id);
  return { makespanS: last === undefined ? 0 : finishS.get(last)!, finishS, criticalPath };
}
