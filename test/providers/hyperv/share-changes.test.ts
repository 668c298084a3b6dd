/**
 * Day-two changes of a share on the Hyper-V provider over the fake module (real pwsh, real guest
 * scripts): a workgroup server's share moved to another path (Set-SmbShare has no -Path: the
 * share is removed and made again) and its fullAccess changed (Grant-/Revoke-SmbShareAccess).
 * Each plan shows the change from the guest's role record with before and after, apply makes it,
 * and a second plan is empty. The simulator's side: test/plan/role-records.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Lab } from '../../../src/manifest/lab.js';
import { hasChanges } from '../../../src/app/make-plan.js';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { WORKGROUP_SERVER_IMAGE, workgroupServerLab } from './helpers/workgroup-server-lab.js';
import { planAndApply as planAndApply_ } from '../../support/plan-apply.js';

const PASSWORD_ENV = 'LABFORM_TEST_SHARE_CHANGES_PASSWORD';
const env = { [PASSWORD_ENV]: 'Shares-Passw0rd!' };

const lab = (roles: string[]): Lab =>
  workgroupServerLab({ name: 'shares', passwordEnv: PASSWORD_ENV, roles });

/** A fileServer role with one share `labdata`. */
const share = (path: string, fullAccess: string[] = []) => [
  '      - fileServer:',
  '          shares:',
  '            - name: labdata',
  `              path: ${path}`,
  ...(fullAccess.length ? [`              fullAccess: [${fullAccess.map((a) => `'${a}'`).join(', ')}]`] : []),
];

describePwsh('a share moved and its Full access changed, on the Hyper-V provider (fake module)', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    fake = await createFakeHyperV({
      lab: lab(share('C:\\Shares\\labdata')),
      seeds: { hv01: { images: [{ path: WORKGROUP_SERVER_IMAGE, os: 'windows' }] } },
    });
  }, 120_000);
  afterAll(async () => fake?.dispose());

  const { plan, run: planAndApply } = planAndApply_({ provider: () => fake.provider, env });

  const shares = () =>
    fake.state('hv01').vms.find((v: { name: string }) => v.name === 'app01').guest.shares as {
      name: string;
      path: string;
      access: { account: string; type: string; right: string }[];
    }[];

  it('plans each change from the guest record, apply makes it, and a second plan is empty', async () => {
    expect((await planAndApply(lab(share('C:\\Shares\\labdata')))).result.rootCauses).toEqual([]);
    expect(shares()).toEqual([
      {
        name: 'labdata',
        path: 'C:\\Shares\\labdata',
        access: [{ account: 'Everyone', type: 'Allow', right: 'Read' }],
      },
    ]);

    // The path: Remove-SmbShare, New-SmbShare at the new one.
    const moved = lab(share('C:\\Data2'));
    const first = await planAndApply(moved);
    const change = first.plan.changes.find((c) => c.address === 'role.app01.fileServer')!;
    expect(change).toMatchObject({
      action: 'update',
      reason:
        "share labdata is made again at C:\\Data2: Set-SmbShare cannot change a share's path (C:\\Shares\\labdata and its files stay)",
      diff: [
        {
          path: 'share.labdata',
          before: 'share labdata (C:\\Shares\\labdata)',
          after: 'share labdata (C:\\Data2)',
        },
      ],
    });
    expect(first.result.rootCauses).toEqual([]);
    expect(shares().map((s) => s.path)).toEqual(['C:\\Data2']);
    expect(hasChanges(await plan(moved))).toBe(false);

    // Full access: granted, then another account's instead.
    const granted = lab(share('C:\\Data2', ['APP01\\Ops']));
    const second = await planAndApply(granted);
    expect(second.plan.changes.find((c) => c.address === 'role.app01.fileServer')).toMatchObject({
      action: 'update',
      reason: 'Full access to share labdata is granted to APP01\\Ops',
      diff: [{ path: 'share.labdata.fullAccess', before: [], after: ['APP01\\Ops'] }],
    });
    expect(second.result.rootCauses).toEqual([]);
    expect(hasChanges(await plan(granted))).toBe(false);
    const swapped = lab(share('C:\\Data2', ['Administrators']));
    const third = await planAndApply(swapped);
    expect(third.plan.changes.find((c) => c.address === 'role.app01.fileServer')).toMatchObject({
      reason: 'Full access to share labdata is granted to Administrators and is revoked from APP01\\Ops',
      diff: [{ path: 'share.labdata.fullAccess', before: ['APP01\\Ops'], after: ['Administrators'] }],
    });
    expect(third.result.rootCauses).toEqual([]);
    expect(shares()[0]!.access).toEqual([
      { account: 'Everyone', type: 'Allow', right: 'Read' },
      { account: 'Administrators', type: 'Allow', right: 'Full' },
    ]);
    expect(hasChanges(await plan(swapped))).toBe(false);
  }, 900_000);
});
