import { joinPointer } from '../pointer.js';
import { ipToInt, parsePrefix, prefixContains, type Prefix } from '../../model/ipv4.js';
import type { NetworkSpec } from '../lab.js';
import type { Rule } from './context.js';

interface Claim {
  what: string;
  address: string;
  pointer: string;
  /** Addresses that must also be unique (gateway, static, cluster) as opposed to scope bounds. */
  unique: boolean;
}

/** Gateways, host addresses, static addresses and cluster addresses: inside the prefix, usable, not reserved, not twice. */
export const checkAddresses: Rule = (ctx) => {
  const { lab, report } = ctx;
  const claims = new Map<string, Claim[]>(lab.networks.map((n) => [n.name, []]));
  lab.networks.forEach((n, i) => {
    const raw = ctx.raw.networks![i]!;
    if (raw.gateway !== undefined)
      claims.get(n.name)!.push({
        what: `gateway of network ${n.name}`,
        address: raw.gateway,
        pointer: `/networks/${i}/gateway`,
        unique: true,
      });
    else if (n.gateway !== undefined)
      claims.get(n.name)!.push({
        what: `gateway of network ${n.name}`,
        address: n.gateway,
        pointer: `/networks/${i}`,
        unique: true,
      });
    if (n.hostAddress !== undefined)
      claims.get(n.name)!.push({
        what: `host address on network ${n.name}`,
        address: n.hostAddress,
        pointer: `/networks/${i}/hostAddress`,
        unique: true,
      });
  });
  for (const vm of lab.vms) {
    vm.network.forEach((adapter, j) => {
      if (adapter.ip.kind !== 'static' || adapter.ip.auto) return;
      const list = claims.get(adapter.network);
      list?.push({
        what: `vm ${vm.name}`,
        address: adapter.ip.address,
        pointer: joinPointer(vm.pointer, 'network', j, 'ip'),
        unique: true,
      });
      const network = lab.networks.find((n) => n.name === adapter.network);
      if (
        network?.prefix !== undefined &&
        adapter.ip.prefixLength !== parsePrefix(network.prefix).length &&
        adapter.ip.prefixLength >= 0
      ) {
        report.error({
          rule: 'address-prefix-length',
          pointer: joinPointer(vm.pointer, 'network', j, 'ip'),
          message: `vm ${vm.name}: ${adapter.ip.address}/${adapter.ip.prefixLength} does not match network ${network.name}'s prefix ${network.prefix}`,
          hint: `write ${adapter.ip.address}/${parsePrefix(network.prefix).length}, or just ${adapter.ip.address}`,
        });
      }
    });
    vm.roles.forEach((role, r) => {
      if (role.kind !== 'dhcpServer') return;
      role.scopes.forEach((s, k) => {
        const base = joinPointer(vm.pointer, 'roles', r, 'dhcpServer', 'scopes', k);
        const list = claims.get(s.network);
        for (const key of ['start', 'end', 'router'] as const) {
          const address = s[key];
          if (address !== undefined)
            list?.push({
              what: `dhcp scope ${key} of vm ${vm.name}`,
              address,
              pointer: joinPointer(base, key),
              unique: false,
            });
        }
        if (ipToInt(s.start) > ipToInt(s.end))
          report.error({
            rule: 'dhcp-scope-range',
            pointer: joinPointer(base, 'end'),
            message: `vm ${vm.name}: dhcp scope on ${s.network} ends (${s.end}) before it starts (${s.start})`,
            hint: 'swap start and end',
          });
        if (!vm.network.some((a) => a.network === s.network))
          report.error({
            rule: 'dhcp-scope-network',
            pointer: joinPointer(base, 'network'),
            message: `vm ${vm.name} serves DHCP on network ${s.network} but has no adapter on it`,
            hint: `add an adapter on ${s.network} with a static address`,
          });
      });
    });
  }
  lab.guestClusters.forEach((g, i) => {
    const candidates = lab.networks.filter((n) =>
      g.nodes.some((node) => ctx.vmByName.get(node)?.network.some((a) => a.network === n.name)),
    );
    const home = candidates.find(
      (n) => n.prefix !== undefined && prefixContains(parsePrefix(n.prefix), ipToInt(g.address)),
    );
    if (home)
      claims.get(home.name)!.push({
        what: `guest cluster ${g.name}`,
        address: g.address,
        pointer: `/guestClusters/${i}/address`,
        unique: true,
      });
    else if (candidates.some((n) => n.prefix !== undefined)) {
      report.error({
        rule: 'address-outside-prefix',
        pointer: `/guestClusters/${i}/address`,
        message: `guest cluster ${g.name}: ${g.address} is in no prefix of its nodes' networks (${candidates
          .filter((n) => n.prefix)
          .map((n) => `${n.name} ${n.prefix}`)
          .join(', ')})`,
        hint: 'pick an address on the network the nodes share',
      });
    }
  });

  lab.networks.forEach((network, index) =>
    checkClaims({
      index,
      network,
      claims: claims.get(network.name)!,
      report: ctx.report,
      dhcpRanges: dhcpRangesOf(ctx.lab.vms, network.name),
    }),
  );
};

