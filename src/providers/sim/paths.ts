/** Windows paths as the simulator compares them: case-insensitive, either slash. */
export function normPath(p: string): string {
  return p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
}

export function samePath(a: string, b: string): boolean {
  return normPath(a) === normPath(b);
}

/** `p` is `folder` or inside it. */
export function isUnder(p: string, folder: string): boolean {
  const f = normPath(folder);
  const n = normPath(p);
  return n === f || n.startsWith(`${f}\\`);
}

export function isSmbPath(p: string): boolean {
  return /^\\\\[^\\]+\\[^\\]+/.test(p.replace(/\//g, '\\'));
}

export function isCsvPath(p: string): boolean {
  return /^c:\\clusterstorage\\[^\\]+/i.test(p.replace(/\//g, '\\'));
}

/** Files every host sees (cluster shared volumes, SMB shares) live in the shared document. */
export function isSharedStoragePath(p: string): boolean {
  return isSmbPath(p) || isCsvPath(p);
}

export function extensionOf(p: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(p);
  return m ? m[1]!.toLowerCase() : '';
}
