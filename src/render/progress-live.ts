import type { Clock } from '../clock/clock.js';
import type { ExecutorEvent, StepResult } from '../executor/events.js';
import type { Step } from '../plan/plan.js';
import { formatDuration } from '../executor/duration.js';
import { paint } from './colour.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Running {
  title: string;
  host: string;
  startedAt: number;
  note?: string;
}

export interface LiveProgress {
  listener: (event: ExecutorEvent) => void;
  /** Stop redrawing and leave the last frame's permanent lines in place. */
  stop(): void;
}

/**
 * The live task list on a terminal: finished steps scroll above, the running ones (with their
 * elapsed time, and what a wait waits for) and a finished/total line with the slowest steps
 * are redrawn in place. A small ANSI redraw of our own: listr2 wants to own task execution,
 * which here belongs to the executor.
 */
export function createLiveProgress(options: {
  out: NodeJS.WritableStream;
  clock: Clock;
  color: boolean;
  columns?: number;
  intervalMs?: number;
}): LiveProgress {
  const { out, clock, color } = options;
  const columns = options.columns ?? ((out as { columns?: number }).columns || 100);
  const running = new Map<string, Running>();
  const done: StepResult[] = [];
  /** Every step of the run, and the ones that ended (any outcome). */
  const steps = new Map<string, Step>();
  const ended = new Set<string>();
  let total = 0;
  let finished = 0;
  let drawn = 0;
  let frame = 0;
  let interrupted = '';
  // Clip by visible width (a wrapped line would break the redraw); a clipped line loses its colour.
  const clip = (text: string) => {
    const plain = text.replace(ANSI, '');
    return plain.length > columns - 1 ? `${plain.slice(0, columns - 2)}…` : text;
  };

  const block = (): string[] => {
    const now = clock.now();
    const spinner = FRAMES[frame % FRAMES.length]!;
    // Steps not started yet: blocked on the running steps they need, or queued for a slot.
    const blockedBy = new Map<string, number>();
    let queued = 0;
    let blocked = 0;
    for (const step of steps.values()) {
      if (ended.has(step.id) || running.has(step.id)) continue;
      const open = step.dependsOn.filter((d) => !ended.has(d));
      if (open.length === 0) {
        queued++;
        continue;
      }
      blocked++;
      for (const d of open) if (running.has(d)) blockedBy.set(d, (blockedBy.get(d) ?? 0) + 1);
    }
    const lines = [...running.entries()].slice(0, 12).map(([id, r]) => {
      const waiting = blockedBy.get(id);
      const holds = waiting ? ` · ${waiting} step${waiting === 1 ? '' : 's'} blocked on it` : '';
      return clip(
        `  ${paint(color, '36', spinner)} ${r.title} ${paint(color, '2', `[${r.host}] ${formatDuration(now - r.startedAt)}${r.note ? ` · ${r.note}` : ''}`)}${paint(color, '33', holds)}`,
      );
    });
    if (running.size > 12) lines.push(`  … and ${running.size - 12} more`);
    if (blocked > 0 || queued > 0)
      lines.push(
        clip(
          paint(
            color,
            '2',
            `  ${blocked} blocked on steps not finished yet${queued > 0 ? `, ${queued} ready and queued for a host slot` : ''}`,
          ),
        ),
      );
    const slowest = [...done]
      .sort((a, b) => b.durationMs - a.durationMs)
      .slice(0, 3)
      .map((r) => `${r.title} ${formatDuration(r.durationMs)}`);
    lines.push(
      clip(
        `${finished}/${total} steps finished, ${running.size} running${slowest.length ? ` · slowest: ${slowest.join(', ')}` : ''}`,
      ),
    );
    if (interrupted) lines.push(paint(color, '33', interrupted));
    return lines;
  };
  const erase = () => {
    if (drawn > 0) out.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };
  const draw = (permanent: string[] = []) => {
    erase();
    for (const line of permanent) out.write(`${clip(line)}\n`);
    const lines = block();
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, options.intervalMs ?? 120);
  timer.unref();

  const listener = (event: ExecutorEvent) => {
    switch (event.type) {
      case 'run-start':
        total = event.total;
        for (const step of event.steps) steps.set(step.id, step);
        draw();
        break;
      case 'step-start':
        running.set(event.step.id, { title: event.step.title, host: event.step.host, startedAt: event.at });
        draw();
        break;
      case 'step-progress': {
        const r = running.get(event.step.id);
        if (r) r.note = `waiting for ${event.waitingFor}: ${event.lastSeen}`;
        break;
      }
      case 'step-retry': {
        const r = running.get(event.step.id);
        if (r) r.note = `retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${event.error.message}`;
        break;
      }
      case 'step-end': {
        running.delete(event.step.id);
        ended.add(event.step.id);
        const r = event.result;
        if (r.outcome === 'skipped-dependency') {
          const causes = (r.blockedBy ?? []).map((id) => steps.get(id)?.title ?? id);
          draw([
            `${paint(color, '33', '↷')} ${r.title} ${paint(color, '2', `skipped: it needs ${causes.join(', ')}, which failed`)}`,
          ]);
          break;
        }
        if (r.startedAt === undefined) break;
        finished++;
        done.push(r);
        const mark =
          r.outcome === 'failed'
            ? `${paint(color, '31', '✗')} ${r.title} ${paint(color, '31', r.error?.message ?? 'failed')}`
            : r.outcome === 'cancelled'
              ? `${paint(color, '33', '■')} ${r.title} ${paint(color, '2', 'stopped')}`
              : `${paint(color, '32', '✓')} ${r.title} ${paint(color, '2', r.outcome === 'skipped-done' ? 'already done' : formatDuration(r.durationMs))}`;
        draw([mark]);
        break;
      }
      case 'interrupt':
        interrupted = event.hard
          ? 'interrupted again: aborting running steps'
          : 'interrupted: finishing running steps (Ctrl-C again to abort them)';
        draw();
        break;
      case 'run-end':
        clearInterval(timer);
        erase();
        break;
    }
  };
  return {
    listener,
    stop() {
      clearInterval(timer);
      erase();
    },
  };
}
