#!/usr/bin/env node
// `npm run soak`: randomised applies, destroys, kills and fault rates on generated labs, against
// the built CLI (dist/) and the simulator, checking invariants after every run.
//   node test/reliability/soak.js [--minutes N] [--seed S] [--speed X] [--episodes N]
// Each episode has its own seed (printed with any broken invariant): `--seed <it> --episodes 1` replays it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInvariants, filesUnder, labSlice, normaliseWorld, readSimWorld } from './support/invariants.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'labform.js');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const MINUTES = arg('minutes', 10);
const SEED = arg('seed', Date.now() % 1_000_000);
const SPEED = String(arg('speed', 2000));
const MAX_EPISODES = arg('episodes', Infinity);
const PASSWORD = `Soak'"$(x)\`;é漢 pw`;
// The raw value, its JSON-escaped form, and a fragment without quotes.
const LEAKS = [PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), '漢 pw'];
const ENV = { ...process.env, NO_COLOR: '1', SOAK_PASSWORD: PASSWORD };
for (const k of ['LABFORM_SIM_FAULT_RATE', 'LABFORM_SIM_FAULT_SEED', 'LABFORM_SIM_FAIL']) delete ENV[k];

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(next() * xs.length)], chance: (p) => next() < p };
}

/** A small random valid lab: an optional forest DC, members, plain VMs, data disks, an internal or NAT network. */
function generateLab(r, index, nat) {
  const name = `soak${index}`;
  const short = `l${index}`;
  const net = `Net${index}`;
  const third = 100 + index;
  const prefix = nat ? `192.168.${third}.0/24` : `10.${third}.0.0/24`;
  const withDc = r.chance(0.6);
  const vms = [];
  const ip = (n) => (nat ? `192.168.${third}.${n}/24` : `10.${third}.0.${n}/24`);
  if (withDc) {
    vms.push({ name: `${short}dc`, host: 'hv01', image: 'soak-img', memory: '2GB', credential: 'admin', network: [{ network: net, ip: ip(10) }], roles: [{ domainController: { domain: `${short}.soak`, netbios: `${short.toUpperCase()}SOAK`, safeModePassword: 'dsrm', domainAdmin: 'domain-admin' } }] });
  }
  const others = r.int(withDc ? 0 : 1, 3);
  for (let i = 1; i <= others; i++) {
    const vm = { name: `${short}m${i}`, host: 'hv01', image: 'soak-img', memory: r.pick(['1GB', '2GB']), processors: r.int(1, 4), credential: 'admin', network: [{ network: net, ip: r.chance(0.5) ? ip(20 + i) : 'auto' }], roles: [] };
    if (r.chance(0.4)) vm.disks = [{ size: `${r.int(1, 20)}GB` }];
    if (withDc && r.chance(0.7)) vm.roles.push({ domainMember: { domain: `${short}.soak`, joinCredential: 'domain-admin' } });
    if (r.chance(0.4)) vm.roles.push({ script: { run: `Set-Content C:\\soak-${i}.txt "it's $(Get-Date)"`, test: `Test-Path C:\\soak-${i}.txt` } });
    if (vm.roles.length === 0) delete vm.roles;
    vms.push(vm);
  }
  const network = { name: net, type: nat ? 'nat' : 'internal', host: 'hv01', prefix };
  if (nat) network.portMappings = [{ protocol: 'tcp', externalPort: 8000 + index, vm: vms[vms.length - 1].name, internalPort: 80 }];
  return {
    apiVersion: 'labform/v1', kind: 'Lab', name,
    settings: { storagePath: 'D:\\Labs\\{lab}', timeouts: { heartbeat: '24h', powershellDirect: '24h', adReady: '24h', step: '24h' } },
    hosts: [{ name: 'hv01', connect: 'local' }],
    images: [{ name: 'soak-img', path: 'D:\\Images\\soak.vhdx', os: 'windows', generation: 2 }],
    credentials: [
      { name: 'admin', username: 'Administrator', password: { fromEnv: 'SOAK_PASSWORD' } },
      { name: 'domain-admin', username: `${short.toUpperCase()}SOAK\\Administrator`, password: { fromEnv: 'SOAK_PASSWORD' } },
      { name: 'dsrm', username: 'DSRM', password: { fromEnv: 'SOAK_PASSWORD' } },
    ],
    networks: [network],
    vms,
  };
}

function facts(lab) {
  return { name: lab.name, vms: lab.vms.map((v) => v.name), switches: lab.networks.map((n) => n.name), storagePaths: [`D:\\Labs\\${lab.name}`], disks: [] };
}

