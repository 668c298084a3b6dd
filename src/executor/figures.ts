import type { Step } from '../plan/plan.js';
import type { CriticalPath, ExecuteResult, StepOutcome, StepResult } from './events.js';
import { findCycle, longestPath, topologicalOrder as graphOrder } from '../model/graph.js';
import { stepGraph } from '../plan/check-graph.js';

/**
 * The longest dependency chain by actual durations: what bounds the makespan however much
 * parallelism there is. Steps that never ran count as zero.
 */
export function criticalPath(steps: readonly Step[], results: ReadonlyMap<string, StepResult>): CriticalPath {
  const { path, length } = longestPath(stepGraph(steps), (id) => results.get(id)?.durationMs ?? 0);
  return { steps: path, ms: Math.max(0, length) };
}

/** Step ids in an order where every step follows its dependencies, or the cycle or unknown id that prevents one. */
export function topologicalOrder(
  steps: readonly Step[],
): { order: string[] } | { cycle: string[] } | { unknown: { step: string; dependsOn: string } } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    for (const d of s.dependsOn) if (!byId.has(d)) return { unknown: { step: s.id, dependsOn: d } };
  }
  const graph = stepGraph(steps);
  const { order, blocked } = graphOrder(graph);
  if (blocked.length > 0) return { cycle: findCycle(graph)! };
  return { order };
}

/** The plan's longest dependency chain by the steps' `estimateS` (before anything ran). */
export function estimatedCriticalPath(steps: readonly Step[]): CriticalPath {
  const estimates = new Map<string, StepResult>(
    steps.map((s) => [
      s.id,
      {
        id: s.id,
        title: s.title,
        address: s.address,
        host: s.host,
        outcome: 'done',
        durationMs: (s.estimateS ?? 0) * 1000,
        attempts: 0,
      },
    ]),
  );
  return criticalPath(steps, estimates);
}

/** The run's result: outcomes in plan order, counts, root causes and the timing figures. */
export function buildResult(options: {
  steps: readonly Step[];
  results: ReadonlyMap<string, StepResult>;
  interrupted: boolean;
  startedAt: number;
  endedAt: number;
  retries: number;
}): ExecuteResult {
  const ordered = options.steps.map((s) => options.results.get(s.id)!);
  const counts: Record<StepOutcome, number> = {
    done: 0,
    'skipped-done': 0,
    failed: 0,
    'skipped-dependency': 0,
    cancelled: 0,
  };
  for (const r of ordered) counts[r.outcome]++;
  const ran = ordered.filter((r) => r.startedAt !== undefined);
  const firstStart = Math.min(...ran.map((r) => r.startedAt!));
  const lastEnd = Math.max(...ran.map((r) => r.endedAt!));
  return {
    steps: ordered,
    rootCauses: ordered.filter((r) => r.outcome === 'failed'),
    counts,
    interrupted: options.interrupted,
    startedAt: options.startedAt,
    endedAt: options.endedAt,
    makespanMs: ran.length > 0 ? lastEnd - firstStart : 0,
    criticalPath: criticalPath(options.steps, options.results),
    sequentialMs: ran.reduce((sum, r) => sum + r.durationMs, 0),
    retries: options.retries,
  };
}
