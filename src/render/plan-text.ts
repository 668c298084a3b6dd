import type { Change, PropertyDiff } from '../model/change.js';
import type { Plan } from '../plan/plan.js';
import { Secret } from '../secrets/secret.js';
import { formatDiagnostic } from './diagnostics.js';
import { formatSize } from '../model/units.js';
import { COLOURS, paint as paintCode, type Colour } from './colour.js';

const SYMBOL: Record<Change['action'], { mark: string; colour: Colour; verb: string }> = {
  create: { mark: '+', colour: 'green', verb: 'will be created' },
  update: { mark: '~', colour: 'yellow', verb: 'will be updated in place' },
  replace: { mark: '-/+', colour: 'red', verb: 'will be replaced' },
  delete: { mark: '-', colour: 'red', verb: 'will be destroyed' },
  noop: { mark: ' ', colour: 'dim', verb: 'unchanged' },
};

/** A value as the plan shows it: secrets as `(sensitive)`, strings quoted, lists bracketed. */
export function formatValue(value: unknown): string {
  if (value instanceof Secret) return '(sensitive)';
  if (value === null || value === undefined) return '(none)';
  // Quoted but not escaped: Windows paths read as the admin typed them.
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Secret ? '(sensitive)' : v));
  return String(value);
}

/** Properties that hold bytes: shown as the manifest writes sizes (`2GB -> 3GB`); JSON keeps bytes. */
const SIZE_PATH = /(^|\.)(size|startup|minimum|maximum|low|high)$/;

function shown(path: string, value: unknown): string {
  return SIZE_PATH.test(path) && typeof value === 'number' ? formatSize(value) : formatValue(value);
}

function diffLine(d: PropertyDiff): string {
  const notes = [d.forcesReplace ? '(forces replacement)' : '', d.requiresStop ? '(requires stop)' : '']
    .filter(Boolean)
    .join(' ');
  return `${d.path}: ${shown(d.path, d.before)} -> ${shown(d.path, d.after)}${notes ? ` ${notes}` : ''}`;
}

export interface PlanTextOptions {
  color?: boolean;
  /** List unchanged resources too. */
  showNoop?: boolean;
}

/** The human plan: grouped by resource, then conflicts, diagnostics and the one-line summary. */
export function formatPlanText(plan: Plan, options: PlanTextOptions = {}): string {
  const paint = (colour: Colour, text: string) => paintCode(options.color, COLOURS[colour], text);
  const lines: string[] = [];
  const shown = plan.changes.filter((c) => c.action !== 'noop' || options.showNoop);
  if (shown.length > 0) {
    lines.push(`labform will perform these actions on lab ${plan.lab}:`, '');
  }
  for (const c of shown) {
    const s = SYMBOL[c.action];
    const stop = c.requiresStop && c.action === 'update' ? ' (requires stop)' : '';
    lines.push(
      paint(s.colour, `  ${s.mark} ${c.address}`) + ` ${s.verb}${c.host ? ` on ${c.host}` : ''}${stop}`,
    );
    if (c.reason) lines.push(paint('dim', `      # ${c.reason}`));
    for (const d of c.diff)
      lines.push(`      ${paint(d.forcesReplace ? 'red' : 'yellow', '~')} ${diffLine(d)}`);
  }
  if (plan.conflicts.length > 0) {
    lines.push('', paint('red', `Conflicts (apply refuses until they are resolved):`));
    for (const c of plan.conflicts) {
      lines.push(`  ! ${c.address} on ${c.host}: ${c.message}`);
      if (c.hint) lines.push(`    hint: ${c.hint}`);
    }
  }
  const diagnostics = [...plan.warnings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  if (diagnostics.length > 0) {
    lines.push('');
    for (const d of diagnostics) lines.push(formatDiagnostic(d, { color: options.color }));
  }
  const defaults = (plan.storage ?? []).filter((s) => s.hostDefault);
  if (defaults.length > 0) {
    lines.push('');
    for (const s of defaults)
      lines.push(
        paint(
          'dim',
          `  storage on ${s.host}: ${s.path} (the host's Hyper-V default virtual hard disk folder; set storagePath to choose another)`,
        ),
      );
  }
  if (lines.length > 0) lines.push('');
  lines.push(planSummaryLine(plan));
  return `${lines.join('\n')}\n`;
}

/** `Plan: N to add, N to change, N to replace, N to destroy.` or the no-changes sentence. */
export function planSummaryLine(plan: Plan): string {
  const s = plan.summary;
  if (s.create + s.update + s.replace + s.delete === 0) return 'No changes. The lab matches the manifest.';
  return `Plan: ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy.`;
}
