import type { Change, PropertyDiff } from '../model/change.js';
import type { Plan } from '../plan/plan.js';
import { Secret } from '../secrets/secret.js';
import { formatDiagnostic } from './diagnostics.js';
import { formatSize } from '../model/units.js';
import { unifiedLines } from './text-diff.js';
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
const SIZE_PATH = /(^|\.)(size|startup|minimum|maximum|low|high|memory)$/;

function shown(path: string, value: unknown): string {
  return SIZE_PATH.test(path) && typeof value === 'number' ? formatSize(value) : formatValue(value);
}

/** An attribute of a create: sizes as the manifest writes them, lists comma-separated, text unquoted. */
function attribute(path: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => attribute(path, v)).join(', ');
  if (typeof value === 'string') return value;
  return shown(path, value);
}

function diffLine(d: PropertyDiff): string {
  const notes = [d.forcesReplace ? '(forces replacement)' : '', d.requiresStop ? '(requires stop)' : '']
    .filter(Boolean)
    .join(' ');
  return `${d.path}: ${shown(d.path, d.before)} -> ${shown(d.path, d.after)}${notes ? ` ${notes}` : ''}`;
}

/** A text property (a script's `run`): shown as a line diff, not as two quoted strings. */
function isTextChange(d: PropertyDiff): boolean {
  return d.path === 'run' && typeof d.before === 'string' && typeof d.after === 'string';
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
      paint(s.colour, `  ${s.mark} ${c.address}`) +
        ` ${s.verb}${c.host ? ` on ${(c.hosts ?? [c.host]).join(', ')}` : ''}${stop}`,
    );
    if (c.reason) lines.push(paint('dim', `      # ${c.reason}`));
    // A create lists what it makes, sizes as the manifest writes them.
    // An automatic address says so on its own line (`network[0].address = 10.0.0.5/24 (automatic)`).
    const after = c.after ?? {};
    for (const [path, value] of Object.entries(after)) {
      if (path.endsWith('.automatic')) continue;
      const auto = path.endsWith('.address') && after[path.replace(/address$/, 'automatic')] === true;
      if (typeof value === 'string' && value.includes('\n')) {
        // A script's text: its lines below the attribute, as a script's change shows them.
        lines.push(`      ${paint('green', '+')} ${path} =`);
        for (const l of value.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n'))
          lines.push(`          ${l}`);
        continue;
      }
      lines.push(
        `      ${paint('green', '+')} ${path} = ${attribute(path, value)}${auto ? ' (automatic)' : ''}`,
      );
    }
    for (const d of c.diff) {
      if (isTextChange(d)) {
        // A script's text: a unified diff of its lines.
        lines.push(`      ${paint('yellow', '~')} ${d.path}:`);
        for (const l of unifiedLines(d.before as string, d.after as string))
          lines.push(
            `          ${l.startsWith('-') ? paint('red', l) : l.startsWith('+') ? paint('green', l) : l}`,
          );
        continue;
      }
      lines.push(`      ${paint(d.forcesReplace ? 'red' : 'yellow', '~')} ${diffLine(d)}`);
    }
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
