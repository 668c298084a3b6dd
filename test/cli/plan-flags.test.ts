/** `plan`/`apply` --replace and --target, `plan --destroy`, `show PLANFILE`, saved-plan hints. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM, cli, tempDir } from '../support/cli-harness.js';

const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');
const tmp = () => tempDir('labform-plan-flags-');

type JsonChange = { address: string; action: string; reason?: string };
const changesOf = (stdout: string): JsonChange[] => (JSON.parse(stdout) as { changes: JsonChange[] }).changes;

describe('plan and apply flags', () => {
  it('--target plans only the resource and what it depends on; a VM brings its roles and what they wait for', async () => {
    const stateDir = await tmp();
    const out = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--json', '--target', 'vm.web01']);
    expect(out.code).toBe(0);
    const addresses = changesOf(out.stdout).map((c) => c.address);
    expect(addresses).toContain('vm.web01');
    expect(addresses).toContain('network.LabNet');
    expect(addresses.some((a) => a.startsWith('role.web01.'))).toBe(true);
    // web01 joins dc01's domain: the DC and its forest come along; nothing else does.
    expect(addresses).toContain('vm.dc01');
    expect(addresses).toContain('role.dc01.domainController');
    const all = changesOf((await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--json'])).stdout).map(
      (c) => c.address,
    );
    expect(all.filter((a) => !addresses.includes(a)).length).toBeGreaterThan(0);
  });

  it('--replace replaces a VM that matches, on plan and apply; then nothing is left to do', async () => {
    const stateDir = await tmp();
    expect((await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir])).code).toBe(0);
    const planned = await cli([
      'plan',
      FILE,
      ...SIM,
      '--state-dir',
      stateDir,
      '--json',
      '--replace',
      'vm.web01',
    ]);
    expect(planned.code).toBe(0);
    const web = changesOf(planned.stdout).find((c) => c.address === 'vm.web01')!;
    expect(web).toMatchObject({
      action: 'replace',
      reason: expect.stringContaining('replacement requested with --replace'),
    });
    expect(changesOf(planned.stdout).find((c) => c.address === 'vm.dc01')!.action).toBe('noop');
    const applied = await cli([
      'apply',
      FILE,
      '-y',
      ...SIM,
      '--state-dir',
      stateDir,
      '--replace',
      'vm.web01',
    ]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('-/+ vm.web01 will be replaced');
    const again = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--detailed-exitcode']);
    expect(again.code).toBe(0);
  });

  it('an unknown address is an input error with the closest address', async () => {
    const stateDir = await tmp();
    const out = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--replace', 'vm.web1']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('--replace vm.web1: the lab has no such resource');
    expect(out.stderr).toContain('vm.web01');
  });

  it('plan --destroy shows what destroy removes, each line saying why', async () => {
    const stateDir = await tmp();
    expect((await cli(['apply', FILE, '-y', ...SIM, '--state-dir', stateDir])).code).toBe(0);
    const out = await cli([
      'plan',
      FILE,
      ...SIM,
      '--state-dir',
      stateDir,
      '--destroy',
      '--detailed-exitcode',
    ]);
    expect(out.code).toBe(2);
    expect(out.stdout).toContain('- vm.dc01 will be destroyed');
    expect(out.stdout).toContain('# destroy');
    expect(out.stdout).not.toContain('removed from the manifest');
  });

  it('a saved plan: the hint repeats --sim and --state-dir, it records its provider, and show PLANFILE renders it', async () => {
    const stateDir = await tmp();
    const file = path.join(stateDir, 'next.plan.json');
    const saved = await cli(['plan', FILE, ...SIM, '--state-dir', stateDir, '--out', file]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain(
      `apply it with: labform apply ${FILE} ${file} --sim --state-dir ${stateDir}`,
    );
    const shown = await cli(['show', file]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('+ vm.dc01 will be created');
    expect(shown.stdout.split('\n').at(-2)).toMatch(/^Plan: \d+ to add/);
    const json = JSON.parse((await cli(['show', file, '--json'])).stdout) as { lab: string };
    expect(json.lab).toBe('plantest');
    const raw = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')) as {
      provider: string;
    };
    expect(raw.provider).toBe('sim');
  });
});
