/**
 * Roles against what the guests record (src/roles/role-record.ts, src/diff/role-records.ts), on
 * the simulator: a removed role is `- role...` and apply undoes what Windows lets it undo; what it
 * cannot undo is a `role-not-undone` diagnostic; a changed script shows its text diff and runs
 * again; a member's new `ou` moves its computer object. After each apply a second plan is empty.
 */
import { describe, expect, it } from 'vitest';
import { baseLab, byName, type BaseShape, type LabDoc } from './plan-truth/lab-model.js';
import { loadDoc, newWorld, planAndApply, planOnly, truthOf, type TruthWorld } from './plan-truth/harness.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { hasChanges, makePlan } from '../../src/app/make-plan.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { silentLogger } from '../../src/log/logger.js';
import { formatPlanText } from '../../src/render/plan-text.js';
import { planJson } from '../../src/render/plan-json.js';
import type { Plan } from '../../src/plan/plan.js';
import { parseRoleRecords } from '../../src/roles/role-record.js';

const SHAPE: BaseShape = {
  octet: 60,
  members: 1,
  memberMemoryGB: 1,
  dataDisk: false,
  script: true,
  backend: false,
  mapping: false,
  twoHosts: false,
  storagePath: false,
};

/** The base lab applied, then each change applied in turn; returns the world and the last document. */
async function applied(changes: ((doc: LabDoc) => void)[]): Promise<{ world: TruthWorld; doc: LabDoc }> {
  const world = newWorld();
  let doc = baseLab(SHAPE);
  expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
  for (const change of changes) {
    doc = structuredClone(doc);
    change(doc);
    expect((await planAndApply(world, loadDoc(doc))).result.rootCauses).toEqual([]);
  }
  return { world, doc };
}

async function guestOf(world: TruthWorld, doc: LabDoc, vm: string) {
  const lab = loadDoc(doc);
  const sim = await createSim({ lab, clock: world.clock, store: world.store });
  const host = lab.vms.find((v) => v.name === vm)!.host;
  return (await sim.rawState(host)).vms.find((v) => v.name === vm)!.guest!;
}

const ops = (plan: Plan, address: string) =>
  plan.steps
    .filter((s) => s.address === address && s.type === 'guest')
    .map((s) => s.type === 'guest' && s.operation.op);

