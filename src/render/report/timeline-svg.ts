/**
 * The last run as a timeline: one bar per step on its host's lane group, from when it started
 * to when it ended (clock time: simulated time on the simulator). Waits are drawn hatched, as
 * waits; the critical path is highlighted; failures are red with the error in the tooltip;
 * retried steps carry "↻N". Every bar carries data-step-id for tests.
 */
import { formatDuration } from '../../executor/duration.js';
import type { TimelineRun, TimelineStep } from './journal-run.js';
import { esc } from './escape.js';

const LABEL_W = 340;
const CHART_W = 860;
const ROW = 19;
const HOST_ROW = 26;
const AXIS = 30;

function niceTick(span: number): number {
  const target = span / 8;
  const steps = [
    1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
  ];
  return steps.find((s) => s >= target) ?? 3_600_000 * Math.ceil(target / 3_600_000);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function timelineSvg(run: TimelineRun): string {
  const span = Math.max(1, run.spanMs);
  const critical = new Set(run.criticalPath);
  const hosts = [...new Set(run.steps.map((s) => s.host))];
  const rows: ({ host: string } | { step: TimelineStep })[] = [];
  for (const host of hosts) {
    rows.push({ host });
    for (const step of run.steps.filter((s) => s.host === host)) rows.push({ step });
  }
  const height = AXIS + rows.reduce((h, r) => h + ('host' in r ? HOST_ROW : ROW), 0) + 10;
  const width = LABEL_W + CHART_W + 60;
  const xOf = (ms: number) => LABEL_W + (ms / span) * CHART_W;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Timeline of the last ${esc(run.command)}">`,
  );
  parts.push(
    '<defs><pattern id="wait-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#e0f2fe"/><line x1="0" y1="0" x2="0" y2="6" stroke="#38bdf8" stroke-width="3"/></pattern>',
  );
  parts.push(
    '<pattern id="wait-hatch-critical" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffedd5"/><line x1="0" y1="0" x2="0" y2="6" stroke="#f97316" stroke-width="3"/></pattern></defs>',
  );
  // Axis with ticks.
  const tick = niceTick(span);
  for (let t = 0; t <= span + 1; t += tick) {
    const x = xOf(t);
    parts.push(
      `<line x1="${x}" y1="${AXIS - 6}" x2="${x}" y2="${height - 6}" stroke="#e2e8f0"/><text x="${x}" y="${AXIS - 10}" text-anchor="middle" class="label small">${t === 0 ? '0' : esc(formatDuration(t))}</text>`,
    );
  }
  let y = AXIS;
  for (const r of rows) {
    if ('host' in r) {
      parts.push(
        `<g data-kind="timeline-host" data-name="${esc(r.host)}"><rect x="0" y="${y + 3}" width="${width}" height="${HOST_ROW - 6}" fill="#f1f5f9"/><text x="8" y="${y + 18}" class="label host">${esc(r.host)}</text></g>`,
      );
      y += HOST_ROW;
      continue;
    }
    const s = r.step;
    const end = s.end ?? span;
    const x = xOf(s.start);
    const w = Math.max(2, xOf(end) - x);
    const classes = [
      'step',
      s.kind,
      critical.has(s.id) ? 'critical' : '',
      s.outcome === 'failed' ? 'failed' : '',
      s.attempts > 1 ? 'retried' : '',
      s.end === undefined ? 'unfinished' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const fill =
      s.outcome === 'failed'
        ? '#dc2626'
        : s.kind === 'wait'
          ? critical.has(s.id)
            ? 'url(#wait-hatch-critical)'
            : 'url(#wait-hatch)'
          : critical.has(s.id)
            ? '#f97316'
            : s.kind === 'guest'
              ? '#14b8a6'
              : '#64748b';
    const stroke = critical.has(s.id)
      ? ' stroke="#c2410c" stroke-width="1.5"'
      : s.kind === 'wait'
        ? ' stroke="#0284c7" stroke-width="0.8"'
        : '';
    const tip = `${s.title}: ${s.outcome ?? 'did not finish'} after ${formatDuration((s.end ?? span) - s.start)}${s.attempts > 1 ? `, ${s.attempts} attempts` : ''}${critical.has(s.id) ? ', on the critical path' : ''}${s.error ? `\n${s.error}` : ''}`;
    parts.push(
      `<g class="${classes}" data-step-id="${esc(s.id)}" data-outcome="${esc(s.outcome ?? 'unfinished')}"><title>${esc(tip)}</title>`,
    );
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + 14}" text-anchor="end" class="label step-title${critical.has(s.id) ? ' critical-text' : ''}">${esc(cut(s.title, 46))}</text>`,
    );
    parts.push(
      `<rect x="${x}" y="${y + 4}" width="${w}" height="${ROW - 7}" rx="3" fill="${fill}"${stroke}/>`,
    );
    const after: string[] = [];
    if (s.outcome === 'failed') after.push('✕ failed');
    if (s.attempts > 1) after.push(`↻${s.attempts}`);
    if (after.length > 0)
      parts.push(
        `<text x="${x + w + 5}" y="${y + 14}" class="label mark${s.outcome === 'failed' ? ' fail' : ''}">${esc(after.join(' '))}</text>`,
      );
    parts.push('</g>');
    y += ROW;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
