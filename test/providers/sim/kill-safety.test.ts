import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { parseHost } from '../../../src/providers/sim/sim-state.js';
import { ctx, testLab } from './sim-lab.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const writer = path.join(root, 'test/fixtures/sim/kill-writer.ts');
const viteNode = path.join(root, 'node_modules/.bin/vite-node');

/** Start the writer, let it commit `atLeast` generations (plus a little), SIGKILL it; the last generation it printed. */
function runAndKill(stateDir: string, atLeast: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(viteNode, [writer, stateDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let last = 0;
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const lines = d.toString().trim().split('\n').filter(Boolean);
      last = Number(lines[lines.length - 1]);
      if (!killed && last >= atLeast) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('kill -9 during writes', () => {
  it('leaves the previous or the next state, never a broken one, and the stale lock is taken over', async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-kill-'));
    try {
      const file = path.join(stateDir, 'sim', 'hosts', 'hv01.json');
      for (const extra of [7, 23]) {
        const printed = await runAndKill(stateDir, 3, extra);
        const state = parseHost(fs.readFileSync(file, 'utf8'));
        expect(state.vms).toHaveLength(2000);
        const notes = state.vms.find((v) => v.name === 'filler0')!.notes;
        const generation = Number(/^gen-(\d+)$/.exec(notes)![1]);
        // Printed after commit: the file holds that generation, or a later one whose print was cut off.
        expect(generation).toBeGreaterThanOrEqual(printed);
      }
      // A new process takes over the dead writer's lock once it is stale and keeps working.
      const sim = await createSim({ lab: testLab(), clock: new VirtualClock(), stateDir });
      await sim.run('hv01', { op: 'configureVm', name: 'filler0', settings: { notes: 'after' } }, ctx());
      expect(parseHost(fs.readFileSync(file, 'utf8')).vms[0]!.notes).toBe('after');
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
