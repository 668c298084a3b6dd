import type { LabStatus, VmStatus } from './show-status.js';
import { formatSize } from '../model/units.js';
import { formatDuration } from '../executor/duration.js';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** A file's size, rounded the way Explorer shows it: `12.4 GB`, `980 MB`. */
export function fileBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const ROLE_MARK = { done: 'done', pending: 'pending', unknown: '?' } as const;

function memory(vm: VmStatus): string {
  const m = vm.memory;
  if (!m.dynamic) return formatSize(m.startup);
  return `${formatSize(m.startup)} (${m.minimum !== null ? formatSize(m.minimum) : '?'}-${m.maximum !== null ? formatSize(m.maximum) : '?'})`;
}

/** `show` as text: VMs, roles, disks, devices, shared disks, clusters, networks, NATs and mappings. */
export function formatShowText(status: LabStatus): string {
  const lines: string[] = [`Lab ${status.lab}`, ''];
  const vmRows = [
    ['VM', 'HOST', 'STATE', 'HEARTBEAT', 'UPTIME', 'CPU', 'MEMORY', 'ADDRESSES', 'CHECKPOINTS'],
  ];
  for (const vm of status.vms) {
    const state = vm.foreign ? `${vm.state} (not this lab's)` : vm.state;
    const uptime = vm.state === 'Running' ? formatDuration(vm.uptimeSeconds * 1000) : '-';
    vmRows.push([
      vm.name,
      vm.host,
      state,
      vm.heartbeat,
      uptime,
      String(vm.processors),
      memory(vm),
      vm.addresses.join(', ') || '-',
      vm.checkpoints.join(', ') || '-',
    ]);
  }
  lines.push(...table(vmRows));
  const withRoles = status.vms.filter((v) => v.roles.length > 0);
  if (withRoles.length > 0) {
    lines.push('', 'Roles:');
    for (const vm of withRoles) for (const r of vm.roles) lines.push(`  ${r.address}: ${ROLE_MARK[r.state]}`);
  }
  const disks = status.vms.flatMap((vm) =>
    vm.disks.map((d) => [
      vm.name,
      d.controller,
      d.path,
      d.size !== null ? formatSize(d.size) : '?',
      d.fileSize !== null ? fileBytes(d.fileSize) : '-',
      `${d.type ?? '?'}${d.shared ? ', shared' : ''}`,
      d.parentPath ?? '-',
    ]),
  );
  if (disks.length > 0) {
    lines.push('', 'Disks:');
    lines.push(
      ...table([['VM', 'CONTROLLER', 'PATH', 'SIZE', 'FILE SIZE', 'TYPE', 'PARENT'], ...disks]).map(
        (l) => `  ${l}`,
      ),
    );
  }
  const withDevices = status.vms.filter((v) => v.devices.length > 0);
  if (withDevices.length > 0) {
    lines.push('', 'Assigned devices:');
    for (const vm of withDevices) {
      const mmio = vm.mmio ? ` (MMIO low ${formatSize(vm.mmio.low)}, high ${formatSize(vm.mmio.high)})` : '';
      lines.push(`  ${vm.name}${mmio}: ${vm.devices.join(', ')}`);
    }
  }
  if (status.sharedDisks.length > 0) {
    lines.push('', 'Shared disks:');
    for (const d of status.sharedDisks)
      lines.push(
        `  ${d.name} ${d.path} ${formatSize(d.size)} ${d.format}: ${d.present ? `present, attached to ${d.attachedTo.join(', ') || 'no VM'}` : 'absent'}`,
      );
  }
  if (status.hostClusters.length > 0) {
    lines.push('', 'Host clusters:');
    for (const c of status.hostClusters)
      lines.push(
        `  ${c.name} (${c.nodes.join(', ')}), volume ${c.sharedVolume}: ${c.present ? 'present' : 'not found on its nodes'}`,
      );
  }
  if (status.guestClusters.length > 0) {
    lines.push('', 'Guest clusters:');
    for (const c of status.guestClusters) {
      const extra = [
        c.witness ? `witness ${c.witness}` : '',
        c.sharedVolumes.length > 0 ? `CSV ${c.sharedVolumes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(`  ${c.name} ${c.address} (${c.nodes.join(', ')})${extra ? `: ${extra}` : ''}`);
    }
  }
  if (status.networks.length > 0) {
    lines.push('', 'Networks:');
    const rows = [['NETWORK', 'TYPE', 'HOST', 'SWITCH', 'HOST ADDRESS']];
    for (const n of status.networks)
      for (const h of n.hosts)
        rows.push([n.name, n.type, h.host, h.present ? 'present' : 'absent', h.hostAddress ?? '-']);
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  if (status.nats.length > 0) {
    lines.push('', 'NAT:');
    for (const n of status.nats)
      lines.push(`  ${n.name} on ${n.host}: ${n.present ? n.internalPrefix : 'absent'}`);
  }
  if (status.portMappings.length > 0) {
    lines.push('', 'Port mappings:');
    for (const m of status.portMappings)
      lines.push(
        `  ${m.address} -> ${m.target} ${m.internalAddress}:${m.internalPort} (${m.present ? 'present' : 'absent'})`,
      );
  }
  return `${lines.join('\n')}\n`;
}
