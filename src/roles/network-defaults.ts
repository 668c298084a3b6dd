/**
 * Defaults a guest's network settings derive from the lab: the NAT gateway, DNS servers
 * (the network's `dns`, else the domain controllers of the VM's domain on that network) and
 * a prefix's length.
 */
import ipaddr from 'ipaddr.js';
import type { NetworkSpec, VmSpec } from '../manifest/lab.js';
import type { IpAssignment } from '../model/guest-operation.js';
import type { LabIndex } from './lab-index.js';
import { natGatewayAddress } from '../model/hyperv-rules.js';

/** The network's gateway: NAT only (labform routes nothing else); default first usable address. */
export function natGateway(network: NetworkSpec): string | undefined {
  if (network.type !== 'nat') return undefined;
  if (network.gateway) return network.gateway;
  if (!network.prefix) return undefined;
  return natGatewayAddress({ prefix: network.prefix });
}

export function prefixLengthOf(network: NetworkSpec): number | undefined {
  return network.prefix ? ipaddr.parseCIDR(network.prefix)[1] : undefined;
}

/** The domain whose DCs serve a VM's names: its own domain, else a guarded host's HGS domain. */
export function dnsDomainOf(index: LabIndex, vm: VmSpec): string | undefined {
  const own = index.domainOf(vm);
  if (own) return own;
  const gh = index.role(vm, 'guardedHost');
  return gh ? index.domainOf(index.hgsPrimary(gh.hgs)) : undefined;
}

/**
 * DNS servers for `vm`'s adapter on `network`: the network's `dns`; else the DCs of the VM's
 * domain with a static address on that network. A forest root lists itself first; an
 * additional DC lists the others first and itself last, because its own DNS server only
 * exists after its promotion, which needs the domain's names; a member lists its DCs.
 */
export function defaultDns(options: { index: LabIndex; vm: VmSpec; network: NetworkSpec }): string[] {
  const { index, vm, network } = options;
  if (network.dns.length > 0) return [...network.dns];
  const domain = dnsDomainOf(index, vm);
  if (!domain) return [];
  // A member's join points every adapter at its domain's DCs (domainDnsFor); its base configuration
  // asks for the same list, so a joined member's adapters stay as the plan wants them.
  const member = index.role(vm, 'domainMember');
  if (member) return domainDnsFor(index, vm, member.domain);
  const dcs = index.dcsOf(domain);
  const others = dcs.filter((d) => d.name !== vm.name).map((d) => index.staticAddress(d, network.name));
  const own = dcs.some((d) => d.name === vm.name) ? index.staticAddress(vm, network.name) : undefined;
  const ordered = dcs[0]?.name === vm.name ? [own, ...others] : [...others, own];
  return dedupe(ordered.filter((a): a is string => a !== undefined));
}

/** The domain's DC addresses `vm` can reach (networks it shares with them), forest root first. */
export function domainDnsFor(index: LabIndex, vm: VmSpec, domain: string): string[] {
  return dedupe(index.dcsOf(domain).flatMap((dc) => index.addressesSeenBy(dc, vm)));
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/** The guest-side settings of one configured adapter (found by MAC in the guest). */
export interface AdapterNetworkSettings {
  /** Index of the adapter in `vm.network`. */
  index: number;
  mac: string;
  network: string;
  dhcp: boolean;
  addresses: IpAssignment[];
  gateway?: string;
  dns: string[];
}

/**
 * Every adapter labform configures inside `vm` (an adapter without `ip:` is left alone): DHCP, or
 * its static address with the NAT gateway; DNS from defaultDns. Windows guests get these through
 * setNetwork tasks, Linux guests through their cloud-init seed's network-config.
 */
export function vmNetworkSettings(options: {
  index: LabIndex;
  vm: VmSpec;
  macs: string[];
}): AdapterNetworkSettings[] {
  const { index, vm, macs } = options;
  const out: AdapterNetworkSettings[] = [];
  vm.network.forEach((adapter, i) => {
    if (adapter.ip.kind === 'none') return;
    const mac = macs[i]!;
    const network = index.lab.networks.find((n) => n.name === adapter.network);
    const dns = network ? defaultDns({ index, vm, network }) : [];
    if (adapter.ip.kind === 'dhcp') {
      out.push({ index: i, mac, network: adapter.network, dhcp: true, addresses: [], dns });
      return;
    }
    const gateway = network ? natGateway(network) : undefined;
    out.push({
      index: i,
      mac,
      network: adapter.network,
      dhcp: false,
      addresses: [{ address: adapter.ip.address, prefixLength: adapter.ip.prefixLength }],
      dns,
      ...(gateway ? { gateway } : {}),
    });
  });
  return out;
}
