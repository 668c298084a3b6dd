import type { ExecutorEvent } from '../executor/events.js';
import { formatDuration } from '../executor/duration.js';

/**
 * Output without a terminal (CI, pipes): one line per step start and end, with a wall-clock
 * timestamp; durations are the run clock's (simulated time under --sim).
 */
export function createLineProgress(options: { out: NodeJS.WritableStream; wallTime?: () => Date }): (event: ExecutorEvent) => void {
  const wall = options.wallTime ?? (() => new Date());
  const write = (text: string) => options.out.write(`${wall().toISOString().slice(11, 19)} ${text}\n`);
  let finished = 0;
  let total = 0;
  return (event) => {
    switch (event.type) {
      case 'run-start':
        total = event.total;
        write(`starting ${total} step${total === 1 ? '' : 's'}`);
        break;
      case 'step-start':
        write(`start   ${event.step.title} [${event.step.host}]`);
        break;
      case 'step-retry':
        write(`retry   ${event.step.title}: attempt ${event.attempt} failed (${event.error.message}); again in ${formatDuration(event.delayMs)}`);
        break;
      case 'step-end': {
        const r = event.result;
        if (r.startedAt === undefined) break;
        finished++;
        const counter = `(${finished}/${total})`;
        if (r.outcome === 'failed') write(`FAILED  ${r.title} after ${formatDuration(r.durationMs)} ${counter}: ${r.error?.message ?? 'unknown error'}`);
        else if (r.outcome === 'cancelled') write(`stopped ${r.title} after ${formatDuration(r.durationMs)} ${counter}`);
        else if (r.outcome === 'skipped-done') write(`ok      ${r.title}: already done ${counter}`);
        else write(`done    ${r.title} in ${formatDuration(r.durationMs)}${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''} ${counter}`);
        break;
      }
      case 'interrupt':
        write(event.hard ? 'interrupted again: aborting running steps' : 'interrupted: finishing running steps, starting no new ones (Ctrl-C again to abort them)');
        break;
      default:
        break;
    }
  };
}
