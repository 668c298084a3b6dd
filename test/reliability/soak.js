#!/usr/bin/env node
// `npm run soak`: randomised applies, destroys, kills and fault rates on generated labs, against
// the built CLI (dist/) and the simulator, checking invariants after every run. Each converged
// episode then runs the adversarial categories (tampered plan files, a zombie lock holder, kills
// during checkpoint and restore, corrupted simulator files, hostile numeric values) and the
// summary prints how many of each held.
//   node test/reliability/soak.js [--minutes N] [--seed S] [--speed X] [--episodes N]
// Each episode has its own seed (printed with any broken invariant): `--seed <it> --episodes 1` replays it.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
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
    vms.push({
      name: `${short}dc`,
      host: 'hv01',
      image: 'soak-img',
      memory: '2GB',
      credential: 'admin',
      network: [{ network: net, ip: ip(10) }],
      roles: [
        {
          domainController: {
            domain: `${short}.soak`,
            netbios: `${short.toUpperCase()}SOAK`,
            safeModePassword: 'dsrm',
            domainAdmin: 'domain-admin',
          },
        },
      ],
    });
  }
  const others = r.int(withDc ? 0 : 1, 3);
  for (let i = 1; i <= others; i++) {
    const vm = {
      name: `${short}m${i}`,
      host: 'hv01',
      image: 'soak-img',
      memory: r.pick(['1GB', '2GB']),
      processors: r.int(1, 4),
      credential: 'admin',
      network: [{ network: net, ip: r.chance(0.5) ? ip(20 + i) : 'auto' }],
      roles: [],
    };
    if (r.chance(0.4)) vm.disks = [{ size: `${r.int(1, 20)}GB` }];
    if (withDc && r.chance(0.7))
      vm.roles.push({ domainMember: { domain: `${short}.soak`, joinCredential: 'domain-admin' } });
    if (r.chance(0.4))
      vm.roles.push({
        script: {
          run: `Set-Content C:\\soak-${i}.txt "it's $(Get-Date)"`,
          test: `Test-Path C:\\soak-${i}.txt`,
        },
      });
    if (vm.roles.length === 0) delete vm.roles;
    vms.push(vm);
  }
  const network = { name: net, type: nat ? 'nat' : 'internal', host: 'hv01', prefix };
  if (nat)
    network.portMappings = [
      { protocol: 'tcp', externalPort: 8000 + index, vm: vms[vms.length - 1].name, internalPort: 80 },
    ];
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name,
    settings: {
      storagePath: 'D:\\Labs\\{lab}',
      timeouts: { heartbeat: '24h', powershellDirect: '24h', adReady: '24h', step: '24h' },
    },
    hosts: [{ name: 'hv01', connect: 'local' }],
    images: [{ name: 'soak-img', path: 'D:\\Images\\soak.vhdx', os: 'windows', generation: 2 }],
    credentials: [
      { name: 'admin', username: 'Administrator', password: { fromEnv: 'SOAK_PASSWORD' } },
      {
        name: 'domain-admin',
        username: `${short.toUpperCase()}SOAK\\Administrator`,
        password: { fromEnv: 'SOAK_PASSWORD' },
      },
      { name: 'dsrm', username: 'DSRM', password: { fromEnv: 'SOAK_PASSWORD' } },
    ],
    networks: [network],
    vms,
  };
}

function facts(lab) {
  return {
    name: lab.name,
    vms: lab.vms.map((v) => v.name),
    switches: lab.networks.map((n) => n.name),
    storagePaths: [`D:\\Labs\\${lab.name}`],
    disks: [],
  };
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
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, killed: killed && code === null, out });
    });
  });
}

const stats = {
  episodes: 0,
  converged: 0,
  runs: 0,
  applies: 0,
  destroys: 0,
  kills: 0,
  transientRuns: 0,
  permanentFaults: 0,
  exit: {},
  broken: [],
};
/** The adversarial categories: how many cases ran, and how many held (converged / were refused cleanly). */
const CATEGORIES = [
  'tampered plan file',
  'zombie lock holder',
  'kill during checkpoint',
  'kill during restore',
  'corrupted simulator file',
  'hostile numeric value',
];
const categories = Object.fromEntries(CATEGORIES.map((c) => [c, { ran: 0, held: 0 }]));

