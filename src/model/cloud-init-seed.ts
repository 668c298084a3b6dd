/**
 * The cloud-init NoCloud seed of a Linux guest: the three files labform writes onto a small
 * FAT32 volume labelled `cidata`, attached to the VM before its first boot, from which cloud-init
 * takes the host name, the addresses, gateway and DNS of each adapter and the SSH key labform
 * logs in with.
 *
 * Sources (cloud-init documentation, docs.cloud-init.io):
 * - NoCloud datasource (reference/datasources/nocloud): meta-data and user-data on a vfat or
 *   iso9660 filesystem labelled `cidata` or `CIDATA`; both files must be present; an optional
 *   `network-config` file holds network configuration; `instance-id` in meta-data identifies the
 *   instance and `local-hostname` names it.
 * - Network configuration format v2 (reference/network-config-format-v2): `version: 2`,
 *   `ethernets:` keyed by an id with `match: { macaddress }`, `dhcp4`, `addresses` in CIDR
 *   form, `routes: [{ to: default, via }]` (gateway4 is deprecated), `nameservers: { addresses }`.
 * - cloud-config `users` (reference/modules, Users and Groups): `default` keeps the image's own
 *   user; an entry with `name`, `sudo`, `shell`, `lock_passwd` and `ssh_authorized_keys`.
 * - Instance identity (explanation/instancedata, "first boot"): cloud-init runs its
 *   per-instance modules (host name, users and keys, network) once per instance-id; a seed
 *   whose instance-id changes is applied again at the next boot. The instance-id here is a
 *   hash of the seed's content, so a changed configuration gets a new one.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { joinWindowsPath } from './windows-path.js';

/** The seed disk of a VM: `<vm folder>\<vm>-cidata.vhdx`. */
export function cloudInitSeedPath(vmFolder: string, vm: string): string {
  return joinWindowsPath(vmFolder, `${vm}-cidata.vhdx`);
}

/**
 * Where a seed is written before it takes its name (`<vm>-cidata.partial.vhdx`; New-VHD wants a
 * .vhdx name): a run killed mid-write leaves only this file, which the next write removes first.
 */
export function cloudInitPartialPath(seedPath: string): string {
  return seedPath.replace(/\.vhdx$/i, '.partial.vhdx');
}

/**
 * The record written next to a complete seed (`<seed>.labform.json`, last, after the rename):
 * discovery reads its instance-id back, so a seed already written is not written again.
 */
export function cloudInitRecordPath(seedPath: string): string {
  return `${seedPath}.labform.json`;
}

/** The FAT32 volume label cloud-init's NoCloud datasource looks for. */
export const CLOUD_INIT_LABEL = 'cidata';

/**
 * The seed disk's size: "a FAT32 volume must have a minimum of 65,527 clusters" (Learn, "File
 * Systems", previous-versions cc938937), about 32 MB with 512-byte clusters; a dynamic VHDX of
 * 64 MB takes a few MB on the host.
 */
export const CLOUD_INIT_DISK_SIZE = 64 * 1024 * 1024;

export interface SeedAdapter {
  /** MAC address, any separators (the seed writes aa:bb:cc:dd:ee:ff, lower case). */
  mac: string;
  dhcp: boolean;
  addresses: { address: string; prefixLength: number }[];
  gateway?: string;
  dns: string[];
}

export interface CloudInitSeedInput {
  /** The guest's host name (`local-hostname`, cloud-config `hostname`). */
  hostname: string;
  adapters: SeedAdapter[];
  /**
   * The user labform logs in as (the VM's credential user name), created when the image lacks it;
   * absent (a VM without credential): the keys go to the image's default user.
   */
  user?: string;
  /** Public keys that may log in as `user` (the host account's key). */
  sshAuthorizedKeys: string[];
}

export interface CloudInitSeed {
  instanceId: string;
  /** The files of the `cidata` volume, by name. */
  files: { 'meta-data': string; 'user-data': string; 'network-config': string };
  /** What the seed configures, as the seed's record keeps it for the next plan to show what changed. */
  summary: CloudInitSeedSummary;
}

/**
 * What a seed configures, in words (no secret: public keys are shown by fingerprint): written
 * into the seed's record beside the disk, read back by discovery, so that a plan says which of
 * the host name, an adapter's addresses, the user or the key changed, not only that the
 * instance-id did.
 */
export interface CloudInitSeedSummary {
  hostname: string;
  /** The user the keys are given to; null: the image's default user. */
  user: string | null;
  /** Per adapter, by MAC (`00:15:5d:0a:0b:0c`): `dhcp` or `10.0.0.5/24, gateway 10.0.0.1`, then `, DNS ...`. */
  network: Record<string, string>;
  /** The authorised keys: `ssh-ed25519 SHA256:<fingerprint> <comment>`. */
  sshAuthorizedKeys: string[];
}

