import type {
  DesiredNat,
  DesiredNetwork,
  DesiredPortMapping,
  DesiredResource,
} from '../desired/desired-resource.js';
import { ownerOf, parseNatName } from '../ownership/mark.js';
import { baseName, pathKey } from '../model/windows-path.js';
import type { PlannedChange } from './planned-change.js';
import { imagePartialPath } from '../model/image-build.js';
import { cloudInitPartialPath } from '../model/cloud-init-seed.js';
import { make, type Ctx } from './diff-context.js';
import {
  diskAddress,
  natAddress,
  networkAddress,
  portMappingAddress,
  vmAddress,
  vmOnHostAddress,
} from '../model/address.js';

/** Owned resources on the hosts that nothing desired accounts for: deletions. */
export function orphans(ctx: Ctx, desired: DesiredResource[]): PlannedChange[] {
  const out: PlannedChange[] = [];
  const reason = 'removed from the manifest';
  const wantedVms = new Set<string>();
  for (const d of desired) {
    if (d.kind !== 'vm') continue;
    // A clustered VM is listed by every node of its cluster.
    const nodes = d.cluster ? (ctx.lab.clusters.find((c) => c.name === d.cluster)?.nodes ?? []) : [];
    for (const h of [d.host, ...nodes]) wantedVms.add(`${h}|${d.name.toLowerCase()}`);
  }
  const wantedSwitches = new Set(
    desired
      .filter((d): d is DesiredNetwork => d.kind === 'network')
      .flatMap((d) => d.hosts.map((h) => `${h}|${d.name.toLowerCase()}`)),
  );
  const wantedNats = new Set(
    desired.filter((d): d is DesiredNat => d.kind === 'nat').map((d) => `${d.host}|${d.name}`),
  );
  const wantedMappings = new Set(
    desired
      .filter((d): d is DesiredPortMapping => d.kind === 'portMapping')
      .map((d) => `${d.host}|${d.nat}|${d.protocol}|${d.externalPort}`),
  );
  const wantedPaths = new Set<string>();
  for (const d of desired) {
    if (d.kind === 'disk') wantedPaths.add(pathKey(d.path));
    if (d.kind === 'vm') {
      for (const x of [...(d.osDisk ? [d.osDisk] : []), ...d.dataDisks]) wantedPaths.add(pathKey(x.path));
      // The seed disk, and what an interrupted write of it left (the next write's to clean).
      if (d.cloudInit)
        for (const p of [d.cloudInit.disk.path, cloudInitPartialPath(d.cloudInit.disk.path)])
          wantedPaths.add(pathKey(p));
    }
  }
  for (const i of ctx.lab.images) {
    wantedPaths.add(pathKey(i.path));
    // An interrupted build's disk is the next build's to clean (src/model/image-build.ts).
    if (i.from) wantedPaths.add(pathKey(imagePartialPath(i.path)));
  }
  // The lab's folders (hosts' storage paths, VMs' folders) as path keys: a VHD is looked up by
  // its own folders, not compared with every folder of the lab (that was VHDs x VMs).
  const storage = new Set(
    [...ctx.lab.hosts.map((h) => h.storagePath), ...ctx.lab.vms.map((v) => v.path)]
      .filter((p): p is string => Boolean(p))
      .map(pathKey),
  );
  const labDiskPaths = new Set(ctx.lab.disks.map((d) => pathKey(d.path)));
  const seenVhd = new Set<string>();
  const used = new Set<string>();
  const clusteredSeen = new Set<string>();
  const switchesSeen = new Map<string, PlannedChange>();
  // A renamed network's NAT (named after the network) is made again under the new name.
  const renamedNetwork = (host: string, network: string) =>
    ctx.switchRenames.get(host)?.get(network.toLowerCase());
  const natReason = (host: string, network: string) => {
    const to = renamedNetwork(host, network);
    return to ? `network ${network} is renamed to ${to}: its NAT is made again under the new name` : reason;
  };
  for (const [host, state] of ctx.live) {
    for (const vm of state.vms) {
      if (ownerOf(vm.notes) !== ctx.lab.name || wantedVms.has(`${host}|${vm.name.toLowerCase()}`)) continue;
      if (vm.clustered && clusteredSeen.has(vm.name.toLowerCase())) continue;
      clusteredSeen.add(vm.name.toLowerCase());
      const address = used.has(vmAddress(vm.name)) ? vmOnHostAddress(vm.name, host) : vmAddress(vm.name);
      used.add(address);
      // Assigned devices would stay dismounted from the host: the plan says they are given back.
      const devices = vm.assignedDevices.length
        ? `; ${vm.assignedDevices.join(', ')} ${vm.assignedDevices.length === 1 ? 'goes' : 'go'} back to host ${host}`
        : '';
      out.push({
        change: make(address, 'vm', 'delete', host, [], `${reason}${devices}`),
        live: { kind: 'vm', host, vm },
      });
    }
    for (const sw of state.switches) {
      if (ownerOf(sw.notes) !== ctx.lab.name || wantedSwitches.has(`${host}|${sw.name.toLowerCase()}`))
        continue;
      if (renamedNetwork(host, sw.name)) continue;
      const known = switchesSeen.get(sw.name.toLowerCase());
      if (known && known.live?.kind === 'switch') {
        known.live.hosts.push(host);
        continue;
      }
      const pc: PlannedChange = {
        change: make(networkAddress(sw.name), 'network', 'delete', host, [], reason),
        live: { kind: 'switch', hosts: [host], switch: sw, hostAddresses: [] },
      };
      switchesSeen.set(sw.name.toLowerCase(), pc);
      out.push(pc);
    }
    const ourNats = state.nats.filter((n) => parseNatName(n.name)?.lab === ctx.lab.name);
    for (const m of state.natMappings) {
      if (
        !ourNats.some((n) => n.name === m.nat) ||
        wantedMappings.has(`${host}|${m.nat}|${m.protocol}|${m.externalPort}`)
      )
        continue;
      const net = parseNatName(m.nat)?.network ?? m.nat;
      out.push({
        change: make(
          portMappingAddress(net, m.protocol, m.externalPort),
          'portMapping',
          'delete',
          host,
          [],
          natReason(host, net),
        ),
        live: { kind: 'mapping', host, mapping: m },
      });
    }
    for (const nat of ourNats) {
      if (wantedNats.has(`${host}|${nat.name}`)) continue;
      const net = parseNatName(nat.name)?.network ?? nat.name;
      out.push({
        change: make(natAddress(net), 'nat', 'delete', host, [], natReason(host, net)),
        live: { kind: 'nat', host, nat },
      });
    }
    const foreignDisks = new Set(
      state.vms
        .filter((v) => ownerOf(v.notes) !== ctx.lab.name)
        .flatMap((v) => v.disks.map((d) => pathKey(d.path))),
    );
    for (const vhd of state.vhds) {
      const key = pathKey(vhd.path);
      if (wantedPaths.has(key) || foreignDisks.has(key) || seenVhd.has(key)) continue;
      const ours = insideAny(key, storage) || labDiskPaths.has(key);
      if (!ours) continue;
      seenVhd.add(key);
      let address = diskAddress(baseName(vhd.path));
      for (let n = 2; used.has(address); n++) address = diskAddress(baseName(vhd.path), n);
      used.add(address);
      out.push({
        change: make(address, 'disk', 'delete', host, [], reason),
        live: { kind: 'vhd', host, vhd },
      });
    }
  }
  return out;
}

/** Whether the path key `key` is one of `folders` (path keys) or inside one (isUnder, by lookups of its own folders). */
function insideAny(key: string, folders: Set<string>): boolean {
  for (let at = key.length; at >= 0; at = key.lastIndexOf('\\', at - 1)) {
    if (folders.has(key.slice(0, at))) return true;
    if (at === 0) return false;
  }
  return false;
}
