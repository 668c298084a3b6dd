import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  extractBlocks,
  labformSubcommand,
  missingFromCommand,
  missingOutputLines,
  withCheckoutCli,
} from './doc-commands.js';

// Every command shown in README.md and docs/ runs exactly as written (see doc-commands.ts for
// the markers a page uses): a temp copy of the examples per page, the default state directory,
// the exit code the page expects, and the output the page shows.
const root = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(root, 'bin', 'labform.js');
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** Runs a shell line without blocking the test worker (a blocked worker cannot report to vitest). */
function runShell(
  line: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** The environment of a newcomer's shell: none of labform's variables, no forced colour. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('LABFORM_') && k !== 'FORCE_COLOR') env[k] = v;
  return { ...env, NO_COLOR: '1' };
}

describe('commands in the docs run exactly as written', () => {
  for (const page of pages) {
    const blocks = extractBlocks(page, readFileSync(path.join(root, page), 'utf8'));
    const runnable = blocks.filter((b) => b.kind === 'run' && b.commands.length > 0);
    if (runnable.length === 0) continue;
    it(`${page}: ${runnable.reduce((n, b) => n + b.commands.length, 0)} commands`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'labform-docs-'));
      temps.push(dir);
      // The manifests only: a lab the reader already built from this checkout (the README's own
      // `npx labform apply ... --sim`) keeps its state in examples/.labform, and must not leak in.
      cpSync(path.join(root, 'examples'), path.join(dir, 'examples'), {
        recursive: true,
        filter: (from) => !path.basename(from).startsWith('.labform'),
      });
      const env = cleanEnv();
      for (const block of runnable) {
        for (const edit of block.edits) {
          const target = path.join(dir, edit.file);
          const text = readFileSync(target, 'utf8');
          expect(`${page}:${block.line}: edit ${edit.file}: ${text.includes(edit.from)}`).toBe(
            `${page}:${block.line}: edit ${edit.file}: true`,
          );
          writeFileSync(target, text.replace(edit.from, edit.to));
        }
        let lastStdout = '';
        for (const command of block.commands) {
          const run = await runShell(withCheckoutCli(command.text, cli), {
            cwd: dir,
            env,
            timeoutMs: 120_000,
          });
          const where = `${page}:${command.line}: ${command.text}`;
          expect({
            where,
            exit: run.status,
            output: run.status === command.expectedExit ? '' : `${run.stdout}\n${run.stderr}`,
          }).toEqual({ where, exit: command.expectedExit, output: '' });
          lastStdout = run.stdout;
        }
        if (block.output) {
          const where = `${page}:${block.output.line}: output of ${block.commands.at(-1)!.text}`;
          const missing = missingOutputLines(block.output.lines, lastStdout);
          expect({ where, missing, printed: missing.length ? lastStdout : '' }).toEqual({
            where,
            missing: [],
            printed: '',
          });
        }
      }
    }, 600_000);
  }
});

describe('every sh block says what it needs', () => {
  it('host commands say --sim where the test runs them, and not where a real host is meant', () => {
    const wrong: string[] = [];
    for (const page of pages) {
      for (const block of extractBlocks(page, readFileSync(path.join(root, page), 'utf8'))) {
        for (const c of block.commands) {
          const missing = missingFromCommand(c, block.kind);
          if (missing) wrong.push(`${page}:${c.line}: ${c.text}: ${missing}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('blocks the test runs hold only labform commands (others are marked no-test with a reason)', () => {
    const wrong: string[] = [];
    for (const page of pages) {
      for (const block of extractBlocks(page, readFileSync(path.join(root, page), 'utf8'))) {
        if (block.kind !== 'run') continue;
        for (const c of block.commands)
          if (!labformSubcommand(c.text)) wrong.push(`${page}:${c.line}: ${c.text}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('blocks the test runs call labform as `npx labform`, which works in a checkout without installing it', () => {
    const wrong: string[] = [];
    for (const page of pages) {
      for (const block of extractBlocks(page, readFileSync(path.join(root, page), 'utf8'))) {
        if (block.kind !== 'run') continue;
        for (const c of block.commands)
          if (labformSubcommand(c.text) && !/(^|\s)npx labform\s/.test(c.text))
            wrong.push(`${page}:${c.line}: ${c.text}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('getting-started.md runs every verb', () => {
    const blocks = extractBlocks(
      'getting-started.md',
      readFileSync(path.join(root, 'docs', 'getting-started.md'), 'utf8'),
    );
    const ran = new Set(
      blocks.filter((b) => b.kind === 'run').flatMap((b) => b.commands.map((c) => labformSubcommand(c.text))),
    );
    for (const sub of [
      'validate',
      'plan',
      'apply',
      'show',
      'graph',
      'checkpoint',
      'restore',
      'destroy',
      'schema',
    ])
      expect(`${sub}: ${ran.has(sub)}`).toBe(`${sub}: true`);
  });
});
