import type { Clock } from './clock.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  reject: (error: Error) => void;
  cancelled: boolean;
}

/**
 * Discrete-event time for tests and benchmarks: `sleep` never waits for real. When every
 * task is asleep (no new timer for a few event-loop turns, and nothing holds the clock), time
 * jumps to the earliest timer. Simulated work must go through `sleep` to take time; I/O takes
 * none (use in-memory stores where exact virtual timings matter). Work that continues from a
 * real timer the clock cannot see (p-retry's 0 ms timer between attempts) holds the clock
 * (`hold`) until it runs, or the clock would take it for idle and jump past it.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  #advancing = false;
  #holds = 0;
  #released: (() => void) | undefined;
  readonly #settleTurns: number;

  constructor(options: { start?: number; settleTurns?: number } = {}) {
    this.#now = options.start ?? 0;
    this.#settleTurns = options.settleTurns ?? 5;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        timer.cancelled = true;
        reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      };
      // The listener goes when the sleep ends, so long waits do not pile listeners on one signal.
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: done,
        reject,
        cancelled: false,
      };
      this.#timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#scheduleAdvance();
    });
  }

  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds === 0) this.#released?.();
    };
  }

  /** Number of pending sleeps (for tests). */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  #scheduleAdvance(): void {
    if (this.#advancing) return;
    this.#advancing = true;
    void this.#advance();
  }

  async #advance(): Promise<void> {
    try {
      for (;;) {
        // Let every runnable task reach its next sleep before time moves on.
        let seen = this.#seq;
        for (let turn = 0; turn < this.#settleTurns; turn++) {
          await new Promise<void>((r) => setImmediate(r));
          if (this.#seq !== seen) {
            seen = this.#seq;
            turn = -1;
          }
          if (turn === this.#settleTurns - 1 && this.#holds > 0) {
            // Held: wait for the release, then settle again before time moves.
            await new Promise<void>((r) => (this.#released = r));
            this.#released = undefined;
            turn = -1;
          }
        }
        this.#timers = this.#timers.filter((t) => !t.cancelled);
        if (this.#timers.length === 0) return;
        this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = this.#timers[0]!;
        this.#now = Math.max(this.#now, next.at);
        const due = this.#timers.filter((t) => t.at <= this.#now);
        this.#timers = this.#timers.filter((t) => t.at > this.#now);
        for (const t of due) t.resolve();
      }
    } finally {
      this.#advancing = false;
      if (this.#timers.some((t) => !t.cancelled)) this.#scheduleAdvance();
    }
  }
}
