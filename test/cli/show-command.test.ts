import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM, cli, tempDir } from '../support/cli-harness.js';

const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');

const tmp = () => tempDir('labform-cli-');

describe('labform show (simulator)', () => {
  it('shows a lab not applied yet: VMs absent, networks absent; --json has the same facts', async () => {
    const stateDir = await tmp();
    const r = await cli(['show', FILE, ...SIM, '--state-dir', stateDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Lab plantest/);
    expect(r.stdout).toMatch(/dc01\s+hv01\s+absent/);
    expect(r.stdout).toContain('labform-plantest.LabNet on hv01: absent');
    expect(r.stdout).toContain('portMapping.LabNet.tcp.8443 -> web01');
    const json = JSON.parse((await cli(['show', FILE, ...SIM, '--state-dir', stateDir, '--json'])).stdout);
    expect(json.lab).toBe('plantest');
    expect(json.vms.map((v: { name: string; present: boolean }) => [v.name, v.present])).toEqual([
      ['dc01', false],
      ['web01', false],
    ]);
    expect(json.networks.map((n: { name: string }) => n.name)).toEqual(['LabNet', 'Backend']);
  });
});
