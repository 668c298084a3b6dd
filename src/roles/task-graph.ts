/**
 * The guest tasks as a graph: within a VM each task follows the previous one (and its `then`
 * wait), across VMs the `after` edges. Used to check for cycles and to estimate the critical
 * path (the `auto` domain-join choice, docs, closing notes).
 */
import type { GuestTask, TaskRef } from './guest-task.js';
import { AD_READY_S, FIRST_BOOT_S } from './estimates.js';
import { InternalError } from '../errors.js';
import { longestPath, topologicalOrder, type DependencyGraph } from '../model/graph.js';

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
  const { order, blocked } = topologicalOrder(taskGraph(preds));
  return { order, cyclic: blocked };
}

function taskGraph(preds: Map<string, string[]>): DependencyGraph {
  return { nodes: [...preds.keys()], predecessors: (id) => preds.get(id) ?? [] };
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
export function scheduleTasks(options: {
  tasks: readonly GuestTask[];
  firstBootS?: number;
  adReadyS?: number;
  /** Seconds added to a VM's first boot (features installed into its disk first), by VM name. */
  bootExtraS?: ReadonlyMap<string, number>;
}): TaskSchedule {
  const firstBoot = options.firstBootS ?? FIRST_BOOT_S;
  const adReady = options.adReadyS ?? AD_READY_S;
  const preds = predecessors(options.tasks);
  // A VM's longer first boot: a node of its own before the VM's first task.
  const extra = new Map<string, number>();
  for (const [vm, seconds] of options.bootExtraS ?? []) {
    const first = options.tasks.find((t) => t.vm === vm);
    if (!first || seconds <= 0) continue;
    const boot = `${vm}/#first-boot`;
    extra.set(boot, seconds);
    preds.set(boot, []);
    preds.get(taskId(first))!.push(boot);
  }
  const { order, cyclic } = topoSort(preds);
  if (cyclic.length > 0) throw new InternalError(`guest tasks form a cycle: ${cyclic.join(', ')}`);
  const byId = new Map(options.tasks.map((t) => [taskId(t), t]));
  const weight = (id: string) => {
    if (extra.has(id)) return extra.get(id)!;
    const t = byId.get(id)!;
    return (t.estimateS ?? 0) + (t.then ? adReady : 0);
  };
  const {
    finish: finishS,
    path: criticalPath,
    length,
  } = longestPath({ nodes: order, predecessors: (id) => preds.get(id) ?? [] }, weight, firstBoot);
  return { makespanS: order.length === 0 ? 0 : length, finishS, criticalPath };
}
