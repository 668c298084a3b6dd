#!/usr/bin/env node
// goals: the planning goals of issue 18, measured side by side in one run and checked, and the
// apply goals of issue 14 (bench/apply-critical-path.js, simulated time: efficiency at least 0.95
// on every example, guarded-fabric's critical path at least 25% shorter with features offline).
// Runs bench/discovery.js (the fake Hyper-V module: discovery alone against a plan's request
// with 10 and 100 running guests) and bench/plan-scale.js (10/100/1000 VMs on 1/5/20
// simulated hosts), each in its own process, then prints one table of the goals with the
// figures each is judged on, wall time AND CPU time: on a machine shared with others, wall
// time carries their load (the load average is printed before and after), CPU time is this
// work's own. A wall-time goal missed while the CPU figure meets it says "load" in the verdict;
// one met by wall time while the CPU figure is over says that too.
//   node bench/goals.js [--repeat 3] [--guests 10,100] [--vms 10,100,1000] [--hosts 1,5,20]
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, round, table } from './lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repeat = argValue('repeat', '3');
const load = () => loadavg().map((l) => round(l, 1));

/** Runs one benchmark, echoing its output; its JSON lines (one per measurement). */
function measure(script, args) {
  console.log(`\n== ${script} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [path.join(here, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(result.stdout ?? '');
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}`);
  return (result.stdout ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

const loadBefore = load();
// A warm request on the fake takes about a second: more repeats steady its best figures.
const fake = measure('discovery.js', [
  '--vms',
  argValue('guests', '10,100'),
  '--repeat',
  String(Math.max(5, Number(repeat))),
]);
const scale = measure('plan-scale.js', [
  '--vms',
  argValue('vms', '10,100,1000'),
  '--hosts',
  argValue('hosts', '1,5,20'),
  '--repeat',
  repeat,
]);
const apply = measure('apply-critical-path.js', []);
const loadAfter = load();

const goals = [];
/** One goal: its figures and whether wall time and CPU time meet it (undefined: not measured). */
function goal(name, figures, wallMet, cpuMet) {
  let verdict = 'not measured';
  if (wallMet !== undefined || cpuMet !== undefined) {
    if (wallMet && cpuMet !== false) verdict = 'met';
    else if (wallMet) verdict = 'met by wall time; CPU time over';
    else if (cpuMet) verdict = 'met by CPU time; wall time missed (load)';
    else verdict = 'MISSED';
  }
  goals.push({ goal: name, figures, verdict });
}

const trips = scale.map((r) => r.roundTripsPerHost);
const fakeTrips = fake.filter((r) => r.roundTrips !== undefined).map((r) => r.roundTrips);
goal(
  'exactly 1 round trip per host for a plan, at every size',
  `sim: ${[...new Set(trips)].join(', ')} per host over ${scale.length} cases; fake module: ${[...new Set(fakeTrips)].join(', ')} per request`,
  scale.length > 0 ? trips.every((t) => t === 1) && fakeTrips.every((t) => t === 1) : undefined,
);
const cell = (vms, hosts) => scale.find((r) => r.vms === vms && r.hosts === hosts);
const big20 = cell(1000, 20);
goal(
  '1000 VMs / 20 hosts: under 1 s wall and 200 MB',
  big20 ? `${big20.wallMs} ms wall, ${big20.cpuMs} ms CPU, ${big20.peakRssMb} MB` : '',
  big20 ? big20.wallMs < 1000 && big20.peakRssMb < 200 : undefined,
  big20 ? big20.cpuMs < 1000 && big20.peakRssMb < 200 : undefined,
);
const big1 = cell(1000, 1);
goal(
  '1000 VMs / 1 host: under 1.5 s wall',
  big1 ? `${big1.wallMs} ms wall, ${big1.cpuMs} ms CPU, ${big1.peakRssMb} MB` : '',
  big1 ? big1.wallMs < 1500 : undefined,
  big1 ? big1.cpuMs < 1500 : undefined,
);
for (const hosts of [...new Set(scale.map((r) => r.hosts))]) {
  const small = cell(10, hosts);
  const big = cell(1000, hosts);
  if (!small || !big) continue;
  const wall = round(big.wallMs / small.wallMs, 2);
  const cpu = round(big.cpuMs / small.cpuMs, 2);
  goal(
    `1000 VMs at most 3x the wall time of 10 VMs (${hosts} host${hosts > 1 ? 's' : ''})`,
    `${wall}x wall (${big.wallMs} / ${small.wallMs} ms), ${cpu}x CPU (${big.cpuMs} / ${small.cpuMs} ms)`,
    wall <= 3,
    cpu <= 3,
  );
}
for (const r of fake.filter((x) => x.kind === 'plan/discovery')) {
  goal(
    `fake module, ${r.vms} running guests: a plan within 2x of discovery alone`,
    `${r.wallRatio}x wall, ${r.cpuRatio}x CPU`,
    r.wallRatio <= 2,
    r.cpuRatio <= 2,
  );
}

// Simulated time: no wall or CPU time to tell apart, one verdict each.
for (const r of apply.filter((x) => x.bench === 'apply-critical-path' && !x.error)) {
  goal(
    `apply efficiency (critical path / makespan) at least 0.95: ${r.example}`,
    `${r.efficiency} (${r.criticalPathS} s / ${r.makespanS} s, simulated)`,
    r.criticalPathS / r.makespanS >= 0.95,
  );
}
const offline = apply.find(
  (x) => x.bench === 'apply-critical-path-offline-features' && x.example === 'guarded-fabric',
);
goal(
  "guarded-fabric's critical path at least 25% shorter with features offline",
  offline
    ? `${offline.shorterPct}% (${offline.onlineCriticalPathS} s online, ${offline.offlineCriticalPathS} s offline)`
    : '',
  offline ? offline.shorterPct >= 25 : undefined,
);

console.log('\n== goals');
console.log(table(goals, ['goal', 'figures', 'verdict']));
console.log(
  `(load average ${loadBefore.join(' ')} before, ${loadAfter.join(' ')} after, on ${cpus().length} cores; ` +
    'best of the repeats for each figure; CPU time is the measured process tree: the CLI for plan-scale, the ' +
    "host's PowerShell process for the fake module; a plan-scale process's CPU time includes Node's start-up)",
);
