/**
 * labform's one cross-process lock, used by the lab lock (one apply/destroy/checkpoint/restore
 * per lab) and by the simulator's state folder. proper-lockfile does the locking (an atomic
 * mkdir, its mtime refreshed while held, stale when not refreshed for `staleMs`); next to it an
 * owner file names the holder, so that
 * - a second command can say who holds the lock, and
 * - the lock of a holder that is no longer running on this machine (killed, crashed, or a zombie
 *   its parent has not reaped yet: see process-running.ts) is taken over at once instead of after
 *   `staleMs`.
 */
import fs from 'node:fs';
import os from 'node:os';
import lockfile from 'proper-lockfile';
import { processRunning } from './process-running.js';

/** The break lock of a breaker killed mid-break goes stale after this. */
const BREAK_STALE_MS = 5000;

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface OwnedLockOptions {
  /** The lock folder (created by proper-lockfile with mkdir). */
  lockDir: string;
  /** The owner record beside it. */
  ownerFile: string;
  /** What the holder does, for the message another command prints ("apply", "simulator"). */
  command: string;
  /** A lock whose folder was not refreshed for this long is stale (a holder on another machine died). */
  staleMs: number;
  /** How long to wait for a running holder; 0: fail at once with LockBusyError. */
  waitMs: number;
  /** Called when the lock was lost while held (clock jump, mtime updates missed). */
  onCompromised?: (error: Error) => void;
}

export interface OwnedLock {
  holder: LockHolder;
  release(): Promise<void>;
}

/** The lock is held by a running process (or one of another machine). */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';
  constructor(readonly holder: LockHolder | undefined) {
    super(holder ? `locked by ${describeHolder(holder)}` : 'locked by another labform process');
  }
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another labform process';
  return `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
}

function readOwnerText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function parseHolder(text: string | undefined): LockHolder | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string')
      return {
        pid: value.pid,
        host: value.host,
        command: String(value.command ?? 'labform'),
        since: String(value.since ?? '?'),
      };
  } catch {
    return undefined;
  }
  return undefined;
}

/** The owner text when it names a process of this machine that is no longer running. */
function deadOwnerText(ownerFile: string): string | undefined {
  const text = readOwnerText(ownerFile);
  const holder = parseHolder(text);
  if (!holder || holder.host !== os.hostname() || processRunning(holder.pid)) return undefined;
  return text;
}

function lockOptions(o: { lockDir: string; staleMs: number; onCompromised?: (error: Error) => void }) {
  return {
    realpath: false,
    lockfilePath: o.lockDir,
    retries: 0,
    stale: o.staleMs,
    update: Math.max(1000, Math.floor(o.staleMs / 3)),
    // A compromised lock must not crash the process (proper-lockfile throws by default).
    onCompromised: o.onCompromised ?? (() => undefined),
  };
}

/**
 * Break the lock of a dead holder. Breakers serialise on a second lock and re-check the owner
 * under it, so two waiters never both break (the second sees the new holder, or no owner yet).
 */
async function breakDeadLock(o: OwnedLockOptions, seen: string): Promise<void> {
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(
      o.lockDir,
      lockOptions({ lockDir: `${o.lockDir}.break`, staleMs: BREAK_STALE_MS }),
    );
  } catch {
    return;
  }
  try {
    if (deadOwnerText(o.ownerFile) !== seen) return;
    // Owner first: a breaker killed between the two leaves a lock without owner, which goes stale.
    fs.rmSync(o.ownerFile, { force: true });
    fs.rmSync(o.lockDir, { recursive: true, force: true });
  } finally {
    await release().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Take the lock; file-system errors (read-only, not a folder) are thrown as they are. */
export async function acquireOwnedLock(o: OwnedLockOptions): Promise<OwnedLock> {
  const deadline = Date.now() + o.waitMs;
  for (let attempt = 0; ; attempt++) {
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(o.lockDir, lockOptions(o));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const dead = deadOwnerText(o.ownerFile);
      if (dead !== undefined) {
        await breakDeadLock(o, dead);
        // Broken (or someone else broke it): try again at once.
        if (!fs.existsSync(o.lockDir)) continue;
      }
      // A dead holder never makes us give up: at worst a breaker killed mid-break holds the break lock until it goes stale.
      const limit = dead !== undefined ? deadline + BREAK_STALE_MS * 2 : deadline;
      if (Date.now() >= limit) throw new LockBusyError(parseHolder(readOwnerText(o.ownerFile)));
      await sleep(Math.min(50, 2 + attempt));
      continue;
    }
    const holder: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      command: o.command,
      since: new Date().toISOString(),
    };
    // Renamed into place: a reader sees no owner or a whole one, never half a record.
    const temp = `${o.ownerFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, `${JSON.stringify(holder)}\n`);
      fs.renameSync(temp, o.ownerFile);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      await release().catch(() => undefined);
      throw error;
    }
    return {
      holder,
      async release() {
        // Owner first: a lock without owner falls back to proper-lockfile's stale check.
        fs.rmSync(o.ownerFile, { force: true });
        await release().catch(() => undefined);
      },
    };
  }
}
