import { describe, expect, it } from 'vitest';
import { recordedShareChange } from '../../src/diff/share-changes.js';

const now = (path: string, fullAccess: string[] = []) => ({
  op: 'createShare' as const,
  name: 'Data',
  path,
  fullAccess,
});

describe('a share against its record', () => {
  it('a new path: before and after in the plan, made again (the old folder stays)', () => {
    expect(
      recordedShareChange(
        { op: 'createShare', name: 'Data', path: 'C:\\Shares\\Data' },
        now('C:\\Data2'),
        'share.Data',
      ),
    ).toEqual({
      diff: [
        { path: 'share.Data', before: 'share Data (C:\\Shares\\Data)', after: 'share Data (C:\\Data2)' },
      ],
      reasons: [
        "share Data is made again at C:\\Data2: Set-SmbShare cannot change a share's path (C:\\Shares\\Data and its files stay)",
      ],
    });
  });

  it('the same path in another case is the same share', () => {
    expect(
      recordedShareChange(
        { op: 'createShare', name: 'Data', path: 'c:\\shares\\data' },
        now('C:\\Shares\\Data'),
        'share.Data',
      ),
    ).toEqual({ diff: [], reasons: [] });
  });

  it('Full access: granted and revoked accounts; spelled otherwise is the same list', () => {
    const recorded = {
      op: 'createShare' as const,
      name: 'Data',
      path: 'C:\\D',
      fullAccess: ['CONTOSO\\Old', 'Administrators'],
    };
    expect(
      recordedShareChange(recorded, now('C:\\D', ['BUILTIN\\Administrators', 'CONTOSO\\New']), 'share.Data'),
    ).toEqual({
      diff: [
        {
          path: 'share.Data.fullAccess',
          before: ['CONTOSO\\Old', 'Administrators'],
          after: ['BUILTIN\\Administrators', 'CONTOSO\\New'],
        },
      ],
      reasons: ['Full access to share Data is granted to CONTOSO\\New and is revoked from CONTOSO\\Old'],
    });
    expect(
      recordedShareChange(recorded, now('C:\\D', ['administrators', 'contoso\\old']), 'share.Data'),
    ).toEqual({
      diff: [],
      reasons: [],
    });
  });

  it('a record without fullAccess (a share made without it) against a list; a moved share says only that it is made again', () => {
    const change = recordedShareChange(
      { op: 'createShare', name: 'Data', path: 'C:\\D' },
      now('C:\\E', ['CONTOSO\\Ops']),
      'share.Data',
    );
    expect(change.diff.map((d) => [d.path, d.before, d.after])).toEqual([
      ['share.Data', 'share Data (C:\\D)', 'share Data (C:\\E)'],
      ['share.Data.fullAccess', [], ['CONTOSO\\Ops']],
    ]);
    expect(change.reasons).toHaveLength(1);
  });
});
