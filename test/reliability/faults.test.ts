import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/manifest/lab.js';
import { runBuilt, ensureBuilt, labOf, prepareLab, tempDirSync } from '../support/cli-harness.js';
import { checkInvariants, labFacts, normaliseWorld, readSimWorld } from './support/invariants.js';

// Faults injected into the simulator behind the real CLI (LABFORM_SIM_* environment variables).
const SPEED = '2000';
let file: string;
let lab: Lab;
let reference: unknown;

interface LogLine {
  msg: string;
  step?: string;
  outcome?: string;
  blockedBy?: string[];
  retries?: number;
  attempt?: number;
  type?: string;
}

function logLines(logFile: string): LogLine[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

const addressOf = (stepId: string) => stepId.split('/')[0]!;

async function pendingChanges(stateDir: string): Promise<{ address: string; action: string }[]> {
  const run = await runBuilt(['plan', file, '--sim', '--json', '--state-dir', stateDir]);
  expect(run.code).toBe(0);
  const plan = JSON.parse(run.stdout) as { changes: { address: string; action: string }[] };
  return plan.changes.filter((c) => c.action !== 'noop');
}

beforeAll(async () => {
  await ensureBuilt();
  file = prepareLab({ example: 'guarded-fabric.yaml' });
  lab = await labOf(file);
  const stateDir = tempDirSync('faults-ref');
  expect(
    (await runBuilt(['apply', file, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir])).code,
  ).toBe(0);
  reference = normaliseWorld(readSimWorld(stateDir));
}, 180_000);

describe('transient faults', () => {
  for (const seed of [11, 29]) {
    it(`20% of provider operations failing (seed ${seed}): apply converges, every retry is in the log`, async () => {
      const stateDir = tempDirSync('transient');
      const logFile = path.join(stateDir, '..', `${path.basename(stateDir)}.log`);
      const run = await runBuilt(
        [
          'apply',
          file,
          '-y',
          '--sim',
          '--sim-speed',
          SPEED,
          '--state-dir',
          stateDir,
          '--log-file',
          logFile,
          '--log-level',
          'debug',
        ],
        {
          env: { LABFORM_SIM_FAULT_RATE: '0.2', LABFORM_SIM_FAULT_SEED: String(seed) },
        },
      );
      expect(run.code).toBe(0);
      const lines = logLines(logFile);
      const retried = lines.filter((l) => l.msg === 'retrying after a transient failure');
      // 20% of a few hundred operations: retries happen, and each one is logged with its attempt.
      expect(retried.length).toBeGreaterThan(3);
      expect(retried.every((l) => typeof l.attempt === 'number' && l.step)).toBe(true);
      const finished = lines.find((l) => l.msg === 'run finished')!;
      expect(finished.retries).toBe(retried.length);
      expect(run.stdout).toContain(`${retried.length} retries`);
      expect(checkInvariants({ world: readSimWorld(stateDir), labs: [labFacts(lab)] })).toEqual([]);
      expect(normaliseWorld(readSimWorld(stateDir))).toEqual(reference);
      expect(
        (await runBuilt(['plan', file, '--sim', '--detailed-exitcode', '--state-dir', stateDir])).code,
      ).toBe(0);
    }, 120_000);
  }
});

describe('a permanent fault', () => {
  it('createVm:gh01 fails for good: the rest completes, dependents are skipped, exit 3, one root cause; a re-run does only what was missing', async () => {
    const stateDir = tempDirSync('permanent');
    const logFile = `${stateDir}.log`;
    const run = await runBuilt(
      ['apply', file, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir, '--log-file', logFile],
      { env: { LABFORM_SIM_FAIL: 'createVm:gh01' } },
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Root cause:\n {2}create VM gh01 .*createVm:gh01/);
    expect(run.stdout).not.toContain('Root causes:');
    expect(run.stderr).not.toMatch(/\n\s+at /);

    const ends = logLines(logFile).filter((l) => l.step && l.outcome);
    const failed = ends.filter((l) => l.outcome === 'failed').map((l) => l.step!);
    expect(failed).toEqual(['vm.gh01/create']);
    const skipped = ends.filter((l) => l.outcome === 'skipped-dependency');
    expect(skipped.length).toBeGreaterThan(0);
    // Every skip traces back to the one root cause; everything else finished.
    for (const s of skipped) expect(s.blockedBy).toEqual(['vm.gh01/create']);
    expect(
      ends.filter((l) => !['done', 'skipped-done', 'failed', 'skipped-dependency'].includes(l.outcome!)),
    ).toEqual([]);
    // gh02 does not depend on gh01: its VM and its membership completed.
    expect(
      ends.filter((l) => l.step!.startsWith('vm.gh02/') && !['done', 'skipped-done'].includes(l.outcome!)),
    ).toEqual([]);
    expect(ends.filter((l) => l.step!.startsWith('vm.gh02/')).length).toBeGreaterThan(3);
    // A failed run keeps what finished (gh01's OS disk waits for its VM): only duplicates are wrong here.
    expect(
      checkInvariants({ world: readSimWorld(stateDir), labs: [labFacts(lab)] }).filter(
        (v) => !v.includes('orphan disk'),
      ),
    ).toEqual([]);

    // The plan before the re-run shows only the parts that failed or were skipped.
    const missing = new Set([...failed, ...skipped.map((s) => s.step!)].map(addressOf));
    const pending = await pendingChanges(stateDir);
    expect(pending.length).toBeGreaterThan(0);
    for (const c of pending)
      expect(missing, `${c.address} is pending but nothing of it failed`).toContain(c.address);
    expect(pending.map((c) => c.address)).toContain('vm.gh01');

    const rerunLog = `${stateDir}.rerun.log`;
    const rerun = await runBuilt([
      'apply',
      file,
      '-y',
      '--sim',
      '--sim-speed',
      SPEED,
      '--state-dir',
      stateDir,
      '--log-file',
      rerunLog,
    ]);
    expect(rerun.code).toBe(0);
    // What the re-run changed: steps that did something (waits only look; probes that found it done changed nothing).
    const rerunLines = logLines(rerunLog);
    const waits = new Set(
      rerunLines.filter((l) => l.msg.startsWith('step started:') && l.type === 'wait').map((l) => l.step),
    );
    const started = rerunLines
      .filter((l) => l.outcome === 'done' && !waits.has(l.step))
      .map((l) => addressOf(l.step!));
    expect(started.length).toBeGreaterThan(0);
    const pendingAddresses = new Set(pending.map((c) => c.address));
    for (const a of started)
      expect(pendingAddresses, `the re-run touched ${a}, which was complete`).toContain(a);
    expect(normaliseWorld(readSimWorld(stateDir))).toEqual(reference);
    expect(
      (await runBuilt(['plan', file, '--sim', '--detailed-exitcode', '--state-dir', stateDir])).code,
    ).toBe(0);
  }, 180_000);
});
