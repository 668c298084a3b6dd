import type { Diagnostic } from '../model/diagnostic.js';
import { counted } from '../model/plural.js';
import { COLOURS, paint } from './colour.js';

/** `file:line:col: error[rule]: message`, then `  at /pointer` and `  hint: ...` (docs/contract.md section 5). */
export function formatDiagnostic(d: Diagnostic, options: { color?: boolean } = {}): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const label = paint(
    options.color,
    d.severity === 'error' ? COLOURS.red : COLOURS.yellow,
    `${d.severity}[${d.rule}]`,
  );
  const lines = [`${where}: ${label}: ${d.message}`];
  if (d.pointer) lines.push(paint(options.color, COLOURS.dim, `  at ${d.pointer}`));
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(
  diagnostics: readonly Diagnostic[],
  options: { color?: boolean } = {},
): string {
  return diagnostics.map((d) => formatDiagnostic(d, options)).join('\n');
}

/** `2 errors, 1 warning`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${counted(errors, 'error')}, ${counted(warnings, 'warning')}`;
}
