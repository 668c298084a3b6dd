// Invariants over the simulator's state files (<stateDir>/sim), shared by the reliability tests
// and `npm run soak` (plain node, so plain JavaScript reading the JSON files directly).
import fs from 'node:fs';
import path from 'node:path';

const MARK = 'labform:lab=';
const MAC = /^[0-9A-F]{12}$/i;

/** The simulator's documents: every host file and the shared storage. */
export function readSimWorld(stateDir) {
  const root = path.join(stateDir, 'sim');
  /** @type {Record<string, any>} */
  const hosts = {};
  let names = [];
  try {
    names = fs.readdirSync(path.join(root, 'hosts')).filter((n) => n.endsWith('.json'));
  } catch {
    names = [];
  }
  for (const n of names)
    hosts[n.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(root, 'hosts', n), 'utf8'));
  let shared = null;
  try {
    shared = JSON.parse(fs.readFileSync(path.join(root, 'shared.json'), 'utf8'));
  } catch {
    shared = null;
  }
  return { hosts, shared };
}

const key = (s) => String(s).toLowerCase();

function duplicates(values) {
  const seen = new Set();
  const dup = new Set();
  for (const v of values) (seen.has(key(v)) ? dup : seen).add(key(v));
  return [...dup];
}

function ownerOf(notes) {
  for (const line of String(notes ?? '').split(/\r?\n/))
    if (line.trim().startsWith(MARK)) return line.trim().slice(MARK.length).trim();
  return undefined;
}

function under(p, folder) {
  const a = key(p).replace(/\//g, '\\');
  const b = key(folder).replace(/\//g, '\\').replace(/\\+$/, '');
  return a.startsWith(`${b}\\`);
}

/**
 * Every invariant a run must keep, whatever happened to it (kills, faults): no duplicate VM,
 * disk, switch, NAT or port mapping; no orphan (a resource marked for a lab that the lab does
 * not want, a disk under a lab's folder no VM uses); adapters on switches that exist; a disk on
 * two VMs only when shared. `labs`: [{ name, vms: [...], switches: [...], storagePaths: [...],
 * disks: [paths of lab disks] }] — the labs known to have run against this state.
 * Returns the violations as sentences (empty: all kept).
 */
export function checkInvariants({ world, labs }) {
  const out = [];
  const byName = new Map(labs.map((l) => [l.name, l]));
  for (const [hostName, host] of Object.entries(world.hosts)) {
    const at = `host ${hostName}`;
    for (const d of duplicates(host.vms.map((v) => v.name))) out.push(`${at}: VM ${d} exists twice`);
    for (const d of duplicates(host.switches.map((s) => s.name))) out.push(`${at}: switch ${d} exists twice`);
    for (const d of duplicates(host.vhds.map((v) => v.path))) out.push(`${at}: disk ${d} exists twice`);
    if (host.nats.length > 1) out.push(`${at}: ${host.nats.length} NATs (WinNAT allows one)`);
    for (const d of duplicates(host.natMappings.map((m) => `${m.protocol}/${m.externalPort}`)))
      out.push(`${at}: port mapping ${d} exists twice`);
    const switches = new Set(host.switches.map((s) => key(s.name)));
    const attached = new Map();
    for (const vm of host.vms) {
      const owner = ownerOf(vm.notes);
      const lab = owner && byName.get(owner);
      if (lab && !lab.vms.some((n) => key(n) === key(vm.name)))
        out.push(`${at}: orphan VM ${vm.name} marked for lab ${owner}`);
      for (const a of vm.adapters)
        if (a.switchName && !switches.has(key(a.switchName)))
          out.push(`${at}: VM ${vm.name} adapter on missing switch ${a.switchName}`);
      for (const d of vm.disks) {
        const list = attached.get(key(d.path)) ?? [];
        list.push({ vm: vm.name, shared: d.supportPersistentReservations });
        attached.set(key(d.path), list);
      }
    }
    for (const [p, list] of attached)
      if (list.length > 1 && !list.every((x) => x.shared))
        out.push(`${at}: disk ${p} attached to ${list.map((x) => x.vm).join(', ')} without sharing`);
    for (const sw of host.switches) {
      const owner = ownerOf(sw.notes);
      const lab = owner && byName.get(owner);
      if (lab && !lab.switches.some((n) => key(n) === key(sw.name)))
        out.push(`${at}: orphan switch ${sw.name} marked for lab ${owner}`);
    }
    for (const nat of host.nats) {
      const m = /^labform-([a-z][a-z0-9-]*)\.(.+)$/.exec(nat.name);
      const lab = m && byName.get(m[1]);
      if (lab && !lab.switches.some((n) => key(n) === key(m[2]))) out.push(`${at}: orphan NAT ${nat.name}`);
    }
    const natPrefixes = new Set(host.nats.map((n) => n.internalPrefix));
    if (host.natMappings.length > 0 && host.nats.length === 0) out.push(`${at}: port mappings without a NAT`);
    void natPrefixes;
    for (const vhd of host.vhds) {
      for (const lab of labs) {
        if (!lab.storagePaths.some((sp) => under(vhd.path, sp))) continue;
        if (lab.disks.some((d) => key(d) === key(vhd.path))) continue;
        if (!attached.has(key(vhd.path)))
          out.push(`${at}: orphan disk ${vhd.path} under lab ${lab.name}'s folder, used by no VM`);
      }
    }
  }
  return out;
}

function sortDeep(value) {
  if (Array.isArray(value))
    return value
      .map(sortDeep)
      .sort((a, b) =>
        JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
      );
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortDeep(value[k])]),
    );
  return value;
}

