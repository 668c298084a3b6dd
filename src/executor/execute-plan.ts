import { setMaxListeners } from 'node:events';
import type { OwnershipPolicy } from '../ownership/guard.js';
import type { Clock } from '../clock/clock.js';
import { InternalError, InterruptedError, ProviderError } from '../errors.js';
import type { Step, StepGraph } from '../plan/plan.js';
import type { Provider } from '../providers/provider.js';
import type { CredentialResolver } from '../secrets/secret.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { EventListener, ExecuteResult, ExecutorEvent, StepOutcome, StepResult } from './events.js';
import type { Journal } from './journal.js';
import { runStep } from './run-step.js';
import type { RetryPolicy } from './retry.js';
import type { WaitPolling } from './waits.js';
import { buildResult, topologicalOrder } from './figures.js';
import { runScheduled } from './slot-scheduler.js';
import { remainingChain } from '../plan/remaining-chain.js';
import { scrubSecrets } from '../secrets/scrub.js';

export interface ExecutePlanOptions {
  plan: StepGraph;
  provider: Provider;
  credentials: CredentialResolver;
  clock: Clock;
  logger?: Logger;
  /** Most steps running at once, lab-wide. */
  parallelism: number;
  /** Most steps running at once against one host. */
  perHostParallelism: number;
  /**
   * Waits take slots like any other step (default false: they only poll). With parallelism 1 this
   * is a one-step-at-a-time schedule, what a sequential build script does: the benchmark's baseline.
   */
  waitsTakeSlots?: boolean;
  /** First Ctrl-C: no new step starts, waits stop, running host and guest calls finish. */
  signal?: AbortSignal;
  /** Second Ctrl-C: running calls are aborted too. */
  hardSignal?: AbortSignal;
  journal?: Journal;
  onEvent?: EventListener;
  retry?: Partial<RetryPolicy>;
  polling?: Partial<WaitPolling>;
  /** Timeouts of the heartbeat / PowerShell Direct waits after a guest reboot (default 10m each). */
  rebootWaits?: { heartbeat: number; powershellDirect: number };
  /** What the lab owns: destructive steps on anything else fail, checked as each runs (src/ownership/guard.ts). */
  ownership?: OwnershipPolicy;
}

/**
 * Walks the steps as soon as their dependencies finish, within the lab-wide and per-host
 * limits. A failed step skips its dependents; independent branches go on. Never throws for a
 * step failure: the result says what happened (the caller decides the exit code).
 */
