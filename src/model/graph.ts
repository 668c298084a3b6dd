/**
 * The one graph utility: dependency graphs given as nodes and each node's predecessors (what
 * must come first). Plan steps, guest tasks and executor figures all use it.
 */

export interface DependencyGraph {
  /** Every node, in a stable order (ties are broken by it). */
  nodes: readonly string[];
  /** What must come before `id`; unknown ids are ignored. */
  predecessors: (id: string) => readonly string[];
}

/**
 * Kahn's order: a node after all its predecessors, ready nodes taken in `nodes` order.
 * `blocked` lists the nodes that never became ready: on a cycle, or after one.
 */
export function topologicalOrder(graph: DependencyGraph): { order: string[]; blocked: string[] } {
  const known = new Set(graph.nodes);
  const waiting = new Map<string, number>();
  const successors = new Map<string, string[]>();
  for (const id of graph.nodes) {
    const preds = graph.predecessors(id).filter((p) => known.has(p));
    waiting.set(id, preds.length);
    for (const p of preds) {
      const list = successors.get(p);
      if (list) list.push(id);
      else successors.set(p, [id]);
    }
  }
  const ready = graph.nodes.filter((id) => waiting.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    order.push(id);
    for (const next of successors.get(id) ?? []) {
      const n = waiting.get(next)! - 1;
      waiting.set(next, n);
      if (n === 0) ready.push(next);
    }
  }
  return { order, blocked: graph.nodes.filter((id) => waiting.get(id)! > 0) };
}

/**
 * One cycle, following predecessors from the first node (in `nodes` order) that reaches one:
 * `[a, b, c, a]` means a needs b, b needs c, c needs a. Undefined when there is none.
 */
export function findCycle(graph: DependencyGraph): string[] | undefined {
  const known = new Set(graph.nodes);
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graph.nodes) {
    if (state.has(root)) continue;
    // Iterative depth-first search: plans have thousands of steps.
    const stack: { id: string; next: number; preds: readonly string[] }[] = [
      { id: root, next: 0, preds: graph.predecessors(root) },
    ];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.preds.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const p = top.preds[top.next++]!;
      if (!known.has(p)) continue;
      if (state.get(p) === 'open') {
        const path = stack.map((f) => f.id);
        return [...path.slice(path.indexOf(p)), p];
      }
      if (!state.has(p)) {
        state.set(p, 'open');
        stack.push({ id: p, next: 0, preds: graph.predecessors(p) });
      }
    }
  }
  return undefined;
}

export interface LongestPath {
  /** Each node's finish: its weight plus the greatest finish among its predecessors (at least `base`). */
  finish: Map<string, number>;
  /** The chain that ends latest, first to last (empty without nodes). */
  path: string[];
  /** Its finish (0 without nodes). */
  length: number;
}

/**
 * Longest weighted chains of an acyclic graph (critical path). A chain runs through the first
 * predecessor with the greatest finish; the path ends at the first node (in `nodes` order)
 * with the greatest finish. `base` is when nodes without predecessors start. Throws on a cycle.
 */
export function longestPath(graph: DependencyGraph, weight: (id: string) => number, base = 0): LongestPath {
  const { order, blocked } = topologicalOrder(graph);
  if (blocked.length > 0)
    throw new Error(`longestPath on a cyclic graph: ${(findCycle(graph) ?? blocked).join(' -> ')}`);
  const finish = new Map<string, number>();
  const via = new Map<string, string>();
  for (const id of order) {
    let start = base;
    let from: string | undefined;
    for (const p of graph.predecessors(id)) {
      const f = finish.get(p);
      if (f === undefined) continue;
      if (from === undefined ? f >= start : f > start) [start, from] = [f, p];
    }
    finish.set(id, start + weight(id));
    if (from !== undefined) via.set(id, from);
  }
  let end: string | undefined;
  for (const id of graph.nodes) if (end === undefined || finish.get(id)! > finish.get(end)!) end = id;
  const path: string[] = [];
  for (let id = end; id !== undefined; id = via.get(id)) path.unshift(id);
  return { finish, path, length: end === undefined ? 0 : finish.get(end)! };
}

/** The same graph with its edges turned around (successors become predecessors). */
export function reversed(graph: DependencyGraph): DependencyGraph {
  const successors = new Map<string, string[]>(graph.nodes.map((id) => [id, []]));
  for (const id of graph.nodes) for (const p of graph.predecessors(id)) successors.get(p)?.push(id);
  return { nodes: graph.nodes, predecessors: (id) => successors.get(id) ?? [] };
}

/**
 * Every node reachable from `roots` by following predecessors (the roots included), in
 * depth-first preorder: each node once, each edge once. Nodes outside `graph.nodes` are reached
 * too (the caller's predecessors decide what exists).
 */
export function reachable(
  graph: Pick<DependencyGraph, 'predecessors'>,
  roots: Iterable<string>,
): Set<string> {
  const seen = new Set<string>();
  // Iterative: a chain of dependencies can be as long as the lab.
  const stack: string[] = [];
  for (const root of roots) {
    stack.push(root);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const preds = graph.predecessors(id);
      // Pushed in reverse, so the first predecessor is visited first.
      for (let i = preds.length - 1; i >= 0; i--) if (!seen.has(preds[i]!)) stack.push(preds[i]!);
    }
  }
  return seen;
}
