/**
 * A renamed network: the manifest names a network whose switch is on none of its hosts, and the
 * lab has a switch there that no network of the manifest names any more. labform keeps no copy
 * of the previous manifest, so the live switch is what tells: it is taken as the same network
 * renamed (Rename-VMSwitch, its VMs stay connected) when
 *  - it is this lab's (owner mark), of the same type, with the same physical adapter and
 *    management-OS sharing for an external switch;
 *  - it lives only on hosts the network names;
 *  - the same VMs use it: on each of its hosts, the lab's VMs that stay in the manifest and are
 *    connected to the old switch are exactly those of them the manifest connects to the new name;
 *  - the pairing is one to one (one such switch for the network, one such network for the
 *    switch). Anything else is a removal and a creation, as before.
 * A prefix, gateway or host address may change in the same plan: they are updates of the
 * renamed switch.
 */
import type { DesiredNetwork, DesiredResource, DesiredVm } from '../desired/desired-resource.js';
import type { HostState, LiveSwitch } from '../model/live-state.js';
import { ownerOf } from '../ownership/mark.js';

export interface NetworkRename {
  network: DesiredNetwork;
  /** The live switch under its old name. */
  from: LiveSwitch;
  /** Hosts the old switch is on (a subset of the network's hosts). */
  hosts: string[];
}

const lower = (s: string) => s.toLowerCase();

/** Lab VMs (that stay in the manifest) on `host` connected to switch `name`, by what the host reports. */
function liveUsers(state: HostState, lab: string, keep: Set<string>, name: string): string[] {
  return state.vms
    .filter(
      (vm) =>
        ownerOf(vm.notes) === lab &&
        keep.has(lower(vm.name)) &&
        vm.adapters.some((a) => a.switchName !== null && lower(a.switchName) === lower(name)),
    )
    .map((vm) => lower(vm.name))
    .sort();
}

/** The same VMs (those the host has) as the manifest connects them to `name`. */
function desiredUsers(state: HostState, lab: string, vms: DesiredVm[], name: string): string[] {
  const here = new Set(state.vms.filter((vm) => ownerOf(vm.notes) === lab).map((vm) => lower(vm.name)));
  return vms
    .filter((d) => here.has(lower(d.name)) && d.adapters.some((a) => lower(a.switchName) === lower(name)))
    .map((d) => lower(d.name))
    .sort();
}

/** PURE: the networks of `desired` that are renames of a live switch of the lab. */
export function findNetworkRenames(options: {
  lab: string;
  desired: DesiredResource[];
  live: Map<string, HostState>;
}): NetworkRename[] {
  const { lab, desired, live } = options;
  const networks = desired.filter((d): d is DesiredNetwork => d.kind === 'network');
  const vms = desired.filter((d): d is DesiredVm => d.kind === 'vm');
  const keep = new Set(vms.map((v) => lower(v.name)));
  const wanted = new Set(networks.flatMap((n) => n.hosts.map((h) => `${h}|${lower(n.name)}`)));
  // The lab's switches no network names any more, by name, with the hosts they are on.
  const orphans = new Map<string, { sw: LiveSwitch; hosts: string[] }>();
  for (const [host, state] of live) {
    for (const sw of state.switches) {
      if (ownerOf(sw.notes) !== lab || wanted.has(`${host}|${lower(sw.name)}`)) continue;
      const known = orphans.get(lower(sw.name));
      if (known) known.hosts.push(host);
      else orphans.set(lower(sw.name), { sw, hosts: [host] });
    }
  }
  const absent = networks.filter((n) =>
    n.hosts.every((h) => !live.get(h)?.switches.some((s) => lower(s.name) === lower(n.name))),
  );
  const pairs: NetworkRename[] = [];
  for (const n of absent) {
    for (const { sw, hosts } of orphans.values()) {
      if (!hosts.every((h) => n.hosts.includes(h))) continue;
      if (sw.type !== n.switchType) continue;
      if (n.switchType === 'external') {
        if (n.adapter !== undefined && lower(sw.adapter ?? '') !== lower(n.adapter)) continue;
        if (n.allowManagementOS !== undefined && sw.allowManagementOS !== n.allowManagementOS) continue;
      }
      const sameUsers = hosts.every((h) => {
        const state = live.get(h)!;
        return (
          liveUsers(state, lab, keep, sw.name).join('|') === desiredUsers(state, lab, vms, n.name).join('|')
        );
      });
      if (sameUsers) pairs.push({ network: n, from: sw, hosts });
    }
  }
  // One to one only: an ambiguous match is left to removal and creation.
  return pairs.filter(
    (p) =>
      pairs.filter((q) => q.network === p.network).length === 1 &&
      pairs.filter((q) => q.from === p.from).length === 1,
  );
}

/** Per host: the old switch name (lower case) -> the new one. */
export function renamesByHost(renames: NetworkRename[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const r of renames)
    for (const h of r.hosts) {
      const map = out.get(h) ?? new Map<string, string>();
      map.set(lower(r.from.name), r.network.name);
      out.set(h, map);
    }
  return out;
}
