import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { runBuilt, ensureBuilt, labOf, prepareLab, tempDirSync } from '../support/cli-harness.js';
import { readSimWorld } from './support/invariants.js';

// A saved plan is a claim: apply re-derives it from the manifest and the hosts and refuses a file
// that says anything else (exit 1, what differs named, nothing run).
let file: string;
beforeAll(async () => {
  await ensureBuilt();
  file = prepareLab({ example: 'nat-lab.yaml' });
}, 180_000);

async function seedUnmarkedVm(stateDir: string, name: string) {
  const sim = await createSim({ lab: await labOf(file), clock: new VirtualClock(), stateDir });
  await sim.seed('hv01', (t) => t.vm({ name, notes: 'not made by labform' }));
  await sim.close();
}

function vmNames(stateDir: string): string[] {
  const world = readSimWorld(stateDir) as { hosts: Record<string, { vms: { name: string }[] }> };
  return Object.values(world.hosts)
    .flatMap((h) => h.vms.map((v) => v.name))
    .sort();
}

async function planTo(stateDir: string): Promise<{ planFile: string; plan: any }> {
  const planFile = path.join(path.dirname(stateDir), 'lab.plan.json');
  const run = await runBuilt(['plan', file, '--sim', '--state-dir', stateDir, '--out', planFile]);
  expect(run.code, run.stderr).toBe(0);
  return { planFile, plan: JSON.parse(readFileSync(planFile, 'utf8')) };
}

function expectRefused(run: { code: number | null; stdout: string; stderr: string }, pattern: RegExp) {
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stderr).toMatch(/does not match what the manifest and the hosts call for; nothing was run/);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/internal error/);
}

describe('tampered plan files', () => {
  it('a removeVm appended to a no-change plan for an unmarked VM: refused, the VM stays', async () => {
    const stateDir = path.join(tempDirSync('tamper-append'), 'state');
    expect(
      (await runBuilt(['apply', file, '--sim', '-y', '--sim-speed', '5000', '--state-dir', stateDir])).code,
    ).toBe(0);
    await seedUnmarkedVm(stateDir, 'stray');
    const { planFile, plan } = await planTo(stateDir);
    expect(plan.steps).toEqual([]);
    plan.steps.push({
      type: 'host',
      id: 'vm.stray/remove',
      address: 'vm.stray',
      host: 'hv01',
      title: 'remove VM stray',
      dependsOn: [],
      timeoutMs: 60000,
      operation: { op: 'removeVm', name: 'stray' },
    });
    writeFileSync(planFile, JSON.stringify(plan));
    expectRefused(
      await runBuilt(['apply', file, planFile, '--sim', '--state-dir', stateDir]),
      /step vm\.stray\/remove "remove VM stray" .*is not called for/,
    );
    expect(vmNames(stateDir)).toContain('stray');
  }, 180_000);

  it('every "create" turned into "delete": refused, nothing built', async () => {
    const stateDir = path.join(tempDirSync('tamper-actions'), 'state');
    const { planFile, plan } = await planTo(stateDir);
    const text = JSON.stringify(plan).replaceAll('"create"', '"delete"');
    writeFileSync(planFile, text);
    expectRefused(
      await runBuilt(['apply', file, planFile, '--sim', '--state-dir', stateDir]),
      /change vm\.\S+ says delete, but it is create/,
    );
    expect(vmNames(stateDir)).toEqual([]);
  }, 120_000);

  it('a summary that says less than the changes, or a step operation changed: refused', async () => {
    const stateDir = path.join(tempDirSync('tamper-summary'), 'state');
    const { planFile, plan } = await planTo(stateDir);
    writeFileSync(
      planFile,
      JSON.stringify({ ...plan, summary: { create: 0, update: 0, replace: 0, delete: 0, noop: 0 } }),
    );
    expectRefused(
      await runBuilt(['apply', file, planFile, '--sim', '--state-dir', stateDir]),
      /the summary says/,
    );
    const createVm = plan.steps.find((s: any) => s.operation?.op === 'createVm');
    createVm.operation.memoryStartup = 64 * 1024 ** 3;
    writeFileSync(planFile, JSON.stringify(plan));
    expectRefused(
      await runBuilt(['apply', file, planFile, '--sim', '--state-dir', stateDir]),
      new RegExp(`step ${createVm.id.replace('.', '\\.')} differs`),
    );
    expect(vmNames(stateDir)).toEqual([]);
  }, 120_000);

  it('a file that is not a plan (changes not a list) is refused as such', async () => {
    const stateDir = path.join(tempDirSync('tamper-shape'), 'state');
    const { planFile, plan } = await planTo(stateDir);
    writeFileSync(planFile, JSON.stringify({ ...plan, changes: 'all of them' }));
    const run = await runBuilt(['apply', file, planFile, '--sim', '--state-dir', stateDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is not a whole plan: changes is missing or of the wrong type/);
  }, 120_000);

  it('the untouched plan applies', async () => {
    const stateDir = path.join(tempDirSync('tamper-none'), 'state');
    const { planFile } = await planTo(stateDir);
    const run = await runBuilt([
      'apply',
      file,
      planFile,
      '--sim',
      '--sim-speed',
      '5000',
      '--state-dir',
      stateDir,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(existsSync(stateDir)).toBe(true);
    expect(vmNames(stateDir).length).toBeGreaterThan(0);
  }, 180_000);
});
