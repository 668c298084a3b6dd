import { readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { environmentErrorOf } from '../errors.js';

/**
 * What a checkpoint or restore must still do if it stops halfway: written (atomically) before it
 * touches anything and removed when it finishes. A re-run of the same command reads it, so it
 * finishes the job (the VMs that were running before are started again, in order, even though
 * they are off now); another command reads it to say exactly what is left.
 */
export interface PendingRun {
  command: 'checkpoint' | 'restore';
  /** The checkpoint's name. */
  name: string;
  /** Lab VMs that were running when it began: they are running again when it ends. */
  running: string[];
  since: string;
}

export function pendingRunPath(options: { stateDir: string; lab: string }): string {
  return path.join(options.stateDir, 'journal', `${options.lab}.pending.json`);
}

export async function readPendingRun(options: {
  stateDir: string;
  lab: string;
}): Promise<PendingRun | undefined> {
  try {
    const value = JSON.parse(await readFile(pendingRunPath(options), 'utf8')) as Partial<PendingRun>;
    if (
      (value.command === 'checkpoint' || value.command === 'restore') &&
      typeof value.name === 'string' &&
      Array.isArray(value.running)
    ) {
      return {
        command: value.command,
        name: value.name,
        running: value.running.filter((v): v is string => typeof v === 'string'),
        since: String(value.since ?? ''),
      };
    }
  } catch {
    // None, or torn by a kill before the rename: nothing was touched yet.
  }
  return undefined;
}

export async function writePendingRun(
  options: { stateDir: string; lab: string },
  run: PendingRun,
): Promise<void> {
  const file = pendingRunPath(options);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify(run)}\n`);
  } catch (error) {
    throw (
      environmentErrorOf(
        error,
        file,
        'record the run',
        'labform records each run in <state-dir>/journal: it must be a folder labform can write; fix it or choose another --state-dir',
      ) ?? error
    );
  }
}

export async function clearPendingRun(options: { stateDir: string; lab: string }): Promise<void> {
  await rm(pendingRunPath(options), { force: true });
}

/** One line saying what an unfinished checkpoint or restore left, and the command that finishes it. */
export function describePendingRun(run: PendingRun, file: string): string {
  const vms =
    run.running.length > 0
      ? `; ${run.running.join(', ')} ${run.running.length === 1 ? 'was' : 'were'} running before it and may be off`
      : '';
  return `${run.command} "${run.name}" did not finish (started ${run.since})${vms}; run: labform ${run.command} ${file} ${run.name}`;
}