/** `00155D0A0B0C`, `00-15-5D-0A-0B-0C` -> `00:15:5d:0a:0b:0c`. */
export function seedMac(mac: string): string {
  const hex = mac.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
  return hex.match(/../g)!.join(':');
}

function networkConfig(adapters: SeedAdapter[]): Record<string, unknown> {
  const ethernets: Record<string, unknown> = {};
  adapters.forEach((a, i) => {
    const entry: Record<string, unknown> = { match: { macaddress: seedMac(a.mac) } };
    if (a.dhcp) entry.dhcp4 = true;
    else {
      entry.dhcp4 = false;
      entry.addresses = a.addresses.map((x) => `${x.address}/${x.prefixLength}`);
      if (a.gateway) entry.routes = [{ to: 'default', via: a.gateway }];
    }
    if (a.dns.length > 0) entry.nameservers = { addresses: [...a.dns] };
    ethernets[`lab${i}`] = entry;
  });
  return { version: 2, ethernets };
}

/**
 * `ssh-ed25519 SHA256:<fingerprint> <comment>`: a public key line as `ssh-keygen -l` names it (the
 * SHA-256 of the key blob in unpadded base64; OpenSSH ssh-keygen(1), -l and -E). A line that is
 * not `type base64 [comment]` is kept as it is.
 */
export function sshKeyFingerprint(line: string): string {
  const [type, blob, ...comment] = line.trim().split(/\s+/);
  if (!type || !/^(ssh|ecdsa|sk)-[\w@.-]+$/.test(type) || !blob || !/^[A-Za-z0-9+/]+=*$/.test(blob))
    return line.trim();
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
  return [type, `SHA256:${digest}`, ...comment].join(' ');
}

function adapterSummary(a: SeedAdapter): string {
  const addressing = a.dhcp
    ? 'dhcp'
    : [
        a.addresses.map((x) => `${x.address}/${x.prefixLength}`).join(', ') || 'no address',
        ...(a.gateway ? [`gateway ${a.gateway}`] : []),
      ].join(', ');
  return a.dns.length > 0 ? `${addressing}, DNS ${a.dns.join(', ')}` : addressing;
}

export function cloudInitSeedSummary(input: CloudInitSeedInput): CloudInitSeedSummary {
  return {
    hostname: input.hostname,
    user: input.user ?? null,
    network: Object.fromEntries(input.adapters.map((a) => [seedMac(a.mac), adapterSummary(a)])),
    sshAuthorizedKeys: input.sshAuthorizedKeys.map(sshKeyFingerprint),
  };
}

export function cloudInitSeed(input: CloudInitSeedInput): CloudInitSeed {
  const network = stringify(networkConfig(input.adapters));
  const cloudConfig = {
    hostname: input.hostname,
    preserve_hostname: false,
    ...(input.user
      ? {
          users: [
            'default',
            {
              name: input.user,
              sudo: 'ALL=(ALL) NOPASSWD:ALL',
              shell: '/bin/bash',
              lock_passwd: true,
              ssh_authorized_keys: [...input.sshAuthorizedKeys],
            },
          ],
        }
      : // Top-level ssh_authorized_keys go to the default user (cloud-config "SSH" module).
        { ssh_authorized_keys: [...input.sshAuthorizedKeys] }),
  };
  const userData = `#cloud-config\n${stringify(cloudConfig)}`;
  const instanceId = `labform-${createHash('sha256')
    .update(`${input.hostname}\n${network}\n${userData}`)
    .digest('hex')
    .slice(0, 16)}`;
  const metaData = stringify({ 'instance-id': instanceId, 'local-hostname': input.hostname });
  return {
    instanceId,
    files: { 'meta-data': metaData, 'user-data': userData, 'network-config': network },
    summary: cloudInitSeedSummary(input),
  };
}

/**
 * A summary as a seed's record holds it, read back from JSON (Windows PowerShell 5.1's
 * ConvertFrom-Json and ConvertTo-Json on the way): undefined unless it has the summary's shape;
 * a one-key list that came back as a plain string is taken as the list.
 */
export function seedSummaryFromRecord(value: unknown): CloudInitSeedSummary | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const network = v.network;
  const keys = typeof v.sshAuthorizedKeys === 'string' ? [v.sshAuthorizedKeys] : v.sshAuthorizedKeys;
  if (typeof v.hostname !== 'string' || !(v.user === null || typeof v.user === 'string')) return undefined;
  if (!network || typeof network !== 'object' || Array.isArray(network)) return undefined;
  if (!Object.values(network).every((x) => typeof x === 'string')) return undefined;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return undefined;
  return {
    hostname: v.hostname,
    user: v.user,
    network: { ...(network as Record<string, string>) },
    sshAuthorizedKeys: [...(keys as string[])],
  };
}
