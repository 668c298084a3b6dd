import { joinPointer } from '../pointer.js';
import { ipToInt, parsePrefix, prefixContains } from '../../model/ipv4.js';
import { natPrefixesOverlap, winNatHasRoom } from '../../model/hyperv-rules.js';
import type { Rule } from './context.js';

/** WinNAT, switch types and what each type accepts. */
export const checkNetworks: Rule = (ctx) => {
  const { lab, report } = ctx;
  /** The NAT networks each host takes, in manifest order. */
  const natsByHost = new Map<string, number[]>();
  lab.networks.forEach((n, i) => {
    const raw = ctx.raw.networks![i]!;
    const at = (key: string) => `/networks/${i}/${key}`;
    if (raw.host !== undefined && raw.hosts !== undefined)
      report.error({
        rule: 'network-type-field',
        pointer: at('hosts'),
        message: `network ${n.name} gives both host and hosts`,
        hint: 'use host: for one host, hosts: [..] for several',
      });
    if (n.type === 'nat') {
      if (n.prefix === undefined)
        report.error({
          rule: 'network-prefix-required',
          pointer: `/networks/${i}`,
          message: `nat network ${n.name} has no prefix`,
          hint: 'give it a prefix, e.g. prefix: 192.168.50.0/24',
        });
      if (n.hosts.length !== 1) {
        report.error({
          rule: 'nat-single-host',
          pointer: raw.hosts ? at('hosts') : `/networks/${i}`,
          message: `nat network ${n.name} must live on exactly one host (it is on ${n.hosts.join(', ') || 'none'})`,
          hint: 'set host: to one host; make one NAT network per host if several hosts need NAT',
        });
      }
      for (const host of n.hosts.slice(0, 1)) {
        const earlier = natsByHost.get(host) ?? [];
        natsByHost.set(host, [...earlier, i]);
        if (!winNatHasRoom(earlier.length)) {
          const other = lab.networks[earlier[0]!]!;
          report.error({
            rule: 'nat-single-per-host',
            pointer: `/networks/${i}`,
            message: `host ${host} already has NAT network ${other.name} (line ${report.positionOf(`/networks/${earlier[0]}`).line}); WinNAT allows one NAT prefix per host`,
            hint: `attach these VMs to ${other.name}, or enlarge its prefix`,
          });
        }
      }
    }
    const misplaced = (key: keyof typeof raw, types: string) => {
      if (raw[key] !== undefined)
        report.error({
          rule: 'network-type-field',
          pointer: at(key),
          message: `network ${n.name} is ${n.type}: \`${key}\` applies to ${types} networks only`,
          hint: `remove ${key}, or change the network's type`,
        });
    };
    if (n.type !== 'nat') {
      misplaced('gateway', 'nat');
      if (n.portMappings.length > 0) misplaced('portMappings', 'nat');
    }
    if (n.type !== 'internal') misplaced('hostAddress', 'internal');
    if (n.type !== 'external') {
      misplaced('adapter', 'external');
      misplaced('allowManagementOS', 'external');
    } else if (n.adapter === undefined) {
      report.error({
        rule: 'external-adapter',
        pointer: `/networks/${i}`,
        message: `external network ${n.name} has no adapter: an external switch binds a physical adapter`,
        hint: 'add adapter: <name of the physical NIC> (Get-NetAdapter lists them)',
      });
    }
    if (n.prefix === undefined && n.reserve.length > 0) misplaced('reserve', 'networks with a prefix; this');
  });

  // A NAT prefix must not overlap any other prefix routed on the same host.
  lab.networks.forEach((n, i) => {
    if (n.type !== 'nat' || n.prefix === undefined) return;
    const prefix = n.prefix;
    lab.networks.forEach((other, j) => {
      if (j === i || other.prefix === undefined || !other.hosts.some((h) => n.hosts.includes(h))) return;
      if (other.type === 'nat' && j < i) return; // reported once, on the later one
      if (natPrefixesOverlap(prefix, other.prefix)) {
        report.error({
          rule: 'prefix-overlap',
          pointer: `/networks/${Math.max(i, j)}/prefix`,
          message: `prefix ${n.prefix} of NAT network ${n.name} overlaps ${other.prefix} of network ${other.name} on host ${n.hosts.find((h) => other.hosts.includes(h))}`,
          hint: 'WinNAT routes the whole NAT prefix: use prefixes that do not overlap',
        });
      }
    });
  });

  // A VM can only connect to a switch that exists on its host.
  for (const vm of ctx.entryVms) {
    vm.network.forEach((adapter, j) => {
      const network = lab.networks.find((n) => n.name === adapter.network);
      if (!network || vm.host === '' || network.hosts.includes(vm.host)) return;
      report.error({
        rule: 'network-host',
        pointer: joinPointer(vm.pointer, 'network', j, 'network'),
        message: `vm ${ctx.entryName(vm)} runs on host ${vm.host}, but network ${network.name} exists only on ${network.hosts.join(', ')}`,
        hint: networkHostHint(network, vm.host),
      });
    });
  }
};

