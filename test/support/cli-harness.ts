/**
 * The one harness for running `labform` in tests: in-process (`cli`: captured output, fast
 * simulator flags, temp dirs, edited copies of a manifest beside the secrets it reads), or the
 * built CLI as a child process (`startBuilt`/`runBuilt`: what kills, signals and concurrent
 * processes need), with copies of the examples to run it on.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import lockfile from 'proper-lockfile';
import type { CommandIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';

// Fast simulated time: a whole lab applies in a fraction of a real second.
export const SIM = ['--sim', '--sim-speed', '5000'];

/** The plan fixture's secret files (`fromFile: ./secrets/…` in plan-lab.yaml). */
export const PLAN_SECRETS = path.resolve('test/fixtures/plan/secrets');

/** A non-interactive `CommandIo` whose stdout and stderr collect into `out`. */
export function captureIo(options: { stdinIsTTY?: boolean; color?: boolean } = {}): {
  io: CommandIo;
  out: { stdout: string; stderr: string };
} {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const io: CommandIo = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    isTTY: false,
    stdinIsTTY: options.stdinIsTTY ?? false,
    color: options.color ?? false,
  };
  return { io, out };
}

/** Run `labform <args>` in-process: its exit code and everything it printed. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, out } = captureIo();
  const code = await main(args, io);
  return { code, ...out };
}

/** A fresh directory under the OS temp dir. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Write `text` as `<dir>/<name>` beside copies of the plan fixture's secrets (all of them, or
 * only those named), so the manifest's `fromFile` references resolve. Returns the file's path.
 */
export async function writeManifestCopy(options: {
  dir: string;
  name: string;
  text: string;
  secrets?: string[];
}): Promise<string> {
  await mkdir(path.join(options.dir, 'secrets'));
  for (const f of options.secrets ?? (await readdir(PLAN_SECRETS)))
    await copyFile(path.join(PLAN_SECRETS, f), path.join(options.dir, 'secrets', f));
  const file = path.join(options.dir, options.name);
  await writeFile(file, options.text);
  return file;
}

// ---- the built CLI in a child process ---------------------------------------------------------

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'labform.js');

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Forks the built CLI (bin/labform.js -> dist/). */
export function startBuilt(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): { child: ChildProcess; done: Promise<Run> } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const k of ['LABFORM_SIM_FAULT_RATE', 'LABFORM_SIM_FAULT_SEED', 'LABFORM_SIM_FAIL'])
    if (!options.env || !(k in options.env)) delete env[k];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Run the built CLI to its end: exit code, signal and output. */
export const runBuilt = (args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) =>
  startBuilt(args, options).done;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * The forked CLI runs dist/: rebuild it when a source is newer. Several test files call this at
 * once; a lock keeps it to one tsc (a slow one on two shared cores).
 */
export async function ensureBuilt(): Promise<void> {
  const main = path.join(ROOT, 'dist', 'cli', 'main.js');
  const stale = () => !existsSync(main) || newestMtime(path.join(ROOT, 'src')) > statSync(main).mtimeMs;
  if (!stale()) return;
  const release = await lockfile.lock(path.join(ROOT, 'package.json'), {
    lockfilePath: path.join(os.tmpdir(), 'labform-reliability-build.lock'),
    retries: { retries: 600, minTimeout: 200, maxTimeout: 500 },
    stale: 180_000,
  });
  try {
    if (!stale()) return;
    try {
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT, stdio: 'ignore' },
      );
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript; a missing dist fails the tests.
    }
  } finally {
    await release();
  }
}

/** A fresh directory under the OS temp dir, made at once (for synchronous set-up). */
export function tempDirSync(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `labform-rel-${prefix}-`));
}

/** Simulator speeds far above real time turn milliseconds of file I/O into minutes: tests use generous timeouts. */
export const GENEROUS_TIMEOUTS = { heartbeat: '24h', powershellDirect: '24h', adReady: '24h', step: '24h' };

/**
 * A copy of an example (with its secrets folder) in a fresh directory, its manifest changed by
 * `mutate` (a parsed YAML document as plain data). Returns the manifest path.
 */
export function prepareLab(options: {
  example: string;
  dir?: string;
  file?: string;
  mutate?: (doc: any) => void;
  timeouts?: Record<string, string>;
}): string {
  const dir = options.dir ?? tempDirSync('lab');
  const src = path.join(ROOT, 'examples', options.example);
  if (!existsSync(path.join(dir, 'secrets')))
    cpSync(path.join(ROOT, 'examples', 'secrets'), path.join(dir, 'secrets'), { recursive: true });
  const doc = YAML.parse(readFileSync(src, 'utf8'));
  doc.settings = {
    ...(doc.settings ?? {}),
    timeouts: { ...(doc.settings?.timeouts ?? {}), ...(options.timeouts ?? GENEROUS_TIMEOUTS) },
  };
  options.mutate?.(doc);
  const file = path.join(dir, options.file ?? options.example);
  writeFileSync(file, YAML.stringify(doc));
  return file;
}

export async function labOf(file: string): Promise<Lab> {
  const { lab, diagnostics } = await loadLab({ file });
  if (!lab) throw new Error(`invalid manifest ${file}: ${JSON.stringify(diagnostics)}`);
  return lab;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
