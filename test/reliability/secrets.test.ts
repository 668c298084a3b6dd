import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuilt, ensureBuilt, tempDirSync, type Run } from '../support/cli-harness.js';
import { filesUnder } from './support/invariants.js';

// Unusual passwords: quotes of both kinds, $ and $(...), backticks, a semicolon, spaces, Unicode.
const PASSWORD = `Pa$$ w'o"rd \`$(whoami)\`; é漢☃ \\end`;
const SAFE_MODE = `Dsrm-"$env:PATH"-'ü'-${'{'}x${'}'}-@(1)`;
const FILE = path.resolve('test/fixtures/reliability/secrets-lab.yaml');
const ENV = { REL_LAB_PASSWORD: PASSWORD, REL_SAFE_PASSWORD: SAFE_MODE };

/** Every form in which a value could leak into text: raw, JSON-escaped, and fragments without quotes. */
function leakForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const fragments = value.split(/["'`\\$]/).filter((f) => f.trim().length >= 4);
  return [...new Set([value, json, ...fragments])];
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of [PASSWORD, SAFE_MODE]) {
    for (const form of leakForms(secret))
      expect(text.includes(form), `${where} contains ${JSON.stringify(form)}`).toBe(false);
  }
}

function expectNoSecretIn(run: Run, name: string): void {
  expectNoSecret(`${name} stdout`, run.stdout);
  expectNoSecret(`${name} stderr`, run.stderr);
}

function expectNoSecretUnder(dir: string): number {
  const files = filesUnder(dir);
  for (const f of files) expectNoSecret(f, readFileSync(f, 'utf8'));
  return files.length;
}

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

describe('secrets never leave the process', () => {
  it('plan --out, apply with debug logging, a second plan, show: the values appear in no output, log, plan, journal or state file', async () => {
    const dir = tempDirSync('secrets');
    const stateDir = path.join(dir, 'state');
    const log = path.join(dir, 'debug.log');
    const common = ['--sim', '--state-dir', stateDir, '--log-file', log, '--log-level', 'debug'];
    const planFile = path.join(dir, 'plan.json');
    const plan = await runBuilt(['plan', FILE, ...common, '--out', planFile], { env: ENV });
    expect(plan.code).toBe(0);
    expectNoSecretIn(plan, 'plan');
    expectNoSecret('saved plan', readFileSync(planFile, 'utf8'));
    const apply = await runBuilt(['apply', FILE, ...common, '-y', '--sim-speed', '2000'], { env: ENV });
    expect(apply.code).toBe(0);
    expectNoSecretIn(apply, 'apply');
    const json = await runBuilt(['plan', FILE, ...common, '--json'], { env: ENV });
    expectNoSecretIn(json, 'plan --json');
    const show = await runBuilt(['show', FILE, ...common, '--json'], { env: ENV });
    expectNoSecretIn(show, 'show');
    // The log really is a debug log of the whole run (so the check above means something).
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('"level":20')).length).toBeGreaterThan(50);
    expectNoSecret('log file', readFileSync(log, 'utf8'));
    expect(expectNoSecretUnder(stateDir)).toBeGreaterThan(2);
  }, 120_000);

  for (const fault of ['createForest:dc01', 'runGuest:runScript:web01']) {
    it(`a step failing while it uses the credential (${fault}): exit 3, and the error output holds no secret`, async () => {
      const dir = tempDirSync('secrets-fail');
      const stateDir = path.join(dir, 'state');
      const log = path.join(dir, 'debug.log');
      const run = await runBuilt(
        [
          'apply',
          FILE,
          '-y',
          '--sim',
          '--sim-speed',
          '2000',
          '--state-dir',
          stateDir,
          '--log-file',
          log,
          '--log-level',
          'debug',
        ],
        { env: { ...ENV, LABFORM_SIM_FAIL: fault } },
      );
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(/Root cause/);
      expectNoSecretIn(run, 'failed apply');
      expectNoSecret('log file', readFileSync(log, 'utf8'));
      expectNoSecretUnder(stateDir);
      // With --debug (stack traces allowed), still nothing.
      const again = await runBuilt(
        ['apply', FILE, '-y', '--debug', '--sim', '--sim-speed', '2000', '--state-dir', stateDir],
        { env: { ...ENV, LABFORM_SIM_FAIL: fault } },
      );
      expect(again.code).toBe(3);
      expectNoSecretIn(again, 'failed apply --debug');
    }, 120_000);
  }
});
