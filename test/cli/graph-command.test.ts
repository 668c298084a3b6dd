import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM, cli, tempDir } from '../support/cli-harness.js';

const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');

const tmp = () => tempDir('labform-cli-');

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

describe('labform graph (no host reachable)', () => {
  it('shows the graph of building the lab from nothing, with a note saying why', async () => {
    const saved = process.env.LABFORM_PWSH;
    process.env.LABFORM_PWSH = path.resolve('test/fixtures/no-such-powershell');
    try {
      const dot = await cli(['graph', FILE, '--state-dir', await tmp()]);
      expect(dot.code).toBe(0);
      expect(dot.stdout).toContain('"vm.dc01/start" -> "vm.dc01/wait-heartbeat";');
      expect(dot.stderr).toContain('note: showing the graph of building the lab from nothing');
    } finally {
      if (saved === undefined) delete process.env.LABFORM_PWSH;
      else process.env.LABFORM_PWSH = saved;
    }
  });
});
