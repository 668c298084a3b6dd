import type { Lab, NetworkSpec } from '../lab.js';
import { intToIp, ipToInt, parsePrefix, prefixContains, usableRange, type Prefix } from '../../model/ipv4.js';
import type { Reporter } from '../reporter.js';
import { joinPointer } from '../pointer.js';

/** A closed range of addresses the automatic assignment must skip. */
type Range = [number, number];

/**
 * Completes static addresses without a length (from the network's prefix) and replaces
 * `ip: auto` with the lowest free address of the prefix, in manifest order, so the same
 * manifest always gets the same addresses. Skipped: network, broadcast, gateway, hostAddress,
 * `reserve`, DHCP scope ranges, guest cluster addresses and every static address.
 */
export function assignAddresses(options: { lab: Lab; reporter: Reporter }): void {
  const { lab, reporter } = options;
  const networks = new Map(lab.networks.map((n) => [n.name, n]));
  const prefixes = new Map<string, Prefix>();
  for (const n of lab.networks) if (n.prefix !== undefined) prefixes.set(n.name, parsePrefix(n.prefix));

  for (const vm of lab.vms) {
    vm.network.forEach((adapter, i) => {
      if (adapter.ip.kind !== 'static' || adapter.ip.auto || adapter.ip.prefixLength >= 0) return;
      const prefix = prefixes.get(adapter.network);
      if (prefix) adapter.ip.prefixLength = prefix.length;
      else if (networks.has(adapter.network)) {
        adapter.ip.prefixLength = 32;
        reporter.error({
          rule: 'address-no-prefix',
          pointer: joinPointer(vm.pointer, 'network', i, 'ip'),
          message: `vm ${vm.name}: address ${adapter.ip.address} has no prefix length and network ${adapter.network} has no prefix`,
          hint: `write the length (e.g. ${adapter.ip.address}/24) or give network ${adapter.network} a prefix`,
        });
      }
    });
  }

  const taken = new Map<string, { used: Set<number>; ranges: Range[] }>();
  for (const network of lab.networks) {
    const prefix = prefixes.get(network.name);
    if (prefix) taken.set(network.name, takenOn({ lab, network, prefix }));
  }
  const cursors = new Map<string, number>();
  for (const vm of lab.vms) {
    vm.network.forEach((adapter, i) => {
      if (adapter.ip.kind !== 'static' || !adapter.ip.auto) return;
      const pointer = joinPointer(vm.pointer, 'network', i, 'ip');
      const prefix = prefixes.get(adapter.network);
      const blocked = taken.get(adapter.network);
      if (!prefix || !blocked) {
        if (networks.has(adapter.network))
          reporter.error({
            rule: 'address-no-prefix',
            pointer,
            message: `vm ${vm.name}: ip: auto on network ${adapter.network}, which has no prefix to assign from`,
            hint: `give network ${adapter.network} a prefix, or set a static address`,
          });
        return;
      }
      const [first, last] = usableRange(prefix);
      let candidate = cursors.get(adapter.network) ?? first;
      while (
        candidate <= last &&
        (blocked.used.has(candidate) || blocked.ranges.some(([lo, hi]) => candidate >= lo && candidate <= hi))
      )
        candidate++;
      if (candidate > last) {
        reporter.error({
          rule: 'address-pool-exhausted',
          pointer,
          message: `vm ${vm.name}: no free address left in ${prefix.text} on network ${adapter.network}`,
          hint: 'enlarge the prefix, shrink reserve ranges, or set static addresses',
        });
        cursors.set(adapter.network, candidate);
        return;
      }
      blocked.used.add(candidate);
      cursors.set(adapter.network, candidate + 1);
      adapter.ip = { kind: 'static', address: intToIp(candidate), prefixLength: prefix.length, auto: true };
    });
  }
}

export function takenOn(options: { lab: Lab; network: NetworkSpec; prefix: Prefix }): {
  used: Set<number>;
  ranges: Range[];
} {
  const { lab, network, prefix } = options;
  const used = new Set<number>([prefix.network, prefix.broadcast]);
  const ranges: Range[] = [];
  const add = (address: string | undefined) => {
    if (address !== undefined && address !== '') used.add(ipToInt(address));
  };
  add(network.gateway);
  add(network.hostAddress);
  for (const r of network.reserve) {
    const p = parsePrefix(r);
    ranges.push([p.network, p.broadcast]);
  }
  for (const vm of lab.vms) {
    for (const adapter of vm.network)
      if (adapter.network === network.name && adapter.ip.kind === 'static' && !adapter.ip.auto)
        add(adapter.ip.address);
    for (const role of vm.roles) {
      if (role.kind !== 'dhcpServer') continue;
      for (const scope of role.scopes)
        if (scope.network === network.name) ranges.push([ipToInt(scope.start), ipToInt(scope.end)]);
    }
  }
  for (const g of lab.guestClusters)
    if (prefixContains(prefix, ipToInt(g.address))) used.add(ipToInt(g.address));
  return { used, ranges };
}
