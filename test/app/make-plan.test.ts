import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertPlanApplicable,
  checkPlanIsCurrent,
  fingerprintLive,
  hasChanges,
  makePlan,
  readSavedPlan,
  writeSavedPlan,
  type MakePlanOptions,
} from '../../src/app/make-plan.js';
import { sha256Of } from '../../src/plan/fingerprint.js';
import { silentLogger } from '../../src/log/logger.js';
import { Secret } from '../../src/secrets/secret.js';
import { UserError } from '../../src/errors.js';
import { planJson } from '../../src/render/plan-json.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import type { GuestTask } from '../../src/roles/guest-task.js';
import { appliedLive, cloneLive, demoLab, demoHost, network, nic, demoVm } from '../support/lab-builder.js';
import { FakeProvider } from '../support/fake-provider.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { task } from '../support/steps.js';

const credentials = {
  get: (name: string) => ({
    name,
    username: 'Administrator',
    password: new Secret('P@ssw0rd-not-for-plans'),
  }),
  secretValues: () => ['P@ssw0rd-not-for-plans'],
};
const tasks: GuestTask[] = [
  task('dc01', 'base/computerName'),
  task('dc01', 'domainController/forest', { then: { wait: 'adReady', credential: 'lab-admin' } }),
  task('web01', 'base/computerName'),
];

function plan(
  lab: Lab,
  live: Map<string, HostState>,
  extra: Partial<MakePlanOptions> & { reachable?: string[]; done?: boolean } = {},
) {
  const provider = new FakeProvider(new VirtualClock(), {
    hosts: live,
    reachable: Object.fromEntries((extra.reachable ?? []).map((v) => [v, [true]])),
    defaultReachable: false,
    guestDone: () => extra.done ?? false,
  });
  return {
    provider,
    result: makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply', tasks, ...extra }),
  };
}

