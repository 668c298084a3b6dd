import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { LockHeldError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';

/** Who holds a lab's lock: written next to it so a second command can say so. */
export interface LockOwner {
  pid: number;
  command: string;
  host: string;
  since: string;
}

export interface LabLock {
  owner: LockOwner;
  release(): Promise<void>;
}

export function lockPaths(options: { stateDir: string; lab: string }) {
  const base = path.join(options.stateDir, 'locks', options.lab);
  return { base, lockDir: `${base}.lock`, ownerFile: `${base}.owner.json` };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'another labform process';
  return `${owner.command} (pid ${owner.pid} on ${owner.host}, since ${owner.since})`;
}

/**
 * One apply/destroy/checkpoint/restore per lab at a time. proper-lockfile keeps the lock fresh
 * while we run (so a lock left by a dead process goes stale); a lock whose owner file names a
 * process on this machine that no longer exists is recovered at once, without waiting for
 * staleness. Otherwise a second command fails at once with LockHeldError (exit 4).
 */
export async function acquireLabLock(options: { stateDir: string; lab: string; command: string; logger?: Logger; staleMs?: number }): Promise<LabLock> {
  const logger = options.logger ?? silentLogger;
  const paths = lockPaths(options);
  await mkdir(path.dirname(paths.base), { recursive: true });
  const owner: LockOwner = { pid: process.pid, command: options.command, host: os.hostname(), since: new Date().toISOString() };
  const attempt = () =>
    lockfile.lock(paths.base, {
      realpath: false,
      lockfilePath: paths.lockDir,
      retries: 0,
      stale: options.staleMs ?? 30_000,
      update: Math.max(1000, Math.floor((options.staleMs ?? 30_000) / 3)),
      onCompromised: (error) => logger.error({ err: { message: error.message } }, 'the lab lock was compromised'),
    });
  let release: () => Promise<void>;
  try {
    release = await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = await readOwner(paths.ownerFile);
    if (holder && holder.host === os.hostname() && !processAlive(holder.pid)) {
      logger.warn({ holder }, 'recovering the lock of a process that no longer runs');
      await rm(paths.lockDir, { recursive: true, force: true });
      try {
        release = await attempt();
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
        const now = await readOwner(paths.ownerFile);
        throw new LockHeldError(`lab ${options.lab} is locked by ${describeOwner(now)}`, describeOwner(now));
      }
    } else {
      throw new LockHeldError(`lab ${options.lab} is locked by ${describeOwner(holder)}; wait for it to finish`, describeOwner(holder));
    }
  }
  await writeFile(paths.ownerFile, `${JSON.stringify(owner)}\n`);
  return {
    owner,
    async release() {
      await rm(paths.ownerFile, { force: true });
      await release().catch(() => undefined);
    },
  };
}
