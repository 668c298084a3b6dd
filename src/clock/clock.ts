/** Time, injectable: the CLI runs on real (or scaled) time, tests on virtual time. */
export interface Clock {
  /** Milliseconds. Virtual clocks start at 0. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Declares work outside the clock's sight that is about to continue (a library's own 0 ms
   * timer, as p-retry's between attempts): virtual time does not move until the returned release
   * is called. Real time moves anyway; its release does nothing.
   */
  hold(): () => void;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** Wall-clock time, optionally sped up by `speed` (the simulator's `--sim-speed`). */
export class RealClock implements Clock {
  readonly #speed: number;
  readonly #origin = Date.now();
  constructor(options: { speed?: number } = {}) {
    this.#speed = options.speed ?? 1;
  }
  now(): number {
    // Scaled time keeps the real epoch as its origin so different processes agree.
    return this.#origin + (Date.now() - this.#origin) * this.#speed;
  }
  hold(): () => void {
    return () => {};
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const realMs = Math.max(0, ms / this.#speed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, realMs);
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
