import type { LabStatus } from './show-status.js';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

const ROLE_MARK = { done: 'done', pending: 'pending', unknown: '?' } as const;

/** `show` as text: VMs (state, heartbeat, addresses, checkpoints, roles), then networks, NATs and mappings. */
export function formatShowText(status: LabStatus): string {
  const lines: string[] = [`Lab ${status.lab}`, ''];
  const vmRows = [['VM', 'HOST', 'STATE', 'HEARTBEAT', 'ADDRESSES', 'CHECKPOINTS']];
  for (const vm of status.vms) {
    const state = vm.foreign ? `${vm.state} (not this lab's)` : vm.state;
    vmRows.push([vm.name, vm.host, state, vm.heartbeat, vm.addresses.join(', ') || '-', vm.checkpoints.join(', ') || '-']);
  }
  lines.push(...table(vmRows));
  const withRoles = status.vms.filter((v) => v.roles.length > 0);
  if (withRoles.length > 0) {
    lines.push('', 'Roles:');
    for (const vm of withRoles) for (const r of vm.roles) lines.push(`  ${r.address}: ${ROLE_MARK[r.state]}`);
  }
  if (status.networks.length > 0) {
    lines.push('', 'Networks:');
    const rows = [['NETWORK', 'TYPE', 'HOST', 'SWITCH', 'HOST ADDRESS']];
    for (const n of status.networks) for (const h of n.hosts) rows.push([n.name, n.type, h.host, h.present ? 'present' : 'absent', h.hostAddress ?? '-']);
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  if (status.nats.length > 0) {
    lines.push('', 'NAT:');
    for (const n of status.nats) lines.push(`  ${n.name} on ${n.host}: ${n.present ? n.internalPrefix : 'absent'}`);
  }
  if (status.portMappings.length > 0) {
    lines.push('', 'Port mappings:');
    for (const m of status.portMappings) lines.push(`  ${m.address} -> ${m.target} ${m.internalAddress}:${m.internalPort} (${m.present ? 'present' : 'absent'})`);
  }
  return `${lines.join('\n')}\n`;
}
