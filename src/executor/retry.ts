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

export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/**
 * Runs `attempt` again after a backoff when it fails with a retryable ProviderError; anything
 * else fails at once. A loop on the injected Clock rather than p-retry, whose real timers
 * would stall virtual time.
 */
export async function withRetry<T>(options: {
  clock: Clock;
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  attempt: (attemptNumber: number) => Promise<T>;
  onRetry?: (info: { attempt: number; delayMs: number; error: ProviderError }) => void;
}): Promise<{ value: T; attempts: number }> {
  const policy = { ...DEFAULT_RETRY, ...options.policy };
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await options.attempt(attempt), attempts: attempt };
    } catch (error) {
      if (!isRetryable(error) || attempt > policy.retries || options.signal?.aborted) {
        if (error instanceof Error) (error as Error & { attempts?: number }).attempts = attempt;
        throw error;
      }
      const delayMs = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** (attempt - 1));
      options.onRetry?.({ attempt, delayMs, error: error as ProviderError });
      await options.clock.sleep(delayMs, options.signal);
    }
  }
}
