import type { Step } from './plan.js';
import { UserError } from '../errors.js';
import {
  findCycle as findGraphCycle,
  topologicalOrder as graphOrder,
  type DependencyGraph,
} from '../model/graph.js';

/** The steps as a dependency graph. */
export function stepGraph(steps: readonly Step[]): DependencyGraph {
  const byId = new Map(steps.map((s) => [s.id, s]));
  return { nodes: steps.map((s) => s.id), predecessors: (id) => byId.get(id)?.dependsOn ?? [] };
}

/** The step ids in an order where every step follows its dependencies; throws naming a cycle. */
export function topologicalOrder(steps: readonly Step[]): string[] {
  const { order, blocked } = graphOrder(stepGraph(steps));
  if (blocked.length > 0) {
    const cycle = findCycle(steps);
    throw new UserError(
      `the plan has a dependency cycle: ${cycle.join(' -> ')}`,
      [],
      'check the roles that wait for each other (domain, HGS, guest cluster references)',
    );
  }
  return order;
}

/** One cycle among the steps, as ids with the first repeated at the end (each followed by what needs it). */
export function findCycle(steps: readonly Step[]): string[] {
  return (findGraphCycle(stepGraph(steps)) ?? []).reverse();
}
