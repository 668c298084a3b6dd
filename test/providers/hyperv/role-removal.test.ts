/**
 * Removed roles on the Hyper-V provider over the fake module (real pwsh, real guest scripts):
 * apply a workgroup server with a DHCP server, a file share and a script; drop the file server
 * and the DHCP server from the manifest; the plan (its probes inside discovery, the guest's role
 * records read back) shows them as `- role...` with Remove-SmbShare, Remove-DhcpServerv4Scope and
 * Uninstall-WindowsFeature, says the script cannot be undone when it goes too, apply runs exactly
 * that, and a second plan is empty.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Lab } from '../../../src/manifest/lab.js';
import { hasChanges } from '../../../src/app/make-plan.js';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { WORKGROUP_SERVER_IMAGE, workgroupServerLab } from './helpers/workgroup-server-lab.js';
import { planAndApply as planAndApply_ } from '../../support/plan-apply.js';

const PASSWORD_ENV = 'LABFORM_TEST_ROLE_REMOVAL_PASSWORD';
const env = { [PASSWORD_ENV]: 'Removal-Passw0rd!' };

const lab = (roles: string[]): Lab => workgroupServerLab({ name: 'roles', passwordEnv: PASSWORD_ENV, roles });

const SHARE = [
  '      - fileServer:',
  '          shares:',
  '            - name: labdata',
  '              path: C:\\Shares\\labdata',
];
const DHCP = [
  '      - dhcpServer:',
  '          scopes:',
  '            - network: LabNet',
  '              start: 192.168.77.100',
  '              end: 192.168.77.150',
];
const SCRIPT = ['      - script:', '          run: "\'configured\' | Out-Null"'];

describePwsh('removed roles on the Hyper-V provider (fake module)', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    fake = await createFakeHyperV({
      lab: lab([...SHARE]),
      seeds: { hv01: { images: [{ path: WORKGROUP_SERVER_IMAGE, os: 'windows' }] } },
    });
  }, 120_000);
  afterAll(async () => fake?.dispose());

  const { plan: planOnly, run: planAndApply } = planAndApply_({ provider: () => fake.provider, env });

  it('plans and undoes them, and a second plan is empty', async () => {
    const first = await planAndApply(lab([...DHCP, ...SHARE, ...SCRIPT]));
    expect(first.result.rootCauses).toEqual([]);
    const guest = () => fake.state('hv01').vms.find((v: { name: string }) => v.name === 'app01').guest;
    expect(guest().shares.map((s: { name: string }) => s.name)).toEqual(['labdata']);

    const smaller = lab([...SCRIPT]);
    const { plan, result } = await planAndApply(smaller);
    const changes = Object.fromEntries(
      plan.changes.filter((c) => c.action !== 'noop').map((c) => [c.address, c]),
    );
    expect(Object.keys(changes).sort()).toEqual(['role.app01.dhcpServer', 'role.app01.fileServer']);
    expect(changes['role.app01.fileServer']).toMatchObject({ action: 'delete' });
    const ops = plan.steps.flatMap((s) => (s.type === 'guest' ? [`${s.address} ${s.operation.op}`] : []));
    expect(ops).toEqual([
      'role.app01.dhcpServer removeDhcpScope',
      'role.app01.dhcpServer uninstallFeatures',
      'role.app01.dhcpServer forgetRole',
      'role.app01.fileServer removeShare',
      'role.app01.fileServer forgetRole',
    ]);
    expect(result.rootCauses).toEqual([]);
    expect(guest().shares).toEqual([]);
    expect(guest().dhcpScopes).toEqual([]);
    expect(guest().features).not.toContain('DHCP');
    expect(hasChanges(await planOnly(smaller))).toBe(false);

    // The script goes too: nothing to undo, and the plan says so.
    const none = lab(['      []']);
    const last = await planOnly(none);
    expect(last.changes.find((c) => c.address === 'role.app01.script')).toMatchObject({
      action: 'delete',
    });
    expect(last.warnings.map((w) => w.rule)).toEqual(['role-not-undone']);
  }, 600_000);
});
