/**
 * Scenario fixtures on the simulator: the manifest test/fixtures/plan/plan-lab.yaml applied (or a
 * fresh host), then changed behind labform's back (host operations run on the simulator, or
 * resources seeded), then `plan --json`; the plan must be exactly the fixture's expectation.
 */
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLab } from '../../src/manifest/load-lab.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import type { HostOperation } from '../../src/model/host-operation.js';
import type { SeedVm } from '../../src/providers/sim/host/seed.js';
import { SIM, cli, tempDir, writeManifestCopy } from '../support/cli-harness.js';

const FILE = path.resolve('test/fixtures/plan/plan-lab.yaml');
const DIR = path.resolve('test/fixtures/plan/scenarios');

interface Scenario {
  description: string;
  start: 'applied' | 'fresh';
  /** Text replacements in (a copy of) the manifest: the user changed it. */
  manifestEdits?: [string, string][];
  hostOps?: HostOperation[];
  seed?: { vms?: SeedVm[]; switches?: { name: string; notes?: string }[]; vhds?: { path: string }[] };
  expected: {
    changes: { address: string; action: string; requiresStop: boolean; diff: unknown[] }[];
    conflicts: string[];
    stepIds?: string[];
    absentStepIds?: string[];
    exitCode?: number;
  };
}

/** Change the simulated hosts as someone else would, then let ten simulated minutes pass. */
async function behindLabformsBack(stateDir: string, scenario: Scenario): Promise<void> {
  const { lab } = await loadLab({ file: FILE });
  const clock = new VirtualClock();
  const sim = await createSim({ lab: lab!, clock, stateDir });
  const context = {
    address: 'test',
    credentials: {
      get: () => {
        throw new Error('no credentials in scenarios');
      },
    },
  };
  for (const op of scenario.hostOps ?? []) await sim.run('hv01', op, context);
  await sim.seed('hv01', (t) => {
    for (const vm of scenario.seed?.vms ?? []) t.vm(vm);
    for (const sw of scenario.seed?.switches ?? []) t.switch(sw);
    for (const vhd of scenario.seed?.vhds ?? []) t.vhd(vhd);
  });
  await clock.sleep(10 * 60_000);
  await sim.seed('hv01', () => undefined);
  await sim.close();
}

/** The manifest as the scenario has it: the fixture, or an edited copy beside copied secrets. */
async function manifestFor(scenario: Scenario): Promise<string> {
  if (!scenario.manifestEdits?.length) return FILE;
  let text = await readFile(FILE, 'utf8');
  for (const [from, to] of scenario.manifestEdits) {
    if (!text.includes(from)) throw new Error(`manifest edit not applicable: ${from}`);
    text = text.replace(from, to);
  }
  return writeManifestCopy({
    dir: await tempDir('labform-scenario-manifest-'),
    name: path.basename(FILE),
    text,
  });
}

const names = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();

describe('plan scenarios on the simulator', () => {
  let applied = '';
  beforeAll(async () => {
    applied = await tempDir('labform-scenario-base-');
    const r = await cli(['apply', FILE, '-y', ...SIM, '--state-dir', applied]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it.each(names)(
    '%s',
    async (name) => {
      const scenario = JSON.parse(await readFile(path.join(DIR, name), 'utf8')) as Scenario;
      const stateDir = await tempDir(`labform-scenario-${name.replace('.json', '')}-`);
      if (scenario.start === 'applied') await cp(applied, stateDir, { recursive: true });
      await behindLabformsBack(stateDir, scenario);
      const r = await cli(['plan', await manifestFor(scenario), ...SIM, '--state-dir', stateDir, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(scenario.expected.exitCode ?? 0);
      const plan = JSON.parse(r.stdout) as {
        changes: Scenario['expected']['changes'];
        conflicts: { address: string }[];
        steps: { id: string }[];
      };
      const acted = plan.changes
        .filter((c) => c.action !== 'noop')
        .map(({ address, action, requiresStop, diff }) => ({ address, action, requiresStop, diff }));
      expect(acted).toEqual(scenario.expected.changes);
      expect(plan.conflicts.map((c) => c.address).sort()).toEqual(scenario.expected.conflicts);
      const ids = plan.steps.map((s) => s.id);
      if (scenario.expected.stepIds?.length === 0) expect(ids).toEqual([]);
      for (const id of scenario.expected.stepIds ?? []) expect(ids).toContain(id);
      for (const id of scenario.expected.absentStepIds ?? []) expect(ids).not.toContain(id);
    },
    60_000,
  );
});