function journalLines(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Runs the CLI; with `kill`, SIGKILLs it once its journal has grown by `kill.lines` lines (a kill point anywhere in the run). */
function run(args, { env = {}, kill } = {}) {
  return new Promise((resolve) => {
    const base = kill ? journalLines(kill.journal) : 0;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let killed = false;
    const timer = kill
      ? setInterval(() => {
          if (journalLines(kill.journal) >= base + kill.lines) {
            killed = true;
            child.kill('SIGKILL');
          }
        }, 3)
      : undefined;
    child.on('close', (code) => { clearInterval(timer); resolve({ code, killed: killed && code === null, out }); });
  });
}

const stats = { episodes: 0, converged: 0, runs: 0, applies: 0, destroys: 0, kills: 0, transientRuns: 0, permanentFaults: 0, exit: {}, broken: [] };

async function episode(seed) {
  const r = rng(seed);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labform-soak-'));
  const stateDir = path.join(dir, 'state');
  const labs = Array.from({ length: r.int(1, 2) }, (_, i) => generateLab(r, i, i === 0 && r.chance(0.5)));
  const files = labs.map((lab) => {
    const file = path.join(dir, `${lab.name}.yaml`);
    writeFileSync(file, JSON.stringify(lab, null, 2)); // JSON is YAML
    return file;
  });
  const broken = (what) => stats.broken.push(`seed ${seed}: ${what}`);
  const check = (when, full) => {
    let world;
    try {
      world = readSimWorld(stateDir);
    } catch (e) {
      return broken(`${when}: the simulator state does not load: ${e.message}`);
    }
    const v = checkInvariants({ world, labs: labs.map(facts) }).filter((x) => full || !x.includes('orphan disk'));
    for (const x of v) broken(`${when}: ${x}`);
    for (const f of filesUnder(stateDir)) {
      const text = readFileSync(f, 'utf8');
      if (LEAKS.some((l) => text.includes(l))) broken(`${when}: the password reached ${path.relative(stateDir, f)}`);
    }
  };
  const actions = r.int(2, 6);
  for (let a = 0; a < actions; a++) {
    const i = r.int(0, labs.length - 1);
    const destroy = r.chance(0.2);
    const env = {};
    if (r.chance(0.4)) {
      env.LABFORM_SIM_FAULT_RATE = String(r.pick([0.05, 0.1, 0.2, 0.3]));
      env.LABFORM_SIM_FAULT_SEED = String(r.int(1, 1e6));
      stats.transientRuns++;
    }
    if (!destroy && r.chance(0.15)) {
      env.LABFORM_SIM_FAIL = `createVm:${r.pick(labs[i].vms).name}`;
      stats.permanentFaults++;
    }
    const kill = r.chance(0.4) ? { lines: r.int(1, 60), journal: path.join(stateDir, 'journal', `${labs[i].name}.jsonl`) } : undefined;
    const res = await run([destroy ? 'destroy' : 'apply', files[i], '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir], { env, kill });
    stats.runs++;
    destroy ? stats.destroys++ : stats.applies++;
    if (res.killed) stats.kills++;
    else {
      stats.exit[res.code] = (stats.exit[res.code] ?? 0) + 1;
      if (![0, 3].includes(res.code)) broken(`${destroy ? 'destroy' : 'apply'} of ${labs[i].name} exited ${res.code}: ${res.out.slice(-400)}`);
      if (/\n\s+at .+:\d+:\d+/.test(res.out)) broken(`a stack trace was printed: ${res.out.slice(-400)}`);
    }
    if (LEAKS.some((l) => res.out.includes(l))) broken('the password was printed');
    check(`after action ${a}`, false);
  }
  // Converge: a clean apply of every lab, then nothing left to do, and all invariants hold.
  let ok = true;
  for (const [i, file] of files.entries()) {
    const res = await run(['apply', file, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]);
    stats.runs++;
    stats.applies++;
    if (res.code !== 0) { ok = false; broken(`clean apply of ${labs[i].name} exited ${res.code}: ${res.out.slice(-600)}`); }
    const plan = await run(['plan', file, '--sim', '--detailed-exitcode', '--state-dir', stateDir]);
    if (plan.code !== 0) { ok = false; broken(`second plan of ${labs[i].name} exited ${plan.code}: ${plan.out.slice(-600)}`); }
  }
  const before = stats.broken.length;
  check('after converging', true);
  if (stats.broken.length > before) ok = false;
  // Destroy one lab: it is gone, the other is exactly as it was.
  if (labs.length === 2) {
    const keep = normaliseWorld(labSlice(readSimWorld(stateDir), facts(labs[1])));
    const res = await run(['destroy', files[0], '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]);
    stats.runs++;
    stats.destroys++;
    if (res.code !== 0) { ok = false; broken(`destroy of ${labs[0].name} exited ${res.code}`); }
    const world = readSimWorld(stateDir);
    const gone = labSlice(world, facts(labs[0])).hosts.hv01;
    if (gone && gone.vms.length + gone.switches.length + gone.nats.length + gone.vhds.length > 0) { ok = false; broken(`destroy left resources of ${labs[0].name}`); }
    if (JSON.stringify(normaliseWorld(labSlice(world, facts(labs[1])))) !== JSON.stringify(keep)) { ok = false; broken(`destroying ${labs[0].name} changed ${labs[1].name}`); }
  }
  stats.episodes++;
  if (ok) stats.converged++;
}

const deadline = Date.now() + MINUTES * 60_000;
console.log(`soak: seed ${SEED}, ${MINUTES} min, sim speed ${SPEED}`);
for (let e = 0; e < MAX_EPISODES && Date.now() < deadline; e++) {
  const seed = SEED + e;
  await episode(seed);
  process.stdout.write(`episode ${e + 1} (seed ${seed}): converged ${stats.converged}/${stats.episodes}, runs ${stats.runs}, kills ${stats.kills}, broken ${stats.broken.length}\n`);
}
console.log('\nsoak summary');
console.log(`  episodes converged: ${stats.converged}/${stats.episodes}`);
console.log(`  runs: ${stats.runs} (${stats.applies} applies, ${stats.destroys} destroys); exit codes of runs not killed: ${JSON.stringify(stats.exit)}`);
console.log(`  kills (SIGKILL): ${stats.kills}`);
console.log(`  faults injected: ${stats.transientRuns} runs with a transient fault rate, ${stats.permanentFaults} permanent createVm faults`);
console.log(`  invariants broken: ${stats.broken.length}`);
for (const b of stats.broken) console.log(`    ${b}`);
process.exitCode = stats.broken.length === 0 ? 0 : 1;
