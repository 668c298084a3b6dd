import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuilt, ensureBuilt, prepareLab, tempDirSync, type Run } from '../support/cli-harness.js';

// Problems of the user's environment are reported as that (the path, what is wrong, a hint),
// exit 1, never as "a bug in labform".
function expectEnvironmentError(run: Run, what: string, path_: string | RegExp): void {
  const out = `${run.stdout}${run.stderr}`;
  expect(run.code, `${what}\n${out}`).toBe(1);
  expect(out, what).not.toMatch(/internal error|a bug in labform/);
  expect(out, what).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  if (typeof path_ === 'string') expect(out, what).toContain(path_);
  else expect(out, what).toMatch(path_);
  expect(out, what).toMatch(/hint: /);
}

let file: string;
let built: string;
beforeAll(async () => {
  await ensureBuilt();
  file = prepareLab({ example: 'nat-lab.yaml' });
  // One built lab, copied for the cases that corrupt it.
  built = path.join(tempDirSync('env-built'), 'state');
  const run = await runBuilt(['apply', file, '--sim', '-y', '--sim-speed', '5000', '--state-dir', built]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
}, 240_000);

/** A fresh state folder holding a copy of the built lab's simulated hosts. */
function copyOfBuilt(): string {
  const stateDir = path.join(tempDirSync('env-copy'), 'state');
  cpSync(path.join(built, 'sim'), path.join(stateDir, 'sim'), { recursive: true });
  return stateDir;
}

describe('environment errors are not bugs', () => {
  it('`locks` being a file', async () => {
    const stateDir = path.join(tempDirSync('env-locks'), 'state');
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, 'locks'), 'a file where a folder belongs');
    expectEnvironmentError(
      await runBuilt(['apply', file, '--sim', '-y', '--state-dir', stateDir]),
      'locks is a file',
      path.join(stateDir, 'locks'),
    );
  }, 60_000);

  it('a state folder that is a file', async () => {
    const stateDir = path.join(tempDirSync('env-file'), 'state');
    writeFileSync(stateDir, 'not a folder');
    expectEnvironmentError(
      await runBuilt(['plan', file, '--sim', '--state-dir', stateDir]),
      'state dir is a file',
      stateDir,
    );
  }, 60_000);

  // Node's recursive mkdir never returns for a folder under /proc (mkdir answers ENOENT there).
  it.runIf(process.platform === 'linux')(
    'a state folder under /proc is refused at once, not a hang',
    async () => {
      expectEnvironmentError(
        await runBuilt(['plan', file, '--sim', '--state-dir', '/proc/labform-state']),
        'state dir under /proc',
        '/proc/labform-state',
      );
    },
    60_000,
  );

  it('--log-file that is a directory', async () => {
    const dir = tempDirSync('env-log');
    const stateDir = path.join(dir, 'state');
    expectEnvironmentError(
      await runBuilt(['plan', file, '--sim', '--state-dir', stateDir, '--log-file', dir]),
      'log file is a folder',
      dir,
    );
  }, 60_000);

  it.each([
    ['empty', ''],
    ['truncated', '{"format":"labform-sim-host/1","host":"hv01","vms":['],
    ['not a host', '{"hello":"world"}'],
  ])(
    'a corrupt simulator host file (%s) names the file and how to recover',
    async (_name, text) => {
      const stateDir = copyOfBuilt();
      const hostFile = path.join(stateDir, 'sim', 'hosts', 'hv01.json');
      writeFileSync(hostFile, text);
      for (const args of [
        ['plan', file, '--sim'],
        ['apply', file, '--sim', '-y'],
        ['show', file, '--sim'],
      ]) {
        const run = await runBuilt([...args, '--state-dir', stateDir]);
        expectEnvironmentError(run, `${args[0]} with a corrupt host file`, hostFile);
        expect(`${run.stdout}${run.stderr}`).toMatch(/simulator's state is corrupt/);
        expect(`${run.stdout}${run.stderr}`).toMatch(
          /hint: delete this file to start simulated host hv01 afresh/,
        );
      }
    },
    120_000,
  );

  it('a corrupt shared storage file names the file', async () => {
    const stateDir = copyOfBuilt();
    const shared = path.join(stateDir, 'sim', 'shared.json');
    writeFileSync(shared, '{"format":"labform-sim-shared/1","vhds":[],"simTime":null}');
    expectEnvironmentError(
      await runBuilt(['plan', file, '--sim', '--state-dir', stateDir]),
      'corrupt shared file',
      shared,
    );
  }, 60_000);

  it('deleting sim/shared.json does not send simulated time back: the lab stays up', async () => {
    const stateDir = copyOfBuilt();
    const before = JSON.parse(readFileSync(path.join(stateDir, 'sim', 'shared.json'), 'utf8')) as {
      simTime: number;
    };
    rmSync(path.join(stateDir, 'sim', 'shared.json'));
    const show = await runBuilt(['show', file, '--sim', '--json', '--state-dir', stateDir]);
    expect(show.code, show.stderr).toBe(0);
    const vms = (JSON.parse(show.stdout) as { vms: { name: string; state: string; heartbeat: string }[] })
      .vms;
    expect(vms.length).toBeGreaterThan(0);
    for (const vm of vms) expect(vm, vm.name).toMatchObject({ state: 'Running', heartbeat: 'OK' });
    // And apply finds nothing to do (no waits on heartbeats that went back in time).
    const apply = await runBuilt(['apply', file, '--sim', '-y', '--state-dir', stateDir]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('No changes');
    const after = JSON.parse(readFileSync(path.join(stateDir, 'sim', 'shared.json'), 'utf8')) as {
      simTime: number;
    };
    expect(after.simTime).toBeGreaterThanOrEqual(before.simTime * 0.5);
  }, 120_000);
});

describe('environment variables are checked like their flags', () => {
  it.each([
    [{ LABFORM_SIM_SPEED: 'abc' }, /LABFORM_SIM_SPEED must be a number/],
    [{ LABFORM_SIM_SPEED: '1e308' }, /LABFORM_SIM_SPEED must be a number/],
    [{ LABFORM_SIM_FAULT_RATE: '-5' }, /LABFORM_SIM_FAULT_RATE must be a probability/],
    [{ LABFORM_SIM_FAIL: 'nonsense' }, /LABFORM_SIM_FAIL: "nonsense" is not a fault/],
  ])(
    '%j: exit 1, nothing touched',
    async (env, message) => {
      const stateDir = path.join(tempDirSync('env-vars'), 'state');
      const run = await runBuilt(['apply', file, '--sim', '-y', '--state-dir', stateDir], { env });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toMatch(message);
    },
    60_000,
  );

  it('--sim-speed 1e308 is refused and leaves the simulator state usable', async () => {
    const stateDir = path.join(tempDirSync('env-speed'), 'state');
    const run = await runBuilt([
      'apply',
      file,
      '--sim',
      '-y',
      '--sim-speed',
      '1e308',
      '--state-dir',
      stateDir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--sim-speed must be a number from 0\.01 to 1000000/);
    const plan = await runBuilt(['plan', file, '--sim', '--state-dir', stateDir]);
    expect(plan.code, plan.stderr).toBe(0);
  }, 60_000);
});
