import { describe, expect, it } from 'vitest';
import {
  fullAccessChanges,
  fullAccessDrift,
  newShareAccess,
  sameAccount,
  sameAccounts,
} from '../../src/model/share-access.js';

describe('share access', () => {
  it('one account under its bare, qualified, UPN and other-case names; other domains are other accounts', () => {
    expect(sameAccount('Administrators', 'BUILTIN\\Administrators')).toBe(true);
    expect(sameAccount('contoso\\alice', 'CONTOSO\\Alice')).toBe(true);
    expect(sameAccount('alice@contoso.com', 'CONTOSO\\alice')).toBe(true);
    expect(sameAccount('Everyone', 'everyone')).toBe(true);
    expect(sameAccount('CONTOSO\\alice', 'FABRIKAM\\alice')).toBe(false);
    expect(sameAccount('alice@contoso.com', 'alice@fabrikam.com')).toBe(false);
    expect(sameAccount('alice', 'bob')).toBe(false);
    expect(sameAccounts(['A', 'CONTOSO\\b'], ['contoso\\B', 'a'])).toBe(true);
    expect(sameAccounts(['A'], ['A', 'B'])).toBe(false);
    expect(sameAccounts([], [])).toBe(true);
  });

  it('New-SmbShare gives -FullAccess accounts Full, and Everyone Read without any', () => {
    expect(newShareAccess(['CONTOSO\\Ops'])).toEqual([{ account: 'CONTOSO\\Ops', right: 'Full' }]);
    expect(newShareAccess([])).toEqual([{ account: 'Everyone', right: 'Read' }]);
  });

  it("the manifest's list is the share's Full access: Read entries are not Full access to revoke", () => {
    const acl = [
      { account: 'Everyone', right: 'Read' as const },
      { account: 'BUILTIN\\Administrators', right: 'Full' as const },
      { account: 'CONTOSO\\Old', right: 'Full' as const },
    ];
    const changes = fullAccessChanges(acl, ['Administrators', 'CONTOSO\\New']);
    expect(changes).toEqual({ grant: ['CONTOSO\\New'], revoke: ['CONTOSO\\Old'] });
    expect(fullAccessDrift(changes)).toBe(
      'no Full access for CONTOSO\\New; Full access also for CONTOSO\\Old',
    );
    expect(fullAccessChanges([{ account: 'Everyone', right: 'Read' }], [])).toEqual({
      grant: [],
      revoke: [],
    });
    expect(fullAccessDrift({ grant: [], revoke: [] })).toBe('');
  });
});
