import pRetry from 'p-retry';
import type { Clock } from '../clock/clock.js';
import { ProviderError } from '../errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). */
  retries: number;
  /** First backoff in clock ms (default 2000). */
  minDelayMs: number;
  /** Backoff cap in clock ms (default 30000). */
  maxDelayMs: number;
  factor: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, minDelayMs: 2000, maxDelayMs: 30_000, factor: 2 };

/** Only a ProviderError the provider marked retryable is tried again; anything else fails at once. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** The backoff before retry number `retry` (1-based): exponential from minDelayMs, capped. */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (retry - 1));
}

/**
 * Runs `attempt` again after a backoff when it fails with a retryable ProviderError; anything
 * else fails at once. p-retry counts the attempts and decides when to stop; the backoff is a
 * sleep on the injected clock in `onFailedAttempt` (which p-retry awaits), with p-retry's own
 * delays zero, so virtual time stays exact. p-retry still starts the next attempt from a real
 * 0 ms timer, so the clock is held from the end of the backoff until that attempt begins.
 * The signal is not given to p-retry: an abort stops the backoff (the clock's sleep) and further
 * retries, while a call in flight ends through its own signal, as before.
 */
export async function withRetry<T>(options: {
  clock: Clock;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  attempt: (attemptNumber: number) => Promise<T>;
  onRetry?: (info: { attempt: number; delayMs: number; error: ProviderError }) => void;
}): Promise<{ value: T; attempts: number }> {
  const policy = { ...DEFAULT_RETRY, ...options.policy };
  let attempts = 0;
  let release: (() => void) | undefined;
  const retryable = (error: unknown) => isRetryable(error) && !options.signal?.aborted;
  try {
    const value = await pRetry(
      (attemptNumber) => {
        release?.();
        release = undefined;
        attempts = attemptNumber;
        return options.attempt(attemptNumber);
      },
      {
        retries: policy.retries,
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        shouldRetry: retryable,
        // p-retry calls this after every failure, also when it will not retry: back off only before a retry.
        onFailedAttempt: async (error) => {
          if (!retryable(error) || error.retriesLeft === 0) return;
          const delayMs = retryDelay(policy, error.attemptNumber);
          options.onRetry?.({
            attempt: error.attemptNumber,
            delayMs,
            error: error as unknown as ProviderError,
          });
          await options.clock.sleep(delayMs, options.signal);
          release = options.clock.hold();
        },
      },
    );
    return { value, attempts };
  } catch (error) {
    if (error instanceof Error) (error as Error & { attempts?: number }).attempts = Math.max(attempts, 1);
    throw error;
  } finally {
    release?.();
  }
}
