/**
 * One transaction's view of every simulated host of a state directory, plus the shared
 * storage. Hosts load lazily; a host never seen starts fresh (see fresh-host.ts). Only
 * documents that changed are written back.
 */
import type { StoreTx } from './store/sim-store.js';
import { emptyShared, parseHost, parseShared, type SimHost, type SimShared, type SimVhd, type SimVm } from './sim-state.js';
import { isCsvPath, isSharedStoragePath, isSmbPath } from '../../model/hyperv-rules.js';
import { samePath } from '../../model/windows-path.js';

export class World {
  readonly #tx: StoreTx;
  readonly #fresh: (host: string) => SimHost;
  readonly #adopt: ((host: SimHost) => void) | undefined;
  readonly #knownHosts: string[];
  readonly #hosts = new Map<string, { value: SimHost; original: string }>();
  #shared: { value: SimShared; original: string } | undefined;
  /** Simulated time of this transaction (milliseconds). */
  now = 0;

  readonly #parsed: Map<string, { text: string; value: SimHost }> | undefined;

  /**
   * `parsed`: a cache of parsed host documents by their text, shared between transactions that
   * only read (never between transactions that change the objects they get).
   */
  constructor(options: { tx: StoreTx; fresh: (host: string) => SimHost; adopt?: (host: SimHost) => void; knownHosts: string[]; parsed?: Map<string, { text: string; value: SimHost }> }) {
    this.#tx = options.tx;
    this.#fresh = options.fresh;
    this.#adopt = options.adopt;
    this.#knownHosts = options.knownHosts;
    this.#parsed = options.parsed;
  }

  #parse(name: string, text: string): SimHost {
    if (!this.#parsed) return parseHost(text);
    const hit = this.#parsed.get(name);
    if (hit && hit.text === text) return hit.value;
    const value = parseHost(text);
    this.#parsed.set(name, { text, value });
    return value;
  }

  host(name: string): SimHost {
    const cached = this.#hosts.get(name);
    if (cached) return cached.value;
    const text = this.#tx.read(`hosts/${name}`);
    const value = text === undefined ? this.#fresh(name) : this.#parse(name, text);
    if (text !== undefined) this.#adopt?.(value);
    // A fresh host untouched by this transaction is not written: it stays implicit.
    this.#hosts.set(name, { value, original: text ?? JSON.stringify(value) });
    return value;
  }

  shared(): SimShared {
    if (!this.#shared) {
      const text = this.#tx.read('shared');
      this.#shared = { value: text === undefined ? emptyShared() : parseShared(text), original: text ?? '' };
    }
    return this.#shared.value;
  }

  /** Every host of the state directory and of the lab. */
  hostNames(): string[] {
    const stored = this.#tx.keys('hosts/').map((k) => k.slice('hosts/'.length));
    return [...new Set([...this.#knownHosts, ...stored])].sort();
  }

  /** Every VM of every host, with its host. */
  allVms(): { host: string; vm: SimVm }[] {
    return this.hostNames().flatMap((h) => this.host(h).vms.map((vm) => ({ host: h, vm })));
  }

  /** VHD files visible on `host`: its own disks, SMB shares, and its cluster's shared volumes. */
  vhdsOn(host: string): SimVhd[] {
    const h = this.host(host);
    const shared = this.shared().vhds.filter((v) => isSmbPath(v.path) || (h.cluster !== null && isCsvPath(v.path)));
    return [...h.vhds, ...shared];
  }

  findVhd(host: string, path: string): SimVhd | undefined {
    return this.vhdsOn(host).find((v) => samePath(v.path, path));
  }

  addVhd(host: string, vhd: SimVhd): void {
    (isSharedStoragePath(vhd.path) ? this.shared().vhds : this.host(host).vhds).push(vhd);
  }

  removeVhd(host: string, path: string): void {
    const list = isSharedStoragePath(path) ? this.shared().vhds : this.host(host).vhds;
    const index = list.findIndex((v) => samePath(v.path, path));
    if (index >= 0) list.splice(index, 1);
  }

  /** VMs (anywhere that sees the file) with `path` attached. */
  vmsUsing(host: string, path: string): { host: string; vm: SimVm }[] {
    const candidates = isSharedStoragePath(path) ? this.allVms() : this.host(host).vms.map((vm) => ({ host, vm }));
    return candidates.filter(({ vm }) => vm.disks.some((d) => samePath(d.path, path)));
  }

  /**
   * The VM `name` as seen from `host`: its own VMs, and on a cluster node the clustered VMs of
   * every node (a clustered role can be found from any node).
   */
  findVm(host: string, name: string): { host: string; vm: SimVm } | undefined {
    const own = this.host(host).vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (own) return { host, vm: own };
    const cluster = this.host(host).cluster;
    if (!cluster) return undefined;
    for (const node of cluster.nodes) {
      if (node === host) continue;
      const vm = this.host(node).vms.find((v) => v.clustered && v.name.toLowerCase() === name.toLowerCase());
      if (vm) return { host: node, vm };
    }
    return undefined;
  }

  /** Persist only the latest simulated time (on close, after read-only polls): later processes start from it. */
  commitClock(): void {
    this.shared();
    const original = this.#shared!.original ? parseShared(this.#shared!.original) : emptyShared();
    // From the stored text, not the live object: a dry run's changes must not leak out.
    // Losing this write on power failure is harmless: no fsync.
    if (this.now > original.simTime) {
      original.simTime = this.now;
      this.#tx.write('shared', JSON.stringify(original), { durable: false });
    }
  }

  /** Write back what changed; the shared document also carries the latest simulated time. */
  commit(): boolean {
    let changed = false;
    for (const [name, entry] of this.#hosts) {
      const text = JSON.stringify(entry.value);
      if (text !== entry.original) {
        this.#tx.write(`hosts/${name}`, text);
        changed = true;
      }
    }
    const shared = this.shared();
    const original = this.#shared!.original ? parseShared(this.#shared!.original) : emptyShared();
    const storageChanged = JSON.stringify(shared.vhds) !== JSON.stringify(original.vhds);
    // Persisting the latest time seen keeps a later process from going back in time.
    if (changed || storageChanged || this.now > shared.simTime) {
      shared.simTime = Math.max(shared.simTime, this.now);
      this.#tx.write('shared', JSON.stringify(shared));
      changed = true;
    }
    return changed;
  }
}
