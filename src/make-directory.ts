import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node's `mkdirSync(dir, { recursive: true })` never returns for
 * a path under a pseudo file system whose mkdir answers ENOENT (`/proc/x` spins at full CPU and
 * ignores SIGTERM), so each missing folder is made with a plain mkdir, outermost first, and any
 * error other than EEXIST is thrown as it is (the caller says what it means for the user).
 */
export function makeDirectorySync(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!statSync(at, { throwIfNoEntry: false })) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
