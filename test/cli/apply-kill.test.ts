import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalPath } from '../../src/executor/journal.js';
import { lockPaths } from '../../src/executor/lock.js';
import { RealClock } from '../../src/clock/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import { createProvider } from '../../src/providers/create-provider.js';
import { discoverLab } from '../../src/app/discover-lab.js';
import { ensureBuilt, startBuilt, type Run } from '../support/cli-harness.js';

// These tests fork the real CLI (bin/labform.js -> dist/) and kill it with SIGKILL.
const ROOT = path.resolve('.');
const FILE = path.resolve('test/fixtures/executor/small-lab.yaml');
// Slow enough (simulated seconds per real second) that a kill lands in the middle of the work.
const SPEED = '2000';

async function journalLines(stateDir: string): Promise<number> {
  try {
    return (await readFile(journalPath({ stateDir, lab: 'small' }), 'utf8')).split('\n').filter(Boolean)
      .length;
  } catch {
    return 0;
  }
}

/** Runs apply and SIGKILLs it once the journal has grown by `after` lines. */
async function applyKilledAfter(stateDir: string, after: number): Promise<Run> {
  const base = await journalLines(stateDir);
  const { child, done } = startBuilt([
    'apply',
    FILE,
    '-y',
    '--sim',
    '--sim-speed',
    SPEED,
    '--state-dir',
    stateDir,
  ]);
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished && (await journalLines(stateDir)) < base + after)
    await new Promise((r) => setTimeout(r, 2));
  if (!finished) child.kill('SIGKILL');
  return done;
}

// Not faster: after a SIGKILL the simulator's own store lock is only taken over once stale
// (5 real seconds), which must stay well inside the fixture's simulated timeouts.
const apply = (stateDir: string, extra: string[] = ['-y']) =>
  startBuilt(['apply', FILE, ...extra, '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]).done;

async function assertConverged(stateDir: string) {
  const rerun = await apply(stateDir);
  expect(rerun.stderr).not.toMatch(/error/);
  // On failure, show which steps failed and why.
  expect(rerun.stdout.split('\n').filter((l) => / FAILED /.test(l))).toEqual([]);
  expect(rerun.code).toBe(0);
  const again = await apply(stateDir, []);
  expect(again.stdout).toContain('No changes.');
  const { lab } = await loadLab({ file: FILE });
  const provider = await createProvider({
    lab: lab!,
    sim: true,
    stateDir,
    clock: new RealClock({ speed: Number(SPEED) }),
    logger: silentLogger,
  });
  try {
    const host = (await discoverLab({ lab: lab!, provider })).get('hv01')!;
    const names = host.vms.map((v) => v.name).sort();
    expect(names).toEqual(['dc01', 'web01']);
    const vhds = host.vhds.map((v) => v.path.toLowerCase());
    expect(new Set(vhds).size).toBe(vhds.length);
    expect(host.nats).toHaveLength(1);
    expect(host.natMappings).toHaveLength(1);
  } finally {
    await provider.close();
  }
}

beforeAll(async () => {
  // The forked CLI runs the built code: built from the current sources, under the shared lock
  // (a rebuild while another test file forks the CLI would hand it half-written modules).
  await ensureBuilt();
  expect(existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))).toBe(true);
}, 120_000);

describe('apply killed with SIGKILL', () => {
  for (const after of [2, 7, 16, 31]) {
    it(`converges after a kill once ${after} journal lines were written`, async () => {
      const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-kill-'));
      const killed = await applyKilledAfter(stateDir, after);
      expect(killed.signal).toBe('SIGKILL');
      await assertConverged(stateDir);
    }, 120_000);
  }

  it('converges after several kills in a row, and says it is resuming', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-kill-'));
    for (const after of [5, 4, 9, 3]) await applyKilledAfter(stateDir, after);
    const rerun = await apply(stateDir);
    expect(rerun.stderr).toMatch(/resuming after an interrupted apply \(\d+ steps? had finished\)/);
    expect(rerun.code).toBe(0);
    await assertConverged(stateDir);
  }, 180_000);
});

describe('apply interrupted with Ctrl-C', () => {
  it('finishes running steps, starts no new ones, writes a consistent journal and exits 130; a re-run converges', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-int-'));
    // Slow enough that the run is surely still going when Ctrl-C comes, however idle the machine.
    const { child, done } = startBuilt([
      'apply',
      FILE,
      '-y',
      '--sim',
      '--sim-speed',
      '100',
      '--state-dir',
      stateDir,
    ]);
    while ((await journalLines(stateDir)) < 12) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/Apply interrupted after \S+ of simulated time: .*\d+ not run\./);
    // What to do is said once, in the summary, not again as an error.
    expect(`${run.stdout}${run.stderr}`.split('journal is consistent').length - 1).toBe(1);
    expect(run.stdout).toContain('The journal is consistent; run apply again to finish.');
    const lines = (await readFile(journalPath({ stateDir, lab: 'small' }), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; id?: string; interrupted?: boolean });
    const started = lines
      .filter((l) => l.event === 'step-start')
      .map((l) => l.id)
      .sort();
    const ended = lines
      .filter((l) => l.event === 'step-end')
      .map((l) => l.id)
      .sort();
    expect(ended).toEqual(started);
    expect(lines.at(-1)).toMatchObject({ event: 'run-end', interrupted: true });
    await assertConverged(stateDir);
  }, 120_000);
});

describe('concurrent apply', () => {
  it('a second apply exits 4 at once naming the first; a killed holder does not block the next', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'labform-lock-'));
    // Slow (a minute of real time at most) so the second CLI surely starts while the first runs.
    const first = startBuilt(['apply', FILE, '-y', '--sim', '--sim-speed', '100', '--state-dir', stateDir]);
    const { ownerFile } = lockPaths({ stateDir, lab: 'small' });
    while (!existsSync(ownerFile)) await new Promise((r) => setTimeout(r, 5));
    const second = await apply(stateDir);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(new RegExp(`lab small is locked by apply \\(pid ${first.child.pid} on `));
    first.child.kill('SIGKILL');
    await first.done;
    // The lock of a dead process is recovered at once.
    await assertConverged(stateDir);
  }, 120_000);
});
