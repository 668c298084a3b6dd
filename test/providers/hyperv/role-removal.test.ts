/**
 * Removed roles on the Hyper-V provider over the fake module (real pwsh, real guest scripts):
 * apply a workgroup server with a DHCP server, a file share and a script; drop the file server
 * and the DHCP server from the manifest; the plan (its probes inside discovery, the guest's role
 * records read back) shows them as `- role...` with Remove-SmbShare, Remove-DhcpServerv4Scope and
 * Uninstall-WindowsFeature, says the script cannot be undone when it goes too, apply runs exactly
 * that, and a second plan is empty.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadLabFromText } from '../../../src/manifest/load-lab.js';
import type { Lab } from '../../../src/manifest/lab.js';
import { hasChanges, makePlan } from '../../../src/app/make-plan.js';
import { executePlan } from '../../../src/executor/execute-plan.js';
import { RealClock } from '../../../src/clock/clock.js';
import { silentLogger } from '../../../src/log/logger.js';
import { createCredentialResolver } from '../../../src/secrets/resolver.js';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';

const IMAGE = 'D:\\Images\\WS2022.vhdx';
const PASSWORD_ENV = 'LABFORM_TEST_ROLE_REMOVAL_PASSWORD';
const env = { [PASSWORD_ENV]: 'Removal-Passw0rd!' };

function lab(roles: string[]): Lab {
  const text = [
    'apiVersion: labform/v1',
    'kind: Lab',
    'name: roles',
    'settings:',
    '  storagePath: D:\\Labs\\{lab}',
    'hosts:',
    '  - name: hv01',
    '    connect: local',
    'images:',
    '  - name: ws2022',
    `    path: ${IMAGE}`,
    '    os: windows',
    '    generation: 2',
    'credentials:',
    '  - name: lab-admin',
    '    username: Administrator',
    `    password: { fromEnv: ${PASSWORD_ENV} }`,
    'networks:',
    '  - name: LabNet',
    '    type: internal',
    '    host: hv01',
    '    prefix: 192.168.77.0/24',
    'vms:',
    '  - name: app01',
    '    host: hv01',
    '    image: ws2022',
    '    credential: lab-admin',
    '    network:',
    '      - network: LabNet',
    '        ip: 192.168.77.10',
    '    roles:',
    ...roles,
  ].join('\n');
  const { lab: loaded, diagnostics } = loadLabFromText({ text, file: '/labs/roles.yaml' });
  if (!loaded) throw new Error(diagnostics.map((d) => `${d.rule}: ${d.message}`).join('; '));
  return loaded;
}

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
      seeds: { hv01: { images: [{ path: IMAGE, os: 'windows' }] } },
    });
  }, 120_000);
  afterAll(async () => fake?.dispose());

  async function planAndApply(l: Lab) {
    const credentials = createCredentialResolver({ lab: l, env });
    const { plan } = await makePlan({
      lab: l,
      provider: fake.provider,
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    const result = await executePlan({
      plan,
      provider: fake.provider,
      credentials,
      clock: new RealClock(),
      parallelism: 4,
      perHostParallelism: 4,
    });
    return { plan, result };
  }

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
    const credentials = createCredentialResolver({ lab: smaller, env });
    const again = await makePlan({
      lab: smaller,
      provider: fake.provider,
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    expect(hasChanges(again.plan)).toBe(false);

    // The script goes too: nothing to undo, and the plan says so.
    const none = lab(['      []']);
    const last = await makePlan({
      lab: none,
      provider: fake.provider,
      credentials: createCredentialResolver({ lab: none, env }),
      logger: silentLogger,
      mode: 'apply',
    });
    expect(last.plan.changes.find((c) => c.address === 'role.app01.script')).toMatchObject({
      action: 'delete',
    });
    expect(last.plan.warnings.map((w) => w.rule)).toEqual(['role-not-undone']);
  }, 600_000);
});
