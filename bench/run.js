#!/usr/bin/env node
// Runs every benchmark (or those named: node bench/run.js plan-scale session) one after
// another, each in its own process so one's memory does not colour another's figures.
// Each prints one JSON line per measurement, then a readable table. `goals` (only when named)
// runs discovery and plan-scale side by side and checks issue 18's planning goals.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = {
  'plan-scale': ['plan-scale.js'],
  'apply-critical-path': ['apply-critical-path.js'],
  session: ['session.mjs'],
  discovery: ['discovery.js'],
};
const onRequest = { goals: ['goals.js'] };
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const names = wanted.length > 0 ? wanted : Object.keys(all);
let failed = 0;
for (const name of names) {
  const entry = all[name] ?? onRequest[name];
  if (!entry) {
    console.error(
      `unknown benchmark ${name}; one of: ${[...Object.keys(all), ...Object.keys(onRequest)].join(', ')}`,
    );
    process.exitCode = 1;
    continue;
  }
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, [path.join(here, entry[0])], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} benchmark(s) did not finish cleanly`);
  process.exitCode = 1;
}
