#!/usr/bin/env node
// discovery: the Hyper-V provider's discovery request through the real session code, against
// the fake Hyper-V module (test/fake-hyperv) whose state file is seeded directly with 10, 100
// and 500 running lab VMs (each with an OS disk, a data disk and an adapter on the lab's
// switch). Each size is measured twice, side by side in the same session:
//   discovery   Get-LabformHostState alone (what `apply` and `destroy` read);
//   plan        Get-LabformHostStateWithProbes: discovery plus the guest probes of every running
//               VM (two probes each, run in the guests through PowerShell Direct), the ONE
//               request a plan sends per host.
// Figures: round trips (requests sent for the call), wall time of one warm call (session
// already open; best of --repeat), CPU time and peak RSS of the host's PowerShell process, and
// the answer's size per VM, what each guest's session is sent (payloadBytesPerGuest: CLIXML of
// its arguments, counted by the fake in one more, untimed request); then, per size, the plan's cost against discovery's in wall time
// and in CPU time (the steadier figure on a shared machine). Needs `npm run build` and pwsh
// (skipped with a line otherwise). --fake-module measures another copy of the fake module
// (e.g. an older one, for before/after figures).
//   node bench/discovery.js [--vms 10,100] [--repeat 3] [--timeout-s 900] [--fake-module PATH]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createSession } from '../dist/powershell/create-session.js';
import { transportFor } from '../dist/powershell/transport.js';
import { hostLibraryScripts } from '../dist/providers/hyperv/host-library.js';
import { hostStateFromJson } from '../dist/providers/hyperv/host-state-from-json.js';
import { ownershipMark } from '../dist/ownership/mark.js';
import { guestLibraryScripts } from '../dist/providers/hyperv/guest/guest-library.js';
import {
  probeBatchParameters,
  probeOutcomesFromJson,
} from '../dist/providers/hyperv/guest/probe-batch-request.js';
import { Secret } from '../dist/secrets/secret.js';
import { readFileSync, readdirSync } from 'node:fs';
import { findPwsh } from './find-pwsh.js';
import { argValue, round, table } from './lib.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const FAKE_MODULE = path.resolve(
  argValue('fake-module', path.join(root, 'test', 'fake-hyperv', 'FakeHyperV.psm1')),
);
const GiB = 1024 ** 3;
const LAB = 'bench';
const STORAGE = `D:\\Labs\\${LAB}`;
const IMAGE = 'D:\\Images\\WS2022.vhdx';

/** A fake host state (test/fake-hyperv's file format) holding `n` running lab VMs. */
function seededState(n) {
  const vhds = [
    {
      path: IMAGE,
      type: 'Dynamic',
      parentPath: null,
      size: 40 * GiB,
      mounted: false,
      diskNumber: 0,
      os: 'windows',
    },
  ];
  const vms = [];
  for (let i = 1; i <= n; i++) {
    const name = `vm${String(i).padStart(4, '0')}`;
    const folder = `${STORAGE}\\${name}`;
    const os = `${folder}\\${name}-os.vhdx`;
    const data = `${folder}\\${name}-data1.vhdx`;
    vhds.push({
      path: os,
      type: 'Differencing',
      parentPath: IMAGE,
      size: 40 * GiB,
      mounted: false,
      diskNumber: 0,
      os: 'windows',
    });
    vhds.push({
      path: data,
      type: 'Dynamic',
      parentPath: null,
      size: 20 * GiB,
      mounted: false,
      diskNumber: 0,
      os: null,
    });
    const hex = i.toString(16).toUpperCase().padStart(6, '0');
    vms.push({
      id: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      name,
      state: 'Running',
      startedAt: 1,
      generation: 2,
      path: folder,
      processors: 2,
      memoryStartup: 2 * GiB,
      dynamicMemory: false,
      memoryMinimum: 536870912,
      memoryMaximum: 1099511627776,
      notes: ownershipMark(LAB),
      automaticStopAction: 'ShutDown',
      checkpointType: 'Production',
      lowMmio: 134217728,
      highMmio: 536870912,
      guestControlledCacheTypes: false,
      nested: false,
      secureBoot: true,
      secureBootTemplate: 'MicrosoftWindows',
      tpm: false,
      keyProtector: false,
      clustered: false,
      disks: [
        {
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 0,
          path: os,
          supportPersistentReservations: false,
        },
        {
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 1,
          path: data,
          supportPersistentReservations: false,
        },
      ],
      adapters: [
        {
          name: 'Network Adapter',
          switchName: 'LabNet',
          mac: `00155D${hex}`,
          dynamicMac: true,
          spoofing: false,
          vlan: null,
          ipAddresses: [],
        },
      ],
      devices: [],
      snapshots: [],
      // Booted guests: the local Administrator is recorded at the first PowerShell Direct call.
      guest: null,
    });
  }
  return {
    format: 'labform-fake-hyperv/1',
    hostName: 'hv01',
    computerName: 'FAKEHV',
    seq: n + 1,
    totalMemory: 2048 * GiB,
    baseFreeMemory: 1024 * GiB,
    netAdapters: [{ name: 'Ethernet', interfaceDescription: 'Microsoft Hyper-V Network Adapter' }],
    hostAddresses: [{ interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 }],
    switches: [
      {
        id: '00000000-0000-4000-8000-000000000000',
        name: 'LabNet',
        notes: ownershipMark(LAB),
        adapterDescription: null,
        allowManagementOS: true,
        type: 'Internal',
      },
    ],
    nats: [],
    natMappings: [],
    vhds,
    files: [],
    devices: [],
    vms,
    cluster: null,
    calls: [],
  };
}

