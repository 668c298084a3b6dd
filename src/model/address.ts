/**
 * Resource addresses, the names plans, `--target`, `--replace` and the journal use for what
 * labform manages (docs/contract.md, plan JSON): built here and parsed back here, nowhere else.
 *
 *   vm.<vm>                        a VM (`vm.<vm>@<host>` for a leftover of the same name on another host)
 *   role.<vm>.<kind>[.<n>]         the n-th role of a kind on a VM (n >= 2 only)
 *   network.<name>                 a network's switch (and its host address)
 *   nat.<network>                  a NAT network's NetNat
 *   portMapping.<network>.<protocol>.<port>
 *   disk.<name>[.<n>]              a virtual disk (n for leftovers with one file name)
 *   guestCluster.<name>            a guest failover cluster
 *
 * Names may hold dots (`web.01`): parsers take the fixed parts from the ends, never split.
 * Step ids are `<address>/<action>` (`vm.dc01/create`, `vm.dc01/ready`).
 */

export const vmAddress = (vm: string): string => `vm.${vm}`;

/** A leftover VM of the same name on another host: `vm.<vm>@<host>`. */
export const vmOnHostAddress = (vm: string, host: string): string => `vm.${vm}@${host}`;

/** The n-th (1-based) role of a kind on a VM: the second is `role.<vm>.<kind>.2`. */
export const roleAddress = (vm: string, kind: string, n = 1): string =>
  n <= 1 ? `role.${vm}.${kind}` : `role.${vm}.${kind}.${n}`;

export const networkAddress = (network: string): string => `network.${network}`;
export const natAddress = (network: string): string => `nat.${network}`;
export const portMappingAddress = (network: string, protocol: string, externalPort: number): string =>
  `portMapping.${network}.${protocol}.${externalPort}`;
/** A disk; `n` >= 2 tells leftovers with one file name apart. */
export const diskAddress = (disk: string, n = 1): string => (n <= 1 ? `disk.${disk}` : `disk.${disk}.${n}`);
export const guestClusterAddress = (cluster: string): string => `guestCluster.${cluster}`;

export type ParsedAddress =
  | { kind: 'vm'; vm: string; host?: string }
  | { kind: 'role'; vm: string; role: string; n: number }
  | { kind: 'network'; network: string }
  | { kind: 'nat'; network: string }
  | { kind: 'portMapping'; network: string; protocol: string; externalPort: number }
  | { kind: 'disk'; disk: string }
  | { kind: 'guestCluster'; cluster: string };

/** What an address names, or undefined for text that is no address. */
export function parseAddress(address: string): ParsedAddress | undefined {
  const dot = address.indexOf('.');
  if (dot < 1 || dot === address.length - 1) return undefined;
  const type = address.slice(0, dot);
  const rest = address.slice(dot + 1);
  switch (type) {
    case 'vm': {
      const at = rest.lastIndexOf('@');
      return at > 0
        ? { kind: 'vm', vm: rest.slice(0, at), host: rest.slice(at + 1) }
        : { kind: 'vm', vm: rest };
    }
    case 'role': {
      const m = /^(.+)\.([A-Za-z]+)(?:\.(\d+))?$/.exec(rest);
      return m ? { kind: 'role', vm: m[1]!, role: m[2]!, n: m[3] ? Number(m[3]) : 1 } : undefined;
    }
    case 'network':
      return { kind: 'network', network: rest };
    case 'nat':
      return { kind: 'nat', network: rest };
    case 'portMapping': {
      const m = /^(.+)\.([a-z]+)\.(\d+)$/.exec(rest);
      return m
        ? { kind: 'portMapping', network: m[1]!, protocol: m[2]!, externalPort: Number(m[3]) }
        : undefined;
    }
    case 'disk':
      return { kind: 'disk', disk: rest };
    case 'guestCluster':
      return { kind: 'guestCluster', cluster: rest };
    default:
      return undefined;
  }
}

/** The VM an address belongs to (a VM's, or a role's), or undefined. */
export function vmOfAddress(address: string): string | undefined {
  const parsed = parseAddress(address);
  return parsed?.kind === 'vm' || parsed?.kind === 'role' ? parsed.vm : undefined;
}

/** `<address>/<action>`: a step's id. */
export const stepId = (address: string, action: string): string => `${address}/${action}`;

/** A step id's address and action (`vm.dc01/ready` -> vm.dc01, ready); names hold no `/`. */
export function parseStepId(id: string): { address: string; action: string } | undefined {
  const slash = id.indexOf('/');
  return slash > 0 ? { address: id.slice(0, slash), action: id.slice(slash + 1) } : undefined;
}
