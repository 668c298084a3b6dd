export type Severity = 'error' | 'warning';

/** One finding about a manifest: printed as `file:line:col: error[rule]: message`. */
export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case rule id, e.g. `nat-single-per-host`, `schema`, `yaml-syntax`. */
  rule: string;
  message: string;
  file: string;
  /** 1-based; 0 when the position is unknown. */
  line: number;
  /** 1-based; 0 when the position is unknown. */
  column: number;
  /** JSON pointer into the manifest document, e.g. `/networks/2`. */
  pointer: string;
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
