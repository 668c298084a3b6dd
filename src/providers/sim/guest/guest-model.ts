/**
 * The simulated guest OS: creation on first boot, credentials (salted hashes, never the
 * password), and what the guest reports through KVP (its addresses).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { Credential } from '../../../secrets/secret.js';
import type { PasswordHash, SimGuest, SimHost, SimVm } from '../sim-state.js';
import type { World } from '../world.js';

export function hashPassword(password: string, salt = randomBytes(16).toString('hex')): PasswordHash {
  return { salt, hash: createHash('sha256').update(`${salt}:${password}`).digest('hex') };
}

export function passwordMatches(stored: PasswordHash, password: string): boolean {
  const candidate = Buffer.from(hashPassword(password, stored.salt).hash, 'hex');
  const expected = Buffer.from(stored.hash, 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** `CONTOSO\Administrator`, `Administrator@contoso.com`, `Administrator` -> `administrator`. */
export function bareUser(username: string): string {
  const afterSlash = username.includes('\\') ? username.slice(username.lastIndexOf('\\') + 1) : username;
  return (afterSlash.includes('@') ? afterSlash.slice(0, afterSlash.indexOf('@')) : afterSlash).toLowerCase();
}

/**
 * Whether Windows accepts this credential: before promotion the local Administrator; on a DC
 * only the domain's Administrator (the local SAM is gone); on a member either.
 */
export function credentialAccepted(world: World, guest: SimGuest, credential: Credential): boolean {
  const password = credential.password.reveal();
  const user = bareUser(credential.username);
  if (guest.dc)
    return bareUser(guest.dc.admin.user) === user && passwordMatches(guest.dc.admin.password, password);
  if (
    guest.localAdmin &&
    bareUser(guest.localAdmin.user) === user &&
    passwordMatches(guest.localAdmin.password, password)
  )
    return true;
  if (guest.domain) {
    const admin = domainAdmin(world, guest.domain);
    if (admin && bareUser(admin.user) === user && passwordMatches(admin.password, password)) return true;
  }
  return false;
}

/** The domain Administrator of a domain, from any of its DCs anywhere in the state directory. */
export function domainAdmin(
  world: World,
  domain: string,
): { user: string; password: PasswordHash } | undefined {
  for (const { vm } of world.allVms()) {
    if (vm.guest?.dc && vm.guest.dc.domain.toLowerCase() === domain.toLowerCase()) return vm.guest.dc.admin;
  }
  return undefined;
}

function emptyGuest(os: 'windows' | 'linux', computerName: string): SimGuest {
  return {
    os,
    provisioned: false,
    computerName,
    localAdmin: null,
    networks: {},
    features: [],
    domain: null,
    dc: null,
    hgs: null,
    dnsForwarders: [],
    groups: [],
    trusts: [],
    attestation: { hostGroups: [], tpmHosts: [], hostKeys: [] },
    hgsClient: null,
    shares: [],
    dhcpScopes: [],
    dhcpAuthorized: null,
    iscsiTargets: [],
    cluster: null,
    scripts: [],
  };
}

/**
 * What boots from the VM's disks: the first attached disk whose parent chain ends at an image
 * made for this generation (and, for Linux under secure boot, the UEFI CA template). Windows
 * takes computer name and Administrator password from the answer file; without one it stops
 * at the out-of-box screens (heartbeat OK, no PowerShell Direct).
 */
export function bootGuest(world: World, host: string, vm: SimVm): SimGuest | null {
  for (const disk of vm.disks) {
    const vhd = world.findVhd(host, disk.path);
    if (!vhd) continue;
    let node = vhd;
    const seen = new Set<string>();
    while (node.parentPath && !seen.has(node.path.toLowerCase())) {
      seen.add(node.path.toLowerCase());
      const parent = world.findVhd(host, node.parentPath);
      if (!parent) break;
      node = parent;
    }
    const image = node.image;
    if (!image) continue;
    if (image.generation !== vm.generation) return null;
    if (
      image.os === 'linux' &&
      vm.generation === 2 &&
      vm.firmware.secureBoot &&
      vm.firmware.secureBootTemplate === 'MicrosoftWindows'
    )
      return null;
    const guest = emptyGuest(image.os, vm.name.toUpperCase().slice(0, 15));
    if (image.os === 'linux') {
      guest.provisioned = true;
      guest.computerName = vm.name.toLowerCase();
      return guest;
    }
    // Features installed into the OS disk before this first boot (Install-WindowsFeature -Vhd).
    guest.features = [...(vhd.offlineFeatures ?? [])];
    if (vhd.answerFile) {
      guest.provisioned = true;
      guest.computerName = vhd.answerFile.computerName;
      guest.localAdmin = { user: vhd.answerFile.adminUser, password: vhd.answerFile.adminPassword };
    }
    return guest;
  }
  return null;
}

/**
 * Addresses the guest reports for an adapter (KVP): its static addresses, or a DHCP lease
 * from a running DHCP server guest with a scope on the same switch (external switches: the
 * physical network's DHCP). Empty when the guest set nothing or nothing serves DHCP.
 */
export function reportedAddresses(options: {
  host: SimHost;
  vm: SimVm;
  mac: string;
  switchName: string | null;
  kvpUp: boolean;
}): string[] {
  const { host, vm, mac, switchName, kvpUp } = options;
  if (!kvpUp || !vm.guest) return [];
  const net = vm.guest.networks[mac];
  if (net && !net.dhcp) return net.addresses.map((a) => a.address);
  if (!switchName) return [];
  const sw = host.switches.find((s) => s.name.toLowerCase() === switchName.toLowerCase());
  const pick = (start: string, end: string): string => {
    const from = ipaddr.parse(start).toByteArray();
    const to = ipaddr.parse(end).toByteArray();
    const a = (from[0]! << 24) + (from[1]! << 16) + (from[2]! << 8) + from[3]!;
    const b = (to[0]! << 24) + (to[1]! << 16) + (to[2]! << 8) + to[3]!;
    const n = (a >>> 0) + (parseInt(mac.slice(-4), 16) % Math.max(1, (b >>> 0) - (a >>> 0) + 1));
    return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  };
  if (sw?.type === 'external') {
    const eth = host.hostAddresses.find(
      (h) => !h.interfaceAlias.startsWith('vEthernet') || h.interfaceAlias === `vEthernet (${sw.name})`,
    );
    if (!eth) return [];
    const base = eth.address.split('.').slice(0, 3).join('.');
    return [pick(`${base}.100`, `${base}.199`)];
  }
  for (const server of host.vms) {
    if (server === vm || server.power.state !== 'Running' || !server.guest?.dhcpScopes.length) continue;
    if (!server.adapters.some((a) => a.switchName?.toLowerCase() === switchName.toLowerCase())) continue;
    const scope = server.guest.dhcpScopes[0]!;
    return [pick(scope.start, scope.end)];
  }
  return [];
}
