/**
 * `show --format ssh-config|ansible|hosts`: the lab's guests as inventories for the tools people
 * already use. Only guests with an address (reported by the guest, else static in the manifest)
 * appear; no password is ever written.
 */
import { stringify } from 'yaml';
import type { Lab } from '../manifest/lab.js';
import type { LabStatus } from './show-status.js';

export type InventoryFormat = 'ssh-config' | 'ansible' | 'hosts';

interface Guest {
  name: string;
  computerName: string;
  os: string;
  address: string;
  user?: string;
  roles: string[];
  /** The Hyper-V host's ssh destination, when the host is reached over ssh. */
  jump?: string;
}

function guests(lab: Lab, status: LabStatus): Guest[] {
  const out: Guest[] = [];
  for (const vm of status.vms) {
    const spec = lab.vms.find((v) => v.name === vm.name)!;
    const reported = vm.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('169.254.'));
    const fixed = spec.network.map((a) => a.ip).find((ip) => ip.kind === 'static');
    const address = reported ?? (fixed && fixed.kind === 'static' ? fixed.address : undefined);
    if (!address) continue;
    const dc = spec.roles.find((r) => r.kind === 'domainController');
    const credential = dc && dc.kind === 'domainController' ? dc.domainAdmin : spec.credential;
    const user = lab.credentials.find((c) => c.name === credential)?.username;
    const connect = lab.hosts.find((h) => h.name === vm.host)?.connect;
    const jump =
      connect?.kind === 'ssh'
        ? `${connect.user ? `${connect.user}@` : ''}${connect.host}${connect.port ? `:${connect.port}` : ''}`
        : undefined;
    out.push({
      name: vm.name,
      computerName: spec.computerName,
      os: spec.os,
      address,
      user,
      roles: [...new Set(spec.roles.map((r) => r.kind))],
      jump,
    });
  }
  return out;
}

/** `/etc/hosts` (or `C:\Windows\System32\drivers\etc\hosts`) lines. */
function hostsFile(lab: Lab, list: Guest[]): string {
  const lines = [`# labform lab ${lab.name}`];
  for (const g of list) {
    const names = [...new Set([g.name, g.computerName.toLowerCase()])];
    lines.push(`${g.address}\t${names.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** OpenSSH client configuration: one Host block per guest (Linux guests, and Windows ones for their OpenSSH server). */
function sshConfig(lab: Lab, list: Guest[]): string {
  const blocks = list.map((g) => {
    const lines = [`Host ${g.name}`, `  HostName ${g.address}`];
    if (g.user) lines.push(`  User ${g.os === 'windows' ? g.user.replace(/\\/g, '\\\\') : g.user}`);
    if (g.jump) lines.push(`  ProxyJump ${g.jump}`);
    return lines.join('\n');
  });
  return `# labform lab ${lab.name}\n${blocks.join('\n\n')}\n`;
}

/** Ansible YAML inventory: groups `windows` and `linux`, and one group per role kind. */
function ansible(lab: Lab, list: Guest[]): string {
  const host = (g: Guest) => {
    const vars: Record<string, unknown> = { ansible_host: g.address };
    if (g.user) vars.ansible_user = g.user;
    if (g.jump) vars.ansible_ssh_common_args = `-o ProxyJump=${g.jump}`;
    return vars;
  };
  const children: Record<string, unknown> = {};
  for (const os of ['windows', 'linux']) {
    const members = list.filter((g) => g.os === os);
    if (members.length === 0) continue;
    children[os] = {
      hosts: Object.fromEntries(members.map((g) => [g.name, host(g)])),
      vars:
        os === 'windows'
          ? { ansible_connection: 'winrm', ansible_winrm_transport: 'ntlm', ansible_port: 5985 }
          : { ansible_connection: 'ssh' },
    };
  }
  for (const role of [...new Set(list.flatMap((g) => g.roles))].sort()) {
    children[role] = {
      hosts: Object.fromEntries(list.filter((g) => g.roles.includes(role)).map((g) => [g.name, null])),
    };
  }
  return stringify({ all: { vars: { labform_lab: lab.name }, children } });
}

export function formatInventory(format: InventoryFormat, lab: Lab, status: LabStatus): string {
  const list = guests(lab, status);
  if (format === 'hosts') return hostsFile(lab, list);
  if (format === 'ssh-config') return sshConfig(lab, list);
  return ansible(lab, list);
}