// Ids, times, boot histories, counters and salted hashes differ between two runs that built the same lab.
const VOLATILE = new Set([
  'id',
  'seq',
  'since',
  'boots',
  'at',
  'createdAt',
  'simTime',
  'salt',
  'hash',
  'baseFreeMemory',
  'instanceId',
]);

/**
 * A world with what legitimately differs between two runs removed: ids, times, counters, hashes,
 * and dynamic MACs (renamed `<host>/<vm>/<adapter index>` wherever they appear, e.g. as keys of
 * the guest's networks). Arrays are sorted: creation order under parallelism is not state.
 */
export function normaliseWorld(world) {
  let text = JSON.stringify(world.hosts);
  for (const [hostName, host] of Object.entries(world.hosts)) {
    for (const vm of host.vms)
      vm.adapters.forEach((a, i) => {
        if (MAC.test(a.mac)) text = text.split(a.mac).join(`${hostName}/${vm.name}/${i}`);
      });
  }
  const strip = (v) => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => !VOLATILE.has(k))
          .map(([k, x]) => [k, strip(x)]),
      );
    return v;
  };
  const shared = world.shared ? strip({ ...world.shared }) : null;
  return sortDeep({ hosts: strip(JSON.parse(text)), shared });
}

/** The lab facts checkInvariants needs, from a loaded (expanded) Lab object. */
export function labFacts(lab, storagePaths) {
  return {
    name: lab.name,
    vms: lab.vms.map((v) => v.name),
    switches: lab.networks.map((n) => n.name),
    storagePaths: storagePaths ?? [...new Set(lab.vms.map((v) => v.path.replace(/\\[^\\]+$/, '')))],
    disks: (lab.disks ?? []).map((d) => d.path),
  };
}

/** Every file under `dir` (recursively), for grepping. */
export function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    let entries = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The part of a world that belongs to `lab` (by mark, NAT name, or place under its folders). */
export function labSlice(world, facts) {
  /** @type {Record<string, any>} */
  const hosts = {};
  for (const [name, host] of Object.entries(world.hosts)) {
    const nats = host.nats.filter((n) => n.name.startsWith(`labform-${facts.name}.`));
    // Only what a lab owns: host-wide fields (memory, counters, which labs met the host) are not part of it.
    hosts[name] = {
      host: host.host,
      vms: host.vms.filter((v) => ownerOf(v.notes) === facts.name),
      switches: host.switches.filter((s) => ownerOf(s.notes) === facts.name),
      nats,
      natMappings: host.natMappings.filter((m) => nats.some((n) => n.name === m.nat)),
      vhds: host.vhds.filter((v) => facts.storagePaths.some((sp) => under(v.path, sp))),
    };
  }
  return { hosts, shared: null };
}
