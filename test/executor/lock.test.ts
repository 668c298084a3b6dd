import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLabLock, lockPaths } from '../../src/executor/lock.js';
import { LockHeldError } from '../../src/errors.js';

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'labform-lock-'));

describe('acquireLabLock', () => {
  it('lets one command hold a lab and refuses a second, naming the holder', async () => {
    const stateDir = await tempDir();
    const lock = await acquireLabLock({ stateDir, lab: 'demo', command: 'apply' });
    const error = await acquireLabLock({ stateDir, lab: 'demo', command: 'destroy' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LockHeldError);
    expect((error as Error).message).toMatch(
      new RegExp(`^lab demo is locked by apply \\(pid ${process.pid} on .+, since \\d{4}-`),
    );
    // Another lab is independent.
    const other = await acquireLabLock({ stateDir, lab: 'other', command: 'apply' });
    await other.release();
    await lock.release();
    const again = await acquireLabLock({ stateDir, lab: 'demo', command: 'destroy' });
    await again.release();
  });

  it('recovers a lock left by a process that died', async () => {
    const stateDir = await tempDir();
    const child = spawnSync(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    const paths = lockPaths({ stateDir, lab: 'demo' });
    await mkdir(paths.lockDir, { recursive: true });
    await writeFile(
      paths.ownerFile,
      JSON.stringify({
        pid: deadPid,
        command: 'apply',
        host: os.hostname(),
        since: new Date().toISOString(),
      }),
    );
    const lock = await acquireLabLock({ stateDir, lab: 'demo', command: 'apply' });
    expect(JSON.parse(await readFile(paths.ownerFile, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('does not steal a lock held by a live process elsewhere', async () => {
    const stateDir = await tempDir();
    const paths = lockPaths({ stateDir, lab: 'demo' });
    await mkdir(paths.lockDir, { recursive: true });
    await writeFile(
      paths.ownerFile,
      JSON.stringify({
        pid: 1,
        command: 'apply',
        host: 'another-machine',
        since: '2026-01-01T00:00:00.000Z',
      }),
    );
    await expect(acquireLabLock({ stateDir, lab: 'demo', command: 'apply' })).rejects.toThrow(
      'lab demo is locked by apply (pid 1 on another-machine, since 2026-01-01T00:00:00.000Z)',
    );
  });
});
