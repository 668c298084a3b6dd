/**
 * One transaction's view of every simulated host of a state directory, plus the shared
 * storage. Hosts load lazily; a host never seen starts fresh (see fresh-host.ts). Only
 * documents that changed are written back.
 */
import type { StoreTx } from './store/sim-store.js';
import { EnvironmentError } from '../../errors.js';
import {
  CorruptSimDocumentError,
  emptyShared,
  parseHost,
  parseShared,
  type SimHost,
  type SimShared,
  type SimVhd,
  type SimVm,
} from './sim-state.js';
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
  constructor(options: {
    tx: StoreTx;
    fresh: (host: string) => SimHost;
    adopt?: (host: SimHost) => void;
    knownHosts: string[];
    parsed?: Map<string, { text: string; value: SimHost }>;
  }) {
    this.#tx = options.tx;
    this.#fresh = options.fresh;
    this.#adopt = options.adopt;
    this.#knownHosts = options.knownHosts;
    this.#parsed = options.parsed;
  }

  /** Parse a stored document; a corrupt one is the user's environment: name its file and how to recover. */
  #document<T>(key: string, text: string, parse: (text: string) => T): T {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof CorruptSimDocumentError)) throw error;
      const hint =
        key === 'shared'
          ? 'delete this file to start the simulated shared storage (CSV and SMB disks) afresh; the simulated time is recovered from the host files'
          : `delete this file to start simulated host ${key.slice('hosts/'.length)} afresh (its VMs are lost; apply builds them again), or put back a copy`;
      throw new EnvironmentError({
        path: this.#tx.where?.(key) ?? `simulator document ${key}`,
        problem: `the simulator's state is corrupt: ${error.message}`,
        hint,
      });
    }
  }

  #parse(name: string, text: string): SimHost {
    if (!this.#parsed) return this.#document(`hosts/${name}`, text, parseHost);
    const hit = this.#parsed.get(name);
    if (hit && hit.text === text) return hit.value;
    const value = this.#document(`hosts/${name}`, text, parseHost);
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
      this.#shared = {
        value: text === undefined ? this.#sharedAfresh() : this.#document('shared', text, parseShared),
        original: text ?? '',
      };
    }
    return this.#shared.value;
  }

  /**
   * No shared document (first run, or deleted): empty shared storage, but the simulated time
   * never goes back: it resumes from the latest change written to any host.
   */
  #sharedAfresh(): SimShared {
    const shared = emptyShared();
    for (const key of this.#tx.keys('hosts/')) {
      const text = this.#tx.read(key);
      if (text === undefined) continue;
      const t = this.#parse(key.slice('hosts/'.length), text).simTime;
      if (typeof t === 'number' && Number.isFinite(t) && t > shared.simTime) shared.simTime = t;
    }
    return shared;
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
    const shared = this.shared().vhds.filter(
      (v) => isSmbPath(v.path) || (h.cluster !== null && isCsvPath(v.path)),
    );
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
    const candidates = isSharedStoragePath(path)
      ? this.allVms()
      : this.host(host).vms.map((vm) => ({ host, vm }));
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
    const original = this.#shared!.original ? parseShared(this.#shared!.original) : this.#sharedAfresh();
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
      if (JSON.stringify(entry.value) !== entry.original) {
        entry.value.simTime = Math.max(entry.value.simTime ?? 0, this.now);
        this.#tx.write(`hosts/${name}`, JSON.stringify(entry.value));
        changed = true;
      }
    }
    const shared = this.shared();
    const original = this.#shared!.original ? parseShared(this.#shared!.original) : this.#sharedAfresh();
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
