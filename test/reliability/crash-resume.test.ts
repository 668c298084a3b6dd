import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalPath } from '../../src/executor/journal.js';
import type { Lab } from '../../src/manifest/lab.js';
import {
  runBuilt,
  ensureBuilt,
  labOf,
  prepareLab,
  sleep,
  startBuilt,
  tempDirSync,
  type Run,
} from '../support/cli-harness.js';
import { checkInvariants, labFacts, normaliseWorld, readSimWorld } from './support/invariants.js';

// The guarded-fabric example, forked through the real CLI and killed with SIGKILL at points spread
// over the whole apply; the next apply must build exactly what an uninterrupted apply builds.
const SPEED = '2000';
let file: string;
let lab: Lab;
let reference: unknown;
let totalLines = 0;

function journalLines(stateDir: string): number {
  try {
    return readFileSync(journalPath({ stateDir, lab: 'guarded-fabric' }), 'utf8')
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0;
  }
}

const apply = (stateDir: string) =>
  runBuilt(['apply', file, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]);

/** Starts apply and SIGKILLs it once the journal has grown by `after` lines. */
async function applyKilledAfter(stateDir: string, after: number): Promise<{ run: Run; killedAt: number }> {
  const base = journalLines(stateDir);
  const { child, done } = startBuilt([
    'apply',
    file,
    '-y',
    '--sim',
    '--sim-speed',
    SPEED,
    '--state-dir',
    stateDir,
  ]);
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished && journalLines(stateDir) < base + after) await sleep(2);
  const killedAt = journalLines(stateDir) - base;
  if (!finished) child.kill('SIGKILL');
  return { run: await done, killedAt };
}

async function assertSameAsReference(stateDir: string): Promise<void> {
  const world = readSimWorld(stateDir);
  expect(checkInvariants({ world, labs: [labFacts(lab)] })).toEqual([]);
  expect(normaliseWorld(world)).toEqual(reference);
  const plan = await runBuilt(['plan', file, '--sim', '--detailed-exitcode', '--state-dir', stateDir]);
  expect(plan.stdout).toContain('No changes');
  expect(plan.code).toBe(0);
}

beforeAll(async () => {
  await ensureBuilt();
  file = prepareLab({ example: 'guarded-fabric.yaml' });
  lab = await labOf(file);
  const stateDir = tempDirSync('gf-ref');
  const run = await apply(stateDir);
  expect(run.code, `${run.stdout.slice(-1500)}\n${run.stderr}`).toBe(0);
  totalLines = journalLines(stateDir);
  const world = readSimWorld(stateDir);
  expect(checkInvariants({ world, labs: [labFacts(lab)] })).toEqual([]);
  reference = normaliseWorld(world);
}, 180_000);

describe('guarded-fabric: SIGKILL anywhere in apply, then apply again', () => {
  it('two uninterrupted applies build the same normalised state (the comparison is meaningful)', async () => {
    const stateDir = tempDirSync('gf-ref2');
    expect((await apply(stateDir)).code).toBe(0);
    await assertSameAsReference(stateDir);
  }, 120_000);

  // Kill points spread over the whole journal of an uninterrupted apply (about 180 lines).
  for (const fraction of [0.03, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9]) {
    it(`converges to the reference after a kill at ${Math.round(fraction * 100)}% of the journal`, async () => {
      const stateDir = tempDirSync('gf-kill');
      const { run, killedAt } = await applyKilledAfter(
        stateDir,
        Math.max(1, Math.round(totalLines * fraction)),
      );
      expect(run.signal, `killed after ${killedAt} journal lines`).toBe('SIGKILL');
      // Whatever the kill interrupted, nothing is duplicated.
      const mid = checkInvariants({ world: readSimWorld(stateDir), labs: [labFacts(lab)] });
      expect(mid.filter((v) => / twice|WinNAT allows one/.test(v))).toEqual([]);
      const resumed = await apply(stateDir);
      expect(resumed.stderr).toMatch(/resuming after an interrupted apply/);
      expect(
        resumed.code,
        `killed after ${killedAt} lines; resumed:\n${resumed.stdout.slice(-1500)}\n${resumed.stderr}`,
      ).toBe(0);
      await assertSameAsReference(stateDir);
    }, 120_000);
  }

  it('converges after several kills in a row at varied points', async () => {
    const stateDir = tempDirSync('gf-kills');
    for (const after of [7, 23, 2, 41, 13]) await applyKilledAfter(stateDir, after);
    const resumed = await apply(stateDir);
    expect(resumed.code, `${resumed.stdout.slice(-1500)}\n${resumed.stderr}`).toBe(0);
    await assertSameAsReference(stateDir);
  }, 180_000);
});
