/**
 * Who has Full access to an SMB share, as labform manages it (docs/roles.md, "fileServer"): the
 * manifest's `fullAccess` is the share's whole list of accounts with Full / Allow; Change and
 * Read entries are left as they are.
 *
 * New-SmbShare with -FullAccess grants exactly those accounts Full (Microsoft Learn,
 * "Get-SmbShareAccess" example 1 lists the two Full / Allow entries of the share "New-SmbShare"
 * example 1 made, nothing else); without any access parameter it grants Everyone Read
 * (ComputerManagementDsc, DSC_SmbShare README: "If all the access permission parameters are
 * removed, then by design, the cmdlet New-SmbShare will add the *Everyone* group with read
 * access permission"; Microsoft TechNet, "Share permissions": "Everyone = Read (which is the
 * default)"). A share made without `fullAccess` therefore has no Full entry and is in its
 * wanted state.
 *
 * The simulator uses these rules; the Hyper-V provider's guest script
 * (LabformGuest.Services.ps1, Test-LabformSameAccount) applies the same name rule when Windows
 * cannot translate both names to SIDs.
 */

/** One allow entry of a share's ACL (labform never writes deny entries). */
export interface ShareAce {
  account: string;
  right: 'Full' | 'Change' | 'Read';
}

/** The account New-SmbShare gives Read when no access parameter is given. */
export const EVERYONE = 'Everyone';

/** `alice` of `CONTOSO\alice`, `alice@contoso.com` and `alice`, lower-cased. */
function accountPart(name: string): string {
  const n = name.trim().toLowerCase();
  const slash = n.lastIndexOf('\\');
  if (slash >= 0) return n.slice(slash + 1);
  const at = n.indexOf('@');
  return at >= 0 ? n.slice(0, at) : n;
}

/**
 * Do two account names name one account? Windows reports an account qualified
 * (`BUILTIN\Administrators`, `CONTOSO\alice`) where the manifest may write it bare
 * (`Administrators`) or as a UPN (`alice@contoso.com`): equal names, or the same account part
 * when either side is bare or a UPN. Two different domains are two accounts.
 */
export function sameAccount(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === y) return true;
  if ((x.includes('\\') && y.includes('\\')) || (x.includes('@') && y.includes('@'))) return false;
  return accountPart(x) === accountPart(y);
}

/** The same accounts, in any order and spelling (`sameAccount`). */
export function sameAccounts(a: readonly string[], b: readonly string[]): boolean {
  return a.every((x) => b.some((y) => sameAccount(x, y))) && b.every((y) => a.some((x) => sameAccount(x, y)));
}

/** The ACL New-SmbShare gives a new share: -FullAccess accounts Full, else Everyone Read. */
export function newShareAccess(fullAccess: readonly string[]): ShareAce[] {
  return fullAccess.length > 0
    ? fullAccess.map((account) => ({ account, right: 'Full' }))
    : [{ account: EVERYONE, right: 'Read' }];
}

/** What makes a share's Full access the manifest's: accounts to grant Full, accounts to revoke. */
export function fullAccessChanges(
  acl: readonly ShareAce[],
  fullAccess: readonly string[],
): { grant: string[]; revoke: string[] } {
  const full = acl.filter((e) => e.right === 'Full').map((e) => e.account);
  return {
    grant: fullAccess.filter((a) => !full.some((f) => sameAccount(a, f))),
    revoke: [...new Set(full.filter((f) => !fullAccess.some((a) => sameAccount(a, f))))],
  };
}

/** What the probe saw of Full access, or '' when it is the manifest's. */
export function fullAccessDrift(changes: { grant: string[]; revoke: string[] }): string {
  return [
    changes.grant.length ? `no Full access for ${changes.grant.join(', ')}` : '',
    changes.revoke.length ? `Full access also for ${changes.revoke.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
