import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';

/** Runs a lab's journal keeps: enough to see the history of a working day, bounded in size. */
export const JOURNAL_KEEP_RUNS = 20;

/**
 * Keeps the journal bounded: before a run appends, the oldest runs are dropped, whole, so that
 * with the new one the file holds at most `keepRuns` runs; and the file is replaced atomically. Called under the lab's lock before a
 * run appends, so the newest runs (the one a resume reads among them) are always kept intact.
 * A line that is not JSON (torn by a kill) stays with the run it follows; `endsMidLine` says
 * the file ends in such a line, so the caller starts a new line before appending.
 */
export async function trimJournal(
  file: string,
  keepRuns = JOURNAL_KEEP_RUNS,
): Promise<{ dropped: number; endsMidLine: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { dropped: 0, endsMidLine: false };
  }
  // A kill mid-write leaves a torn last line: the next run must start on a line of its own.
  const endsMidLine = text !== '' && !text.endsWith('\n');
  const lines = text.split('\n');
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (line.includes('"run-start"') && isRunStart(line)) starts.push(i);
  });
  // Room for the run about to start: the file then holds at most `keepRuns` runs.
  const kept = Math.max(0, keepRuns - 1);
  if (starts.length <= kept) return { dropped: 0, endsMidLine };
  const from = kept === 0 ? lines.length : starts[starts.length - kept]!;
  await writeFileAtomic(file, lines.slice(from).join('\n'), { encoding: 'utf8' });
  return { dropped: starts.length - kept, endsMidLine: endsMidLine && kept > 0 };
}

function isRunStart(line: string): boolean {
  try {
    return (JSON.parse(line) as { event?: unknown }).event === 'run-start';
  } catch {
    return false;
  }
}
