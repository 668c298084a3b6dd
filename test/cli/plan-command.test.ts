import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedPlan } from '../../src/app/make-plan.js';
import type { SeedTools } from '../../src/providers/sim/host/seed.js';
import { SIM, cli, tempDir, writeManifestCopy } from '../support/cli-harness.js';

const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');

/** Simulated time passes on the hosts in the state directory (a committed no-op after `ms`). */
async function letTimePass(stateDir: string, ms: number): Promise<void> {
  const { createSim } = await import('../../src/providers/sim/sim-provider.js');
  const { loadLab } = await import('../../src/manifest/load-lab.js');
  const { VirtualClock } = await import('../../src/clock/virtual-clock.js');
  const { lab } = await loadLab({ file: FILE });
  const clock = new VirtualClock();
  const sim = await createSim({ lab: lab!, clock, stateDir });
  await sim.simNow();
  await clock.sleep(ms);
  await sim.seed('hv01', () => undefined);
  await sim.close();
}

const tmp = () => tempDir('labform-plan-cli-');

/** A fresh state directory whose hv01 was changed behind labform's back. */
async function seeded(mutate: (t: SeedTools) => void): Promise<string> {
  const stateDir = await tmp();
  const { createSim } = await import('../../src/providers/sim/sim-provider.js');
  const { loadLab } = await import('../../src/manifest/load-lab.js');
  const { RealClock } = await import('../../src/clock/clock.js');
  const { lab } = await loadLab({ file: FILE });
  const sim = await createSim({ lab: lab!, clock: new RealClock(), stateDir });
  await sim.seed('hv01', mutate);
  await sim.close();
  return stateDir;
}

describe('labform plan (simulator)', () => {
  it('prints what apply would do on fresh hosts; --detailed-exitcode exits 2', async () => {
    const stateDir = await tmp();
    const r = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ vm.dc01 will be created on hv01');
    expect(r.stdout).toContain('+ role.dc01.domainController will be created');
    expect(r.stdout).toContain('will run (roles are idempotent)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 8 to add, 0 to change, 0 to replace, 0 to destroy.',
    );
    expect(r.stdout).not.toContain('Demo');
    const detailed = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--detailed-exitcode']);
    expect(detailed.code).toBe(2);
  });

  it('--json prints the docs/contract.md section 5 document', async () => {
    const stateDir = await tmp();
    const r = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      format: 'labform-plan/1',
      lab: 'plantest',
      summary: { create: 8, update: 0, replace: 0, delete: 0, noop: 0 },
    });
    expect(json.changes.map((c: { address: string }) => c.address)).toEqual([
      'network.LabNet',
      'nat.LabNet',
      'portMapping.LabNet.tcp.8443',
      'network.Backend',
      'vm.dc01',
      'vm.web01',
      'role.dc01.domainController',
      'role.web01.domainMember',
    ]);
    expect(json.changes[4]).toMatchObject({
      address: 'vm.dc01',
      kind: 'vm',
      action: 'create',
      requiresStop: false,
      diff: [],
    });
  });

  it('--out saves the plan (readable by apply), never with secrets', async () => {
    const stateDir = await tmp();
    const out = path.join(stateDir, 'saved.json');
    const r = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--out', out]);
    expect(r.code).toBe(0);
    const plan = await readSavedPlan(out);
    expect(plan.lab).toBe('plantest');
    expect(plan.steps.length).toBeGreaterThan(10);
    const secret = (await readFile('test/fixtures/plan/secrets/admin.txt', 'utf8')).trim();
    expect(await readFile(out, 'utf8')).not.toContain(secret);
  });

  it('after an apply, plan says no changes and exits 0 with --detailed-exitcode; show reports the lab; a changed manifest gives exactly the expected changes', async () => {
    const stateDir = await tmp();
    const applied = await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    // The user plans again some minutes later (the last member is done rebooting by then).
    await letTimePass(stateDir, 10 * 60_000);
    const again = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--detailed-exitcode']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe('No changes. The lab matches the manifest.\n');
    expect(again.code).toBe(0);

    const show = await cli(['show', FILE, ...SIM, '--state-dir', stateDir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/dc01\s+hv01\s+Running\s+OK\s+\d+(h|m|s)\S*\s+\d+\s+\S+\s+192\.168\.88\.10/);
    expect(show.stdout).toContain('role.dc01.domainController: done');
    expect(show.stdout).toContain('labform-plantest.LabNet on hv01: 192.168.88.0/24');
    const showJson = JSON.parse(
      (await cli(['show', FILE, ...SIM, '--state-dir', stateDir, '--json'])).stdout,
    );
    expect(showJson.vms.map((v: { name: string; state: string }) => [v.name, v.state])).toEqual([
      ['dc01', 'Running'],
      ['web01', 'Running'],
    ]);

    // The manifest changes: more processors for dc01 (requires stop), no Backend network, no port mapping.
    const text = (await readFile(FILE, 'utf8'))
      .replace('processors: 2', 'processors: 4')
      .replace(/\n {6}- network: Backend/, '')
      .replace(/ {4}portMappings:\n.*\n/, '')
      .replace(/ {2}- name: Backend\n {4}type: private\n {4}host: hv01\n/, '');
    const changedFile = await writeManifestCopy({
      dir: await tmp(),
      name: 'plan-lab.yaml',
      text,
      secrets: ['admin.txt', 'safe-mode.txt'],
    });
    const changed = await cli(['plan', changedFile, ...SIM, '--state-dir', stateDir, '--json']);
    expect(changed.stderr).toBe('');
    const json = JSON.parse(changed.stdout);
    const acted = json.changes
      .filter((c: { action: string }) => c.action !== 'noop')
      .map((c: { address: string; action: string; requiresStop: boolean; diff: unknown[] }) => [
        c.address,
        c.action,
        c.requiresStop,
        c.diff,
      ]);
    expect(acted).toEqual([
      ['vm.dc01', 'update', true, [{ path: 'processors', before: 2, after: 4, requiresStop: true }]],
      ['vm.web01', 'update', false, [{ path: 'network[1]', before: 'Backend', after: null }]],
      ['network.Backend', 'delete', false, []],
      ['portMapping.LabNet.tcp.8443', 'delete', false, []],
    ]);
    const steps = json.steps.map((s: { id: string }) => s.id);
    expect(steps).toEqual(
      expect.arrayContaining([
        'vm.dc01/stop',
        'vm.dc01/configure',
        'vm.dc01/start',
        'vm.web01/remove-adapter-2',
        'network.Backend/remove-switch',
        'portMapping.LabNet.tcp.8443/remove',
      ]),
    );
  }, 120_000);

  it('exits 1 with conflicts: an unmarked VM with a wanted name', async () => {
    const stateDir = await seeded((t) => {
      t.vm({ name: 'dc01' });
    });
    const r = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '! vm.dc01 on hv01: VM dc01 already exists on hv01 and is not managed by labform',
    );
  });
});

