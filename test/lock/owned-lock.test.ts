import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireOwnedLock, LockBusyError } from '../../src/lock/owned-lock.js';
import { processRunning } from '../../src/lock/process-running.js';
import { acquireLabLock, lockPaths } from '../../src/executor/lock.js';
import { EnvironmentError, environmentErrorOf, LockHeldError } from '../../src/errors.js';

const onLinux = fs.existsSync('/proc/self/stat');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-owned-lock-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A zombie: `sh` starts a short `sleep` in the background and then becomes (exec) a long `sleep`,
 * which never reaps its child; so the short one, once exited, stays a zombie until the long one ends.
 */
async function zombiePid(): Promise<number> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  cleanups.push(() => parent.kill('SIGKILL'));
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  for (let i = 0; i < 400; i++) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the child did not become a zombie');
}

describe('processRunning', () => {
  it('is true for this process and false for one that exited', () => {
    expect(processRunning(process.pid)).toBe(true);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(processRunning(dead)).toBe(false);
    expect(processRunning(0)).toBe(false);
    expect(processRunning(-5)).toBe(false);
  });

  it.runIf(onLinux)(
    'is false for a zombie, which process.kill(pid, 0) still reports as existing',
    async () => {
      const pid = await zombiePid();
      expect(() => process.kill(pid, 0)).not.toThrow();
      expect(processRunning(pid)).toBe(false);
    },
  );
});

describe('acquireOwnedLock', () => {
  const options = (dir: string, waitMs = 0) => ({
    lockDir: path.join(dir, 'x.lock'),
    ownerFile: path.join(dir, 'x.owner.json'),
    command: 'apply',
    staleMs: 30_000,
    waitMs,
  });

  it.runIf(onLinux)('takes over at once the lock of a zombie holder (killed, not yet reaped)', async () => {
    const dir = tempDir();
    const pid = await zombiePid();
    fs.mkdirSync(path.join(dir, 'x.lock'));
    fs.writeFileSync(
      path.join(dir, 'x.owner.json'),
      JSON.stringify({ pid, host: os.hostname(), command: 'apply', since: '2026-01-01T00:00:00.000Z' }),
    );
    const lock = await acquireOwnedLock(options(dir));
    expect(lock.holder.pid).toBe(process.pid);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'x.owner.json'), 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'apply',
    });
    await lock.release();
    expect(fs.existsSync(path.join(dir, 'x.lock'))).toBe(false);
  });

  it('refuses a running holder at once, naming it, and waits for it when asked to', async () => {
    const dir = tempDir();
    const first = await acquireOwnedLock(options(dir));
    const error = await acquireOwnedLock(options(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as LockBusyError).holder?.pid).toBe(process.pid);
    const waiting = acquireOwnedLock(options(dir, 10_000));
    setTimeout(() => void first.release(), 50);
    const second = await waiting;
    expect(second.holder.pid).toBe(process.pid);
    await second.release();
  });
});

describe('the lab lock', () => {
  it.runIf(onLinux)('is not held by a zombie: a re-run right after a SIGKILL gets it', async () => {
    const stateDir = tempDir();
    const pid = await zombiePid();
    const paths = lockPaths({ stateDir, lab: 'demo' });
    fs.mkdirSync(paths.lockDir, { recursive: true });
    fs.writeFileSync(
      paths.ownerFile,
      JSON.stringify({ pid, host: os.hostname(), command: 'apply', since: '2026-01-01T00:00:00.000Z' }),
    );
    const lock = await acquireLabLock({ stateDir, lab: 'demo', command: 'checkpoint' });
    expect(lock.owner).toMatchObject({ pid: process.pid, command: 'checkpoint' });
    await lock.release();
  });

  it('a live holder is LockHeldError (exit 4)', async () => {
    const stateDir = tempDir();
    const lock = await acquireLabLock({ stateDir, lab: 'demo', command: 'apply' });
    await expect(acquireLabLock({ stateDir, lab: 'demo', command: 'restore' })).rejects.toBeInstanceOf(
      LockHeldError,
    );
    await lock.release();
  });

  it('`locks` being a file is an environment error naming the path, not a bug', async () => {
    const stateDir = tempDir();
    fs.writeFileSync(path.join(stateDir, 'locks'), 'not a folder');
    const error = await acquireLabLock({ stateDir, lab: 'demo', command: 'apply' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).message).toContain(path.join(stateDir, 'locks'));
    expect((error as EnvironmentError).hint).toContain('--state-dir');
  });

  it('a read-only or unwritable state folder is an environment error naming the path', () => {
    for (const code of ['EROFS', 'EACCES']) {
      const error = environmentErrorOf(
        Object.assign(new Error('x'), { code, path: '/state/locks' }),
        '/state',
        'hold the lab lock here',
      );
      expect(error).toBeInstanceOf(EnvironmentError);
      expect(error!.message).toMatch(
        /^\/state\/locks: cannot hold the lab lock here: (the file system is read-only|permission denied)/,
      );
    }
    // Anything else is not the environment's: it stays a bug.
    expect(environmentErrorOf(new TypeError('x'), '/state', 'write')).toBeUndefined();
  });
});
