import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { journalPath } from '../../src/executor/journal.js';
import { pendingRunPath } from '../../src/executor/pending-run.js';
import { existsSync } from 'node:fs';
import { runBuilt, ensureBuilt, labOf, startBuilt, tempDirSync } from '../support/cli-harness.js';
import { RealClock } from '../../src/clock/clock.js';
import { createProvider } from '../../src/providers/create-provider.js';
import { silentLogger } from '../../src/log/logger.js';
import { discoverLab } from '../../src/app/discover-lab.js';

// Checkpoint and restore are journaled like apply: whatever moment a kill or Ctrl-C lands, the
// re-run of the same command finishes the job, and the lab is running again in order.
const FILE = path.resolve('test/fixtures/executor/small-lab.yaml');
const SLOW = '300';

async function endedSteps(stateDir: string, suffix: string): Promise<number> {
  try {
    const lines = (await readFile(journalPath({ stateDir, lab: 'small' }), 'utf8'))
      .split('\n')
      .filter(Boolean);
    return lines
      .map((l) => JSON.parse(l) as { event: string; id?: string; command: string })
      .filter((l) => l.event === 'step-end' && l.command !== 'apply' && l.id?.endsWith(suffix)).length;
  } catch {
    return 0;
  }
}

/** Runs a command and sends `signal` once `count` of its steps ending in `suffix` have ended. */
async function interrupted(
  command: string,
  rest: string[],
  stateDir: string,
  suffix: string,
  count: number,
  signal: NodeJS.Signals,
) {
  const { child, done } = startBuilt([
    command,
    FILE,
    ...rest,
    '--sim',
    '--sim-speed',
    SLOW,
    '--state-dir',
    stateDir,
  ]);
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished && (await endedSteps(stateDir, suffix)) < count)
    await new Promise((r) => setTimeout(r, 2));
  if (!finished) child.kill(signal);
  return done;
}

async function vmsOf(stateDir: string) {
  const lab = await labOf(FILE);
  const provider = await createProvider({
    lab,
    sim: true,
    stateDir,
    clock: new RealClock({ speed: 2000 }),
    logger: silentLogger,
  });
  try {
    return (await discoverLab({ lab, provider }))
      .get('hv01')!
      .vms.map((v) => ({ name: v.name, state: v.state, checkpoints: v.checkpoints }));
  } finally {
    await provider.close();
  }
}

let built: string;
beforeAll(async () => {
  await ensureBuilt();
  built = path.join(tempDirSync('cp-built'), 'state');
  const run = await runBuilt(['apply', FILE, '-y', '--sim', '--sim-speed', '2000', '--state-dir', built]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
}, 240_000);

async function copy(): Promise<string> {
  const { cpSync } = await import('node:fs');
  const stateDir = path.join(tempDirSync('cp'), 'state');
  cpSync(built, stateDir, { recursive: true });
  return stateDir;
}

describe('interrupted checkpoint and restore', () => {
  it('Ctrl-C after the VMs stopped: exit 130; the re-run takes the checkpoint and starts them again', async () => {
    const stateDir = await copy();
    const first = await interrupted('checkpoint', ['cpB', '-y'], stateDir, '/stop', 1, 'SIGINT');
    expect(first.code, first.stdout + first.stderr).toBe(130);
    expect(existsSync(pendingRunPath({ stateDir, lab: 'small' }))).toBe(true);
    const rerun = await runBuilt([
      'checkpoint',
      FILE,
      'cpB',
      '-y',
      '--sim',
      '--sim-speed',
      '2000',
      '--state-dir',
      stateDir,
    ]);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/resuming checkpoint "cpB"/);
    for (const vm of await vmsOf(stateDir))
      expect(vm, vm.name).toMatchObject({ state: 'Running', checkpoints: ['cpB'] });
    expect(existsSync(pendingRunPath({ stateDir, lab: 'small' }))).toBe(false);
  }, 240_000);

  it('killed after the snapshots: the re-run does not say "already exists", it finishes', async () => {
    const stateDir = await copy();
    const first = await interrupted('checkpoint', ['cpA', '-y'], stateDir, '/checkpoint', 2, 'SIGKILL');
    expect(first.signal).toBe('SIGKILL');
    const rerun = await runBuilt([
      'checkpoint',
      FILE,
      'cpA',
      '-y',
      '--sim',
      '--sim-speed',
      '2000',
      '--state-dir',
      stateDir,
    ]);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stderr).not.toMatch(/already exists/);
    for (const vm of await vmsOf(stateDir))
      expect(vm, vm.name).toMatchObject({ state: 'Running', checkpoints: ['cpA'] });
  }, 240_000);

  it('another command after an interrupted checkpoint says exactly what is left', async () => {
    const stateDir = await copy();
    await interrupted('checkpoint', ['cpC', '-y'], stateDir, '/stop', 1, 'SIGKILL');
    const apply = await runBuilt([
      'apply',
      FILE,
      '-y',
      '--sim',
      '--sim-speed',
      '2000',
      '--state-dir',
      stateDir,
    ]);
    expect(apply.stderr).toMatch(
      /note: checkpoint "cpC" did not finish \(started .*\); .* running before it and may be off; run: labform checkpoint .* cpC/,
    );
  }, 240_000);

  it('restore killed halfway: the re-run restores and starts every VM in order', async () => {
    const stateDir = await copy();
    expect(
      (
        await runBuilt([
          'checkpoint',
          FILE,
          'base',
          '-y',
          '--sim',
          '--sim-speed',
          '2000',
          '--state-dir',
          stateDir,
        ])
      ).code,
    ).toBe(0);
    const first = await interrupted('restore', ['base', '-y'], stateDir, '/restore', 1, 'SIGKILL');
    expect(first.signal).toBe('SIGKILL');
    const rerun = await runBuilt([
      'restore',
      FILE,
      'base',
      '-y',
      '--sim',
      '--sim-speed',
      '2000',
      '--state-dir',
      stateDir,
    ]);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/resuming restore "base"/);
    for (const vm of await vmsOf(stateDir)) expect(vm, vm.name).toMatchObject({ state: 'Running' });
  }, 240_000);
});