describe('labform plan: plan-time rules (simulator)', () => {
  it('exits 1 when the NAT prefix overlaps an address the host has, pointing at the manifest line', async () => {
    const stateDir = await seeded((t) =>
      t.hostAddress({ interfaceAlias: 'Wi-Fi', address: '192.168.88.7', prefixLength: 24 }),
    );
    const r = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `${FILE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: error\\[nat-prefix-host-address\\]: NAT prefix 192\\.168\\.88\\.0/24 of LabNet overlaps 192\\.168\\.88\\.7`,
      ),
    );
  });

  it('exits 1 when another NAT is on the host; warns (exit 0) about host memory', async () => {
    const foreign = await seeded((t) => t.nat({ name: 'SomeoneElsesNat', internalPrefix: '172.16.0.0/12' }));
    const r = await cli(['plan', FILE, ...SIM, '--state-dir', foreign]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error[nat-foreign]');
    const small = await seeded((t) => t.freeMemory(1024 ** 3));
    const w = await cli(['plan', FILE, ...SIM, '--state-dir', small]);
    expect(w.code).toBe(0);
    expect(w.stdout).toContain('warning[host-memory]');
  });
});

describe('labform plan: input errors', () => {
  it('exits 1 naming a missing secret, without printing a plan', async () => {
    const dir = await tmp();
    const text = (await readFile(FILE, 'utf8')).replace(
      '{ fromFile: ./secrets/safe-mode.txt }',
      '{ fromEnv: LABFORM_TEST_UNSET_SECRET }',
    );
    const file = await writeManifestCopy({ dir, name: 'lab.yaml', text, secrets: ['admin.txt'] });
    delete process.env.LABFORM_TEST_UNSET_SECRET;
    const r = await cli(['plan', file, ...SIM, '--state-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LABFORM_TEST_UNSET_SECRET');
    expect(r.stdout).toBe('');
  });

  it('exits 1 for an invalid manifest', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'apiVersion: labform/v1\nkind: Lab\nname: Bad Name\n');
    const r = await cli(['plan', file, ...SIM, '--state-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[');
  });
});