const executable = findPwsh();
if (!executable) {
  console.log(
    JSON.stringify({
      bench: 'discovery',
      skipped: 'pwsh not found (set LABFORM_PWSH or install PowerShell 7)',
    }),
  );
  process.exit(0);
}
const counts = argValue('vms', '10,100').split(',').map(Number);
const repeat = Number(argValue('repeat', '3'));
const timeoutMs = Number(argValue('timeout-s', '900')) * 1000;
const dir = mkdtempSync(path.join(tmpdir(), 'labform-bench-discovery-'));
const statePath = path.join(dir, 'hv01.json');
writeFileSync(statePath, JSON.stringify(seededState(0)));
let requests = 0;
const countingLogger = {
  child: () => countingLogger,
  debug: (fields, msg) => {
    if (msg === 'powershell request' && !String(fields?.command ?? '').startsWith('__')) requests++;
  },
  info() {},
  warn() {},
  error() {},
  trace() {},
  fatal() {},
};
// The session runs only its library's functions: these two reach the fake's payload count.
const PAYLOAD_COUNT = `
function Start-BenchPayloadCount { Start-FakeDirectPayloadCount }
function Stop-BenchPayloadCount { Stop-FakeDirectPayloadCount }
`;
const session = createSession({
  host: 'hv01',
  transport: transportFor({ connect: { kind: 'local' }, shell: 'pwsh' }),
  libraryScripts: [...hostLibraryScripts(), ...guestLibraryScripts(), PAYLOAD_COUNT],
  modules: [FAKE_MODULE],
  env: { LABFORM_FAKE_HYPERV_STATE: statePath, LABFORM_FAKE_BOOT_SECONDS: '0', LABFORM_FAKE_AD_SECONDS: '0' },
  defaultTimeoutMs: 10 * 60_000,
  executable,
  logger: countingLogger,
});

/** The host's PowerShell processes: every descendant of this process (the pwsh launcher and its runtime). */
function statOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
function descendants() {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parent.set(Number(entry), Number(statOf(entry)[1]));
    } catch {
      // processes come and go
    }
  }
  const out = [];
  const walk = (pid) => {
    for (const [child, ppid] of parent) if (ppid === pid) (out.push(child), walk(child));
  };
  walk(process.pid);
  return out;
}
const ticks = 100; // USER_HZ on Linux
/** CPU time (user + system) of the PowerShell processes so far, ms. */
function cpuMsOf(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      const f = statOf(pid);
      sum += ((Number(f[11]) + Number(f[12])) * 1000) / ticks;
    } catch {
      // gone
    }
  }
  return sum;
}
/** The largest peak resident set among them, MB. */
function peakRssMbOf(pids) {
  let most = 0;
  for (const pid of pids) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) most = Math.max(most, Number(m[1]) / 1024);
    } catch {
      // gone
    }
  }
  return most;
}

const PARAMS = { Paths: [STORAGE], Files: [IMAGE] };
const credential = {
  name: 'bench-admin',
  username: 'Administrator',
  password: new Secret('bench-only-Passw0rd'),
};
/** The probes a plan sends for `n` running Windows VMs: two per VM, run in each guest. */
function probeBatch(n) {
  const requests = [];
  for (let i = 1; i <= n; i++) {
    const name = `vm${String(i).padStart(4, '0')}`;
    requests.push({
      vm: name,
      os: 'windows',
      credentials: ['bench-admin'],
      operations: [
        { op: 'setComputerName', computerName: name.toUpperCase() },
        { op: 'installFeatures', features: ['DNS'] },
      ],
    });
  }
  return { lab: LAB, requests, credentials: { 'bench-admin': credential }, timeoutMs: 60_000 };
}
const calls = {
  discovery: () =>
    session.invoke({
      command: 'Get-LabformHostState',
      parameters: PARAMS,
      safeToRetry: false,
      timeoutMs,
      address: 'host.hv01',
    }),
  plan: (batch) =>
    session.invoke({
      command: 'Get-LabformHostStateWithProbes',
      parameters: { ...PARAMS, ...probeBatchParameters(batch) },
      safeToRetry: false,
      timeoutMs,
      address: 'host.hv01',
    }),
};

/**
 * The mean CLIXML bytes of the arguments each guest's session receives in one plan request;
 * undefined with a fake that cannot count them (an older copy given with --fake-module).
 */
