import { joinPointer } from '../pointer.js';
import type { Rule } from './context.js';
import { isUnder } from '../../model/windows-path.js';

/** A guest path labform can copy to: a drive path on Windows (`C:\Media`), an absolute path on Linux (`/opt/media`). */
function guestPathProblem(os: 'windows' | 'linux', to: string): string | undefined {
  if (os === 'windows') {
    if (!/^[A-Za-z]:[\\/]/.test(to))
      return 'is not an absolute Windows path in the guest (C:\\Media\\SQL2016)';
    if (/[\u0000-\u001f"<>|?*]/.test(to.slice(2))) return 'has a character Windows does not allow in a path';
  } else {
    if (!to.startsWith('/')) return 'is not an absolute path in the Linux guest (/opt/media)';
    if (/[\u0000-\u001f]/.test(to)) return 'has a control character';
  }
  if (to.split(/[\\/]/).some((part) => part === '..')) return 'climbs out with ..';
  return undefined;
}

/** Two targets where one copy would overwrite or contain the other. */
function overlaps(os: 'windows' | 'linux', a: string, b: string): boolean {
  if (os === 'windows') return isUnder(a, b) || isUnder(b, a);
  const norm = (p: string) => p.replace(/\/+$/, '') || '/';
  const [x, y] = [norm(a), norm(b)];
  const under = (p: string, f: string) => p === f || p.startsWith(f === '/' ? '/' : `${f}/`);
  return under(x, y) || under(y, x);
}

/**
 * `files:` on a VM: each `to` is an absolute path of the guest's OS, and no two copies land on
 * or inside each other (both would be "done" only in turn, so every apply would copy again).
 * `from` is checked against the host at plan time (files-source-missing, diff/plan-time-rules.ts).
 */
export const checkGuestFiles: Rule = (ctx) => {
  for (const vm of ctx.entryVms) {
    const name = ctx.entryName(vm);
    vm.files.forEach((entry, i) => {
      const problem = guestPathProblem(vm.os, entry.to);
      if (problem) {
        ctx.report.error({
          rule: 'files-guest-path',
          pointer: joinPointer(vm.pointer, 'files', i, 'to'),
          message: `vm ${name}: files[${i}].to ${entry.to} ${problem}`,
          hint:
            vm.os === 'windows'
              ? 'give the full path in the Windows guest, e.g. to: C:\\Media\\SQL2016'
              : 'give the full path in the Linux guest, e.g. to: /opt/media',
        });
        return;
      }
      const earlier = vm.files.findIndex(
        (other, j) =>
          j < i && guestPathProblem(vm.os, other.to) === undefined && overlaps(vm.os, other.to, entry.to),
      );
      if (earlier >= 0)
        ctx.report.error({
          rule: 'files-target-overlap',
          pointer: joinPointer(vm.pointer, 'files', i, 'to'),
          message: `vm ${name}: files[${i}].to ${entry.to} overlaps files[${earlier}].to ${vm.files[earlier]!.to}`,
          hint: 'copy each source to its own folder, none inside another',
        });
    });
  }
};
