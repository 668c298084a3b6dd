import type { Diagnostic } from '../model/diagnostic.js';

const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

/** `file:line:col: error[rule]: message`, then `  at /pointer` and `  hint: ...` (spec section 5). */
export function formatDiagnostic(d: Diagnostic, options: { color?: boolean } = {}): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const label = paint(d.severity === 'error' ? RED : YELLOW, `${d.severity}[${d.rule}]`);
  const lines = [`${where}: ${label}: ${d.message}`];
  if (d.pointer) lines.push(paint(DIM, `  at ${d.pointer}`));
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: { color?: boolean } = {}): string {
  return diagnostics.map((d) => formatDiagnostic(d, options)).join('\n');
}

/** `2 errors, 1 warning`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
