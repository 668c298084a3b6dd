import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath } from '../../src/executor/journal.js';
import { RealClock } from '../../src/clock/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import { createProvider } from '../../src/providers/create-provider.js';
import { discoverLab } from '../../src/app/discover-lab.js';
import { SIM, cli, tempDir } from '../support/cli-harness.js';

const FILE = path.resolve('test/fixtures/executor/small-lab.yaml');
const OTHER = path.resolve('test/fixtures/executor/other-lab.yaml');

/**
 * A second apply changes nothing: "No changes.", or (when a plan-time role probe could not
 * answer in time at this simulator speed) only waits and probes that find every task already done.
 */
async function expectNothingToDo(stateDir: string, file = FILE) {
  const run = await cli(['apply', file, '-y', ...SIM, '--state-dir', stateDir]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  if (run.stdout.includes('No changes.')) return;
  // Only waits and probes ran: no line says a change was done.
  const done = run.stdout.split('\n').filter((l) => /^\S+ done {4}/.test(l));
  expect(done.filter((l) => !/ done {4}wait for /.test(l))).toEqual([]);
  expect(run.stdout).toMatch(/Apply complete in \S+ of simulated time: \d+ done, \d+ already done\./);
}

async function liveOf(file: string, stateDir: string) {
  const { lab } = await loadLab({ file });
  const provider = await createProvider({
    lab: lab!,
    sim: true,
    stateDir,
    clock: new RealClock({ speed: 20000 }),
    logger: silentLogger,
  });
  try {
    return await discoverLab({ lab: lab!, provider });
  } finally {
    await provider.close();
  }
}

describe('apply, destroy, checkpoint and restore on the simulator', () => {
  it('applies a small lab end to end; a second apply has nothing to do', async () => {
    const stateDir = await tempDir('labform-sim-');
    const first = await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Apply complete in');
    await expectNothingToDo(stateDir);
    const journal = await readFile(journalPath({ stateDir, lab: 'small' }), 'utf8');
    expect(journal).not.toContain('Demo-Only-Passw0rd!');
    const live = await liveOf(FILE, stateDir);
    expect(
      live
        .get('hv01')!
        .vms.map((v) => v.name)
        .sort(),
    ).toEqual(['dc01', 'web01']);
  }, 60_000);

  it('applies a saved plan without asking, and refuses it once the hosts changed', async () => {
    const stateDir = await tempDir('labform-sim-');
    const planFile = path.join(stateDir, 'lab.plan.json');
    expect((await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--out', planFile])).code).toBe(0);
    const applied = await cli(['apply', FILE, planFile, ...SIM, '--state-dir', stateDir]);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const stale = await cli(['apply', FILE, planFile, ...SIM, '--state-dir', stateDir]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('the hosts changed since this plan was made; run plan again');
    // The hint reaches the same hosts: the simulator and the state folder it was given.
    expect(stale.stderr).toContain(`--out PLAN --sim --state-dir ${stateDir}`);
  }, 60_000);

  it('checkpoint then restore round trip', async () => {
    const stateDir = await tempDir('labform-sim-');
    expect((await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir])).code).toBe(0);
    const cp = await cli(['checkpoint', FILE, 'clean', '-y', ...SIM, '--state-dir', stateDir]);
    expect(cp.stderr).toBe('');
    expect(cp.code).toBe(0);
    const after = await liveOf(FILE, stateDir);
    for (const vm of after.get('hv01')!.vms) {
      expect(vm.checkpoints).toContain('clean');
      expect(vm.state).toBe('Running');
    }
    const again = await cli(['checkpoint', FILE, 'clean', ...SIM, '--state-dir', stateDir]);
    expect(again.code).toBe(1);
    const restored = await cli(['restore', FILE, 'clean', '-y', ...SIM, '--state-dir', stateDir]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('Restore "clean" complete');
    const final = await liveOf(FILE, stateDir);
    for (const vm of final.get('hv01')!.vms) expect(vm.state).toBe('Running');
    await expectNothingToDo(stateDir);
  }, 60_000);

  it('destroy removes exactly the lab: another lab on the same host is untouched', async () => {
    const stateDir = await tempDir('labform-sim-');
    expect((await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir])).code).toBe(0);
    expect((await cli(['apply', OTHER, '-y', ...SIM, '--state-dir', stateDir])).code).toBe(0);
    const before = await liveOf(OTHER, stateDir);
    const destroyed = await cli(['destroy', FILE, '-y', ...SIM, '--state-dir', stateDir]);
    expect(destroyed.stderr).toBe('');
    expect(destroyed.code).toBe(0);
    const after = await liveOf(OTHER, stateDir);
    const host = after.get('hv01')!;
    expect(host.vms.map((v) => v.name)).toEqual(['other01']);
    expect(host.switches.map((s) => s.name)).toEqual(
      before
        .get('hv01')!
        .switches.filter((s) => s.notes.includes('lab=other'))
        .map((s) => s.name),
    );
    expect(host.nats.map((n) => n.name)).toEqual([]);
    await expectNothingToDo(stateDir, OTHER);
    expect((await cli(['destroy', FILE, '-y', ...SIM, '--state-dir', stateDir])).stdout).toContain(
      'Nothing to destroy',
    );
  }, 60_000);

  it('a failing step exits 3, naming the root cause; a re-run finishes the work', async () => {
    const stateDir = await tempDir('labform-sim-');
    process.env.LABFORM_SIM_FAIL = 'createVm:web01';
    let failed;
    try {
      failed = await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir]);
    } finally {
      delete process.env.LABFORM_SIM_FAIL;
    }
    expect(failed.code).toBe(3);
    expect(failed.stdout).toMatch(/Root cause:\n {2}.*web01/);
    const rerun = await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir]);
    expect(rerun.code).toBe(0);
    await expectNothingToDo(stateDir);
  }, 60_000);
});
