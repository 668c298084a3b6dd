/** Joins Windows path parts with backslashes (host paths are Windows paths even when labform runs elsewhere). */
export function joinWindowsPath(base: string, ...parts: string[]): string {
  return [base.replace(/[\\/]+$/, ''), ...parts].join('\\');
}
