import type { Clock } from '../clock/clock.js';
import type { Lab } from '../manifest/lab.js';
import type { Logger } from '../log/logger.js';

/** Fault injection for tests and soak runs (simulator only). */
export interface FaultOptions {
  /** Probability (0..1) that a provider operation fails transiently (retryable). */
  transientRate?: number;
  /** Seed for the transient fault generator. */
  seed?: number;
  /** Permanent failures: `<operation>:<resource>`, e.g. `createVm:dc01`, `runGuest:createForest:dc01`. */
  permanent?: string[];
}

export interface ProviderOptions {
  lab: Lab;
  /** The simulator instead of the hosts' connections. */
  sim: boolean;
  /** State directory (simulated hosts live here). */
  stateDir: string;
  clock: Clock;
  logger: Logger;
  faults?: FaultOptions;
}
