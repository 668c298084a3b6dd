import type { Step } from '../plan/plan.js';
import type { StepOutcome, StepResult } from './events.js';

export interface SlotSchedulerOptions {
  steps: readonly Step[];
  /** Most steps running at once, lab-wide. */
  parallelism: number;
  /** Most steps running at once against one host. */
  perHostParallelism: number;
  /** Waits take slots like any other step (otherwise they start as soon as they are ready). */
  waitsTakeSlots: boolean;
  /** Each step's rank: higher goes first when steps compete for slots (its remaining chain). */
  priority: ReadonlyMap<string, number>;
  /** Runs a step whose dependencies all succeeded; resolves once its result is recorded. */
  run: (step: Step) => Promise<StepResult>;
  /** A step with dependencies that did not succeed (given): resolves once its (skip) result is recorded. */
  skip: (step: Step, unsuccessful: StepResult[]) => Promise<StepResult>;
}

const OK: ReadonlySet<StepOutcome> = new Set(['done', 'skipped-done']);

/**
 * Critical-path list scheduling within the lab-wide and per-host limits. A step becomes ready
 * when its last dependency's result is recorded; a free slot goes to the ready step with the
 * highest rank (ties: plan order). A finishing step releases its dependents BEFORE its slot is
 * handed on, so a slot never goes to a lesser step only because the better one was not queued
 * yet (what a queue that starts work the moment it is added does). Resolves when every step has
 * a result; rejects if recording one fails (the journal could not be written).
 */
export function runScheduled(options: SlotSchedulerOptions): Promise<Map<string, StepResult>> {
  const { steps, priority } = options;
  const index = new Map(steps.map((s, i) => [s.id, i]));
  const dependents = new Map<string, Step[]>();
  const pending = new Map<string, number>();
  for (const step of steps) {
    pending.set(step.id, step.dependsOn.length);
    for (const d of step.dependsOn) {
      const list = dependents.get(d);
      if (list) list.push(step);
      else dependents.set(d, [step]);
    }
  }
  const results = new Map<string, StepResult>();
  const rank = (s: Step) => priority.get(s.id) ?? 0;
  /** a before b: higher rank, then plan order. */
  const before = (a: Step, b: Step) =>
    rank(a) > rank(b) || (rank(a) === rank(b) && index.get(a.id)! < index.get(b.id)!);
  const readyByHost = new Map<string, Step[]>();
  const runningByHost = new Map<string, number>();
  let running = 0;
  const globalLimit = Math.max(1, options.parallelism);
  const hostLimit = Math.max(1, options.perHostParallelism);

  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      reject(error);
    };
    const settled = () => {
      if (!failed && results.size === steps.length) resolve(results);
    };

    /** Records a result, makes the dependents that now have all theirs ready, then fills free slots. */
    const recorded = (result: StepResult, heldSlot: boolean, host: string) => {
      results.set(result.id, result);
      if (heldSlot) {
        running--;
        runningByHost.set(host, runningByHost.get(host)! - 1);
      }
      for (const next of dependents.get(result.id) ?? []) {
        const left = pending.get(next.id)! - 1;
        pending.set(next.id, left);
        if (left === 0) becomeReady(next);
      }
      dispatch();
      settled();
    };

    const becomeReady = (step: Step) => {
      const unsuccessful = step.dependsOn.map((d) => results.get(d)!).filter((r) => !OK.has(r.outcome));
      if (unsuccessful.length > 0) {
        options.skip(step, unsuccessful).then((r) => recorded(r, false, step.host), fail);
        return;
      }
      if (step.type === 'wait' && !options.waitsTakeSlots) {
        options.run(step).then((r) => recorded(r, false, step.host), fail);
        return;
      }
      let queue = readyByHost.get(step.host);
      if (!queue) readyByHost.set(step.host, (queue = []));
      // Sorted, best first: insert after every step that goes before this one.
      let lo = 0;
      let hi = queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(queue[mid]!, step)) lo = mid + 1;
        else hi = mid;
      }
      queue.splice(lo, 0, step);
    };

    const dispatch = () => {
      while (running < globalLimit) {
        // The best ready step among hosts with a free slot.
        let best: Step | undefined;
        for (const [host, queue] of readyByHost) {
          if (queue.length === 0 || (runningByHost.get(host) ?? 0) >= hostLimit) continue;
          if (!best || before(queue[0]!, best)) best = queue[0];
        }
        if (!best) return;
        readyByHost.get(best.host)!.shift();
        running++;
        runningByHost.set(best.host, (runningByHost.get(best.host) ?? 0) + 1);
        const step = best;
        options.run(step).then((r) => recorded(r, true, step.host), fail);
      }
    };

    for (const step of steps) if (step.dependsOn.length === 0) becomeReady(step);
    dispatch();
    settled();
  });
}
