import type { ExecutorEvent } from '../executor/events.js';
import { formatDuration } from '../executor/duration.js';

/** A long wait says it is still waiting this often (run clock ms); polls come at most every 10 s, so a line appears at least every 30 s. */
export const STILL_WAITING_EVERY_MS = 20_000;

/** A wait's last observation, worded to follow "last saw": `status OK (…)`, `not answering yet`, `a failed poll: …`. */
function seen(lastSeen: string): string {
  return lastSeen
    .replace(/^last (attempt|check): /, '')
    .replace(/^last poll failed: /, 'a failed poll: ')
    .replace(/^last /, '');
}

/**
 * Output without a terminal (CI, pipes): one line per step start and end, with a wall-clock
 * timestamp; durations are the run clock's (simulated time under --sim). A long wait prints
 * "still waiting for X on HOST: last saw Z (elapsed)" now and then; a step skipped because a
 * step it needs failed is named with that step.
 */
export function createLineProgress(options: {
  out: NodeJS.WritableStream;
  wallTime?: () => Date;
}): (event: ExecutorEvent) => void {
  const wall = options.wallTime ?? (() => new Date());
  const write = (text: string) => options.out.write(`${wall().toISOString().slice(11, 19)} ${text}\n`);
  let finished = 0;
  let total = 0;
  const titles = new Map<string, string>();
  /** Running step id -> when it started and when it last said it is still waiting (run clock ms). */
  const waits = new Map<string, { startedAt: number; said: number }>();
  return (event) => {
    switch (event.type) {
      case 'run-start':
        total = event.total;
        for (const step of event.steps) titles.set(step.id, step.title);
        write(`starting ${total} step${total === 1 ? '' : 's'}`);
        break;
      case 'step-start':
        waits.set(event.step.id, { startedAt: event.at, said: event.at });
        write(`start   ${event.step.title} [${event.step.host}]`);
        break;
      case 'step-progress': {
        const w = waits.get(event.step.id);
        if (!w || event.at - w.said < STILL_WAITING_EVERY_MS) break;
        w.said = event.at;
        write(
          `still waiting for ${event.waitingFor}: last saw ${seen(event.lastSeen)} (${formatDuration(event.at - w.startedAt)})`,
        );
        break;
      }
      case 'step-retry':
        write(
          `retry   ${event.step.title}: attempt ${event.attempt} failed (${event.error.message}); again in ${formatDuration(event.delayMs)}`,
        );
        break;
      case 'step-end': {
        const r = event.result;
        waits.delete(r.id);
        if (r.outcome === 'skipped-dependency') {
          const causes = (r.blockedBy ?? []).map((id) => titles.get(id) ?? id);
          write(`skipped ${r.title}: it needs ${causes.join(', ')}, which failed`);
          break;
        }
        if (r.startedAt === undefined) break;
        finished++;
        const counter = `(${finished}/${total})`;
        if (r.outcome === 'failed')
          write(
            `FAILED  ${r.title} after ${formatDuration(r.durationMs)} ${counter}: ${r.error?.message ?? 'unknown error'}`,
          );
        else if (r.outcome === 'cancelled')
          write(`stopped ${r.title} after ${formatDuration(r.durationMs)} ${counter}`);
        else if (r.outcome === 'skipped-done') write(`ok      ${r.title}: already done ${counter}`);
        else
          write(
            `done    ${r.title} in ${formatDuration(r.durationMs)}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''} ${counter}`,
          );
        break;
      }
      case 'interrupt':
        write(
          event.hard
            ? 'interrupted again: aborting running steps'
            : 'interrupted: finishing running steps, starting no new ones (Ctrl-C again to abort them)',
        );
        break;
      default:
        break;
    }
  };
}
