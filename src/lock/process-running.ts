import fs from 'node:fs';

/**
 * The scheduling state of a process from `/proc/<pid>/stat` (Linux), or undefined where there is
 * no procfs. The second field (the command name) is in parentheses and may itself hold spaces or
 * parentheses, so the state is the first field after the LAST `)` (proc(5)).
 */
function procState(pid: number): string | 'gone' | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return fs.existsSync('/proc/self/stat') ? 'gone' : undefined;
    return undefined;
  }
  const close = text.lastIndexOf(')');
  return close < 0 ? undefined : text.slice(close + 2, close + 3);
}

/**
 * Whether `pid` names a process that is still running. A zombie (killed, not yet reaped by its
 * parent: state `Z`) or a dying process (`X`) is not running: it can never release a lock, and
 * `process.kill(pid, 0)` would still succeed for it. Without procfs (Windows, macOS),
 * `process.kill(pid, 0)`: EPERM means it exists but belongs to someone else.
 */
export function processRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const state = procState(pid);
  if (state === 'gone') return false;
  if (state !== undefined) return state !== 'Z' && state !== 'X' && state !== 'x';
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
