import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireSimLock } from '../../../src/providers/sim/store/sim-lock.js';

describe('simulator state lock', () => {
  it('takes over the lock of a holder that no longer exists, without waiting for it to go stale', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-lock-'));
    try {
      const target = path.join(dir, 'sim');
      fs.mkdirSync(target);
      // A lock left by a killed process: its pid no longer exists, and its mtime is fresh (here: in
      // the future, so proper-lockfile's own stale check could never release it).
      const dead = spawnSync(process.execPath, [
        '-e',
        'process.stdout.write(String(process.pid))',
      ]).stdout.toString();
      fs.mkdirSync(`${target}.lock`);
      const future = new Date(Date.now() + 3_600_000);
      fs.utimesSync(`${target}.lock`, future, future);
      fs.writeFileSync(
        `${target}.lock-owner`,
        JSON.stringify({
          pid: Number(dead),
          host: os.hostname(),
          command: 'simulator',
          since: '2026-01-01T00:00:00.000Z',
        }),
      );
      const release = await acquireSimLock(target);
      expect(JSON.parse(fs.readFileSync(`${target}.lock-owner`, 'utf8'))).toMatchObject({
        pid: process.pid,
        host: os.hostname(),
      });
      await release();
      expect(fs.existsSync(`${target}.lock`)).toBe(false);
      expect(fs.existsSync(`${target}.lock-owner`)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits out a breaker that was killed mid-break instead of giving up at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-lock-'));
    try {
      const target = path.join(dir, 'sim');
      fs.mkdirSync(target);
      const dead = spawnSync(process.execPath, [
        '-e',
        'process.stdout.write(String(process.pid))',
      ]).stdout.toString();
      fs.mkdirSync(`${target}.lock`);
      fs.writeFileSync(
        `${target}.lock-owner`,
        JSON.stringify({
          pid: Number(dead),
          host: os.hostname(),
          command: 'simulator',
          since: '2026-01-01T00:00:00.000Z',
        }),
      );
      // The break lock of a process killed while breaking: fresh, so it holds until it goes stale.
      fs.mkdirSync(`${target}.lock.break`);
      const release = await acquireSimLock(target);
      expect(JSON.parse(fs.readFileSync(`${target}.lock-owner`, 'utf8'))).toMatchObject({
        pid: process.pid,
        host: os.hostname(),
      });
      await release();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('serialises holders: a second acquire gets the lock only after the first releases it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-lock-'));
    try {
      const target = path.join(dir, 'sim');
      fs.mkdirSync(target);
      const order: string[] = [];
      const first = await acquireSimLock(target);
      const second = acquireSimLock(target).then(async (release) => {
        order.push('second');
        await release();
      });
      await new Promise((r) => setTimeout(r, 30));
      order.push('first released');
      await first();
      await second;
      expect(order).toEqual(['first released', 'second']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
