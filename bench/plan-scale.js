#!/usr/bin/env node
// plan-scale: `labform plan --sim --json` on generated labs of 10, 100, 1000 VMs over 1, 5, 20
// simulated hosts, 60% of the VMs already built (applied in virtual time beforehand), a tenth
// of those drifted (processors and memory changed in the manifest: updates that require a
// stop), the rest new. Every built VM runs, so the plan probes its guest (inside the host's one
// discovery request). Each case is planned --repeat times (default 3) and the best wall time,
// CPU time and peak RSS are kept: the machine is shared, and the best run is the one least
// disturbed by others. One JSON line per case, then a table and the 1000-to-10 ratios.
//   node bench/plan-scale.js [--vms 10,100,1000] [--hosts 1,5,20] [--repeat 3] [--keep]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../dist/clock/virtual-clock.js';
import { executePlan } from '../dist/executor/execute-plan.js';
import { silentLogger } from '../dist/log/logger.js';
import { loadLab } from '../dist/manifest/load-lab.js';
import { makePlan } from '../dist/app/make-plan.js';
import { createMemoryStore } from '../dist/providers/sim/store/sim-store.js';
import { createSim } from '../dist/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../dist/secrets/resolver.js';
import { generateLabYaml, vmName } from './generate-lab.js';
import { argValue, hasFlag, round, runMeasured, table } from './lib.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'labform.js');
const vmCounts = argValue('vms', '10,100,1000').split(',').map(Number);
const hostCounts = argValue('hosts', '1,5,20').split(',').map(Number);
const BUILT = 0.6;
const GiB = 1024 ** 3;
// The generated labs' credential (a throwaway value: the simulator only compares it).
process.env.BENCH_LAB_PASSWORD ??= 'bench-only-Passw0rd';
const DRIFT_EVERY = 10;
const repeat = Math.max(1, Number(argValue('repeat', '3')));

/** Applies the built part in memory with virtual time, then writes the hosts where `--sim` reads them. */
async function buildPart({ dir, vms, hosts }) {
  const built = Math.round(vms * BUILT);
  const file = path.join(dir, 'built.yaml');
  writeFileSync(file, generateLabYaml({ vms: built, hosts }));
  const { lab, diagnostics } = await loadLab({ file });
  if (!lab) throw new Error(`generated manifest invalid: ${diagnostics.map((d) => d.message).join('; ')}`);
  const clock = new VirtualClock();
  const store = createMemoryStore();
  // Hosts big enough for a thousand 1-2 GB VMs (a fresh simulated host has 64 GB free).
  const provider = await createSim({
    lab,
    clock,
    store,
    hostDefaults: { totalMemory: 8192 * GiB, freeMemory: 4096 * GiB },
  });
  const credentials = createCredentialResolver({ lab });
  const { plan } = await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' });
  const result = await executePlan({
    plan,
    provider,
    credentials,
    clock,
    parallelism: lab.settings.parallelism,
    perHostParallelism: lab.settings.perHostParallelism,
  });
  if (result.rootCauses.length > 0)
    throw new Error(`building the lab failed: ${result.rootCauses[0].error?.message}`);
  await provider.close();
  for (const [key, text] of store.documents) {
    const target = path.join(dir, 'state', 'sim', `${key}.json`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return built;
}

async function runCase({ vms, hosts }) {
  const dir = mkdtempSync(path.join(tmpdir(), `labform-plan-scale-${vms}-${hosts}-`));
  try {
    const built = await buildPart({ dir, vms, hosts });
    const drift = new Set(
      Array.from({ length: built }, (_, i) => vmName(i)).filter((_, i) => i % DRIFT_EVERY === 0),
    );
    const file = path.join(dir, 'lab.yaml');
    writeFileSync(file, generateLabYaml({ vms, hosts, drift }));
    const stateDir = path.join(dir, 'state');
    let run;
    const best = { wallMs: Infinity, cpuMs: Infinity, peakRssMb: Infinity };
    for (let i = 0; i < repeat; i++) {
      run = await runMeasured(process.execPath, [
        cli,
        'plan',
        file,
        '--sim',
        '--json',
        '--state-dir',
        stateDir,
      ]);
      if (run.code !== 0) throw new Error(`labform plan exited ${run.code}: ${run.stderr}`);
      for (const key of Object.keys(best)) best[key] = Math.min(best[key], run[key]);
    }
    const plan = JSON.parse(run.stdout);
    const rounds = await runMeasured(process.execPath, [
      path.join(root, 'bench', 'plan-rounds.js'),
      file,
      stateDir,
    ]);
    if (rounds.code !== 0) throw new Error(`plan-rounds exited ${rounds.code}: ${rounds.stderr}`);
    const counts = Object.values(JSON.parse(rounds.stdout).hosts);
    const maxTrips = Math.max(...counts.map((c) => c.roundTrips));
    const maxDiscover = Math.max(...counts.map((c) => c.discover));
    const guestsProbed = counts.reduce((sum, c) => sum + c.guestsProbed, 0);
    return {
      bench: 'plan-scale',
      vms,
      hosts,
      wallMs: Math.round(best.wallMs),
      cpuMs: Math.round(best.cpuMs),
      peakRssMb: round(best.peakRssMb),
      roundTripsPerHost: maxTrips,
      discoveryPerHost: maxDiscover,
      guestsProbed,
      built,
      drifted: drift.size,
      changes: plan.changes.length,
      create: plan.summary.create,
      update: plan.summary.update,
    };
  } finally {
    if (!hasFlag('keep')) rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const hosts of hostCounts) {
  for (const vms of vmCounts) {
    const row = await runCase({ vms, hosts });
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.log('');
console.log(
  table(rows, [
    'vms',
    'hosts',
    'wallMs',
    'cpuMs',
    'peakRssMb',
    'roundTripsPerHost',
    'discoveryPerHost',
    'guestsProbed',
    'built',
    'drifted',
    'create',
    'update',
  ]),
);
const lo = Math.min(...vmCounts);
const hi = Math.max(...vmCounts);
for (const hosts of hostCounts) {
  const a = rows.find((r) => r.hosts === hosts && r.vms === lo);
  const b = rows.find((r) => r.hosts === hosts && r.vms === hi);
  if (a && b && a !== b)
    console.log(
      `${hosts} host(s): ${hi} VMs took ${round(b.wallMs / a.wallMs, 2)}x the wall time (${round(b.cpuMs / a.cpuMs, 2)}x the CPU time) of ${lo} VMs, for ${hi / lo}x the VMs`,
    );
}
console.log(
  `(best of ${repeat} runs each for wall time, CPU time and peak RSS; round trips: every provider call of the plan, guest probes included, on the busiest host)`,
);
