import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { withRetry } from '../../src/executor/retry.js';
import { fatal, transient } from '../support/fake-provider.js';

/** An attempt that fails with each error in turn, then answers `done`; records when each began. */
function scripted(clock: VirtualClock, errors: Error[]) {
  const starts: number[] = [];
  return {
    starts,
    attempt: async () => {
      starts.push(clock.now());
      const error = errors.shift();
      if (error) throw error;
      return 'done';
    },
  };
}

describe('withRetry (p-retry on the injected clock)', () => {
  it('retries a retryable failure after 2 s, then 4 s, of clock time', async () => {
    const clock = new VirtualClock();
    const { starts, attempt } = scripted(clock, [transient(), transient()]);
    const delays: number[] = [];
    const result = await withRetry({ clock, attempt, onRetry: (r) => delays.push(r.delayMs) });
    expect(result).toEqual({ value: 'done', attempts: 3 });
    expect(delays).toEqual([2000, 4000]);
    expect(starts).toEqual([0, 2000, 6000]);
  });

  it('fails at once on what is not retryable, without a backoff', async () => {
    const clock = new VirtualClock();
    const { starts, attempt } = scripted(clock, [fatal('access denied')]);
    const retried: number[] = [];
    const error = await withRetry({ clock, attempt, onRetry: (r) => retried.push(r.attempt) }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ message: 'access denied', attempts: 1 });
    expect(retried).toEqual([]);
    expect(starts).toEqual([0]);
    // A bug (not a provider error) is not retried either.
    const bug = await withRetry({
      clock,
      attempt: async () => {
        throw new TypeError('x is undefined');
      },
    }).catch((e) => e);
    expect(bug).toMatchObject({ message: 'x is undefined', attempts: 1 });
  });

  it('gives up after the policy retries with the last error and the number of attempts', async () => {
    const clock = new VirtualClock();
    const { starts, attempt } = scripted(clock, [transient('t1'), transient('t2'), transient('t3')]);
    const error = await withRetry({
      clock,
      attempt,
      policy: { retries: 2, minDelayMs: 1000, maxDelayMs: 1500 },
    }).catch((e) => e);
    expect(error).toMatchObject({ message: 't3', attempts: 3 });
    expect(starts).toEqual([0, 1000, 2500]);
  });

  it('keeps virtual time still between the backoff and the next attempt (a step timeout does not jump ahead)', async () => {
    const clock = new VirtualClock();
    const { starts, attempt } = scripted(clock, [transient(), transient()]);
    // The step's timeout, 10 s of clock time: the retries are done at 6 s and must win.
    const timeout = clock.sleep(10_000).then(() => 'timeout' as const);
    const retried = withRetry({ clock, attempt }).then(() => 'retried' as const);
    expect(await Promise.race([retried, timeout])).toBe('retried');
    expect(starts).toEqual([0, 2000, 6000]);
  });

  it('stops backing off when aborted, with the abort reason', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const { starts, attempt } = scripted(clock, [transient(), transient()]);
    void clock.sleep(1000).then(() => controller.abort(new Error('interrupted')));
    const error = await withRetry({ clock, attempt, signal: controller.signal }).catch((e) => e);
    expect(error).toMatchObject({ message: 'interrupted' });
    expect(starts).toEqual([0]);
  });
});
