import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuilt, ensureBuilt, ROOT, tempDirSync, type Run } from '../support/cli-harness.js';
import { readSimWorld } from './support/invariants.js';

// Everything the CLI can be handed that is not a valid manifest: exit 1, a clear message, no
// stack trace, and nothing touched (the state directory is not even created).
const RULES = path.join(ROOT, 'test', 'fixtures', 'manifest', 'rules');
const COMMANDS = [['validate'], ['plan', '--sim'], ['apply', '--sim', '-y']];

function expectRejected(run: Run, what: string): void {
  expect(run.code, `${what}\n${run.stdout}${run.stderr}`).toBe(1);
  const out = `${run.stdout}${run.stderr}`;
  expect(out, what).toMatch(/error/);
  // No stack trace without --debug.
  expect(out, what).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(out, what).not.toMatch(/(TypeError|ReferenceError|SyntaxError|RangeError):/);
}

async function rejectedEverywhere(file: string, what: string): Promise<void> {
  const dir = tempDirSync('bad-state');
  const stateDir = path.join(dir, 'state');
  const limit = pLimit(2);
  const runs = await Promise.all(
    COMMANDS.map((c) => limit(() => runBuilt([...c, file, '--state-dir', stateDir]))),
  );
  runs.forEach((run, i) => expectRejected(run, `${COMMANDS[i]!.join(' ')} ${what}`));
  expect(existsSync(stateDir), `${what}: the state directory was created`).toBe(false);
}

let dir: string;
beforeAll(async () => {
  await ensureBuilt();
  dir = tempDirSync('bad-input');
  cpSync(path.join(ROOT, 'examples', 'secrets'), path.join(dir, 'secrets'), { recursive: true });
}, 180_000);

