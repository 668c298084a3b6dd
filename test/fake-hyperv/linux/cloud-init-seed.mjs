/**
 * cloud-init's NoCloud datasource in the fake module's Linux guests: reads a seed volume's files
 * (meta-data, user-data, network-config v2: docs.cloud-init.io reference/datasources/nocloud,
 * reference/network-config-format-v2) from the folder that holds the `cidata` partition's content
 * (host/disk-partition.ps1) and prints, as JSON, what cloud-init applies from them: the
 * instance-id, the host name, each adapter by MAC (upper case, no separators) and the SSH keys of
 * each user. host/cloud-init-boot.ps1 runs it when a Linux VM starts, as the simulator's
 * src/providers/sim/guest/cloud-init-boot.ts reads the same files.
 *
 * Usage: node cloud-init-seed.mjs <folder>
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const folder = process.argv[2];
const read = (name) => {
  const file = path.join(folder, name);
  return existsSync(file) ? (parse(readFileSync(file, 'utf8')) ?? {}) : undefined;
};
const meta = read('meta-data');
const user = read('user-data');
// NoCloud needs both meta-data and user-data; without them there is no seed.
if (!meta || !user || !meta['instance-id']) {
  process.stdout.write('null\n');
} else {
  const networks = {};
  for (const entry of Object.values(read('network-config')?.ethernets ?? {})) {
    const mac = entry?.match?.macaddress;
    if (!mac) continue;
    const gateway = (entry.routes ?? []).find((r) => r.to === 'default' || r.to === '0.0.0.0/0')?.via ?? null;
    networks[
      String(mac)
        .replace(/[^0-9A-Fa-f]/g, '')
        .toUpperCase()
    ] = {
      dhcp: entry.dhcp4 === true,
      addresses: (entry.addresses ?? []).map((cidr) => {
        const [address, length] = String(cidr).split('/');
        return { address, prefixLength: Number(length) };
      }),
      gateway,
      dns: [...(entry.nameservers?.addresses ?? [])],
    };
  }
  const authorizedKeys = {};
  if (user.ssh_authorized_keys) authorizedKeys.default = [...user.ssh_authorized_keys];
  for (const u of user.users ?? [])
    if (u && typeof u === 'object')
      authorizedKeys[String(u.name).toLowerCase()] = [...(u.ssh_authorized_keys ?? [])];
  process.stdout.write(
    `${JSON.stringify({
      instanceId: meta['instance-id'],
      hostname: user.hostname ?? meta['local-hostname'] ?? null,
      networks,
      authorizedKeys,
    })}\n`,
  );
}
