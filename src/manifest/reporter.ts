import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { parentPointer } from './pointer.js';

export interface Position {
  line: number;
  column: number;
}

export interface Finding {
  rule: string;
  pointer: string;
  message: string;
  hint?: string;
  /** Report at the key of this pointer (e.g. an unknown key) instead of its value. */
  atKey?: boolean;
}

/** Collects diagnostics, placing each at its node (or the nearest ancestor that has a position). */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly positions: ReadonlyMap<string, Position>,
    readonly keyPositions: ReadonlyMap<string, Position> = new Map(),
  ) {}

  positionOf(pointer: string, atKey = false): Position {
    if (atKey) {
      const key = this.keyPositions.get(pointer);
      if (key) return key;
    }
    for (let p: string | undefined = pointer; p !== undefined; p = parentPointer(p)) {
      const position = this.positions.get(p);
      if (position) return position;
    }
    return { line: 0, column: 0 };
  }

  error(finding: Finding): void {
    this.add('error', finding);
  }

  warning(finding: Finding): void {
    this.add('warning', finding);
  }

  add(severity: Severity, finding: Finding): void {
    const { line, column } = this.positionOf(finding.pointer, finding.atKey);
    const diagnostic: Diagnostic = {
      severity,
      rule: finding.rule,
      message: finding.message,
      file: this.file,
      line,
      column,
      pointer: finding.pointer,
    };
    if (finding.hint) diagnostic.hint = finding.hint;
    this.diagnostics.push(diagnostic);
  }
}

/** Document order, then errors first; exact duplicates dropped. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.severity}\u0000${d.rule}\u0000${d.pointer}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (d: Diagnostic) => (d.line === 0 ? Number.MAX_SAFE_INTEGER : d.line);
  return unique.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}
