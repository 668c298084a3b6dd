/**
 * The lab's topology as an inline SVG: hosts (grouped in their host clusters), the switches on
 * each host (NAT with its prefix and port mappings), the VMs with their state, addresses,
 * roles and guest cluster, and the shared disks with a line to every VM that has them.
 * Every drawn resource carries data-kind and data-name so a test can find it in the page.
 */
import type { Lab } from '../../manifest/lab.js';
import type { LabStatus, VmStatus } from '../show-status.js';
import { formatSize } from '../../model/units.js';
import { esc } from './escape.js';
import { counted } from '../../model/plural.js';

const VM_W = 190;
const VM_H = 88;
const GAP = 16;
const PAD = 18;
const HEADER = 40;
const BAR_H = 30;
const BAR_NAT_H = 44;
const HOST_GAP = 48;
const CLUSTER_PAD = 14;

export const NETWORK_COLOURS: Record<string, string> = {
  nat: '#2563eb',
  internal: '#0891b2',
  private: '#7c3aed',
  external: '#16a34a',
};
const STATE_COLOURS: Record<string, string> = {
  Running: '#16a34a',
  Off: '#94a3b8',
  Saved: '#d97706',
  Paused: '#d97706',
  absent: '#e2e8f0',
};

const ROLE_LABELS: Record<string, string> = {
  domainController: 'DC',
  domainMember: 'member',
  hostGuardianService: 'HGS',
  guardedHost: 'guarded host',
  hyperV: 'Hyper-V',
  fileServer: 'file server',
  dhcpServer: 'DHCP',
  iscsiTarget: 'iSCSI target',
  script: 'script',
};

interface Bar {
  network: string;
  y: number;
  h: number;
}

