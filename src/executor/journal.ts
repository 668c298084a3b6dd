import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { environmentErrorOf } from '../errors.js';
import { trimJournal } from './journal-rotation.js';

/** One line of the journal. `t` is wall time (ISO), `at` the run's clock ms. No secrets. */
export type JournalEntry =
  | { event: 'run-start'; total: number; at: number }
  /** `kind` and `dependsOn` (absent in journals written before they were recorded) let a report draw waits and order. */
  | {
      event: 'step-start';
      id: string;
      address: string;
      host: string;
      title: string;
      at: number;
      kind?: 'host' | 'wait' | 'guest';
      dependsOn?: string[];
    }
  | {
      event: 'step-end';
      id: string;
      outcome: string;
      durationMs: number;
      attempts: number;
      error?: string;
      at: number;
    }
  /** `criticalPath`: step ids of the longest chain by actual durations (absent in older journals). */
  | {
      event: 'run-end';
      counts: Record<string, number>;
      interrupted: boolean;
      at: number;
      criticalPath?: string[];
      skipped?: string[];
    };

export type JournalLine = JournalEntry & { t: string; run: string; command: string; pid: number };

/** Where the executor records what it started and finished. */
export interface Journal {
  append(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
}

export function journalPath(options: { stateDir: string; lab: string }): string {
  return path.join(options.stateDir, 'journal', `${options.lab}.jsonl`);
}

function stamp(entry: JournalEntry, run: string, command: string): JournalLine {
  return { t: new Date().toISOString(), run, command, pid: process.pid, ...entry };
}

function newRunId(): string {
  return `${Date.now().toString(36)}-${process.pid}-${os.hostname()}`;
}

/**
 * The journal file `<stateDir>/journal/<lab>.jsonl`: one JSON line per entry, appended and
 * fsynced before the step it announces touches anything, so a kill -9 loses nothing it did.
 * It keeps the last JOURNAL_KEEP_RUNS runs (journal-rotation.ts).
 */
export async function openFileJournal(options: {
  stateDir: string;
  lab: string;
  command: string;
}): Promise<Journal> {
  const file = journalPath(options);
  let handle: FileHandle;
  let endsMidLine = false;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    ({ endsMidLine } = await trimJournal(file));
    handle = await open(file, 'a');
  } catch (error) {
    throw (
      environmentErrorOf(
        error,
        file,
        'write the journal',
        'labform records each run in <state-dir>/journal: it must be a folder labform can write; fix it or choose another --state-dir',
      ) ?? error
    );
  }
  if (endsMidLine) await handle.write('\n');
  const run = newRunId();
  // Appends are chained so lines never interleave and each is durable before the next.
  let chain: Promise<void> = Promise.resolve();
  return {
    append(entry) {
      const line = `${JSON.stringify(stamp(entry, run, options.command))}\n`;
      chain = chain.then(async () => {
        await handle.write(line);
        await handle.sync();
      });
      return chain;
    },
    async close() {
      await chain.catch(() => undefined);
      await handle.close();
    },
  };
}

/** A journal in memory (tests, and where exact virtual timings matter: no real I/O). */
export function memoryJournal(options: { command?: string } = {}): Journal & { lines: JournalLine[] } {
  const lines: JournalLine[] = [];
  return {
    lines,
    async append(entry) {
      lines.push(stamp(entry, 'memory', options.command ?? 'apply'));
    },
    async close() {},
  };
}

export interface LastRun {
  command: string;
  run: string;
  /** A run-start without its run-end (the process died or was killed), or a run stopped by Ctrl-C. */
  interrupted: boolean;
  /** Steps that ended done or skipped-done in that run. */
  stepsFinished: number;
  /** Steps started but never ended (in flight when it died). */
  inFlight: string[];
  failed: string[];
}

/** What the last run recorded, for "resuming after an interrupted apply". Never trusted over live state. */
export async function readLastRun(options: { stateDir: string; lab: string }): Promise<LastRun | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath(options), 'utf8');
  } catch {
    return undefined;
  }
  const lines: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      lines.push(JSON.parse(raw) as JournalLine);
    } catch {
      // A line torn by a kill mid-write: the steps before it are still good.
    }
  }
  const startIndex = lines.map((l) => l.event).lastIndexOf('run-start');
  if (startIndex < 0) return undefined;
  const start = lines[startIndex]!;
  const mine = lines.slice(startIndex).filter((l) => l.run === start.run);
  const end = mine.find((l): l is Extract<JournalLine, { event: 'run-end' }> => l.event === 'run-end');
  const started = new Set<string>();
  const ended = new Map<string, string>();
  for (const l of mine) {
    if (l.event === 'step-start') started.add(l.id);
    if (l.event === 'step-end') ended.set(l.id, l.outcome);
  }
  return {
    command: start.command,
    run: start.run,
    interrupted: end === undefined || end.interrupted,
    stepsFinished: [...ended.values()].filter((o) => o === 'done' || o === 'skipped-done').length,
    inFlight: [...started].filter((id) => !ended.has(id)),
    failed: [...ended].filter(([, o]) => o === 'failed').map(([id]) => id),
  };
}
