/**
 * PURE: a share of a kept fileServer role against what the guest's role record says it made
 * (src/roles/role-record.ts): a new path (Set-SmbShare has no -Path, so the share is removed and
 * made again; the old folder and its files stay) and a new Full access list are shown with their
 * before and after, in the plan's words (`share.Data: "share Data (C:\Shares\Data)" -> "share
 * Data (C:\Data2)"`, `share.Data.fullAccess: ["CONTOSO\Ops"] -> ["CONTOSO\Admins"]`).
 */
import type { PropertyDiff } from '../model/change.js';
import type { GuestOperation } from '../model/guest-operation.js';
import { sameAccount, sameAccounts } from '../model/share-access.js';
import type { RecordedOperation } from '../roles/role-record.js';

type CreateShare = Extract<GuestOperation, { op: 'createShare' }>;

/** `share Data (C:\Shares\Data)`: a share as the plan names it. */
export function shareText(name: string, path: string): string {
  return `share ${name} (${path})`;
}

/** The Full access list a record holds (none when the share was made without one). */
function recordedFullAccess(op: RecordedOperation): string[] {
  return Array.isArray(op.fullAccess) ? op.fullAccess.map(String) : [];
}

/**
 * How the share `now` differs from the recorded one, keyed by `tail` (`share.Data`): the diff
 * lines and what apply does about them; nothing when they are the same share.
 */
export function recordedShareChange(
  recorded: RecordedOperation,
  now: CreateShare,
  tail: string,
): { diff: PropertyDiff[]; reasons: string[] } {
  const diff: PropertyDiff[] = [];
  const reasons: string[] = [];
  const path = typeof recorded.path === 'string' ? recorded.path : '';
  const moved = path.toLowerCase() !== now.path.toLowerCase();
  if (moved) {
    diff.push({ path: tail, before: shareText(now.name, path), after: shareText(now.name, now.path) });
    reasons.push(
      `share ${now.name} is made again at ${now.path}: Set-SmbShare cannot change a share's path (${path} and its files stay)`,
    );
  }
  const before = recordedFullAccess(recorded);
  if (!sameAccounts(before, now.fullAccess)) {
    diff.push({ path: `${tail}.fullAccess`, before, after: [...now.fullAccess] });
    const granted = now.fullAccess.filter((a) => !before.some((b) => sameAccount(a, b)));
    const revoked = before.filter((b) => !now.fullAccess.some((a) => sameAccount(a, b)));
    // A share made again gets the new list from New-SmbShare itself.
    if (!moved)
      reasons.push(
        `Full access to share ${now.name}${granted.length ? ` is granted to ${granted.join(', ')}` : ''}${
          granted.length && revoked.length ? ' and' : ''
        }${revoked.length ? ` is revoked from ${revoked.join(', ')}` : ''}`,
      );
  }
  return { diff, reasons };
}
