import type { StepGraph } from './step-graph.js';
import { remainingChain } from './remaining-chain.js';

/**
 * Image builds that mount the same ISO on one host take turns (a mounted ISO cannot be mounted
 * again, and each build dismounts it when done). The first turn goes to the build whose
 * dependents have the longest remaining chain by the plan's estimates: the image the lab's
 * critical path waits for (the domain controller's Server Core) is built before one only a
 * later VM needs, whatever order the manifest lists them in. Equal chains keep manifest order.
 * Sorting by remaining chain never makes a cycle: a build that another one already depends on
 * has the longer chain, so it goes first.
 */
export function orderMediaTurns(g: StepGraph): void {
  for (const builds of g.mediaTurns.values()) {
    if (builds.length < 2) continue;
    const remaining = remainingChain(g.steps);
    const turns = [...builds].sort((a, b) => remaining.get(b)! - remaining.get(a)!);
    for (let i = 1; i < turns.length; i++) g.addDeps(turns[i]!, [turns[i - 1]!]);
  }
}