/** WinNAT static mappings: unique per host and pointing at an address labform knows. */
export const checkPortMappings: Rule = (ctx) => {
  const { lab, report } = ctx;
  const seen = new Map<string, string>();
  lab.networks.forEach((n, i) => {
    n.portMappings.forEach((m, j) => {
      const pointer = `/networks/${i}/portMappings/${j}`;
      for (const host of n.hosts) {
        const key = `${host}\u0000${m.protocol}\u0000${m.externalPort}`;
        const earlier = seen.get(key);
        if (earlier !== undefined)
          report.error({
            rule: 'port-mapping-duplicate',
            pointer: joinPointer(pointer, 'externalPort'),
            message: `host ${host}: ${m.protocol} port ${m.externalPort} is already mapped (line ${report.positionOf(earlier).line})`,
            hint: 'each protocol and external port can be mapped once per host',
          });
        else seen.set(key, pointer);
      }
      const vm = ctx.vmByName.get(m.vm);
      if (m.internalAddress !== '' && n.prefix !== undefined) {
        // Also said at the mapping: WinNAT would forward into nowhere.
        const prefix = parsePrefix(n.prefix);
        const target = ipToInt(m.internalAddress);
        if (!prefixContains(prefix, target))
          report.error({
            rule: 'address-outside-prefix',
            pointer: joinPointer(pointer, 'vm'),
            message: `port mapping ${m.protocol}/${m.externalPort} targets vm ${m.vm} at ${m.internalAddress}, outside network ${n.name}'s prefix ${n.prefix}`,
            hint: `give vm ${m.vm} an address inside ${n.prefix}`,
          });
      }
      if (vm && m.internalAddress === '') {
        report.error({
          rule: 'port-mapping-no-address',
          pointer: joinPointer(pointer, 'vm'),
          message: `port mapping ${m.protocol}/${m.externalPort} targets vm ${m.vm}, which has no static or automatic address on network ${n.name}`,
          hint: `give vm ${m.vm} an adapter on ${n.name} with ip: auto or a static address`,
        });
      }
    });
  });
};

/** `ip: dhcp` where nothing serves DHCP: the guest would sit on an APIPA address. */
export const checkDhcpServed: Rule = (ctx) => {
  const served = new Set<string>();
  for (const vm of ctx.lab.vms)
    for (const role of vm.roles)
      if (role.kind === 'dhcpServer') for (const s of role.scopes) served.add(s.network);
  for (const vm of ctx.entryVms) {
    vm.network.forEach((adapter, j) => {
      if (adapter.ip.kind !== 'dhcp') return;
      const network = ctx.lab.networks.find((n) => n.name === adapter.network);
      if (!network || network.type === 'external' || served.has(network.name)) return;
      ctx.report.warning({
        rule: 'dhcp-no-server',
        pointer: joinPointer(vm.pointer, 'network', j, 'ip'),
        message: `vm ${ctx.entryName(vm)} uses dhcp on ${network.type} network ${network.name}, where no dhcpServer scope serves addresses`,
        hint: 'add a dhcpServer role with a scope for this network, or use ip: auto',
      });
    });
  }
};

/** What fixes a VM on a host its network is not on: a NAT network cannot span hosts (WinNAT is per host). */
function networkHostHint(network: { type: string; hosts: string[] }, vmHost: string): string {
  if (network.type === 'nat')
    return `a nat network is on exactly one host (WinNAT is per host): put the VM on ${network.hosts[0]} (host: ${network.hosts[0]}), or give ${vmHost} a network of its own`;
  return `add ${vmHost} to the network's hosts, or put the VM on ${network.hosts.join(' or ')}`;
}
