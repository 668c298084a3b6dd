#!/usr/bin/env node
// discovery: the Hyper-V provider's discovery request (Get-LabformHostState, the real script
// in src/providers/hyperv/scripts) through the real session code, against the fake Hyper-V
// module (test/fake-hyperv) whose state file is seeded directly with 10, 100 and 500 lab VMs
// (each with an OS disk, a data disk and an adapter on the lab's switch). Figures: wall time
// of one warm discovery (session already open; the state file is read per call) and the size
// of its JSON answer per VM. Needs `npm run build` and pwsh (skipped with a line otherwise).
//   node bench/discovery.js [--vms 10,100,500] [--repeat 1] [--timeout-s 900]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createSession } from '../dist/powershell/create-session.js';
import { transportFor } from '../dist/powershell/transport.js';
import { hostLibraryScripts } from '../dist/providers/hyperv/host-library.js';
import { hostStateFromJson } from '../dist/providers/hyperv/host-state-from-json.js';
import { ownershipMark } from '../dist/ownership/mark.js';
import { findPwsh } from './find-pwsh.js';
import { argValue, round, table } from './lib.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const FAKE_MODULE = path.join(root, 'test', 'fake-hyperv', 'FakeHyperV.psm1');
const GiB = 1024 ** 3;
const LAB = 'bench';
const STORAGE = `D:\\Labs\\${LAB}`;
const IMAGE = 'D:\\Images\\WS2022.vhdx';

/** A fake host state (test/fake-hyperv's file format) holding `n` running lab VMs. */
function seededState(n) {
  const vhds = [{ path: IMAGE, type: 'Dynamic', parentPath: null, size: 40 * GiB, mounted: false, diskNumber: 0, os: 'windows' }];
  const vms = [];
  for (let i = 1; i <= n; i++) {
    const name = `vm${String(i).padStart(4, '0')}`;
    const folder = `${STORAGE}\\${name}`;
    const os = `${folder}\\${name}-os.vhdx`;
    const data = `${folder}\\${name}-data1.vhdx`;
    vhds.push({ path: os, type: 'Differencing', parentPath: IMAGE, size: 40 * GiB, mounted: false, diskNumber: 0, os: 'windows' });
    vhds.push({ path: data, type: 'Dynamic', parentPath: null, size: 20 * GiB, mounted: false, diskNumber: 0, os: null });
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
        { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 0, path: os, supportPersistentReservations: false },
        { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 1, path: data, supportPersistentReservations: false },
      ],
      adapters: [{ name: 'Network Adapter', switchName: 'LabNet', mac: `00155D${hex}`, dynamicMac: true, spoofing: false, vlan: null, ipAddresses: [] }],
      devices: [],
      snapshots: [],
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
    switches: [{ id: '00000000-0000-4000-8000-000000000000', name: 'LabNet', notes: ownershipMark(LAB), adapterDescription: null, allowManagementOS: true, type: 'Internal' }],
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
  console.log(JSON.stringify({ bench: 'discovery', skipped: 'pwsh not found (set LABFORM_PWSH or install PowerShell 7)' }));
  process.exit(0);
}
const counts = argValue('vms', '10,100,500').split(',').map(Number);
const repeat = Number(argValue('repeat', '1'));
const timeoutMs = Number(argValue('timeout-s', '900')) * 1000;
const dir = mkdtempSync(path.join(tmpdir(), 'labform-bench-discovery-'));
const statePath = path.join(dir, 'hv01.json');
writeFileSync(statePath, JSON.stringify(seededState(0)));
const session = createSession({
  host: 'hv01',
  transport: transportFor({ connect: { kind: 'local' }, shell: 'pwsh' }),
  libraryScripts: hostLibraryScripts(),
  modules: [FAKE_MODULE],
  env: { LABFORM_FAKE_HYPERV_STATE: statePath, LABFORM_FAKE_BOOT_SECONDS: '0', LABFORM_FAKE_AD_SECONDS: '0' },
  defaultTimeoutMs: 10 * 60_000,
  executable,
});
const discover = () => session.invoke({ command: 'Get-LabformHostState', parameters: { Paths: [STORAGE], Files: [IMAGE] }, safeToRetry: false, timeoutMs, address: 'host.hv01' });
const rows = [];
try {
  // Opens the session (process start, module and library load) outside the timed calls.
  await discover();
  for (const n of counts) {
    writeFileSync(statePath, JSON.stringify(seededState(n)));
    let best = Infinity;
    let raw;
    try {
      for (let i = 0; i < repeat; i++) {
        const start = performance.now();
        raw = await discover();
        best = Math.min(best, performance.now() - start);
      }
    } catch (error) {
      // The fake re-reads its state file on every cmdlet call, so large states can exceed the timeout.
      const row = { bench: 'discovery', vms: n, error: error.message };
      rows.push(row);
      console.log(JSON.stringify(row));
      continue;
    }
    const state = hostStateFromJson('hv01', raw);
    if (state.vms.length !== n) throw new Error(`discovery saw ${state.vms.length} VMs, seeded ${n}`);
    const bytes = Buffer.byteLength(JSON.stringify(raw));
    const row = { bench: 'discovery', vms: n, wallMs: Math.round(best), bytesPerVm: Math.round(bytes / n), totalBytes: bytes, msPerVm: round(best / n, 2) };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
console.log(table(rows.filter((r) => !r.error), ['vms', 'wallMs', 'msPerVm', 'bytesPerVm', 'totalBytes']));
for (const r of rows.filter((x) => x.error)) console.log(`${r.vms} VMs: not measured: ${r.error}`);
console.log(`(best of ${repeat} warm calls each; bytes: the answer's JSON, compact)`);