describe('makePlan', () => {
  const lab = demoLab();

  it('reads each host exactly once, concurrently, whatever the number of VMs', async () => {
    const many = demoLab({
      hosts: [
        { name: 'hv01', connect: { kind: 'local' }, shell: 'powershell', storagePath: 'D:\\Labs\\demo' },
        { name: 'hv02', connect: { kind: 'local' }, shell: 'powershell', storagePath: 'E:\\Labs\\demo' },
      ],
      networks: [network('LabNet', { hosts: ['hv01', 'hv02'] })],
      vms: Array.from({ length: 24 }, (_, i) =>
        demoVm(`node${i + 1}`, { host: i % 2 ? 'hv02' : 'hv01', network: [nic('LabNet')] }),
      ),
    });
    let most = 0;
    const live = new Map([
      ['hv01', demoHost('hv01')],
      ['hv02', demoHost('hv02')],
    ]);
    const provider = new FakeProvider(new VirtualClock(), {
      hosts: live,
      onDiscover: (n) => (most = Math.max(most, n)),
    });
    const { plan: p } = await makePlan({
      lab: many,
      provider,
      credentials,
      logger: silentLogger,
      mode: 'apply',
      tasks: [],
    });
    expect(provider.discoverCalls.map((c) => c.host).sort()).toEqual(['hv01', 'hv02']);
    expect(most).toBe(2);
    expect(p.summary.create).toBe(25);
    const scope = provider.discoverCalls.find((c) => c.host === 'hv02')!.scope;
    expect(scope.paths).toContain('E:\\Labs\\demo');
    expect(scope.files).toEqual(['D:\\Images\\ws2016.vhdx', 'D:\\Images\\ws2012.vhdx']);
  });

  it('after an apply, a second plan has no changes (roles probed done in reachable guests)', async () => {
    const { provider, result } = plan(lab, appliedLive(lab), { reachable: ['dc01', 'web01'], done: true });
    const { plan: p } = await result;
    expect(p.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0, noop: 7 });
    expect(hasChanges(p)).toBe(false);
    expect(p.steps).toEqual([]);
    // The probes of every running VM with guest tasks ride inside the host's one discovery.
    expect(provider.discoverCalls.map((c) => c.host)).toEqual(['hv01']);
    expect(provider.probeCalls.map((c) => c.target.vm).sort()).toEqual(['dc01', 'web01']);
    // Its tasks' probes, then the reading of its role records (readRoles).
    expect(provider.probeCalls.find((c) => c.target.vm === 'dc01')!.operations.map((o) => o.op)).toEqual([
      ...Array(2).fill(expect.any(String)),
      'readRoles',
    ]);
  });

  it('shows roles as will run when probes say not done, or when the guest is unreachable', async () => {
    const pending = await plan(lab, appliedLive(lab), { reachable: ['dc01'], done: false }).result;
    expect(pending.plan.changes.find((c) => c.kind === 'role')).toMatchObject({
      action: 'create',
      reason: 'will run (probes say not done)',
    });
    expect(pending.plan.steps.map((s) => s.id)).toContain('role.dc01.domainController/forest');
    const unreachable = await plan(lab, appliedLive(lab), { reachable: [] }).result;
    expect(unreachable.plan.changes.find((c) => c.kind === 'role')).toMatchObject({
      action: 'create',
      reason: 'will run (roles are idempotent)',
    });
  });

  it('says so when a running guest does not answer its probes, and keeps its guest steps; the others are not held', async () => {
    const { provider, result } = plan(lab, appliedLive(lab), { reachable: ['web01'], done: true });
    const { plan: p } = await result;
    expect(provider.discoverCalls).toHaveLength(1);
    const notes = p.warnings.filter((d) => d.rule === 'guest-unknown');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ severity: 'warning', pointer: '/vms/0' });
    expect(notes[0]!.message).toMatch(
      /guest of VM dc01 on hv01 did not answer .*not reachable.*guest steps stay in the plan/,
    );
    // dc01's guest steps stay; web01 answered done and has none.
    expect(p.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['vm.dc01/computerName', 'role.dc01.domainController/forest']),
    );
    expect(p.steps.some((s) => s.id.startsWith('vm.web01/'))).toBe(false);
    // A warning, not an error: apply still takes the plan.
    expect(() => assertPlanApplicable(p)).not.toThrow();
  });

  it('does not trust the old guest of a VM that will be replaced: its roles run again', async () => {
    const changed = demoLab({
      vms: [
        demoVm('dc01', {
          generation: 1,
          image: 'ws2012',
          firmware: { secureBoot: false },
          roles: demoLab().vms[0]!.roles,
        }),
        demoLab().vms[1]!,
      ],
    });
    const { provider, result } = plan(changed, appliedLive(lab), {
      reachable: ['dc01', 'web01'],
      done: true,
    });
    const { plan: p } = await result;
    // The host answers dc01's probes too (same request), but the plan does not trust them.
    expect(provider.discoverCalls).toHaveLength(1);
    expect(p.changes.find((c) => c.kind === 'role')).toMatchObject({
      action: 'create',
      reason: 'will run (roles are idempotent)',
    });
    expect(p.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['vm.dc01/computerName', 'role.dc01.domainController/forest']),
    );
  });

  it('does not probe guests of VMs that are off', async () => {
    const live = cloneLive(appliedLive(lab));
    for (const v of live.get('hv01')!.vms) v.state = 'Off';
    const { provider, result } = plan(lab, live, { reachable: ['dc01', 'web01'], done: true });
    const { plan: p } = await result;
    expect(provider.probeCalls).toEqual([]);
    expect(p.changes.find((c) => c.address === 'vm.dc01')).toMatchObject({
      action: 'update',
      diff: [{ path: 'state', before: 'Off', after: 'Running' }],
    });
  });

  it('gives exactly the expected update, replace and delete for a changed manifest (fixture)', async () => {
    const expected = JSON.parse(
      readFileSync(path.join(import.meta.dirname, '../fixtures/plan/changed-manifest.expected.json'), 'utf8'),
    );
    const changed = demoLab({
      networks: [network('LabNet', { type: 'nat', prefix: '192.168.50.0/24' })],
      vms: [
        { ...demoLab().vms[0]!, processors: 4, automaticStopAction: 'save' },
        demoVm('web01', {
          generation: 1,
          image: 'ws2012',
          firmware: { secureBoot: false },
          network: [nic('LabNet', '192.168.50.20')],
          pointer: '/vms/1',
        }),
      ],
    });
    const { plan: p } = await plan(changed, appliedLive(lab), { reachable: ['dc01', 'web01'], done: true })
      .result;
    const json = planJson(p) as { changes: Record<string, unknown>[]; summary: unknown };
    const contract = json.changes.map(({ address, kind, action, requiresStop, diff }) => ({
      address,
      kind,
      action,
      requiresStop,
      diff,
    }));
    expect(contract).toEqual(expected.changes);
    expect(json.summary).toEqual(expected.summary);
  });

  it('puts conflicts and plan-time errors in the plan; apply refuses it', async () => {
    const live = cloneLive(appliedLive(lab));
    live.get('hv01')!.vms.find((v) => v.name === 'web01')!.notes = '';
    live.get('hv01')!.files = [{ path: 'D:\\Images\\ws2016.vhdx', exists: false }];
    const { plan: p } = await plan(lab, live, { reachable: ['dc01'] }).result;
    expect(p.conflicts.map((c) => c.address)).toEqual(['vm.web01']);
    expect(p.warnings.map((e) => [e.severity, e.rule])).toEqual([['error', 'image-missing']]);
    expect(() => assertPlanApplicable(p)).toThrow(UserError);
    expect(() => assertPlanApplicable({ ...p, warnings: [] })).toThrow(/conflict/);
  });

  it('destroy mode deletes every owned resource and nothing else', async () => {
    const live = cloneLive(appliedLive(lab));
    live.get('hv01')!.vms.push({
      ...structuredClone(live.get('hv01')!.vms[0]!),
      name: 'someone-elses',
      notes: 'labform:lab=other',
      disks: [],
    });
    const { plan: p } = await plan(lab, live, { mode: 'destroy' }).result;
    expect(p.changes.every((c) => c.action === 'delete')).toBe(true);
    expect(p.changes.map((c) => c.address)).not.toContain('vm.someone-elses');
    expect(p.summary.delete).toBe(8);
    expect(p.steps.every((s) => s.type === 'host')).toBe(true);
  });

  it('never puts a secret value in the plan', async () => {
    // The roles' real guest tasks: credentials travel by name only.
    const { plan: p } = await plan(lab, new Map([['hv01', demoHost('hv01')]]), { tasks: undefined }).result;
    expect(p.steps.some((s) => s.type === 'guest')).toBe(true);
    expect(JSON.stringify(p)).not.toContain('P@ssw0rd-not-for-plans');
  });
});