/** A zombie: `sh` starts a short sleep in the background and execs a long one that never reaps it. */
function zombie() {
  return new Promise((resolve) => {
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 20'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    parent.stdout.once('data', (d) => {
      const pid = Number(String(d).trim());
      const waitZombie = (n) => {
        let state = '';
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch {
          state = '';
        }
        if (state === 'Z' || n > 300) resolve({ pid, dispose: () => parent.kill('SIGKILL') });
        else setTimeout(() => waitZombie(n + 1), 10);
      };
      waitZombie(0);
    });
  });
}

/** Hostile values for the numeric fields of a generated lab: each must be refused by validate, or work. */
function hostileManifest(r, lab) {
  const copy = JSON.parse(JSON.stringify(lab));
  const vm = r.pick(copy.vms);
  const value = r.pick([
    0,
    -1,
    1.5,
    1e308,
    2 ** 53 + 2,
    '99999TB',
    '0B',
    '1000',
    '1.3GB',
    '3MB',
    '0s',
    '600h',
    99999999999999999999,
    'NaN',
  ]);
  const field = r.pick([
    'processors',
    'memory',
    'disk',
    'timeout',
    'count',
    'port',
    'parallelism',
    'dynamicMax',
  ]);
  if (field === 'processors') vm.processors = value;
  else if (field === 'memory') vm.memory = value;
  else if (field === 'disk') vm.disks = [{ size: value }];
  else if (field === 'timeout')
    copy.settings.timeouts[r.pick(['heartbeat', 'powershellDirect', 'adReady', 'step'])] = value;
  else if (field === 'count') vm.count = value;
  else if (field === 'port') copy.networks[0].vlan = value;
  else if (field === 'parallelism') copy.settings.parallelism = value;
  else vm.memory = { startup: '1GB', dynamic: true, maximum: value };
  return { manifest: copy, what: `${field} = ${JSON.stringify(value)}` };
}