describe('role records: removed and changed roles', () => {
  it('a removed file server: its shares are removed (folders kept), its record forgotten, then nothing to do', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    expect((await guestOf(world, doc, 'srv1')).roleRecords?.['role.srv1.fileServer']).toBeDefined();
    const next = structuredClone(doc);
    byName('remove-file-server').mutate(next);
    const { plan, result } = await planAndApply(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.srv1.fileServer')!;
    expect(change.action).toBe('delete');
    expect(change.reason).toMatch(
      /^removed from the manifest; undone: remove share data \(C:\\Shares\\data and its files stay\)$/,
    );
    expect(ops(plan, 'role.srv1.fileServer')).toEqual(['removeShare', 'forgetRole']);
    expect(plan.warnings.filter((w) => w.rule === 'role-not-undone')).toEqual([]);
    expect(result.rootCauses).toEqual([]);
    const guest = await guestOf(world, next, 'srv1');
    expect(guest.shares).toEqual([]);
    expect(Object.keys(guest.roleRecords ?? {})).not.toContain('role.srv1.fileServer');
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a guest configured before labform kept records: one plan writes them, each role saying only that', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    const lab = loadDoc(doc);
    const sim = await createSim({ lab, clock: world.clock, store: world.store });
    await sim.seed('hv01', (_tools, state) => {
      for (const vm of state.vms) if (vm.guest) delete vm.guest.roleRecords;
    });
    const { plan, result } = await planAndApply(world, lab);
    const roles = plan.changes.filter((c) => c.kind === 'role' && c.action !== 'noop');
    expect(roles.map((c) => [c.address, c.action, c.reason])).toEqual(
      ['role.dc1.domainController', 'role.srv1.domainMember', 'role.srv1.script', 'role.srv1.fileServer'].map(
        (a) => [a, 'update', "the guest's record of the role is written (docs/roles.md)"],
      ),
    );
    expect(
      plan.steps
        .filter((s) => s.type === 'guest')
        .every((s) => s.type === 'guest' && s.operation.op === 'recordRole'),
    ).toBe(true);
    expect(result.rootCauses).toEqual([]);
    expect(hasChanges(await planOnly(world, lab))).toBe(false);
  });

  it('--target vm.X brings the roles X no longer has; another target leaves them for later', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    const next = structuredClone(doc);
    byName('remove-file-server').mutate(next);
    const lab = loadDoc(next);
    const provider = await createSim({ lab, clock: world.clock, store: world.store });
    const credentials = createCredentialResolver({ lab });
    const targeted = async (target: string) =>
      (await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply', target: [target] }))
        .plan;
    expect((await targeted('vm.srv1')).changes.map((c) => `${c.action} ${c.address}`)).toContain(
      'delete role.srv1.fileServer',
    );
    const other = await targeted('vm.dc1');
    expect(other.changes.some((c) => c.address === 'role.srv1.fileServer')).toBe(false);
    expect(other.steps.some((s) => s.address === 'role.srv1.fileServer')).toBe(false);
  });

  it('a share dropped from a file server: only that share goes; the role is an update that lists it', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate, byName('add-share').mutate]);
    const next = structuredClone(doc);
    byName('drop-share').mutate(next);
    const { plan } = await planAndApply(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.srv1.fileServer')!;
    expect(change.action).toBe('update');
    expect(change.diff).toEqual([
      { path: 'share.data', before: 'share data (C:\\Shares\\data)', after: null },
    ]);
    expect(ops(plan, 'role.srv1.fileServer')).toEqual(['removeShare', 'recordRole']);
    expect((await guestOf(world, next, 'srv1')).shares.map((s) => s.name)).toEqual(['data2']);
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a removed DHCP server: the scope before the feature; its authorisation in AD is said to stay', async () => {
    const { world, doc } = await applied([byName('add-dhcp-server').mutate]);
    const next = structuredClone(doc);
    byName('remove-dhcp-server').mutate(next);
    const { plan } = await planAndApply(world, loadDoc(next));
    expect(ops(plan, 'role.dc1.dhcpServer')).toEqual(['removeDhcpScope', 'uninstallFeatures', 'forgetRole']);
    const uninstall = plan.steps.find((s) => s.type === 'guest' && s.operation.op === 'uninstallFeatures');
    expect(uninstall?.type === 'guest' && uninstall.operation).toEqual({
      op: 'uninstallFeatures',
      features: ['DHCP'],
    });
    const notes = plan.warnings.filter((w) => w.rule === 'role-not-undone');
    expect(notes.map((n) => n.message)).toEqual([
      expect.stringMatching(
        /dhcpServer role of dc1 was removed, but Windows keeps its authorisation in Active Directory/,
      ),
    ]);
    const guest = await guestOf(world, next, 'dc1');
    expect(guest.dhcpScopes).toEqual([]);
    expect(guest.features).not.toContain('DHCP');
    expect(guest.features).toContain('AD-Domain-Services');
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a removed hyperV role: Hyper-V is uninstalled and the guest restarts to finish it', async () => {
    const addHyperV = (doc: LabDoc) => {
      const member = doc.vms[1] as LabDoc['vms'][number] & { nestedVirtualization?: boolean };
      member.nestedVirtualization = true;
      member.roles.push({ hyperV: {} });
    };
    const { world, doc } = await applied([addHyperV]);
    expect((await guestOf(world, doc, 'srv1')).features).toContain('Hyper-V');
    const next = structuredClone(doc);
    next.vms[1]!.roles = next.vms[1]!.roles.filter((r) => !('hyperV' in r));
    const { plan, result } = await planAndApply(world, loadDoc(next));
    expect(ops(plan, 'role.srv1.hyperV')).toEqual(['uninstallFeatures', 'forgetRole']);
    const uninstall = plan.steps.find((s) => s.id === 'role.srv1.hyperV/undo.1');
    expect(uninstall).toMatchObject({ title: 'uninstall Hyper-V from srv1', rebootCredential: 'lab-admin' });
    expect(result.rootCauses).toEqual([]);
    expect((await guestOf(world, next, 'srv1')).features).not.toContain('Hyper-V');
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a removed domain membership cannot be undone: the plan says so (a change, so --detailed-exitcode exits 2), apply only forgets it', async () => {
    const { world, doc } = await applied([]);
    const next = structuredClone(doc);
    byName('remove-member-role').mutate(next);
    const plan = await planOnly(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.srv1.domainMember')!;
    expect(change.action).toBe('delete');
    expect(change.reason).toBe(
      'removed from the manifest; nothing is undone; kept: the membership of truth.test',
    );
    expect(hasChanges(plan)).toBe(true);
    expect(ops(plan, 'role.srv1.domainMember')).toEqual(['forgetRole']);
    const [note] = plan.warnings.filter((w) => w.rule === 'role-not-undone');
    expect(note).toMatchObject({
      severity: 'warning',
      pointer: '/vms/1',
      message: expect.stringContaining('Windows keeps the membership of truth.test'),
      hint: 'to get a guest without it, replace the VM: labform apply --replace vm.srv1',
    });
    expect(note!.line).toBeGreaterThan(0);
    expect((await planAndApply(world, loadDoc(next))).result.rootCauses).toEqual([]);
    expect((await guestOf(world, next, 'srv1')).domain).toBe('truth.test');
    const after = await planOnly(world, loadDoc(next));
    expect(hasChanges(after)).toBe(false);
    expect(after.warnings.filter((w) => w.rule === 'role-not-undone')).toEqual([]);
  });

  it('a removed script: nothing to undo, said as a diagnostic', async () => {
    const { world, doc } = await applied([]);
    const next = structuredClone(doc);
    byName('remove-script-role').mutate(next);
    const plan = await planOnly(world, loadDoc(next));
    expect(plan.changes.find((c) => c.address === 'role.srv1.script')).toMatchObject({
      action: 'delete',
      reason: 'removed from the manifest; a script has nothing to undo',
    });
    expect(plan.warnings.map((w) => w.rule)).toContain('role-not-undone');
    expect(formatPlanText(plan)).toContain('  - role.srv1.script will be destroyed on hv01');
  });

  it('a changed script shows its text diff, runs again, and is recorded with its new text', async () => {
    const { world, doc } = await applied([]);
    const next = structuredClone(doc);
    const role = next.vms[1]!.roles.find((r) => 'script' in r)!;
    role.script = { run: 'Set-Content C:\\marker.txt one\nSet-Content C:\\second.txt two' };
    const { plan, result } = await planAndApply(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.srv1.script')!;
    expect(change).toMatchObject({ action: 'update', reason: 'the script changed: it runs again' });
    expect(change.diff).toEqual([
      {
        path: 'run',
        before: 'Set-Content C:\\marker.txt one',
        after: 'Set-Content C:\\marker.txt one\nSet-Content C:\\second.txt two',
      },
    ]);
    const text = formatPlanText(plan);
    expect(text).toContain(
      [
        '      ~ run:',
        '            Set-Content C:\\marker.txt one',
        '          + Set-Content C:\\second.txt two',
      ].join('\n'),
    );
    expect(
      result.steps.filter((s) => s.address === 'role.srv1.script').map((s) => [s.id, s.outcome]),
    ).toEqual([
      ['role.srv1.script/run', 'done'],
      ['role.srv1.script/record', 'done'],
    ]);
    const records = parseRoleRecords(
      JSON.stringify(Object.values((await guestOf(world, next, 'srv1')).roleRecords!)),
    );
    const run = records.find((r) => r.address === 'role.srv1.script')!.tasks[0]!.operation;
    expect(run).toMatchObject({
      op: 'runScript',
      run: 'Set-Content C:\\marker.txt one\nSet-Content C:\\second.txt two',
    });
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it("a member's new ou: ~ role...domainMember ou, from where its computer object is to the OU, in text and JSON", async () => {
    const { world, doc } = await applied([byName('member-ou').mutate]);
    const next = structuredClone(doc);
    byName('change-ou').mutate(next);
    const { plan } = await planAndApply(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.srv1.domainMember')!;
    expect(change.action).toBe('update');
    expect(change.diff).toContainEqual({
      path: 'ou',
      before: 'OU=Servers,DC=truth,DC=test',
      after: 'OU=Web,OU=Servers,DC=truth,DC=test',
    });
    expect(formatPlanText(plan)).toContain(
      '~ ou: "OU=Servers,DC=truth,DC=test" -> "OU=Web,OU=Servers,DC=truth,DC=test"',
    );
    const json = planJson(plan) as unknown as { changes: { address: string; diff: unknown[] }[] };
    expect(json.changes.find((c) => c.address === 'role.srv1.domainMember')!.diff).toContainEqual({
      path: 'ou',
      before: 'OU=Servers,DC=truth,DC=test',
      after: 'OU=Web,OU=Servers,DC=truth,DC=test',
    });
    expect(plan.steps.find((s) => s.id === 'role.srv1.domainMember/ou')).toMatchObject({
      vm: 'dc1',
      host: 'hv01',
    });
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('an ou written with spaces and another case is the same OU once moved (a second plan is empty)', async () => {
    const { world, doc } = await applied([]);
    const next = structuredClone(doc);
    const role = next.vms[1]!.roles.find((r) => 'domainMember' in r)!;
    role.domainMember = { ...(role.domainMember as object), ou: 'ou=Servers, DC=truth, dc=test' };
    expect((await planAndApply(world, loadDoc(next))).result.rootCauses).toEqual([]);
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a member joined with its ou in the same apply is not moved afterwards (the join places it)', async () => {
    const world = newWorld();
    const doc = baseLab(SHAPE);
    byName('member-ou').mutate(doc);
    const { plan, result } = await planAndApply(world, loadDoc(doc));
    expect(plan.steps.some((s) => s.id === 'role.srv1.domainMember/ou')).toBe(false);
    expect(result.rootCauses).toEqual([]);
    expect(hasChanges(await planOnly(world, loadDoc(doc)))).toBe(false);
  });
});

describe('role records of a Linux guest (bash script roles)', () => {
  const linux = (doc: LabDoc) => doc.vms.find((v) => v.name === 'lx1')!;

  it('a removed script: - role.lx1.script with role-not-undone; apply forgets the record, even with no task left', async () => {
    const { world, doc } = await applied([byName('add-linux-vm').mutate]);
    expect(Object.keys((await guestOf(world, doc, 'lx1')).roleRecords ?? {})).toEqual(['role.lx1.script']);
    const next = structuredClone(doc);
    byName('remove-linux-script').mutate(next);
    expect(linux(next).roles).toEqual([]);
    const { plan, result } = await planAndApply(world, loadDoc(next));
    expect(
      plan.changes.filter((c) => c.action !== 'noop').map((c) => [c.address, c.action, c.reason]),
    ).toEqual([['role.lx1.script', 'delete', 'removed from the manifest; a script has nothing to undo']]);
    expect(ops(plan, 'role.lx1.script')).toEqual(['forgetRole']);
    const [note] = plan.warnings.filter((w) => w.rule === 'role-not-undone');
    expect(note).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining('role.lx1.script was removed: what the script did stays in the guest'),
      hint: 'undo it with a script of your own, or replace the VM for a clean guest: labform apply --replace vm.lx1',
    });
    expect(formatPlanText(plan)).toContain('  - role.lx1.script will be destroyed on hv01');
    expect(result.rootCauses).toEqual([]);
    expect((await guestOf(world, next, 'lx1')).roleRecords ?? {}).toEqual({});
    const after = await planOnly(world, loadDoc(next));
    expect(hasChanges(after)).toBe(false);
    expect(after.warnings).toEqual([]);
  });

  it('a changed bash script shows the line diff of run, runs again and is recorded with its new text', async () => {
    const { world, doc } = await applied([byName('add-linux-vm').mutate]);
    const next = structuredClone(doc);
    byName('change-linux-script').mutate(next);
    const { plan, result } = await planAndApply(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.lx1.script')!;
    expect(change).toMatchObject({ action: 'update', reason: 'the script changed: it runs again' });
    expect(change.diff).toEqual([
      {
        path: 'run',
        before: 'touch /var/tmp/lx-one',
        after: 'touch /var/tmp/lx-one\ntouch /var/tmp/lx-changed',
      },
    ]);
    expect(formatPlanText(plan)).toContain(
      ['      ~ run:', '            touch /var/tmp/lx-one', '          + touch /var/tmp/lx-changed'].join(
        '\n',
      ),
    );
    expect(result.steps.filter((s) => s.address === 'role.lx1.script').map((s) => [s.id, s.outcome])).toEqual(
      [
        ['role.lx1.script/run', 'done'],
        ['role.lx1.script/record', 'done'],
      ],
    );
    const [record] = parseRoleRecords(
      JSON.stringify(Object.values((await guestOf(world, next, 'lx1')).roleRecords!)),
    );
    expect(record!.tasks[0]!.operation).toMatchObject({
      op: 'runScript',
      shell: 'bash',
      run: 'touch /var/tmp/lx-one\ntouch /var/tmp/lx-changed',
    });
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('one of two scripts removed: only that one goes; the other keeps its record', async () => {
    const { world, doc } = await applied([byName('add-linux-vm').mutate, byName('add-linux-script').mutate]);
    const next = structuredClone(doc);
    byName('remove-linux-script').mutate(next);
    const { plan, result } = await planAndApply(world, loadDoc(next));
    expect(plan.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${c.address}`)).toEqual([
      'delete role.lx1.script.2',
    ]);
    expect(result.rootCauses).toEqual([]);
    expect(Object.keys((await guestOf(world, next, 'lx1')).roleRecords ?? {})).toEqual(['role.lx1.script']);
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a Linux guest configured before labform kept records: shown as changed once, its record written', async () => {
    const { world, doc } = await applied([byName('add-linux-vm').mutate]);
    const lab = loadDoc(doc);
    const sim = await createSim({ lab, clock: world.clock, store: world.store });
    await sim.seed('hv01', (_tools, state) => {
      for (const vm of state.vms) if (vm.name === 'lx1' && vm.guest) delete vm.guest.roleRecords;
    });
    const { plan, result } = await planAndApply(world, lab);
    expect(
      plan.changes.filter((c) => c.action !== 'noop').map((c) => [c.address, c.action, c.reason]),
    ).toEqual([['role.lx1.script', 'update', "the guest's record of the role is written (docs/roles.md)"]]);
    expect(ops(plan, 'role.lx1.script')).toEqual(['recordRole']);
    expect(result.rootCauses).toEqual([]);
    expect(hasChanges(await planOnly(world, lab))).toBe(false);
  });

  it('a running Linux guest that does not answer: no records read, a guest-unknown note; the removal shows once it answers', async () => {
    const { world, doc } = await applied([byName('add-linux-vm').mutate]);
    const next = structuredClone(doc);
    byName('remove-linux-script').mutate(next);
    const lab = loadDoc(next);
    const sim = await createSim({ lab, clock: world.clock, store: world.store });
    // sshd stops answering (the guest's host key is dropped from the image: ssh is refused).
    await sim.seed('hv01', (_tools, state) => {
      const guest = state.vms.find((v) => v.name === 'lx1')!.guest!;
      guest.cloudInit = { instanceId: guest.cloudInit!.instanceId, authorizedKeys: {} };
    });
    const plan = await planOnly(world, lab);
    expect(plan.changes.some((c) => c.address === 'role.lx1.script')).toBe(false);
    expect(plan.warnings.filter((w) => w.rule === 'guest-unknown').map((w) => w.message)).toEqual([
      expect.stringContaining(
        'its role records were not read, so a script role removed from the manifest is shown once it answers',
      ),
    ]);
  });
});

describe('shares of a kept file server: a new path, Full access, a share added', () => {
  /** The members' first share, edited in place. */
  const dataShare = (doc: LabDoc) =>
    (
      doc.vms[1]!.roles.find((r) => 'fileServer' in r)!.fileServer as {
        shares: { name: string; path: string; fullAccess?: string[] }[];
      }
    ).shares[0]!;

  it('a share whose path changed is made again there: the plan shows it from the record, apply does it, then nothing', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    const next = structuredClone(doc);
    dataShare(next).path = 'C:\\Data2';
    const { plan, result } = await planAndApply(world, loadDoc(next));
    const change = plan.changes.find((c) => c.address === 'role.srv1.fileServer')!;
    expect(change).toMatchObject({
      action: 'update',
      reason:
        "share data is made again at C:\\Data2: Set-SmbShare cannot change a share's path (C:\\Shares\\data and its files stay)",
    });
    expect(change.diff).toEqual([
      { path: 'share.data', before: 'share data (C:\\Shares\\data)', after: 'share data (C:\\Data2)' },
    ]);
    expect(formatPlanText(plan)).toContain('~ role.srv1.fileServer will be updated in place');
    expect(formatPlanText(plan)).toContain(
      '~ share.data: "share data (C:\\Shares\\data)" -> "share data (C:\\Data2)"',
    );
    expect(ops(plan, 'role.srv1.fileServer')).toEqual(['createShare', 'recordRole']);
    expect(result.rootCauses).toEqual([]);
    expect((await guestOf(world, next, 'srv1')).shares).toEqual([
      { name: 'data', path: 'C:\\Data2', fullAccess: [], readAccess: ['Everyone'] },
    ]);
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it("a share's fullAccess: granted, changed, dropped, each shown before and after; a second plan is empty", async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    let current = doc;
    const step = async (fullAccess: string[] | undefined) => {
      const next = structuredClone(current);
      if (fullAccess) dataShare(next).fullAccess = fullAccess;
      else delete dataShare(next).fullAccess;
      const { plan, result } = await planAndApply(world, loadDoc(next));
      expect(result.rootCauses).toEqual([]);
      expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
      current = next;
      return {
        change: plan.changes.find((c) => c.address === 'role.srv1.fileServer')!,
        text: formatPlanText(plan),
        share: (await guestOf(world, next, 'srv1')).shares[0],
      };
    };
    const granted = await step(['TRUTH\\Domain Admins']);
    expect(granted.change).toMatchObject({
      action: 'update',
      reason: 'Full access to share data is granted to TRUTH\\Domain Admins',
      diff: [{ path: 'share.data.fullAccess', before: [], after: ['TRUTH\\Domain Admins'] }],
    });
    expect(granted.text).toContain('~ share.data.fullAccess: [] -> ["TRUTH\\Domain Admins"]');
    // New-SmbShare's Everyone Read is not Full access: it stays.
    expect(granted.share).toMatchObject({ fullAccess: ['TRUTH\\Domain Admins'], readAccess: ['Everyone'] });

    const changed = await step(['Administrators']);
    expect(changed.change).toMatchObject({
      reason:
        'Full access to share data is granted to Administrators and is revoked from TRUTH\\Domain Admins',
      diff: [{ path: 'share.data.fullAccess', before: ['TRUTH\\Domain Admins'], after: ['Administrators'] }],
    });
    expect(changed.share).toMatchObject({ fullAccess: ['Administrators'] });

    const dropped = await step(undefined);
    expect(dropped.change.diff).toEqual([
      { path: 'share.data.fullAccess', before: ['Administrators'], after: [] },
    ]);
    expect(dropped.share).toMatchObject({ fullAccess: [], readAccess: ['Everyone'] });
  });

  it('a share added to a kept file server is shown as (none) -> the share', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    const next = structuredClone(doc);
    byName('add-share').mutate(next);
    const { plan, result } = await planAndApply(world, loadDoc(next));
    expect(plan.changes.find((c) => c.address === 'role.srv1.fileServer')).toMatchObject({
      action: 'update',
      reason: 'share data2 is added',
      diff: [{ path: 'share.data2', before: null, after: 'share data2 (C:\\Shares\\data2)' }],
    });
    expect(formatPlanText(plan)).toContain('~ share.data2: (none) -> "share data2 (C:\\Shares\\data2)"');
    expect(result.rootCauses).toEqual([]);
    expect(hasChanges(await planOnly(world, loadDoc(next)))).toBe(false);
  });

  it('a guest without records: the moved share runs (its probe saw it at the old path) and apply makes it again', async () => {
    const { world, doc } = await applied([byName('add-file-server').mutate]);
    const next = structuredClone(doc);
    dataShare(next).path = 'C:\\Data2';
    const lab = loadDoc(next);
    const sim = await createSim({ lab, clock: world.clock, store: world.store });
    await sim.seed('hv01', (_tools, state) => {
      for (const vm of state.vms) if (vm.guest) delete vm.guest.roleRecords;
    });
    // What the probe saw, for the plan's logs: the share at its old path.
    const credentials = createCredentialResolver({ lab });
    const at = { host: 'hv01', vm: 'srv1', os: 'windows' as const, credential: credentials.get('lab-admin') };
    const task = { op: 'createShare' as const, name: 'data', path: 'C:\\Data2', fullAccess: [] };
    expect(await sim.probeGuest(at, [task], { address: 'test', credentials })).toEqual([
      { done: false, detail: 'share data exists with path C:\\Shares\\data' },
    ]);
    const { plan, result } = await planAndApply(world, lab);
    // Nothing recorded and nothing done: the role runs as a new one would.
    expect(plan.changes.find((c) => c.address === 'role.srv1.fileServer')).toMatchObject({
      action: 'create',
      reason: 'will run (probes say not done)',
    });
    expect(result.rootCauses).toEqual([]);
    expect((await guestOf(world, next, 'srv1')).shares.map((s) => s.path)).toEqual(['C:\\Data2']);
    expect(hasChanges(await planOnly(world, lab))).toBe(false);
  });
});

describe('role records and replaced guests', () => {
  it('a guest rebuilt for another domain undoes nothing of its old roles; plan and apply agree', async () => {
    const { world, doc } = await applied([byName('add-dhcp-server').mutate]);
    const next = structuredClone(doc);
    byName('remove-dhcp-server').mutate(next);
    byName('change-dc-domain').mutate(next);
    const plan = await planOnly(world, loadDoc(next));
    expect(plan.changes.find((c) => c.address === 'vm.dc1')?.action).toBe('replace');
    expect(plan.changes.some((c) => c.address === 'role.dc1.dhcpServer')).toBe(false);
    expect(plan.steps.some((s) => s.address === 'role.dc1.dhcpServer')).toBe(false);
    const problems = await truthOf(baseLab(SHAPE), [
      byName('add-dhcp-server').mutate,
      (d) => {
        byName('remove-dhcp-server').mutate(d);
        byName('change-dc-domain').mutate(d);
      },
    ]);
    expect(problems).toEqual([]);
  });
});

describe('parseRoleRecords', () => {
  const record = JSON.stringify({ address: 'role.a.script', tasks: [] });
  it('reads an array of record texts, a 5.1 {value} wrapper and a bare string; skips what is not a record', () => {
    expect(parseRoleRecords(JSON.stringify([record, 'not json', '{"x":1}']))).toEqual([
      { address: 'role.a.script', tasks: [] },
    ]);
    expect(parseRoleRecords(JSON.stringify({ value: [record], Count: 1 }))).toHaveLength(1);
    expect(parseRoleRecords(JSON.stringify(record))).toHaveLength(1);
    expect(parseRoleRecords('')).toEqual([]);
    expect(parseRoleRecords('{')).toEqual([]);
  });
});
