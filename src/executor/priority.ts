import type { Step } from '../plan/plan.js';
import { longestPath, reversed } from '../model/graph.js';
import { stepGraph } from '../plan/check-graph.js';

/**
 * Each step's remaining chain: its own estimated seconds plus the longest chain of steps that
 * depend on it. When steps compete for a host's slots, the one on the longest remaining chain
 * goes first (critical-path list scheduling), so limits delay the lab's end as little as they can.
 */
export function remainingChain(steps: readonly Step[]): Map<string, number> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  return longestPath(reversed(stepGraph(steps)), (id) => byId.get(id)?.estimateS ?? 1).finish;
}