async function payloadPerGuest(batch) {
  const call = (command) => ({ command, parameters: {}, safeToRetry: true, timeoutMs, address: 'host.hv01' });
  try {
    await session.invoke(call('Start-BenchPayloadCount'));
  } catch {
    return undefined;
  }
  let counted = {};
  try {
    await calls.plan(batch);
  } finally {
    counted = (await session.invoke(call('Stop-BenchPayloadCount'))) ?? {};
  }
  const sizes = Object.values(counted).map(Number);
  return sizes.length === 0 ? undefined : Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
}

const payload = {};
const rows = [];
try {
  // Opens the session (process start, module and library load) outside the timed calls.
  await calls.discovery();
  const pid = descendants();
  for (const n of counts) {
    writeFileSync(statePath, JSON.stringify(seededState(n)));
    const batch = probeBatch(n);
    // First PowerShell Direct call of each guest records its local Administrator (a state write): outside the timing.
    await calls.plan(batch);
    // The two kinds alternate (discovery, plan, discovery, plan ...) so that both meet the same
    // moments of a shared machine's load; each keeps its best wall and CPU time.
    const seen = {};
    for (const kind of ['discovery', 'plan'])
      seen[kind] = { best: Infinity, bestCpu: Infinity, trips: 0, raw: undefined, error: undefined };
    for (let i = 0; i < repeat; i++) {
      for (const kind of ['discovery', 'plan']) {
        const m = seen[kind];
        if (m.error) continue;
        try {
          const before = requests;
          const cpu = cpuMsOf(pid);
          const start = performance.now();
          m.raw = kind === 'plan' ? await calls.plan(batch) : await calls.discovery();
          m.best = Math.min(m.best, performance.now() - start);
          m.bestCpu = Math.min(m.bestCpu, cpuMsOf(pid) - cpu);
          m.trips = requests - before;
        } catch (error) {
          // A large state on a busy machine can still exceed the timeout: reported, not fatal.
          m.error = error;
        }
      }
    }
    // What each guest receives (the arguments its session is sent, as CLIXML), counted by the
    // fake in one more, untimed plan request.
    payload[n] = await payloadPerGuest(batch);
    for (const kind of ['discovery', 'plan']) {
      const { best, bestCpu, trips, raw, error } = seen[kind];
      if (error) {
        const row = { bench: 'discovery', kind, vms: n, error: error.message };
        rows.push(row);
        console.log(JSON.stringify(row));
        continue;
      }
      const state = hostStateFromJson('hv01', raw);
      if (state.vms.length !== n) throw new Error(`discovery saw ${state.vms.length} VMs, seeded ${n}`);
      const row = {
        bench: 'discovery',
        kind,
        vms: n,
        roundTrips: trips,
        wallMs: Math.round(best),
        cpuMs: Math.round(bestCpu),
        peakRssMb: round(peakRssMbOf(pid)),
        msPerVm: round(best / n, 2),
      };
      if (kind === 'plan') {
        const outcomes = probeOutcomesFromJson(batch, raw.guestProbes);
        const answered = outcomes.filter((o) => o.status === 'answered').length;
        if (answered !== n)
          throw new Error(
            `${n - answered} of ${n} guests did not answer: ${JSON.stringify(outcomes.find((o) => o.status !== 'answered'))}`,
          );
        row.guestsAnswered = answered;
        row.payloadBytesPerGuest = payload[n];
      }
      const bytes = Buffer.byteLength(JSON.stringify(raw));
      Object.assign(row, { bytesPerVm: Math.round(bytes / n), totalBytes: bytes });
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
} finally {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
console.log(
  table(
    rows.filter((r) => !r.error),
    [
      'kind',
      'vms',
      'roundTrips',
      'wallMs',
      'cpuMs',
      'peakRssMb',
      'msPerVm',
      'guestsAnswered',
      'payloadBytesPerGuest',
      'bytesPerVm',
      'totalBytes',
    ],
  ),
);
for (const r of rows.filter((x) => x.error)) console.log(`${r.kind} ${r.vms} VMs: not measured: ${r.error}`);
for (const n of counts) {
  const d = rows.find((r) => r.vms === n && r.kind === 'discovery' && !r.error);
  const p = rows.find((r) => r.vms === n && r.kind === 'plan' && !r.error);
  if (d && p) {
    const ratio = {
      bench: 'discovery',
      kind: 'plan/discovery',
      vms: n,
      wallRatio: round(p.wallMs / d.wallMs, 2),
      cpuRatio: round(p.cpuMs / d.cpuMs, 2),
    };
    console.log(JSON.stringify(ratio));
    console.log(
      `${n} running guests: a plan's request took ${ratio.wallRatio}x the wall time (${p.wallMs} ms against ${d.wallMs} ms) and ${ratio.cpuRatio}x the CPU time (${p.cpuMs} ms against ${d.cpuMs} ms) of discovery alone`,
    );
  }
}
const [load1] = loadavg();
console.log(
  `(best of ${repeat} warm calls each, the two kinds alternating; CPU and peak RSS: the host's PowerShell process; peak RSS is the session's high-water mark so far; bytes: the answer's JSON, compact; load average ${round(load1, 1)} on ${cpus().length} cores: on a shared machine compare CPU times, wall times carry the others' load)`,
);
