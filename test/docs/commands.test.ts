import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractBlocks, forSimulator } from './doc-commands.js';

// Every command shown in the docs runs, in order, on the simulator: a temp copy of the
// examples per doc, its own state directory, the exit code the doc expects.
const root = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(root, 'bin', 'labform.js');
const docsDir = path.join(root, 'docs');
const docs = readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('commands in the docs run on the simulator', () => {
  for (const doc of docs) {
    const blocks = extractBlocks(doc, readFileSync(path.join(docsDir, doc), 'utf8'));
    const runnable = blocks.filter((b) => !b.skipped && b.commands.length > 0);
    if (runnable.length === 0) continue;
    it(`${doc}: ${runnable.reduce((n, b) => n + b.commands.length, 0)} commands`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'labform-docs-'));
      temps.push(dir);
      cpSync(path.join(root, 'examples'), path.join(dir, 'examples'), { recursive: true });
      const stateDir = path.join(dir, 'state');
      for (const block of runnable) {
        for (const command of block.commands) {
          const line = forSimulator(command.text, { cli, stateDir });
          const run = spawnSync('bash', ['-c', line], {
            cwd: dir,
            encoding: 'utf8',
            env: { ...process.env, NO_COLOR: '1', LABFORM_SIM_SPEED: process.env.LABFORM_SIM_SPEED ?? '200' },
            timeout: 120_000,
          });
          const where = `${doc}:${command.line}: ${command.text}`;
          expect({ where, exit: run.status, output: run.status === command.expectedExit ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({ where, exit: command.expectedExit, output: '' });
        }
      }
    }, 600_000);
  }
});

describe('every sh block of the docs is either run or says why not', () => {
  it('finds the commands of getting-started.md', () => {
    const blocks = extractBlocks('getting-started.md', readFileSync(path.join(docsDir, 'getting-started.md'), 'utf8'));
    const commands = blocks.filter((b) => !b.skipped).flatMap((b) => b.commands.map((c) => c.text));
    for (const sub of ['validate', 'plan', 'apply', 'show', 'graph', 'checkpoint', 'restore', 'destroy']) {
      expect(commands.some((c) => c.startsWith(`npx labform ${sub} `))).toBe(true);
    }
  });

  it('runs only labform commands outside no-test blocks', () => {
    for (const doc of docs) {
      for (const block of extractBlocks(doc, readFileSync(path.join(docsDir, doc), 'utf8'))) {
        if (block.skipped) continue;
        for (const c of block.commands) expect(`${doc}:${c.line}: ${/(^|\s)(npx\s+)?labform\s/.test(c.text)}`).toBe(`${doc}:${c.line}: true`);
      }
    }
  });
});
