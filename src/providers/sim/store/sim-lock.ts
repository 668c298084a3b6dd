/**
 * The cross-process lock over a simulator state folder: labform's one lock
 * (src/lock/owned-lock.ts), stale after 5 s, taken over at once from a holder that no longer
 * runs (a fast `--sim-speed` turns 5 s of waiting into hours of simulated time).
 */
import { acquireOwnedLock } from '../../../lock/owned-lock.js';

const STALE_MS = 5000;
/** Transactions are short; a live holder that keeps the folder this long is stuck. */
const WAIT_MS = 100_000;

/** Acquire the lock on `target` (a folder); resolves to its release. */
export async function acquireSimLock(target: string): Promise<() => Promise<void>> {
  try {
    const lock = await acquireOwnedLock({
      lockDir: `${target}.lock`,
      ownerFile: `${target}.lock-owner`,
      command: 'simulator',
      staleMs: STALE_MS,
      waitMs: WAIT_MS,
    });
    return lock.release;
  } catch (error) {
    if ((error as Error).name === 'LockBusyError')
      throw new Error(`the simulator state in ${target} stayed ${(error as Error).message}`);
    throw error;
  }
}
