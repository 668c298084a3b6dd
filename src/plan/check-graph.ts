import type { Step } from './plan.js';
import { UserError } from '../errors.js';

/** The step ids in an order where every step follows its dependencies; throws naming a cycle. */
export function topologicalOrder(steps: readonly Step[]): string[] {
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const s of steps) {
    indegree.set(s.id, s.dependsOn.length);
    for (const d of s.dependsOn) {
      const list = dependents.get(d);
      if (list) list.push(s.id);
      else dependents.set(d, [s.id]);
    }
  }
  const queue = steps.filter((s) => s.dependsOn.length === 0).map((s) => s.id);
  const order: string[] = [];
  // A read index, not shift(): shifting an array of thousands of steps is quadratic.
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const n = (indegree.get(next) ?? 0) - 1;
      indegree.set(next, n);
      if (n === 0) queue.push(next);
    }
  }
  if (order.length < steps.length) {
    const cycle = findCycle(steps);
    throw new UserError(`the plan has a dependency cycle: ${cycle.join(' -> ')}`, [], 'check the roles that wait for each other (domain, HGS, guest cluster references)');
  }
  return order;
}

/** One cycle among the steps, as ids with the first repeated at the end. */
export function findCycle(steps: readonly Step[]): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const d of byId.get(id)?.dependsOn ?? []) {
      if (state.get(d) === 'open') return [...stack.slice(stack.indexOf(d)), d].reverse();
      if (!state.has(d) && byId.has(d)) {
        const found = visit(d);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const s of steps) {
    if (state.has(s.id)) continue;
    const found = visit(s.id);
    if (found) return found;
  }
  return [];
}
