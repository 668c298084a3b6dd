import type { ExecuteResult } from '../executor/events.js';
import { formatDuration } from '../executor/duration.js';
import { counted } from '../model/plural.js';
import { paint } from './colour.js';

/**
 * The final summary: total time, counts, the root causes, then the steps skipped because of
 * them (named, the first ten). `verb` is "Apply", "Destroy", "Checkpoint", "Restore"...
 */
export function formatSummary(
  result: ExecuteResult,
  options: { verb: string; command: string; color?: boolean; simulated?: boolean },
): string {
  const color = options.color ?? false;
  const c = result.counts;
  const parts = [`${c.done} done`];
  if (c['skipped-done']) parts.push(`${c['skipped-done']} already done`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c['skipped-dependency']) parts.push(`${c['skipped-dependency']} skipped because of a failure`);
  if (c.cancelled) parts.push(`${c.cancelled} not run`);
  // On the simulator the figures are simulated time, which runs much faster than the wall clock.
  const time = `${formatDuration(result.makespanMs)}${options.simulated ? ' of simulated time' : ''}`;
  const lines: string[] = [];
  if (result.rootCauses.length > 0) {
    lines.push(paint(color, '31', `${options.verb} failed after ${time}: ${parts.join(', ')}.`));
    lines.push(`Root cause${result.rootCauses.length === 1 ? '' : 's'}:`);
    for (const r of result.rootCauses)
      lines.push(`  ${r.title} [${r.host}]: ${r.error?.message ?? 'failed'}`);
    const skipped = result.steps.filter((r) => r.outcome === 'skipped-dependency').map((r) => r.title);
    if (skipped.length > 0)
      lines.push(
        `Skipped because of it: ${skipped.slice(0, 10).join('; ')}${skipped.length > 10 ? `; and ${skipped.length - 10} more` : ''}.`,
      );
    lines.push(`What finished is kept; fix the cause and run ${options.command} again to resume.`);
  } else if (result.interrupted) {
    lines.push(paint(color, '33', `${options.verb} interrupted after ${time}: ${parts.join(', ')}.`));
    lines.push(`The journal is consistent; run ${options.command} again to finish.`);
  } else {
    lines.push(paint(color, '32', `${options.verb} complete in ${time}: ${parts.join(', ')}.`));
  }
  if (result.steps.length > 1 && result.makespanMs > 0) {
    lines.push(
      paint(
        color,
        '2',
        `Critical path ${formatDuration(result.criticalPath.ms)} (${counted(result.criticalPath.steps.length, 'step')}); ${formatDuration(result.sequentialMs)} of step time in all${result.retries ? `; ${counted(result.retries, 'retry', 'retries')}` : ''}.`,
      ),
    );
  }
  return lines.join('\n');
}