interface HostBox {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  bars: Bar[];
  vms: { vm: VmStatus; x: number; y: number }[];
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Hosts in cluster order (a cluster's nodes side by side), then the rest. */
function hostOrder(lab: Lab, status: LabStatus): string[] {
  const all = [
    ...new Set([
      ...lab.hosts.map((h) => h.name),
      ...status.vms.map((v) => v.host),
      ...lab.networks.flatMap((n) => n.hosts),
    ]),
  ];
  const ordered: string[] = [];
  for (const c of lab.clusters) for (const n of c.nodes) if (!ordered.includes(n)) ordered.push(n);
  for (const h of all) if (!ordered.includes(h)) ordered.push(h);
  return ordered;
}

export function topologySvg(options: { lab: Lab; status: LabStatus }): string {
  const { lab, status } = options;
  const hosts = hostOrder(lab, status);
  const clusterOf = (host: string) => lab.clusters.find((c) => c.nodes.includes(host));
  const top = lab.clusters.length > 0 ? 34 : 10;
  const boxes: HostBox[] = [];
  let x = 10;
  let previousCluster: string | undefined;
  for (const host of hosts) {
    const cluster = clusterOf(host)?.name;
    if (boxes.length > 0 && cluster !== previousCluster) x += CLUSTER_PAD * 2;
    previousCluster = cluster;
    const vms = status.vms.filter((v) => v.host === host);
    const networks = lab.networks.filter((n) => n.hosts.includes(host));
    const cols = Math.max(1, Math.min(3, vms.length));
    const w = Math.max(300, PAD * 2 + cols * VM_W + (cols - 1) * GAP);
    const bars: Bar[] = [];
    let y = top + HEADER;
    for (const n of networks) {
      const h = n.type === 'nat' && n.portMappings.length > 0 ? BAR_NAT_H : BAR_H;
      bars.push({ network: n.name, y, h });
      y += h + 8;
    }
    y += bars.length > 0 ? 26 : 6;
    const placed = vms.map((vm, i) => ({
      vm,
      x: x + PAD + (i % cols) * (VM_W + GAP),
      y: y + Math.floor(i / cols) * (VM_H + GAP),
    }));
    const rows = Math.ceil(vms.length / cols);
    const h = y - top + rows * (VM_H + GAP) + PAD - (rows > 0 ? GAP : 0) + (rows === 0 ? 20 : 0);
    boxes.push({ name: host, x, y: top, w, h, bars, vms: placed });
    x += w + HOST_GAP;
  }
  const hostsBottom = Math.max(top + 80, ...boxes.map((b) => b.y + b.h));
  const vmPos = new Map(boxes.flatMap((b) => b.vms.map((p) => [p.vm.name, p] as const)));

  const disks = status.sharedDisks;
  const diskY = hostsBottom + 70;
  const diskW = 200;
  const width = Math.max(
    x - HOST_GAP + 10 + (lab.clusters.length > 0 ? CLUSTER_PAD : 0),
    disks.length * (diskW + 30) + 20,
  );
  const height = disks.length > 0 ? diskY + 70 : hostsBottom + 16;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="topology" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Topology of lab ${esc(lab.name)}">`,
  );
  parts.push(
    '<defs><filter id="shadow" x="-10%" y="-10%" width="120%" height="130%"><feDropShadow dx="0" dy="1" stdDeviation="1.5" flood-opacity="0.18"/></filter></defs>',
  );

  // Host clusters: a dashed frame around their nodes.
  for (const c of lab.clusters) {
    const nodes = boxes.filter((b) => c.nodes.includes(b.name));
    if (nodes.length === 0) continue;
    const x0 = Math.min(...nodes.map((b) => b.x)) - CLUSTER_PAD;
    const x1 = Math.max(...nodes.map((b) => b.x + b.w)) + CLUSTER_PAD;
    const y1 = Math.max(...nodes.map((b) => b.y + b.h)) + CLUSTER_PAD;
    const present = status.hostClusters.find((h) => h.name === c.name)?.present;
    parts.push(
      `<g data-kind="host-cluster" data-name="${esc(c.name)}"><rect x="${x0}" y="${top - 26}" width="${x1 - x0}" height="${y1 - top + 26}" rx="14" fill="#fefce8" stroke="#ca8a04" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      `<text x="${x0 + 12}" y="${top - 9}" class="label cluster">host cluster ${esc(c.name)} · CSV ${esc(c.sharedVolume)}${present ? '' : ' · not found'}</text></g>`,
    );
  }

  // Lines from shared disks to their VMs, below everything else.
  disks.forEach((d, i) => {
    const dx = 20 + i * (diskW + 30) + diskW / 2;
    for (const vm of d.attachedTo) {
      const p = vmPos.get(vm);
      if (p)
        parts.push(
          `<line class="disk-link" x1="${dx}" y1="${diskY}" x2="${p.x + VM_W / 2}" y2="${p.y + VM_H}" stroke="#a16207" stroke-width="1.2" stroke-opacity="0.45"/>`,
        );
    }
  });

  for (const b of boxes) {
    const spec = lab.hosts.find((h) => h.name === b.name);
    const connect = spec
      ? spec.connect.kind === 'local'
        ? 'local'
        : `${spec.connect.kind} ${spec.connect.host}`
      : '';
    parts.push(`<g data-kind="host" data-name="${esc(b.name)}">`);
    parts.push(
      `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="12" fill="#f8fafc" stroke="#334155" stroke-width="1.5" filter="url(#shadow)"/>`,
    );
    parts.push(
      `<text x="${b.x + 14}" y="${b.y + 25}" class="label host">${esc(b.name)}</text><text x="${b.x + b.w - 14}" y="${b.y + 25}" text-anchor="end" class="label small">${esc(connect)}</text></g>`,
    );
    // Connectors from each VM to the switches it is on.
    for (const { vm, x: vx, y: vy } of b.vms) {
      const spec = lab.vms.find((v) => v.name === vm.name);
      (spec?.network ?? []).forEach((a, i, all) => {
        const bar = b.bars.find((br) => br.network === a.network);
        if (!bar) return;
        const cx = vx + VM_W / 2 + (i - (all.length - 1) / 2) * 14;
        const colour = NETWORK_COLOURS[lab.networks.find((n) => n.name === a.network)?.type ?? 'internal'];
        const firstRow = b.vms[0]!.y;
        if (vy === firstRow) {
          parts.push(
            `<line x1="${cx}" y1="${vy}" x2="${cx}" y2="${bar.y + bar.h}" stroke="${colour}" stroke-width="1.6"/><circle cx="${cx}" cy="${bar.y + bar.h}" r="3" fill="${colour}"/>`,
          );
          return;
        }
        // Lower rows go up through the gaps between the VMs above, not through them.
        const gx = vx - GAP / 2 + (i - (all.length - 1) / 2) * 4;
        const turn = vy - GAP / 2;
        parts.push(
          `<polyline points="${cx},${vy} ${cx},${turn} ${gx},${turn} ${gx},${bar.y + bar.h}" fill="none" stroke="${colour}" stroke-width="1.6"/><circle cx="${gx}" cy="${bar.y + bar.h}" r="3" fill="${colour}"/>`,
        );
      });
    }
    for (const bar of b.bars) {
      const n = lab.networks.find((x) => x.name === bar.network)!;
      const colour = NETWORK_COLOURS[n.type];
      const present = status.networks
        .find((s) => s.name === n.name)
        ?.hosts.find((h) => h.host === b.name)?.present;
      const nat = status.nats.find((s) => s.network === n.name);
      const detail = [
        n.type,
        n.prefix,
        n.type === 'nat' ? `gateway ${n.gateway ?? ''}` : '',
        n.type === 'external' && n.adapter ? `on ${n.adapter}` : '',
        n.vlan ? `VLAN ${n.vlan}` : '',
        present === false ? 'absent' : '',
      ]
        .filter(Boolean)
        .join(' · ');
      parts.push(`<g data-kind="switch" data-name="${esc(n.name)}" data-host="${esc(b.name)}">`);
      parts.push(
        `<rect x="${b.x + 10}" y="${bar.y}" width="${b.w - 20}" height="${bar.h}" rx="6" fill="${colour}" fill-opacity="${present === false ? 0.35 : 0.92}"/>`,
      );
      parts.push(
        `<text x="${b.x + 20}" y="${bar.y + 19}" class="label switch">${esc(n.name)}</text><text x="${b.x + b.w - 20}" y="${bar.y + 19}" text-anchor="end" class="label switch-detail">${esc(cut(detail, Math.floor((b.w - 120) / 6.2)))}</text>`,
      );
      if (n.type === 'nat' && n.portMappings.length > 0) {
        const maps = n.portMappings
          .map((m) => `${m.externalPort}/${m.protocol} → ${m.vm}:${m.internalPort}`)
          .join(' · ');
        parts.push(
          `<text x="${b.x + 20}" y="${bar.y + 36}" class="label mapping" data-kind="nat" data-name="${esc(nat?.name ?? n.name)}">NAT ${esc(cut(maps, Math.floor((b.w - 60) / 5.6)))}</text>`,
        );
      }
      parts.push('</g>');
    }
    for (const { vm, x: vx, y: vy } of b.vms) {
      const spec = lab.vms.find((v) => v.name === vm.name);
      const fill = vm.present ? '#ffffff' : '#f1f5f9';
      const roles = [...new Set((spec?.roles ?? []).map((r) => ROLE_LABELS[r.kind] ?? r.kind))].join(', ');
      const cluster = lab.guestClusters.find((c) => c.nodes.includes(vm.name));
      const address =
        vm.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)) ??
        spec?.network.map((a) => (a.ip.kind === 'static' ? a.ip.address : '')).find(Boolean) ??
        '';
      parts.push(`<g data-kind="vm" data-name="${esc(vm.name)}" data-state="${esc(vm.state)}">`);
      parts.push(
        `<rect x="${vx}" y="${vy}" width="${VM_W}" height="${VM_H}" rx="8" fill="${fill}" stroke="#64748b" ${vm.present ? '' : 'stroke-dasharray="5 3"'} filter="url(#shadow)"/>`,
      );
      parts.push(
        `<circle cx="${vx + 14}" cy="${vy + 17}" r="5" fill="${STATE_COLOURS[vm.state] ?? '#94a3b8'}"><title>${esc(vm.state)}</title></circle>`,
      );
      parts.push(`<text x="${vx + 26}" y="${vy + 22}" class="label vm">${esc(cut(vm.name, 20))}</text>`);
      parts.push(
        `<text x="${vx + VM_W - 10}" y="${vy + 22}" text-anchor="end" class="label small">${esc(spec?.os === 'linux' ? 'Linux' : 'Windows')}</text>`,
      );
      parts.push(
        `<text x="${vx + 12}" y="${vy + 42}" class="label address">${esc(address || 'no address')}</text>`,
      );
      parts.push(
        `<text x="${vx + 12}" y="${vy + 59}" class="label small">${esc(cut(`${vm.processors} vCPU · ${formatSize(vm.memory.startup)}${roles ? ` · ${roles}` : ''}`, 30))}</text>`,
      );
      if (cluster)
        parts.push(
          `<text x="${vx + 12}" y="${vy + 76}" class="label guest-cluster" data-kind="guest-cluster" data-name="${esc(cluster.name)}">guest cluster ${esc(cut(`${cluster.name} ${cluster.address}`, 20))}</text>`,
        );
      else if (vm.devices.length > 0)
        parts.push(
          `<text x="${vx + 12}" y="${vy + 76}" class="label small">${vm.devices.length} assigned device${vm.devices.length > 1 ? 's' : ''}</text>`,
        );
      parts.push('</g>');
    }
  }

  disks.forEach((d, i) => {
    const dx = 20 + i * (diskW + 30);
    parts.push(`<g data-kind="shared-disk" data-name="${esc(d.name)}">`);
    parts.push(
      `<path d="M${dx} ${diskY + 8} a${diskW / 2} 8 0 0 1 ${diskW} 0 v34 a${diskW / 2} 8 0 0 1 -${diskW} 0 z" fill="#fef3c7" stroke="#a16207"/><ellipse cx="${dx + diskW / 2}" cy="${diskY + 8}" rx="${diskW / 2}" ry="8" fill="#fde68a" stroke="#a16207"/>`,
    );
    parts.push(
      `<text x="${dx + diskW / 2}" y="${diskY + 32}" text-anchor="middle" class="label disk">${esc(d.name)} · ${esc(formatSize(d.size))} ${esc(d.format)}</text>`,
    );
    parts.push(
      `<text x="${dx + diskW / 2}" y="${diskY + 47}" text-anchor="middle" class="label small">${esc(d.attachedTo.length > 0 ? `shared by ${counted(d.attachedTo.length, 'VM')}` : d.present ? 'not attached' : 'absent')}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
