import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock/clock.js';
import { WaitTimeoutError } from '../errors.js';
import type { GuestStep, HostStep, Step, WaitStep } from '../plan/plan.js';
import type { CallContext, GuestTarget } from '../providers/call-context.js';
import type { Provider } from '../providers/provider.js';
import type { CredentialResolver } from '../secrets/secret.js';
import type { Logger } from '../log/logger.js';
import { withRetry, type RetryPolicy } from './retry.js';
import {
  guardedTarget,
  guardScope,
  ownershipError,
  ownershipRefusal,
  type OwnershipPolicy,
} from '../ownership/guard.js';
import { waitUntil, type WaitPolling } from './waits.js';
import { formatDuration } from './duration.js';
import type { ExecutorEvent, StepOutcome } from './events.js';

/**
 * OK polls in a row (5 s apart) after a step's own reboot: more than the OK gap between the two
 * restarts of an install that reboots twice (Hyper-V, ~20 s), or the next step lands in the second.
 */
export const REBOOT_STABLE_POLLS = 6;

export interface StepEnv {
  provider: Provider;
  clock: Clock;
  credentials: CredentialResolver;
  logger: Logger;
  /** First Ctrl-C: waits stop (they change nothing). */
  softSignal: AbortSignal;
  /** Second Ctrl-C: running provider calls are aborted too. */
  hardSignal: AbortSignal;
  retry?: Partial<RetryPolicy>;
  polling?: Partial<WaitPolling>;
  /** Timeouts of the waits that follow a reboot inside a guest step (clock ms). */
  rebootWaits: { heartbeat: number; powershellDirect: number };
  emit: (event: ExecutorEvent) => void;
  /** What the lab owns: destructive host steps on anything else are refused (src/ownership/guard.ts). */
  ownership?: OwnershipPolicy;
}

export interface StepRun {
  outcome: Extract<StepOutcome, 'done' | 'skipped-done'>;
  attempts: number;
  detail?: string;
}

/**
 * A signal aborted by any of `signals`. Each poll's sleep adds a listener to it (the virtual
 * clock keeps them until abort), so a long wait legitimately has many.
 */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const signal = AbortSignal.any(signals);
  setMaxListeners(0, signal);
  return signal;
}

/** Runs one step, bounded by its `timeoutMs` (waits enforce their own, more telling, timeout). */
export async function runStep(step: Step, env: StepEnv): Promise<StepRun> {
  if (step.type === 'wait') return runWaitStep(step, env, anySignal([env.softSignal, env.hardSignal]));
  const timerAbort = new AbortController();
  const stepAbort = new AbortController();
  const signal = anySignal([env.hardSignal, stepAbort.signal]);
  const timer = env.clock.sleep(step.timeoutMs, timerAbort.signal).then(() => {
    const error = new WaitTimeoutError(
      `gave up waiting for "${step.title}" to finish after ${formatDuration(step.timeoutMs)}`,
      step.address,
      step.title,
      'still running',
      step.timeoutMs,
    );
    stepAbort.abort(error);
    throw error;
  });
  // The timer loses the race in the ordinary case; its rejection is expected and ignored.
  timer.catch(() => undefined);
  try {
    const body = step.type === 'host' ? runHostStep(step, env, signal) : runGuestStep(step, env, signal);
    return await Promise.race([body, timer]);
  } catch (error) {
    // The provider may report the abort its own way: the timeout is the real story.
    if (stepAbort.signal.aborted && stepAbort.signal.reason instanceof WaitTimeoutError)
      throw stepAbort.signal.reason;
    throw error;
  } finally {
    timerAbort.abort();
  }
}

function callContext(step: Step, env: StepEnv, signal: AbortSignal): CallContext {
  return {
    address: step.address,
    credentials: env.credentials,
    signal,
    ...(env.ownership ? { ownership: env.ownership } : {}),
  };
}

