/**
 * cloud-init in a simulated Linux guest: at each boot it looks for a NoCloud seed on the VM's
 * attached disks (a volume labelled `cidata`: src/providers/sim/host/cloud-init-ops.ts) and, when
 * the seed's instance-id is not the one it last applied, takes the host name from meta-data, the
 * adapters (matched by MAC) from network-config v2 and the users' SSH keys from user-data, as
 * cloud-init's per-instance modules do (docs.cloud-init.io: reference/datasources/nocloud,
 * reference/network-config-format-v2, explanation/instancedata "first boot"). It reads the files,
 * not the plan: what the seed says is what the guest gets. Without a seed nothing changes (a
 * guest of an image without cloud-init keeps what its image gives it).
 */
import { parse } from 'yaml';
import type { SimGuest, SimGuestNetwork, SimVm } from '../sim-state.js';
import type { World } from '../world.js';
import { normaliseMac } from '../../../model/mac.js';

interface NetworkConfig {
  ethernets?: Record<
    string,
    {
      match?: { macaddress?: string };
      dhcp4?: boolean;
      addresses?: string[];
      routes?: { to: string; via: string }[];
      nameservers?: { addresses?: string[] };
    }
  >;
}

interface UserData {
  hostname?: string;
  ssh_authorized_keys?: string[];
  users?: (string | { name: string; ssh_authorized_keys?: string[] })[];
}

/** The seed on the first attached disk that holds one. */
function attachedSeed(world: World, host: string, vm: SimVm) {
  for (const disk of vm.disks) {
    const seed = world.findVhd(host, disk.path)?.cloudInit;
    if (seed) return seed;
  }
  return undefined;
}

function networks(config: NetworkConfig): Record<string, SimGuestNetwork> {
  const out: Record<string, SimGuestNetwork> = {};
  for (const entry of Object.values(config.ethernets ?? {})) {
    const mac = entry.match?.macaddress;
    if (!mac) continue;
    const gateway = entry.routes?.find((r) => r.to === 'default' || r.to === '0.0.0.0/0')?.via;
    out[normaliseMac(mac)] = {
      dhcp: entry.dhcp4 === true,
      addresses: (entry.addresses ?? []).map((cidr) => {
        const [address, length] = cidr.split('/');
        return { address: address!, prefixLength: Number(length) };
      }),
      ...(gateway ? { gateway } : {}),
      dns: [...(entry.nameservers?.addresses ?? [])],
    };
  }
  return out;
}

/** Apply the attached seed to a Linux guest at boot when its instance-id is new; true when it did. */
export function applyCloudInitSeed(world: World, host: string, vm: SimVm, guest: SimGuest): boolean {
  if (guest.os !== 'linux') return false;
  const seed = attachedSeed(world, host, vm);
  if (!seed) return false;
  const meta = parse(seed.files['meta-data']) as { 'instance-id'?: string; 'local-hostname'?: string };
  const instanceId = meta['instance-id'];
  if (!instanceId || guest.cloudInit?.instanceId === instanceId) return false;
  const user = parse(seed.files['user-data']) as UserData;
  const hostname = user.hostname ?? meta['local-hostname'];
  if (hostname) guest.computerName = hostname;
  guest.networks = networks(parse(seed.files['network-config']) as NetworkConfig);
  const authorizedKeys: Record<string, string[]> = {};
  if (user.ssh_authorized_keys) authorizedKeys.default = [...user.ssh_authorized_keys];
  for (const u of user.users ?? [])
    if (typeof u === 'object') authorizedKeys[u.name.toLowerCase()] = [...(u.ssh_authorized_keys ?? [])];
  guest.cloudInit = { instanceId, authorizedKeys };
  return true;
}

/**
 * Whether sshd in the guest lets the host account's key log in as `user`: a guest configured by
 * cloud-init accepts the keys its seed gave that user (or the image's default user); one never
 * seeded accepts what its image was made to accept (the simulator takes it to be the host's key).
 */
export function sshKeyAccepted(guest: SimGuest, user: string, hostKey: string | null): boolean {
  if (!guest.cloudInit) return true;
  if (!hostKey) return false;
  const keys =
    guest.cloudInit.authorizedKeys[user.toLowerCase()] ?? guest.cloudInit.authorizedKeys.default ?? [];
  return keys.includes(hostKey);
}
