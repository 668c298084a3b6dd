/**
 * Windows paths on Hyper-V hosts. Host paths are Windows paths even when labform runs elsewhere,
 * and Windows compares them case-insensitively and with either slash.
 */

/** The key two paths compare by: backslashes, no trailing separator, lower case. */
export function pathKey(p: string): string {
  return p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
}

/** Same path (two missing paths are the same too). */
export function samePath(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return pathKey(a) === pathKey(b);
}

/** `p` is `folder` or inside it. */
export function isUnder(p: string, folder: string): boolean {
  const f = pathKey(folder);
  const n = pathKey(p);
  return n === f || n.startsWith(`${f}\\`);
}

export function extensionOf(p: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(p);
  return m ? m[1]!.toLowerCase() : '';
}

/** The last component of a Windows path. */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

/** Joins Windows path parts with backslashes. */
export function joinWindowsPath(base: string, ...parts: string[]): string {
  return [base.replace(/[\\/]+$/, ''), ...parts].join('\\');
}
