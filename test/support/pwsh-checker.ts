/**
 * One pwsh run of a checker script (the 5.1 syntax and semantics checks, the cmdlet parameter
 * checks): its input as a JSON file named by an environment variable, its answer the JSON object
 * it prints. Asynchronous on purpose: a test worker blocked in a synchronous child process for a
 * minute (pwsh on a loaded machine) cannot answer vitest's runner, whose calls to it time out
 * after 60 s ("Timeout calling onTaskUpdate") although every test passes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { pwshPath } from './pwsh.js';

export async function runPwshChecker(options: {
  /** What the checker is, for its error message: `the PS 5.1 syntax checker`. */
  what: string;
  /** The checker's PowerShell text (sent as -EncodedCommand). */
  script: string;
  /** The input, written as JSON to a file whose path goes in `inputVariable`. */
  input: unknown;
  inputVariable: string;
  env?: Record<string, string>;
}): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'labform-checker-'));
  try {
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify(options.input));
    const encoded = Buffer.from(options.script, 'utf16le').toString('base64');
    const run = await execa(
      pwshPath(),
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-EncodedCommand', encoded],
      {
        env: { ...options.env, [options.inputVariable]: file },
        reject: false,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (run.exitCode !== 0)
      throw new Error(`${options.what} failed (${run.exitCode}): ${run.stderr || run.stdout}`);
    return JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
