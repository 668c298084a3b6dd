import { readFile } from 'node:fs/promises';
import { journalPath, type JournalLine } from '../../executor/journal.js';
import { parseAddress, parseStepId } from '../../model/address.js';

export interface TimelineStep {
  id: string;
  title: string;
  host: string;
  address: string;
  /** host / wait / guest; unknown in journals written before the kind was recorded (then told from the id). */
  kind: 'host' | 'wait' | 'guest';
  /** Clock ms from the run's start. */
  start: number;
  /** Undefined while it never ended (the process died). */
  end?: number;
  outcome?: string;
  attempts: number;
  error?: string;
}

export interface TimelineRun {
  command: string;
  run: string;
  /** Wall time of the run's start (ISO). */
  startedAt: string;
  /** Clock ms from start to the last entry. */
  spanMs: number;
  steps: TimelineStep[];
  /** Step ids of the critical path (empty when the journal predates it). */
  criticalPath: string[];
  /** Steps skipped because a step they needed failed. */
  skipped: string[];
  finished: boolean;
  interrupted: boolean;
}

function parseLines(text: string): JournalLine[] {
  const out: JournalLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      out.push(JSON.parse(raw) as JournalLine);
    } catch {
      // A line torn by a kill mid-write.
    }
  }
  return out;
}

/** The last run of `command` in the lab's journal, as a timeline; undefined when there is none. */
export async function readTimelineRun(options: {
  stateDir: string;
  lab: string;
  command: string;
}): Promise<TimelineRun | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath(options), 'utf8');
  } catch {
    return undefined;
  }
  return timelineOf(parseLines(text), options.command);
}

/** PURE: the last run of `command` among journal lines. */
export function timelineOf(lines: JournalLine[], command: string): TimelineRun | undefined {
  const start = [...lines].reverse().find((l) => l.event === 'run-start' && l.command === command);
  if (!start || start.event !== 'run-start') return undefined;
  const mine = lines.filter((l) => l.run === start.run);
  const steps = new Map<string, TimelineStep>();
  let last = start.at;
  let end: Extract<JournalLine, { event: 'run-end' }> | undefined;
  for (const l of mine) {
    last = Math.max(last, l.at);
    if (l.event === 'step-start') {
      const ref = parseStepId(l.id);
      const kind =
        l.kind ??
        (ref?.action.startsWith('wait-')
          ? 'wait'
          : parseAddress(ref?.address ?? '')?.kind === 'role'
            ? 'guest'
            : 'host');
      steps.set(l.id, {
        id: l.id,
        title: l.title,
        host: l.host,
        address: l.address,
        kind,
        start: l.at - start.at,
        attempts: 1,
      });
    } else if (l.event === 'step-end') {
      const s = steps.get(l.id);
      if (!s) continue;
      s.end = l.at - start.at;
      s.outcome = l.outcome;
      s.attempts = l.attempts;
      if (l.error) s.error = l.error;
    } else if (l.event === 'run-end') end = l;
  }
  return {
    command: start.command,
    run: start.run,
    startedAt: start.t,
    spanMs: last - start.at,
    steps: [...steps.values()].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id)),
    criticalPath: end?.criticalPath ?? [],
    skipped: end?.skipped ?? [],
    finished: end !== undefined,
    interrupted: end === undefined || end.interrupted,
  };
}
