#!/usr/bin/env node
// apply-critical-path: every example in examples/ applied on the in-memory simulator in virtual
// time, once with the manifest's parallelism and once one step at a time (parallelism 1).
// Figures (simulated seconds): the makespan; the critical path, i.e. the longest dependency
// chain by the steps' actual durations (no schedule can beat it); the one-step-at-a-time
// makespan; efficiency = critical path / makespan; speedup = sequential / makespan.
// Then, for examples whose roles install Windows features, the critical path with the features
// installed in the running guests (settings.featureInstall: online) and installed into the new
// OS disks before their first boot (offline), and how much shorter offline is (goal for
// guarded-fabric: at least 25%), each critical path printed step by step (what is on it, when it
// started, how long it took). Efficiency goal: at least 0.95 on every example.
//   node bench/apply-critical-path.js [--example nat-lab] [--path]   (--path: every run's critical path)
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../dist/clock/virtual-clock.js';
import { executePlan } from '../dist/executor/execute-plan.js';
import { silentLogger } from '../dist/log/logger.js';
import { loadLab } from '../dist/manifest/load-lab.js';
import { makePlan } from '../dist/app/make-plan.js';
import { createSim } from '../dist/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../dist/secrets/resolver.js';
import { argValue, hasFlag, round, table } from './lib.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = argValue('example', undefined);
const EFFICIENCY_GOAL = 0.95;
const OFFLINE_GOAL_PCT = 25;
const examples = readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .filter((f) => !only || f === `${only}.yaml` || f === only)
  .sort();

/** A fresh simulated lab, planned and applied with the given limits; returns the executor's result. */
async function applyOnce({ file, parallelism, perHostParallelism, waitsTakeSlots, featureInstall }) {
  const { lab, diagnostics } = await loadLab({ file });
  if (!lab) throw new Error(`${file}: ${diagnostics.map((d) => d.message).join('; ')}`);
  if (featureInstall) lab.settings.featureInstall = featureInstall;
  const clock = new VirtualClock();
  const provider = await createSim({ lab, clock, memory: true });
  const credentials = createCredentialResolver({ lab });
  const { plan } = await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' });
  const result = await executePlan({
    plan,
    provider,
    credentials,
    clock,
    parallelism: parallelism ?? lab.settings.parallelism,
    perHostParallelism: perHostParallelism ?? lab.settings.perHostParallelism,
    waitsTakeSlots: Boolean(waitsTakeSlots),
  });
  await provider.close();
  if (result.rootCauses.length > 0)
    throw new Error(
      `${path.basename(file)}: ${result.rootCauses.map((r) => `${r.id}: ${r.error?.message}`).join('; ')}`,
    );
  const offlineSteps = plan.steps.filter(
    (s) => s.type === 'host' && s.operation.op === 'installFeaturesOffline',
  );
  return { result, plan, steps: plan.steps.length, offlineSteps: offlineSteps.length };
}

/** The critical path step by step: start (s from the first step), duration, step, title. */
function printPath(label, { result, plan }) {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const results = new Map(result.steps.map((r) => [r.id, r]));
  console.log(
    `\n${label}: critical path ${round(result.criticalPath.ms / 1000)} s over ${result.criticalPath.steps.length} steps (makespan ${round(result.makespanMs / 1000)} s)`,
  );
  for (const id of result.criticalPath.steps) {
    const r = results.get(id);
    const step = byId.get(id);
    const at = round((r.startedAt - result.startedAt) / 1000);
    const took = round(r.durationMs / 1000);
    console.log(
      `  ${String(at).padStart(7)}  ${String(took).padStart(6)} s  ${step.type.padEnd(5)}  ${step.title}`,
    );
  }
}

const rows = [];
for (const example of examples) {
  const file = path.join(root, 'examples', example);
  let parallel;
  let sequential;
  try {
    parallel = await applyOnce({ file });
    sequential = await applyOnce({ file, parallelism: 1, perHostParallelism: 1, waitsTakeSlots: true });
  } catch (error) {
    // One example that does not converge must not hide the others' figures.
    const row = {
      bench: 'apply-critical-path',
      example: example.replace(/\.yaml$/, ''),
      error: error.message,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    continue;
  }
  const makespanS = parallel.result.makespanMs / 1000;
  const criticalPathS = parallel.result.criticalPath.ms / 1000;
  const sequentialS = sequential.result.makespanMs / 1000;
  const row = {
    bench: 'apply-critical-path',
    example: example.replace(/\.yaml$/, ''),
    makespanS: round(makespanS),
    criticalPathS: round(criticalPathS),
    sequentialS: round(sequentialS),
    efficiency: round(criticalPathS / makespanS, 3),
    efficiencyGoal: criticalPathS / makespanS >= EFFICIENCY_GOAL ? 'met' : 'MISSED',
    speedup: round(sequentialS / makespanS, 2),
    steps: parallel.steps,
    stepSumS: round(parallel.result.sequentialMs / 1000),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  if (hasFlag('path')) printPath(row.example, parallel);
}
console.log('');
console.log(
  table(
    rows.filter((r) => !r.error),
    [
      'example',
      'steps',
      'makespanS',
      'criticalPathS',
      'sequentialS',
      'stepSumS',
      'efficiency',
      'efficiencyGoal',
      'speedup',
    ],
  ),
);
for (const r of rows.filter((x) => x.error)) console.log(`${r.example}: not measured: ${r.error}`);

// Offline features: the same lab with featureInstall forced each way.
const offlineRows = [];
for (const example of examples) {
  const file = path.join(root, 'examples', example);
  try {
    const online = await applyOnce({ file, featureInstall: 'online' });
    const offline = await applyOnce({ file, featureInstall: 'offline' });
    if (offline.offlineSteps === 0) continue;
    const onlineS = online.result.criticalPath.ms / 1000;
    const offlineS = offline.result.criticalPath.ms / 1000;
    const row = {
      bench: 'apply-critical-path-offline-features',
      example: example.replace(/\.yaml$/, ''),
      onlineCriticalPathS: round(onlineS),
      offlineCriticalPathS: round(offlineS),
      shorterPct: round((100 * (onlineS - offlineS)) / onlineS, 1),
      onlineEfficiency: round(onlineS / (online.result.makespanMs / 1000), 3),
      offlineEfficiency: round(offlineS / (offline.result.makespanMs / 1000), 3),
      offlineSteps: offline.offlineSteps,
      ...(example === 'guarded-fabric.yaml'
        ? { shorterGoal: (100 * (onlineS - offlineS)) / onlineS >= OFFLINE_GOAL_PCT ? 'met' : 'MISSED' }
        : {}),
    };
    offlineRows.push(row);
    console.log(JSON.stringify(row));
    printPath(`${row.example}, features online`, online);
    printPath(`${row.example}, features offline`, offline);
  } catch (error) {
    const row = { bench: 'apply-critical-path-offline-features', example, error: error.message };
    offlineRows.push(row);
    console.log(JSON.stringify(row));
  }
}
if (offlineRows.length > 0) {
  console.log('');
  console.log(
    table(
      offlineRows.filter((r) => !r.error),
      [
        'example',
        'onlineCriticalPathS',
        'offlineCriticalPathS',
        'shorterPct',
        'shorterGoal',
        'onlineEfficiency',
        'offlineEfficiency',
        'offlineSteps',
      ],
    ),
  );
}
for (const r of offlineRows.filter((x) => x.error))
  console.log(`${r.example}: offline features not measured: ${r.error}`);
if (rows.some((r) => r.error) || offlineRows.some((r) => r.error)) process.exitCode = 1;