/** The adversarial cases of one episode, on its converged labs (every case must leave them as they were or finish its job). */
async function adversarial(r, { dir, stateDir, labs, files, broken }) {
  const i = r.int(0, labs.length - 1);
  const file = files[i];
  const lab = labs[i];
  const world = () => JSON.stringify(normaliseWorld(readSimWorld(stateDir)));
  const clean = (res) =>
    !/internal error|a bug in labform/.test(res.out) && !/\n\s+at .+:\d+:\d+/.test(res.out);
  // Tampered plan file: apply refuses it (exit 1) and nothing changes.
  {
    const c = categories['tampered plan file'];
    c.ran++;
    const planFile = path.join(dir, `${lab.name}.plan.json`);
    await run(['plan', file, '--sim', '--state-dir', stateDir, '--out', planFile]);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    const how = r.int(0, 2);
    if (how === 0)
      plan.steps.push({
        type: 'host',
        id: `vm.${lab.vms[0].name}/remove`,
        address: `vm.${lab.vms[0].name}`,
        host: 'hv01',
        title: `remove VM ${lab.vms[0].name}`,
        dependsOn: [],
        timeoutMs: 60000,
        operation: { op: 'removeVm', name: lab.vms[0].name },
      });
    else if (how === 1)
      plan.changes = plan.changes
        .map((ch) => ({ ...ch, action: 'delete' }))
        .concat([{ address: 'vm.ghost', kind: 'vm', action: 'delete', requiresStop: false, diff: [] }]);
    else plan.summary = { create: 0, update: 0, replace: 0, delete: 99, noop: 0 };
    writeFileSync(planFile, JSON.stringify(plan));
    const before = world();
    const res = await run(['apply', file, planFile, '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]);
    if (res.code === 1 && world() === before && clean(res)) c.held++;
    else
      broken(
        `tampered plan (${how}) of ${lab.name}: exit ${res.code}${world() === before ? '' : ', the hosts changed'}: ${res.out.slice(-300)}`,
      );
  }
  // A zombie holding the lab lock: the next command takes the lock at once.
  if (existsSync('/proc/self/stat')) {
    const c = categories['zombie lock holder'];
    c.ran++;
    const z = await zombie();
    mkdirSync(path.join(stateDir, 'locks', `${lab.name}.lock`), { recursive: true });
    writeFileSync(
      path.join(stateDir, 'locks', `${lab.name}.owner.json`),
      JSON.stringify({ pid: z.pid, host: os.hostname(), command: 'apply', since: new Date().toISOString() }),
    );
    const res = await run(['apply', file, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]);
    z.dispose();
    if (res.code === 0) c.held++;
    else broken(`apply after a zombie holder of ${lab.name} exited ${res.code}: ${res.out.slice(-300)}`);
  }
  // Kills during checkpoint and restore: the re-run of the same command finishes the job.
  for (const command of ['checkpoint', 'restore']) {
    const c = categories[`kill during ${command}`];
    c.ran++;
    const name = `cp${r.int(1, 1e6)}`;
    if (command === 'restore')
      await run(['checkpoint', file, name, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir]);
    const kill = { lines: r.int(1, 12), journal: path.join(stateDir, 'journal', `${lab.name}.jsonl`) };
    const first = await run(
      [command, file, name, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir],
      { kill },
    );
    if (first.killed) stats.kills++;
    // Killed: the re-run finishes it. Not killed (it ended before the kill point): it stands as it is.
    const again = first.killed
      ? await run([command, file, name, '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir])
      : first;
    const vms = Object.values(readSimWorld(stateDir).hosts)
      .flatMap((h) => h.vms)
      .filter((v) => lab.vms.some((x) => x.name === v.name));
    const allOn = vms.every((v) => v.power.state === 'Running');
    if (again.code === 0 && allOn) c.held++;
    else
      broken(
        `${command} ${name} of ${lab.name} re-run after a kill: exit ${again.code}, ${allOn ? 'VMs running' : 'VMs left off'}: ${again.out.slice(-300)}`,
      );
  }
  // A corrupted simulator file (on a copy): an environment error naming the file, never a bug.
  {
    const c = categories['corrupted simulator file'];
    c.ran++;
    const copy = path.join(dir, 'corrupt-state');
    rmSync(copy, { recursive: true, force: true });
    cpSync(stateDir, copy, { recursive: true });
    const hosts = readdirSync(path.join(copy, 'sim', 'hosts'));
    const target = r.chance(0.3)
      ? path.join(copy, 'sim', 'shared.json')
      : path.join(copy, 'sim', 'hosts', r.pick(hosts));
    const text = existsSync(target) ? readFileSync(target, 'utf8') : '{}';
    writeFileSync(
      target,
      r.pick(['', text.slice(0, Math.floor(text.length / 2)), '{"format":"nope"}', 'null', '\u0000garbage']),
    );
    const res = await run(['plan', file, '--sim', '--state-dir', copy]);
    if (res.code === 1 && res.out.includes(target) && clean(res)) c.held++;
    else broken(`corrupted ${path.basename(target)}: exit ${res.code}: ${res.out.slice(-300)}`);
  }
  // A hostile value in a numeric field: validate refuses it (exit 1), or it is one Hyper-V takes.
  {
    const c = categories['hostile numeric value'];
    c.ran++;
    const { manifest, what } = hostileManifest(r, lab);
    const hostile = path.join(dir, `${lab.name}-hostile.yaml`);
    writeFileSync(hostile, JSON.stringify(manifest));
    const res = await run(['validate', hostile]);
    let held = clean(res) && (res.code === 0 || res.code === 1);
    if (held && res.code === 0) {
      const fresh = await run([
        'apply',
        hostile,
        '-y',
        '--sim',
        '--sim-speed',
        SPEED,
        '--state-dir',
        path.join(dir, 'hostile-state'),
      ]);
      held = fresh.code === 0;
      if (!held) broken(`validate accepted ${what} but apply exited ${fresh.code}: ${fresh.out.slice(-300)}`);
    } else if (!held) broken(`validate of ${what}: exit ${res.code}: ${res.out.slice(-300)}`);
    if (held) c.held++;
  }
}

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
    const v = checkInvariants({ world, labs: labs.map(facts) }).filter(
      (x) => full || !x.includes('orphan disk'),
    );
    for (const x of v) broken(`${when}: ${x}`);
    for (const f of filesUnder(stateDir)) {
      const text = readFileSync(f, 'utf8');
      if (LEAKS.some((l) => text.includes(l)))
        broken(`${when}: the password reached ${path.relative(stateDir, f)}`);
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
    const kill = r.chance(0.4)
      ? { lines: r.int(1, 60), journal: path.join(stateDir, 'journal', `${labs[i].name}.jsonl`) }
      : undefined;
    const res = await run(
      [destroy ? 'destroy' : 'apply', files[i], '-y', '--sim', '--sim-speed', SPEED, '--state-dir', stateDir],
      { env, kill },
    );
    stats.runs++;
    destroy ? stats.destroys++ : stats.applies++;
    if (res.killed) stats.kills++;
    else {
      stats.exit[res.code] = (stats.exit[res.code] ?? 0) + 1;
      if (![0, 3].includes(res.code))
        broken(
          `${destroy ? 'destroy' : 'apply'} of ${labs[i].name} exited ${res.code}: ${res.out.slice(-400)}`,
        );
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
    if (res.code !== 0) {
      ok = false;
      broken(`clean apply of ${labs[i].name} exited ${res.code}: ${res.out.slice(-600)}`);
    }
    const plan = await run(['plan', file, '--sim', '--detailed-exitcode', '--state-dir', stateDir]);
    if (plan.code !== 0) {
      ok = false;
      broken(`second plan of ${labs[i].name} exited ${plan.code}: ${plan.out.slice(-600)}`);
    }
  }
  const before = stats.broken.length;
  check('after converging', true);
  if (stats.broken.length > before) ok = false;
  if (ok) {
    const adversarialBefore = stats.broken.length;
    await adversarial(r, { dir, stateDir, labs, files, broken });
    check('after the adversarial cases', true);
    if (stats.broken.length > adversarialBefore) ok = false;
  }
  // Destroy one lab: it is gone, the other is exactly as it was.
  if (labs.length === 2) {
    const keep = normaliseWorld(labSlice(readSimWorld(stateDir), facts(labs[1])));
    const res = await run([
      'destroy',
      files[0],
      '-y',
      '--sim',
      '--sim-speed',
      SPEED,
      '--state-dir',
      stateDir,
    ]);
    stats.runs++;
    stats.destroys++;
    if (res.code !== 0) {
      ok = false;
      broken(`destroy of ${labs[0].name} exited ${res.code}`);
    }
    const world = readSimWorld(stateDir);
    const gone = labSlice(world, facts(labs[0])).hosts.hv01;
    if (gone && gone.vms.length + gone.switches.length + gone.nats.length + gone.vhds.length > 0) {
      ok = false;
      broken(`destroy left resources of ${labs[0].name}`);
    }
    if (JSON.stringify(normaliseWorld(labSlice(world, facts(labs[1])))) !== JSON.stringify(keep)) {
      ok = false;
      broken(`destroying ${labs[0].name} changed ${labs[1].name}`);
    }
  }
  stats.episodes++;
  if (ok) stats.converged++;
}

const deadline = Date.now() + MINUTES * 60_000;
console.log(`soak: seed ${SEED}, ${MINUTES} min, sim speed ${SPEED}`);
for (let e = 0; e < MAX_EPISODES && Date.now() < deadline; e++) {
  const seed = SEED + e;
  await episode(seed);
  process.stdout.write(
    `episode ${e + 1} (seed ${seed}): converged ${stats.converged}/${stats.episodes}, runs ${stats.runs}, kills ${stats.kills}, broken ${stats.broken.length}\n`,
  );
}
console.log('\nsoak summary');
console.log(`  episodes converged: ${stats.converged}/${stats.episodes}`);
console.log(
  `  runs: ${stats.runs} (${stats.applies} applies, ${stats.destroys} destroys); exit codes of runs not killed: ${JSON.stringify(stats.exit)}`,
);
console.log(`  kills (SIGKILL): ${stats.kills}`);
console.log(
  `  faults injected: ${stats.transientRuns} runs with a transient fault rate, ${stats.permanentFaults} permanent createVm faults`,
);
console.log('  adversarial categories (held / ran):');
for (const [name, c] of Object.entries(categories)) console.log(`    ${name.padEnd(26)} ${c.held}/${c.ran}`);
console.log(`  invariants broken: ${stats.broken.length}`);
for (const b of stats.broken) console.log(`    ${b}`);
process.exitCode = stats.broken.length === 0 ? 0 : 1;