function dhcpRangesOf(
  vms: readonly { roles: { kind: string; scopes?: { network: string; start: string; end: string }[] }[] }[],
  network: string,
): [number, number][] {
  const ranges: [number, number][] = [];
  for (const vm of vms)
    for (const role of vm.roles)
      for (const s of role.scopes ?? [])
        if (s.network === network) ranges.push([ipToInt(s.start), ipToInt(s.end)]);
  return ranges;
}

function checkClaims(options: {
  index: number;
  network: NetworkSpec;
  claims: Claim[];
  report: import('../reporter.js').Reporter;
  dhcpRanges: [number, number][];
}): void {
  const { network, claims, report } = options;
  const prefix: Prefix | undefined = network.prefix === undefined ? undefined : parsePrefix(network.prefix);
  const reserves = network.reserve.map((r) => ({ text: r, prefix: parsePrefix(r) }));
  const firstUse = new Map<number, Claim>();
  for (const claim of claims) {
    const value = ipToInt(claim.address);
    if (prefix) {
      if (!prefixContains(prefix, value)) {
        report.error({
          rule: 'address-outside-prefix',
          pointer: claim.pointer,
          message: `${claim.what}: ${claim.address} is outside network ${network.name}'s prefix ${network.prefix}`,
          hint: `use an address inside ${network.prefix}`,
        });
        continue;
      }
      if (prefix.length < 31 && (value === prefix.network || value === prefix.broadcast)) {
        report.error({
          rule: 'address-network-or-broadcast',
          pointer: claim.pointer,
          message: `${claim.what}: ${claim.address} is the ${value === prefix.network ? 'network' : 'broadcast'} address of ${network.prefix}`,
          hint: 'use an address between the first and last usable address',
        });
        continue;
      }
    }
    const reserved = reserves.find((r) => prefixContains(r.prefix, value));
    if (reserved && claim.unique) {
      report.error({
        rule: 'address-reserved',
        pointer: claim.pointer,
        message: `${claim.what}: ${claim.address} is inside reserve ${reserved.text} of network ${network.name}`,
        hint: 'pick an address outside the reserved ranges',
      });
      continue;
    }
    if (!claim.unique) continue;
    const earlier = firstUse.get(value);
    if (earlier) {
      report.error({
        rule: 'address-duplicate',
        pointer: claim.pointer,
        message: `${claim.what}: ${claim.address} is already used by ${earlier.what} (line ${report.positionOf(earlier.pointer).line}) on network ${network.name}`,
        hint: 'every address on a network must be unique; ip: auto picks free ones',
      });
      continue;
    }
    firstUse.set(value, claim);
    if (options.dhcpRanges.some(([lo, hi]) => value >= lo && value <= hi)) {
      report.warning({
        rule: 'address-in-dhcp-scope',
        pointer: claim.pointer,
        message: `${claim.what}: ${claim.address} is inside a DHCP scope on network ${network.name}; the DHCP server may hand it out too`,
        hint: 'move the scope or the address so they do not overlap',
      });
    }
  }
  if (prefix) {
    network.reserve.forEach((r, k) => {
      if (!prefixesIntersect(prefix, parsePrefix(r)))
        report.warning({
          rule: 'reserve-outside-prefix',
          pointer: `/networks/${options.index}/reserve/${k}`,
          message: `network ${network.name}: reserve ${r} is outside its prefix ${network.prefix} and has no effect`,
        });
    });
  }
}

const prefixesIntersect = (a: Prefix, b: Prefix) => a.network <= b.broadcast && b.network <= a.broadcast;
