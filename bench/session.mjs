#!/usr/bin/env node
// N small requests through one long-lived PowerShell session against N separate PowerShell
// processes doing the same work. Prints one JSON line:
//   {"bench":"session","n":200,"sessionMs":…,"spawnMs":…,"speedup":…}
// Needs `npm run build` (imports dist/) and pwsh (LABFORM_PWSH, PATH or ~/.dotnet/tools).
//   node bench/session.mjs [--n 200] [--spawn-n 200] [--shell pwsh|powershell]
// --spawn-n below n times only that many separate processes and scales the time up to n
// (the line then says so in "spawnMeasured"); on a loaded machine 200 pwsh starts take minutes.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createSession } from '../dist/powershell/create-session.js';
import { findPwsh } from './find-pwsh.js';
import { argValue } from './lib.js';

const n = Number(argValue('n', '200'));
const spawnN = Math.min(n, Number(argValue('spawn-n', String(n))));
const shell = argValue('shell', 'pwsh');
const executable = findPwsh();
if (!executable) {
  console.log(
    JSON.stringify({
      bench: 'session',
      n,
      skipped: 'pwsh not found (set LABFORM_PWSH or install PowerShell 7)',
    }),
  );
  process.exit(0);
}
const library =
  'function Get-LabformBench { param([int]$Index, [string]$Name) return [pscustomobject]@{ index = $Index; name = $Name; pid = $PID } }';

// One session: one process start, then N framed requests (the start is included in the time).
const sessionStart = performance.now();
const session = createSession({
  host: 'bench',
  transport: { kind: 'local', shell },
  libraryScripts: [library],
  executable,
});
for (let i = 0; i < n; i++) {
  const answer = await session.invoke({
    command: 'Get-LabformBench',
    parameters: { Index: i, Name: `vm${i}` },
  });
  if (answer.index !== i) throw new Error(`wrong answer for ${i}`);
}
await session.close();
const sessionMs = performance.now() - sessionStart;
console.error(`session: ${n} requests in ${Math.round(sessionMs)} ms`);

// N processes, each defining the same function and answering JSON once, as a per-cmdlet design would.
const spawnStart = performance.now();
for (let i = 0; i < spawnN; i++) {
  const script = `${library}; Get-LabformBench -Index ${i} -Name 'vm${i}' | ConvertTo-Json -Compress`;
  const out = execFileSync(executable, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], {
    encoding: 'utf8',
  });
  if (JSON.parse(out).index !== i) throw new Error(`wrong answer for ${i}`);
}
// Scaled up to n when only spawnN processes were timed (see --spawn-n).
const spawnMs = ((performance.now() - spawnStart) * n) / spawnN;

const row = {
  bench: 'session',
  n,
  sessionMs: Math.round(sessionMs),
  spawnMs: Math.round(spawnMs),
  speedup: Math.round((spawnMs / sessionMs) * 10) / 10,
};
if (spawnN < n) row.spawnMeasured = spawnN;
console.log(JSON.stringify(row));
console.log('');
console.log(
  `${n} requests   one session: ${row.sessionMs} ms (${(sessionMs / n).toFixed(1)} ms each, process start included)`,
);
console.log(`${n} requests   ${n} processes: ${row.spawnMs} ms (${(spawnMs / n).toFixed(1)} ms each)`);
console.log(`speedup ${row.speedup}x (goal: at least 10x)`);
