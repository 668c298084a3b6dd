import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { environmentErrorOf, LockHeldError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { acquireOwnedLock, describeHolder, LockBusyError, type LockHolder } from '../lock/owned-lock.js';

/** Who holds a lab's lock: written next to it so a second command can say so. */
export type LockOwner = LockHolder;

export interface LabLock {
  owner: LockOwner;
  release(): Promise<void>;
}

export function lockPaths(options: { stateDir: string; lab: string }) {
  const base = path.join(options.stateDir, 'locks', options.lab);
  return { base, lockDir: `${base}.lock`, ownerFile: `${base}.owner.json` };
}

/**
 * One apply/destroy/checkpoint/restore per lab at a time (src/lock/owned-lock.ts: a lock whose
 * holder no longer runs on this machine, zombies included, is taken over at once; one of another
 * machine after `staleMs`). A second command fails at once with LockHeldError (exit 4); a state
 * folder that cannot hold the lock is an EnvironmentError.
 */
export async function acquireLabLock(options: {
  stateDir: string;
  lab: string;
  command: string;
  logger?: Logger;
  staleMs?: number;
}): Promise<LabLock> {
  const logger = options.logger ?? silentLogger;
  const paths = lockPaths(options);
  const locks = path.dirname(paths.base);
  try {
    mkdirSync(locks, { recursive: true });
    const lock = await acquireOwnedLock({
      lockDir: paths.lockDir,
      ownerFile: paths.ownerFile,
      command: options.command,
      staleMs: options.staleMs ?? 30_000,
      waitMs: 0,
      onCompromised: (error) =>
        logger.error({ err: { message: error.message } }, 'the lab lock was compromised'),
    });
    return { owner: lock.holder, release: lock.release };
  } catch (error) {
    if (error instanceof LockBusyError) {
      throw new LockHeldError(
        `lab ${options.lab} is locked by ${describeHolder(error.holder)}; wait for it to finish`,
        describeHolder(error.holder),
      );
    }
    throw (
      environmentErrorOf(
        error,
        locks,
        'hold the lab lock here',
        `labform keeps its locks in ${locks}: it must be a folder labform can write; fix it or choose another --state-dir`,
      ) ?? error
    );
  }
}
