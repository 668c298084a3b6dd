import { beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/manifest/lab.js';
import { runBuilt, ensureBuilt, labOf, prepareLab, startBuilt, tempDirSync } from '../support/cli-harness.js';
import { checkInvariants, labFacts, labSlice, normaliseWorld, readSimWorld } from './support/invariants.js';

// Two labform processes at once on the same state directory (the simulator's hosts live there).
const SPEED = '2000';
let gf: { file: string; lab: Lab; alone: unknown };
let nat: { file: string; lab: Lab; alone: unknown };

const applyArgs = (file: string, stateDir: string, speed = SPEED) => [
  'apply',
  file,
  '-y',
  '--sim',
  '--sim-speed',
  speed,
  '--state-dir',
  stateDir,
];
// Slow enough (seconds of real time) that the other CLI surely starts while this one runs, however idle the machine.
const SLOW = '100';

async function alone(file: string, lab: Lab): Promise<unknown> {
  const stateDir = tempDirSync('conc-alone');
  const run = await runBuilt(applyArgs(file, stateDir));
  expect(run.code).toBe(0);
  return normaliseWorld(labSlice(readSimWorld(stateDir), labFacts(lab)));
}

beforeAll(async () => {
  await ensureBuilt();
  const dir = tempDirSync('conc-labs');
  const gfFile = prepareLab({ example: 'guarded-fabric.yaml', dir });
  // The examples are written to share a host: their VM names differ (Hyper-V VM names are per host).
  const natFile = prepareLab({ example: 'nat-lab.yaml', dir });
  const [gfLab, natLab] = await Promise.all([labOf(gfFile), labOf(natFile)]);
  const [gfAlone, natAlone] = await Promise.all([alone(gfFile, gfLab), alone(natFile, natLab)]);
  gf = { file: gfFile, lab: gfLab, alone: gfAlone };
  nat = { file: natFile, lab: natLab, alone: natAlone };
}, 180_000);

describe('two applies at once', () => {
  it('of the same lab: one exits 4 naming the holder, the other finishes; nothing is corrupted', async () => {
    const stateDir = tempDirSync('conc-same');
    const [a, b] = await Promise.all([
      runBuilt(applyArgs(gf.file, stateDir, SLOW)),
      runBuilt(applyArgs(gf.file, stateDir, SLOW)),
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 4]);
    const loser = a.code === 4 ? a : b;
    expect(loser.stderr).toMatch(/lab guarded-fabric is locked by apply \(pid \d+ on /);
    expect(loser.stderr).not.toMatch(/\n\s+at /);
    const world = readSimWorld(stateDir);
    expect(checkInvariants({ world, labs: [labFacts(gf.lab)] })).toEqual([]);
    expect(normaliseWorld(labSlice(world, labFacts(gf.lab)))).toEqual(gf.alone);
    const plan = await runBuilt(['plan', gf.file, '--sim', '--detailed-exitcode', '--state-dir', stateDir]);
    expect(plan.code).toBe(0);
  }, 120_000);

  it('a second apply while the first runs exits 4 at once and leaves the first to finish', async () => {
    const stateDir = tempDirSync('conc-late');
    const first = startBuilt(applyArgs(gf.file, stateDir, SLOW));
    // Wait for the first to hold the lock (its journal exists), then try again.
    const { existsSync } = await import('node:fs');
    const { journalPath } = await import('../../src/executor/journal.js');
    while (!existsSync(journalPath({ stateDir, lab: 'guarded-fabric' })))
      await new Promise((r) => setTimeout(r, 5));
    const second = await runBuilt(applyArgs(gf.file, stateDir));
    expect(second.code).toBe(4);
    const done = await first.done;
    expect(done.code).toBe(0);
    expect(normaliseWorld(labSlice(readSimWorld(stateDir), labFacts(gf.lab)))).toEqual(gf.alone);
  }, 120_000);

  it('of two different labs on the same host: both finish, and each is exactly what it is alone', async () => {
    const stateDir = tempDirSync('conc-two');
    // The host meets both labs: the simulator gives it each lab's images when that lab first sees it.
    const [a, b] = await Promise.all([
      runBuilt(applyArgs(gf.file, stateDir)),
      runBuilt(applyArgs(nat.file, stateDir)),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const world = readSimWorld(stateDir);
    expect(checkInvariants({ world, labs: [labFacts(gf.lab), labFacts(nat.lab)] })).toEqual([]);
    expect(normaliseWorld(labSlice(world, labFacts(gf.lab)))).toEqual(gf.alone);
    expect(normaliseWorld(labSlice(world, labFacts(nat.lab)))).toEqual(nat.alone);
    for (const file of [gf.file, nat.file])
      expect(
        (await runBuilt(['plan', file, '--sim', '--detailed-exitcode', '--state-dir', stateDir])).code,
      ).toBe(0);
  }, 180_000);
});
