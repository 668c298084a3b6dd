/**
 * The cross-process lock over a simulator state directory: proper-lockfile (mkdir lock, mtime
 * refreshed, stale after 5 s) plus an owner file naming the holder's pid, so that a holder
 * killed with SIGKILL is taken over at once instead of after 5 s (which a fast `--sim-speed`
 * turns into hours of simulated time).
 */
import fs from 'node:fs';
import os from 'node:os';
import lockfile from 'proper-lockfile';

const STALE_MS = 5000;
const ATTEMPTS = 2000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the owner file when it names a process of this machine that no longer exists. */
function deadOwner(ownerFile: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(ownerFile, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, host] = text.split(' ');
  if (host !== os.hostname() || !pid || !/^\d+$/.test(pid) || alive(Number(pid))) return undefined;
  return text;
}

const options = (retries: number) => ({
  stale: STALE_MS,
  realpath: false,
  retries,
  // A compromised lock (clock jump, lost mtime updates) must not crash the process.
  onCompromised: () => undefined,
});

/**
 * Break the lock of a dead holder. Breakers serialise on a second lock and re-check the owner
 * under it, so two waiters never both break (the second sees the new holder, or no owner yet).
 */
async function breakDeadLock(target: string, ownerFile: string, seen: string): Promise<void> {
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(`${target}.break`, options(0));
  } catch {
    return;
  }
  try {
    if (deadOwner(ownerFile) !== seen) return;
    fs.rmSync(ownerFile, { force: true });
    fs.rmSync(`${target}.lock`, { recursive: true, force: true });
  } finally {
    await release().catch(() => undefined);
  }
}

/** Acquire the lock on `target` (a folder); resolves to its release. */
export async function acquireSimLock(target: string): Promise<() => Promise<void>> {
  const ownerFile = `${target}.lock-owner`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      const release = await lockfile.lock(target, options(0));
      // Renamed into place: a reader sees no owner or a whole one, never a half-written pid.
      fs.writeFileSync(`${ownerFile}.${process.pid}`, `${process.pid} ${os.hostname()}`);
      fs.renameSync(`${ownerFile}.${process.pid}`, ownerFile);
      return async () => {
        // Owner file first: a lock without owner falls back to proper-lockfile's stale check.
        fs.rmSync(ownerFile, { force: true });
        await release().catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const dead = deadOwner(ownerFile);
      // A breaker killed mid-break leaves its own lock behind until it goes stale: never spin through the attempts.
      if (dead !== undefined) await breakDeadLock(target, ownerFile, dead);
      await sleep(Math.min(50, 2 + attempt));
    }
  }
  throw new Error(`the simulator state in ${target} stayed locked by another labform process`);
}
