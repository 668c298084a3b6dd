import type { FaultOptions } from '../provider-options.js';
import { injectedPermanent, transient, type ErrorSite } from './sim-errors.js';

/** Counts of injected faults, for tests and soak reports. */
export interface FaultCounts {
  transient: number;
  permanent: number;
  heartbeat: number;
  adReady: number;
}

/** mulberry32: a tiny seeded generator, so a seed replays the same faults. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fault injection. Transient faults hit mutating calls (`run`, `runGuest`) before anything
 * changes, with probability `transientRate` from a generator seeded by `seed` (default 1).
 * Permanent faults are keys `<operation>:<resource>` (`createVm:dc01`,
 * `createVhd:D:\Labs\x\dc01.vhdx`, `runGuest:createForest:dc01`) plus two wait faults:
 * `heartbeat:<vm>` (the heartbeat never turns OK) and `adReady:<vm>` (AD never answers), and
 * `probe:<vm>` (the guest answers no plan-time probe in time: a slow or hung guest).
 */
export class FaultInjector {
  readonly counts: FaultCounts = { transient: 0, permanent: 0, heartbeat: 0, adReady: 0 };
  readonly #rate: number;
  readonly #random: () => number;
  readonly #permanent: Set<string>;

  constructor(options: FaultOptions = {}) {
    this.#rate = Math.min(1, Math.max(0, options.transientRate ?? 0));
    this.#random = seeded(options.seed ?? 1);
    this.#permanent = new Set((options.permanent ?? []).map((k) => k.toLowerCase()));
  }

  /** Throws the injected fault for this call, if any. */
  check(site: ErrorSite, keys: string[]): void {
    for (const key of keys) {
      if (this.#permanent.has(key.toLowerCase())) {
        this.counts.permanent += 1;
        throw injectedPermanent(site, key);
      }
    }
    if (this.#rate > 0 && this.#random() < this.#rate) {
      this.counts.transient += 1;
      throw transient(site, keys[0] ?? 'operation');
    }
  }

  heartbeatBlocked(vm: string): boolean {
    const hit = this.#permanent.has(`heartbeat:${vm}`.toLowerCase());
    if (hit) this.counts.heartbeat += 1;
    return hit;
  }

  adBlocked(vm: string): boolean {
    const hit = this.#permanent.has(`adready:${vm}`.toLowerCase());
    if (hit) this.counts.adReady += 1;
    return hit;
  }

  /** The guest answers no plan-time probe in time (counted nowhere: probes change nothing). */
  probeSilent(vm: string): boolean {
    return this.#permanent.has(`probe:${vm}`.toLowerCase());
  }

  /** Silent check for internal use (cross-VM readiness), not counted. */
  isAdBlocked(vm: string): boolean {
    return this.#permanent.has(`adready:${vm}`.toLowerCase());
  }
}
