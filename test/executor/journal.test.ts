import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath, openFileJournal, readLastRun } from '../../src/executor/journal.js';

describe('file journal', () => {
  it('appends JSON lines and reads back the last run', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-journal-'));
    const journal = await openFileJournal({ stateDir, lab: 'demo', command: 'apply' });
    await journal.append({ event: 'run-start', total: 3, at: 0 });
    await journal.append({
      event: 'step-start',
      id: 'vm.a/create',
      address: 'vm.a',
      host: 'hv01',
      title: 'create VM a',
      at: 0,
    });
    await journal.append({
      event: 'step-end',
      id: 'vm.a/create',
      outcome: 'done',
      durationMs: 5,
      attempts: 1,
      at: 5,
    });
    await journal.append({
      event: 'step-start',
      id: 'vm.a/start',
      address: 'vm.a',
      host: 'hv01',
      title: 'start VM a',
      at: 5,
    });
    await journal.close();
    const file = journalPath({ stateDir, lab: 'demo' });
    // A kill -9 in the middle of a write leaves a torn last line.
    await appendFile(file, '{"event":"step-e');
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      event: 'run-start',
      command: 'apply',
      total: 3,
      pid: process.pid,
    });
    const last = await readLastRun({ stateDir, lab: 'demo' });
    expect(last).toMatchObject({
      command: 'apply',
      interrupted: true,
      stepsFinished: 1,
      inFlight: ['vm.a/start'],
      failed: [],
    });
  });

  it('a finished run is not interrupted', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-journal-'));
    const journal = await openFileJournal({ stateDir, lab: 'demo', command: 'apply' });
    await journal.append({ event: 'run-start', total: 0, at: 0 });
    await journal.append({ event: 'run-end', counts: {}, interrupted: false, at: 0 });
    await journal.close();
    expect((await readLastRun({ stateDir, lab: 'demo' }))?.interrupted).toBe(false);
    expect(await readLastRun({ stateDir, lab: 'none' })).toBeUndefined();
  });
});
