import type { Step } from '../plan/plan.js';

/**
 * Each step's remaining chain: its own estimated seconds plus the longest chain of steps that
 * depend on it. When steps compete for a host's slots, the one on the longest remaining chain
 * goes first (critical-path list scheduling), so limits delay the lab's end as little as they can.
 */
export function remainingChain(steps: readonly Step[], order: readonly string[]): Map<string, number> {
  const dependents = new Map<string, string[]>();
  for (const step of steps) for (const dep of step.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), step.id]);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const rank = new Map<string, number>();
  // `order` puts dependencies first, so walking it backwards sees every dependent before its dependency.
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    const own = byId.get(id)?.estimateS ?? 1;
    const after = Math.max(0, ...(dependents.get(id) ?? []).map((d) => rank.get(d) ?? 0));
    rank.set(id, own + after);
  }
  return rank;
}
