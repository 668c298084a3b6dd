import ipaddr from 'ipaddr.js';

/** MACs in one notation: upper case hex, no separators (`00155D010203`). */
export function normaliseMac(mac: string): string {
  return mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}

/** Windows paths compare case-insensitively and with either slash. */
export function pathKey(p: string): string {
  return p.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
}

export function samePath(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return pathKey(a) === pathKey(b);
}

/** `child` is `parent` or inside it. */
export function isUnder(child: string, parent: string): boolean {
  const c = pathKey(child);
  const p = pathKey(parent);
  return c === p || c.startsWith(`${p}\\`);
}

/** The last component of a Windows path. */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] ?? p;
}

/** The host's default gateway address on a NAT prefix: the first usable address. */
export function firstUsableAddress(prefix: string): string {
  const [net] = ipaddr.parseCIDR(prefix);
  const bytes = net.toByteArray();
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) + 1;
  return ipaddr.fromByteArray(bytes).toString();
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
