import type { Step } from './plan.js';
import { longestPath, reversed } from '../model/graph.js';
import { stepGraph } from './check-graph.js';

/**
 * Each step's remaining chain: its own estimated seconds plus the longest chain of steps that
 * depend on it. When steps compete for a host's slots, the one on the longest remaining chain
 * goes first (critical-path list scheduling, src/executor/slot-scheduler.ts), so limits delay the
 * lab's end as little as they can; builds from one ISO take their turns in that order too.
 */
export function remainingChain(steps: readonly Step[]): Map<string, number> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  return longestPath(reversed(stepGraph(steps)), (id) => byId.get(id)?.estimateS ?? 1).finish;
}