describe('every rule fixture is rejected through the built CLI', () => {
  const fixtures = readdirSync(RULES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it('there are rule fixtures to run', () => expect(fixtures.length).toBeGreaterThan(20));
  it.each(fixtures)(
    '%s',
    async (name) => {
      const file = path.join(RULES, name);
      const validate = await runBuilt(['validate', file]);
      const out = `${validate.stdout}${validate.stderr}`;
      expect(out).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      // A rule that is only a warning (e.g. dhcp-no-server) passes validate, with the warning.
      if (validate.code === 0) {
        expect(out).toMatch(/warning\[[a-z0-9-]+\]/);
        return;
      }
      expect(validate.code).toBe(1);
      expect(out).toMatch(new RegExp(`${name.replace('.', '\\.')}:\\d+:\\d+: error\\[[a-z0-9-]+\\]: `));
      // apply goes through everything plan does first; one of the two keeps this loop short.
      const stateDir = path.join(tempDirSync('rule-state'), 'state');
      const apply = await runBuilt(['apply', file, '--sim', '-y', '--state-dir', stateDir]);
      expectRejected(apply, `apply ${name}`);
      expect(existsSync(stateDir)).toBe(false);
    },
    60_000,
  );
});

describe('hostile files', () => {
  it('a YAML alias bomb (billion laughs)', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const file = path.join(dir, 'bomb.yaml');
    writeFileSync(
      file,
      `apiVersion: labform/v1\nkind: Lab\nname: bomb\nhosts: [{name: hv01}]\nvms: []\n${levels.join('\n')}\n`,
    );
    await rejectedEverywhere(file, 'alias bomb');
  }, 60_000);

  it('a file far too large', async () => {
    const file = path.join(dir, 'huge.yaml');
    writeFileSync(
      file,
      `apiVersion: labform/v1\nkind: Lab\nname: huge\ndescription: "${'x'.repeat(12 * 1024 * 1024)}"\nhosts: [{name: hv01}]\nvms: []\n`,
    );
    await rejectedEverywhere(file, 'huge file');
  }, 60_000);

  it('a large file of many unknown keys (under the size limit) is rejected without quadratic work', async () => {
    const file = path.join(dir, 'many-keys.yaml');
    const keys = Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}\n`).join('');
    writeFileSync(
      file,
      `apiVersion: labform/v1\nkind: Lab\nname: many\nhosts: [{name: hv01}]\nvms: []\n${keys}`,
    );
    const run = await runBuilt(['validate', file]);
    expectRejected(run, 'many keys');
  }, 60_000);

  it('binary garbage', async () => {
    const file = path.join(dir, 'garbage.yaml');
    const bytes = Buffer.alloc(64 * 1024);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(file, bytes);
    await rejectedEverywhere(file, 'binary garbage');
  }, 60_000);

  it('invalid UTF-8 without NUL bytes', async () => {
    const file = path.join(dir, 'latin1.yaml');
    writeFileSync(
      file,
      Buffer.from(
        'apiVersion: labform/v1\nkind: Lab\nname: caf\xe9\nhosts: [{name: hv01}]\nvms: []\n',
        'latin1',
      ),
    );
    await rejectedEverywhere(file, 'invalid UTF-8');
  }, 60_000);

  it('an empty file, a lone scalar, a list, several documents', async () => {
    const cases = {
      'empty.yaml': '',
      'scalar.yaml': 'just a string\n',
      'list.yaml': '- a\n- b\n',
      'multi.yaml': 'apiVersion: labform/v1\n---\nkind: Lab\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      writeFileSync(path.join(dir, name), text);
      await rejectedEverywhere(path.join(dir, name), name);
    }
  }, 90_000);

  it('a manifest that is a directory', async () => {
    const d = path.join(dir, 'lab-dir.yaml');
    mkdirSync(d, { recursive: true });
    await rejectedEverywhere(d, 'directory');
  }, 60_000);

  it('a missing file and a dangling symlink', async () => {
    await rejectedEverywhere(path.join(dir, 'nope.yaml'), 'missing file');
    const link = path.join(dir, 'dangling.yaml');
    symlinkSync(path.join(dir, 'nowhere.yaml'), link);
    await rejectedEverywhere(link, 'dangling symlink');
  }, 60_000);

  it('a FIFO (reading would block forever) is refused, not read', async () => {
    const fifo = path.join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    await rejectedEverywhere(fifo, 'FIFO');
  }, 60_000);

  it('an unreadable file (as root too: a file inside a directory that cannot be searched, for non-root; otherwise EACCES is simulated by a FIFO above)', async () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked);
    const file = path.join(locked, 'lab.yaml');
    writeFileSync(file, 'apiVersion: labform/v1\n');
    execFileSync('chmod', ['000', file]);
    const run = await runBuilt(['validate', file]);
    // Root reads anything: then the content (a partial manifest) is what is rejected. Either way: exit 1, clear, no trace.
    expectRejected(run, 'chmod 000');
    execFileSync('chmod', ['600', file]);
  }, 60_000);

  it('a missing secret is an input error: exit 1, nothing touched', async () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'reliability', 'secrets-lab.yaml');
    const stateDir = path.join(tempDirSync('nosecret'), 'state');
    const env = { REL_LAB_PASSWORD: '', REL_SAFE_PASSWORD: '' };
    for (const c of [
      ['plan', '--sim'],
      ['apply', '--sim', '-y', '--sim-speed', '2000'],
    ]) {
      const run = await runBuilt([...c, file, '--state-dir', stateDir], { env });
      expectRejected(run, `${c[0]} without secrets`);
      expect(`${run.stdout}${run.stderr}`).toMatch(/REL_LAB_PASSWORD|REL_SAFE_PASSWORD/);
    }
    // The simulator may have met its hosts (discovery), but nothing was created on them.
    for (const host of Object.values(readSimWorld(stateDir).hosts) as {
      vms: unknown[];
      switches: unknown[];
      vhds: { path: string }[];
    }[]) {
      expect(host.vms).toEqual([]);
      expect(host.switches).toEqual([]);
      expect(host.vhds.filter((v) => v.path.startsWith('D:\\Labs'))).toEqual([]);
    }
  }, 60_000);

  it('unknown flags and bad option values', async () => {
    const file = path.join(ROOT, 'examples', 'nat-lab.yaml');
    const stateDir = path.join(tempDirSync('flags'), 'state');
    for (const args of [
      ['plan', file, '--no-such-flag'],
      ['apply', file, '--sim', '--parallelism', 'lots', '--state-dir', stateDir],
      ['apply', file, '--sim', '--sim-speed', '-3', '--state-dir', stateDir],
      ['frobnicate', file],
    ]) {
      const run = await runBuilt(args);
      expectRejected(run, args.join(' '));
    }
    expect(existsSync(stateDir)).toBe(false);
  }, 60_000);
});
