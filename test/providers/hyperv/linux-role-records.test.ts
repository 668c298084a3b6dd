/**
 * Role records of a Linux guest on the Hyper-V provider over the fake module (real pwsh running
 * the provider's scripts; the fake ssh runs labform's real bash in the fake guest): each bash
 * script role ends with its record in /var/lib/labform/roles (the folder root's alone, the file
 * written through a temporary file and mv); the plan reads the records back inside the host's
 * discovery request; a changed script shows its line diff; a removed one is `- role...` with the
 * role-not-undone warning, apply deletes its record, and the next plan is empty.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planAndApply } from '../../support/plan-apply.js';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { loadLabFromText } from '../../../src/manifest/load-lab.js';
import type { Lab } from '../../../src/manifest/lab.js';
import { hasChanges } from '../../../src/app/make-plan.js';
import { formatPlanText } from '../../../src/render/plan-text.js';
import type { Plan } from '../../../src/plan/plan.js';

const ENV = 'LABFORM_TEST_LINUX_RECORDS_PASSWORD';
const IMAGE = 'D:\\Images\\ubuntu.vhdx';
/** Quotes, a dollar sign and non-ASCII text: what the record must carry byte for byte over the 5.1 wire. */
const FIRST = `echo "it's \${HOME} — grüße" > /tmp/first`;

function labOf(scripts: string[]): Lab {
  const roles = scripts.length
    ? [
        '    roles:',
        ...scripts.flatMap((run) => [
          '      - script:',
          '          shell: bash',
          `          run: ${JSON.stringify(run)}`,
        ]),
      ]
    : ['    roles: []'];
  const text = [
    'apiVersion: labform/v1',
    'kind: Lab',
    'name: lxrec',
    'settings:',
    '  storagePath: D:\\Labs\\lxrec',
    'hosts:',
    '  - name: hv01',
    'images:',
    '  - name: ubuntu',
    `    path: ${IMAGE}`,
    '    os: linux',
    'credentials:',
    '  - name: ops',
    '    username: labops',
    `    password: { fromEnv: ${ENV} }`,
    'networks:',
    '  - name: LabNet',
    '    type: nat',
    '    prefix: 10.32.0.0/24',
    'vms:',
    '  - name: web01',
    '    image: ubuntu',
    '    credential: ops',
    '    network:',
    '      - network: LabNet',
    '        ip: auto',
    ...roles,
  ].join('\n');
  const { lab, diagnostics } = loadLabFromText({ text, file: 'lxrec.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describePwsh('Linux role records: the Hyper-V provider on the fake module', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    process.env[ENV] = 'Linux-Rec0rds!';
    fake = await createFakeHyperV({
      lab: labOf([FIRST]),
      seeds: { hv01: { images: [{ path: IMAGE, os: 'linux' }] } },
    });
  }, 60_000);
  afterAll(async () => {
    await fake?.dispose();
    delete process.env[ENV];
  });

  const { plan, apply } = planAndApply({ provider: () => fake.provider });
  /** The fake guest's /var/lib/labform/roles, a real folder (fake-openssh.mjs guestRoot). */
  const rolesFolder = () =>
    join(dirname(fake.statePath('hv01')), 'fake-guests', 'web01', 'linux', 'var', 'lib', 'labform', 'roles');
  const record = (address: string) =>
    JSON.parse(readFileSync(join(rolesFolder(), `${address}.json`), 'utf8'));
  const ops = (p: Plan) =>
    p.steps.flatMap((s) => (s.type === 'guest' ? [`${s.address} ${s.operation.op}`] : []));

  it('records each script, reads the records back, shows a changed script, forgets a removed one', async () => {
    const second = 'mkdir -p /opt/two';
    const first = await plan(labOf([FIRST, second]));
    expect(ops(first)).toEqual([
      'role.web01.script runScript',
      'role.web01.script.2 runScript',
      'role.web01.script recordRole',
      'role.web01.script.2 recordRole',
    ]);
    await apply(labOf([FIRST, second]), first);
    // Root's alone, whatever the image's umask; no temporary file left.
    expect(statSync(rolesFolder()).mode & 0o777).toBe(0o700);
    expect(readdirSync(rolesFolder()).sort()).toEqual(['role.web01.script.2.json', 'role.web01.script.json']);
    expect(statSync(join(rolesFolder(), 'role.web01.script.json')).mode & 0o777).toBe(0o600);
    expect(record('role.web01.script')).toMatchObject({
      address: 'role.web01.script',
      tasks: [{ key: 'script/run', operation: { op: 'runScript', shell: 'bash', run: FIRST } }],
    });
    expect(hasChanges(await plan(labOf([FIRST, second])))).toBe(false);

    // A changed script: its line diff, from the record the probe read back.
    const changed = `${FIRST}\ntouch /tmp/changed`;
    const update = await plan(labOf([changed, second]));
    const change = update.changes.find((c) => c.address === 'role.web01.script')!;
    expect(change).toMatchObject({ action: 'update', reason: 'the script changed: it runs again' });
    expect(change.diff).toEqual([{ path: 'run', before: FIRST, after: changed }]);
    expect(formatPlanText(update)).toContain(`            ${FIRST}\n          + touch /tmp/changed`);
    await apply(labOf([changed, second]), update);
    expect(record('role.web01.script').tasks[0].operation.run).toBe(changed);
    expect(hasChanges(await plan(labOf([changed, second])))).toBe(false);

    // Every script removed: the guest has no task left, its records are still read.
    const none = labOf([]);
    const removal = await plan(none);
    expect(removal.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.address}`)).toEqual(
      ['delete role.web01.script', 'delete role.web01.script.2'],
    );
    expect(removal.warnings.map((w) => [w.rule, w.hint])).toEqual([
      [
        'role-not-undone',
        'undo it with a script of your own, or replace the VM for a clean guest: labform apply --replace vm.web01',
      ],
      [
        'role-not-undone',
        'undo it with a script of your own, or replace the VM for a clean guest: labform apply --replace vm.web01',
      ],
    ]);
    expect(ops(removal)).toEqual(['role.web01.script forgetRole', 'role.web01.script.2 forgetRole']);
    await apply(none, removal);
    expect(existsSync(rolesFolder()) && readdirSync(rolesFolder())).toEqual([]);
    // What the scripts did stays (labform cannot undo a script).
    expect(existsSync(join(rolesFolder(), '..', '..', '..', '..', 'opt', 'two'))).toBe(true);
    const after = await plan(none);
    expect(hasChanges(after)).toBe(false);
    expect(after.warnings).toEqual([]);
  }, 900_000);
});
