import ipaddr from 'ipaddr.js';

/** IPv4 addresses as unsigned 32-bit numbers, so prefixes are plain ranges. */
export function ipToInt(address: string): number {
  const bytes = ipaddr.IPv4.parse(address).toByteArray();
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export interface Prefix {
  /** As written. */
  text: string;
  length: number;
  /** The network address (host bits cleared). */
  network: number;
  broadcast: number;
  /** True when the written address had host bits set (`10.0.0.5/24`). */
  hostBitsSet: boolean;
}

export function parsePrefix(cidr: string): Prefix {
  const [address, lengthText] = cidr.split('/');
  const length = lengthText === undefined ? 32 : Number(lengthText);
  const value = ipToInt(address!);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const network = (value & mask) >>> 0;
  return {
    text: cidr,
    length,
    network,
    broadcast: (network | (~mask >>> 0)) >>> 0,
    hostBitsSet: network !== value,
  };
}

export function prefixContains(prefix: Prefix, address: number): boolean {
  return address >= prefix.network && address <= prefix.broadcast;
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}

/** The first and last addresses a host may use (network and broadcast excluded, except /31 and /32). */
export function usableRange(prefix: Prefix): [number, number] {
  if (prefix.length >= 31) return [prefix.network, prefix.broadcast];
  return [prefix.network + 1, prefix.broadcast - 1];
}

export function prefixLengthOf(prefix: string): number {
  return ipaddr.parseCIDR(prefix)[1];
}

/** The prefix in canonical form (`192.168.50.0/24`), so equal prefixes compare equal. */
export function canonicalPrefix(prefix: string): string {
  try {
    const [addr, len] = ipaddr.parseCIDR(prefix);
    const network = ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${len}`);
    return `${network.toString()}/${len}`;
  } catch {
    return prefix;
  }
}

/** Whether `address` lies inside `prefix`. */
export function inPrefix(address: string, prefix: string): boolean {
  try {
    const addr = ipaddr.parse(address);
    const range = ipaddr.parseCIDR(prefix);
    return addr.kind() === range[0].kind() && addr.match(range);
  } catch {
    return false;
  }
}