function retrying<T>(step: Step, env: StepEnv, signal: AbortSignal, what: string, call: () => Promise<T>) {
  return withRetry({
    clock: env.clock,
    policy: env.retry,
    signal,
    attempt: async (attempt) => {
      env.logger.debug({ step: step.id, host: step.host, call: what, attempt }, 'provider call');
      return call();
    },
    onRetry: ({ attempt, delayMs, error }) => {
      env.logger.warn(
        { step: step.id, call: what, attempt, delayMs, err: { message: error.message } },
        'retrying after a transient failure',
      );
      env.emit({
        type: 'step-retry',
        at: env.clock.now(),
        step,
        attempt,
        delayMs,
        error: { name: error.name, message: error.message, retryable: true },
      });
    },
  });
}

async function runHostStep(step: HostStep, env: StepEnv, signal: AbortSignal): Promise<StepRun> {
  // The executor's own check, whatever produced the step; the provider checks again as it acts.
  if (env.ownership && guardedTarget(step.operation)) {
    const { value: facts } = await retrying(
      step,
      env,
      signal,
      `read ownership for ${step.operation.op}`,
      () => env.provider.discover(step.host, guardScope(step.operation)),
    );
    const refusal = ownershipRefusal(env.ownership, step.operation, facts);
    if (refusal) throw ownershipError(refusal, { address: step.address, host: step.host });
  }
  const { attempts } = await retrying(step, env, signal, step.operation.op, () =>
    env.provider.run(step.host, step.operation, callContext(step, env, signal)),
  );
  return { outcome: 'done', attempts };
}

async function runWaitStep(step: WaitStep, env: StepEnv, signal: AbortSignal): Promise<StepRun> {
  const detail = await waitUntil(
    {
      wait: step.wait,
      host: step.host,
      vm: step.vm,
      os: step.os,
      address: step.address,
      credential: step.credential,
      alternateCredential: step.alternateCredential,
      stablePolls: step.stablePolls,
      timeoutMs: step.timeoutMs,
    },
    {
      provider: env.provider,
      clock: env.clock,
      credentials: env.credentials,
      logger: env.logger,
      signal,
      polling: env.polling,
      onProgress: (waitingFor, lastSeen) =>
        env.emit({ type: 'step-progress', at: env.clock.now(), step, waitingFor, lastSeen }),
    },
  );
  return { outcome: 'done', attempts: 1, detail };
}

async function runGuestStep(step: GuestStep, env: StepEnv, signal: AbortSignal): Promise<StepRun> {
  const target: GuestTarget = {
    host: step.host,
    vm: step.vm,
    os: step.os,
    credential: env.credentials.get(step.credential),
  };
  const context = callContext(step, env, signal);
  if (step.probe) {
    const { value } = await retrying(step, env, signal, `probe ${step.operation.op}`, () =>
      env.provider.probeGuest(target, [step.operation], context),
    );
    if (value[0]?.done)
      return { outcome: 'skipped-done', attempts: 0, detail: value[0].detail ?? 'already done' };
  }
  const { value: result, attempts } = await retrying(step, env, signal, step.operation.op, () =>
    env.provider.runGuest(target, step.operation, context),
  );
  if (!result.rebooted) return { outcome: 'done', attempts, detail: result.detail };
  // The guest restarted: the step is done only when it answers again.
  const waitSignal = anySignal([signal, env.softSignal]);
  const waitEnv = {
    provider: env.provider,
    clock: env.clock,
    credentials: env.credentials,
    logger: env.logger,
    signal: waitSignal,
    polling: env.polling,
    onProgress: (waitingFor: string, lastSeen: string) =>
      env.emit({ type: 'step-progress', at: env.clock.now(), step, waitingFor, lastSeen }),
  };
  const base = { host: step.host, vm: step.vm, os: step.os, address: step.address };
  await waitUntil(
    { ...base, wait: 'heartbeat', stablePolls: REBOOT_STABLE_POLLS, timeoutMs: env.rebootWaits.heartbeat },
    waitEnv,
  );
  await waitUntil(
    {
      ...base,
      wait: 'powershellDirect',
      credential: step.rebootCredential ?? step.credential,
      timeoutMs: env.rebootWaits.powershellDirect,
    },
    waitEnv,
  );
  return { outcome: 'done', attempts, detail: result.detail ?? 'rebooted' };
}
