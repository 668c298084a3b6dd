import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath, openFileJournal, readLastRun } from '../../src/executor/journal.js';
import { JOURNAL_KEEP_RUNS } from '../../src/executor/journal-rotation.js';

async function run(stateDir: string, n: number, finish = true): Promise<void> {
  const journal = await openFileJournal({ stateDir, lab: 'demo', command: 'apply' });
  await journal.append({ event: 'run-start', total: 1, at: n });
  await journal.append({
    event: 'step-start',
    id: `vm.a/step-${n}`,
    address: 'vm.a',
    host: 'hv01',
    title: `step ${n}`,
    at: n,
  });
  if (finish) {
    await journal.append({
      event: 'step-end',
      id: `vm.a/step-${n}`,
      outcome: 'done',
      durationMs: 1,
      attempts: 1,
      at: n,
    });
    await journal.append({ event: 'run-end', counts: { done: 1 }, interrupted: false, at: n });
  }
  await journal.close();
}

const linesOf = async (stateDir: string) =>
  (await readFile(journalPath({ stateDir, lab: 'demo' }), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; at: number; run: string });

const linesOf2 = async (stateDir: string) =>
  (await readFile(journalPath({ stateDir, lab: 'demo' }), 'utf8')).split('\n');

describe('journal rotation', () => {
  it(`keeps the last ${JOURNAL_KEEP_RUNS} runs, whole, however many runs there were`, async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-journal-'));
    const runs = JOURNAL_KEEP_RUNS + 7;
    for (let n = 0; n < runs; n++) await run(stateDir, n);
    const lines = await linesOf(stateDir);
    const starts = lines.filter((l) => l.event === 'run-start');
    expect(starts.map((l) => l.at)).toEqual(
      Array.from({ length: JOURNAL_KEEP_RUNS }, (_, i) => runs - JOURNAL_KEEP_RUNS + i),
    );
    expect(lines).toHaveLength(JOURNAL_KEEP_RUNS * 4);
    expect(lines[0]!.event).toBe('run-start');
  });

  it('keeps an interrupted last run readable for the resume message', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-journal-'));
    for (let n = 0; n < JOURNAL_KEEP_RUNS + 2; n++) await run(stateDir, n);
    await run(stateDir, 99, false);
    expect(await readLastRun({ stateDir, lab: 'demo' })).toMatchObject({
      interrupted: true,
      inFlight: ['vm.a/step-99'],
    });
  });

  it('starts a new line after a line torn by a kill, so the next run is not lost', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-journal-'));
    await run(stateDir, 1);
    await appendFile(journalPath({ stateDir, lab: 'demo' }), '{"event":"step-e');
    await run(stateDir, 2);
    const raw = (await readFile(journalPath({ stateDir, lab: 'demo' }), 'utf8')).split('\n');
    expect(raw).toContain('{"event":"step-e');
    expect(await readLastRun({ stateDir, lab: 'demo' })).toMatchObject({
      interrupted: false,
      stepsFinished: 1,
    });
    expect((await linesOf2(stateDir)).filter((l) => l.includes('"run-start"'))).toHaveLength(2);
  });
});
