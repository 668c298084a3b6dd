/**
 * Running `labform` in-process for tests: captured output, fast simulator flags, temp dirs, and
 * edited copies of a manifest beside the secrets it reads.
 */
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CommandIo } from '../../src/cli/io.js';

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
  // Imported on use, so tests that vi.mock parts of the CLI get the mocked graph.
  const { main } = await import('../../src/cli/main.js');
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