describe('saved plans', () => {
  const lab = demoLab();

  it('fingerprints live state ignoring heartbeat, uptime, free memory and guest addresses', () => {
    const a = appliedLive(lab);
    const b = cloneLive(a);
    const vmB = b.get('hv01')!.vms[0]!;
    vmB.heartbeat = 'LostCommunication';
    vmB.uptimeSeconds = 5;
    vmB.adapters[0]!.addresses = ['169.254.1.1'];
    b.get('hv01')!.freeMemory = 1;
    expect(fingerprintLive(b)).toBe(fingerprintLive(a));
    vmB.processors = 16;
    expect(fingerprintLive(b)).not.toBe(fingerprintLive(a));
  });

  it('round-trips through a file and refuses a stale plan or another manifest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'labform-plan-'));
    const file = path.join(dir, 'demo.yaml');
    await writeFile(file, 'name: demo\n');
    const fileLab = { ...lab, file };
    const live = appliedLive(lab);
    const { plan: p } = await plan(fileLab, live).result;
    expect(p.manifest).toEqual({ file, sha256: sha256Of('name: demo\n') });
    const saved = path.join(dir, 'plan.json');
    await writeSavedPlan(saved, p);
    const back = await readSavedPlan(saved);
    expect(back).toEqual(JSON.parse(JSON.stringify(p)));
    const currentSha = sha256Of(await readFile(file));
    expect(() => checkPlanIsCurrent({ plan: back, live, manifestSha: currentSha })).not.toThrow();
    const changed = cloneLive(live);
    changed.get('hv01')!.vms.pop();
    expect(() => checkPlanIsCurrent({ plan: back, live: changed, manifestSha: p.manifest.sha256 })).toThrow(
      'the hosts changed since this plan was made; run plan again',
    );
    expect(() => checkPlanIsCurrent({ plan: back, live, manifestSha: sha256Of('name: other\n') })).toThrow(
      UserError,
    );
  });

  it('rejects a file that is not a plan', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'labform-plan-'));
    await writeFile(path.join(dir, 'x.json'), '{"hello": 1}');
    await expect(readSavedPlan(path.join(dir, 'x.json'))).rejects.toThrow(UserError);
    await expect(readSavedPlan(path.join(dir, 'missing.json'))).rejects.toThrow(UserError);
    const { plan: p } = await plan(lab, appliedLive(lab)).result;
    await expect(writeSavedPlan(path.join(dir, 'no', 'such', 'dir', 'plan.json'), p)).rejects.toThrow(
      UserError,
    );
  });
});
