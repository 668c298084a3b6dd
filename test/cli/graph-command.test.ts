import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';

const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');
const SIM = ['--sim', '--sim-speed', '5000'];

async function cli(args: string[]) {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const io: CommandIo = { stdout, stderr, stdin: new PassThrough(), isTTY: false, stdinIsTTY: false, color: false };
  const code = await main(args, io);
  return { code, ...out };
}

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'labform-cli-'));

describe('labform graph (simulator)', () => {
  it('prints dot by default and mermaid on request, grouped by VM', async () => {
    const stateDir = await tmp();
    const dot = await cli(['graph', FILE, ...SIM, '--state-dir', stateDir]);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "labform plantest"/);
    expect(dot.stdout).toContain('label="vm dc01";');
    expect(dot.stdout).toContain('"vm.dc01/start" -> "vm.dc01/wait-heartbeat";');
    const mermaid = await cli(['graph', FILE, ...SIM, '--state-dir', stateDir, '--format', 'mermaid']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.stdout).toContain('["vm web01"]');
    const bad = await cli(['graph', FILE, ...SIM, '--state-dir', stateDir, '--format', 'png']);
    expect(bad.code).toBe(1);
  });
});