export async function executePlan(options: ExecutePlanOptions): Promise<ExecuteResult> {
  const { plan, clock } = options;
  const logger = options.logger ?? silentLogger;
  const steps = plan.steps;
  const sorted = topologicalOrder(steps);
  if ('cycle' in sorted)
    throw new InternalError(`the plan's steps form a cycle: ${sorted.cycle.join(' -> ')}`);
  if ('unknown' in sorted)
    throw new InternalError(
      `step ${sorted.unknown.step} depends on unknown step ${sorted.unknown.dependsOn}`,
    );
  const secrets = options.credentials.secretValues();
  const scrub = (text: string) => scrubSecrets(text, secrets);

  const soft = new AbortController();
  const hard = new AbortController();
  // Every running step listens on these two signals: more than the default ten is expected.
  setMaxListeners(0, soft.signal, hard.signal);
  const emit = (event: ExecutorEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      // A renderer bug must not break the run.
      logger.error({ err: { message: (error as Error).message } }, 'event listener failed');
    }
  };
  const onSoft = () => {
    if (soft.signal.aborted) return;
    soft.abort(new InterruptedError('interrupted: no new steps are started'));
    logger.warn('interrupted: no new steps are started');
    emit({ type: 'interrupt', at: clock.now(), hard: false });
  };
  const onHard = () => {
    onSoft();
    if (hard.signal.aborted) return;
    hard.abort(new InterruptedError('interrupted: running steps are aborted'));
    logger.warn('interrupted again: running steps are aborted');
    emit({ type: 'interrupt', at: clock.now(), hard: true });
  };
  if (options.signal?.aborted) onSoft();
  else options.signal?.addEventListener('abort', onSoft, { once: true });
  if (options.hardSignal?.aborted) onHard();
  else options.hardSignal?.addEventListener('abort', onHard, { once: true });

  const results = new Map<string, StepResult>();
  let retries = 0;
  const startedAt = clock.now();
  await options.journal?.append({ event: 'run-start', total: steps.length, at: startedAt });
  emit({ type: 'run-start', at: startedAt, total: steps.length, steps });

  const base = (step: Step): Pick<StepResult, 'id' | 'title' | 'address' | 'host'> => ({
    id: step.id,
    title: step.title,
    address: step.address,
    host: step.host,
  });
  const finish = async (step: Step, result: StepResult): Promise<StepResult> => {
    results.set(step.id, result);
    if (result.startedAt !== undefined) {
      await options.journal?.append({
        event: 'step-end',
        id: step.id,
        outcome: result.outcome,
        durationMs: result.durationMs,
        attempts: result.attempts,
        error: result.error?.message,
        at: result.endedAt ?? clock.now(),
      });
    }
    const log = result.outcome === 'failed' ? logger.error.bind(logger) : logger.info.bind(logger);
    log(
      {
        step: step.id,
        host: step.host,
        outcome: result.outcome,
        durationMs: result.durationMs,
        attempts: result.attempts,
        error: result.error,
        blockedBy: result.blockedBy,
      },
      `step ${result.outcome}: ${step.title}`,
    );
    emit({ type: 'step-end', at: clock.now(), step, result });
    return result;
  };

  const execute = async (step: Step): Promise<StepResult> => {
    // Queued behind the limits when Ctrl-C came: it never starts.
    if (soft.signal.aborted)
      return finish(step, { ...base(step), outcome: 'cancelled', durationMs: 0, attempts: 0 });
    const start = clock.now();
    await options.journal?.append({
      event: 'step-start',
      id: step.id,
      address: step.address,
      host: step.host,
      title: step.title,
      at: start,
      kind: step.type,
      dependsOn: [...step.dependsOn],
    });
    logger.info({ step: step.id, host: step.host, type: step.type }, `step started: ${step.title}`);
    emit({ type: 'step-start', at: start, step });
    try {
      const run = await runStep(step, {
        provider: options.provider,
        clock,
        credentials: options.credentials,
        logger: logger.child({ step: step.id }),
        softSignal: soft.signal,
        hardSignal: hard.signal,
        retry: options.retry,
        polling: options.polling,
        rebootWaits: options.rebootWaits ?? { heartbeat: 600_000, powershellDirect: 600_000 },
        ownership: options.ownership,
        emit: (event) => {
          if (event.type === 'step-retry') retries++;
          emit(event);
        },
      });
      const end = clock.now();
      return finish(step, {
        ...base(step),
        outcome: run.outcome,
        startedAt: start,
        endedAt: end,
        durationMs: end - start,
        attempts: run.attempts,
        detail: run.detail ? scrub(run.detail) : undefined,
      });
    } catch (error) {
      const end = clock.now();
      const attempts = (error as { attempts?: number }).attempts ?? 1;
      const interrupted =
        error instanceof InterruptedError ||
        hard.signal.aborted ||
        (soft.signal.aborted && step.type === 'wait');
      const err = error instanceof Error ? error : new Error(String(error));
      return finish(step, {
        ...base(step),
        outcome: interrupted ? 'cancelled' : 'failed',
        startedAt: start,
        endedAt: end,
        durationMs: end - start,
        attempts,
        error: {
          name: err.name,
          message: scrub(err.message),
          retryable: err instanceof ProviderError ? err.retryable : undefined,
        },
      });
    }
  };

  const skip = (step: Step, unsuccessful: StepResult[]): Promise<StepResult> => {
    const causes = new Set<string>();
    for (const r of unsuccessful) {
      if (r.outcome === 'failed') causes.add(r.id);
      for (const c of r.blockedBy ?? []) causes.add(c);
    }
    // Only a failure upstream makes this a skip; a cancelled dependency makes it cancelled.
    const outcome: StepOutcome = causes.size > 0 ? 'skipped-dependency' : 'cancelled';
    return finish(step, {
      ...base(step),
      outcome,
      durationMs: 0,
      attempts: 0,
      blockedBy: causes.size > 0 ? [...causes] : undefined,
    });
  };

  try {
    // A wait only polls: it holds no slot (unless waitsTakeSlots), or waiting VMs would starve
    // the host's real work.
    await runScheduled({
      steps,
      parallelism: options.parallelism,
      perHostParallelism: options.perHostParallelism,
      waitsTakeSlots: Boolean(options.waitsTakeSlots),
      priority: remainingChain(steps),
      run: execute,
      skip,
    });
  } finally {
    options.signal?.removeEventListener('abort', onSoft);
    options.hardSignal?.removeEventListener('abort', onHard);
  }

  const result = buildResult({
    steps,
    results,
    interrupted: soft.signal.aborted,
    startedAt,
    endedAt: clock.now(),
    retries,
  });
  const { counts, endedAt } = result;
  const skipped = result.steps.filter((r) => r.outcome === 'skipped-dependency').map((r) => r.id);
  await options.journal?.append({
    event: 'run-end',
    counts,
    interrupted: result.interrupted,
    at: endedAt,
    criticalPath: result.criticalPath.steps,
    ...(skipped.length > 0 ? { skipped } : {}),
  });
  logger.info(
    {
      counts,
      makespanMs: result.makespanMs,
      criticalPathMs: result.criticalPath.ms,
      sequentialMs: result.sequentialMs,
      retries,
    },
    'run finished',
  );
  emit({ type: 'run-end', at: endedAt, result });
  return result;
}
