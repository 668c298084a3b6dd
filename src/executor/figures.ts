import type { Step } from '../plan/plan.js';
import type { CriticalPath, ExecuteResult, StepOutcome, StepResult } from './events.js';

/**
 * The longest dependency chain by actual durations: what bounds the makespan however much
 * parallelism there is. Steps that never ran count as zero.
 */
export function criticalPath(steps: readonly Step[], results: ReadonlyMap<string, StepResult>): CriticalPath {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, { ms: number; next?: string }>();
  const chain = (id: string): { ms: number; next?: string } => {
    const known = memo.get(id);
    if (known) return known;
    const step = byId.get(id);
    let best: { ms: number; next?: string } = { ms: 0 };
    for (const dep of step?.dependsOn ?? []) {
      const c = chain(dep);
      if (c.ms > best.ms || best.next === undefined) best = { ms: c.ms, next: dep };
    }
    const own = results.get(id)?.durationMs ?? 0;
    const value = { ms: own + best.ms, next: best.next };
    memo.set(id, value);
    return value;
  };
  let end: string | undefined;
  let endMs = -1;
  for (const step of steps) {
    const c = chain(step.id);
    if (c.ms > endMs) {
      endMs = c.ms;
      end = step.id;
    }
  }
  const ids: string[] = [];
  for (let id = end; id !== undefined; id = memo.get(id)?.next) ids.push(id);
  return { steps: ids.reverse(), ms: Math.max(0, endMs) };
}

/** Step ids in an order where every step follows its dependencies; throws on a cycle or unknown id. */
export function topologicalOrder(steps: readonly Step[]): { order: string[] } | { cycle: string[] } | { unknown: { step: string; dependsOn: string } } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    for (const d of s.dependsOn) if (!byId.has(d)) return { unknown: { step: s.id, dependsOn: d } };
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const st = state.get(id);
    if (st === 'done') return undefined;
    if (st === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of byId.get(id)!.dependsOn) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    order.push(id);
    return undefined;
  };
  for (const s of steps) {
    const cycle = visit(s.id);
    if (cycle) return { cycle };
  }
  return { order };
}

/** The plan's longest dependency chain by the steps' `estimateS` (before anything ran). */
export function estimatedCriticalPath(steps: readonly Step[]): CriticalPath {
  const estimates = new Map<string, StepResult>(
    steps.map((s) => [s.id, { id: s.id, title: s.title, address: s.address, host: s.host, outcome: 'done', durationMs: (s.estimateS ?? 0) * 1000, attempts: 0 }]),
  );
  return criticalPath(steps, estimates);
}

/** The run's result: outcomes in plan order, counts, root causes and the timing figures. */
export function buildResult(options: { steps: readonly Step[]; results: ReadonlyMap<string, StepResult>; interrupted: boolean; startedAt: number; endedAt: number; retries: number }): ExecuteResult {
  const ordered = options.steps.map((s) => options.results.get(s.id)!);
  const counts: Record<StepOutcome, number> = { done: 0, 'skipped-done': 0, failed: 0, 'skipped-dependency': 0, cancelled: 0 };
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
