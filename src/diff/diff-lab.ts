import type { Lab } from '../manifest/lab.js';
import type { Conflict, PropertyDiff } from '../model/change.js';
import type {
  DesiredDisk,
  DesiredNat,
  DesiredNetwork,
  DesiredPortMapping,
  DesiredResource,
  DesiredVm,
} from '../desired/desired-resource.js';
import type { HostState, LiveVhd, LiveVm } from '../model/live-state.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { diskSizeChange } from './disk-size.js';
import { ownerOf, parseNatName } from '../ownership/mark.js';
import { orphans } from './orphans.js';
import { make, type Ctx } from './diff-context.js';
import { canonicalPrefix } from '../model/ipv4.js';
import { diffVm } from './diff-vm.js';
import { diffImage } from './diff-image.js';
import { createAttributes } from './create-attributes.js';
import type { PlannedChange } from './planned-change.js';
import { CLOUD_INIT_DIFF_PATH, CLOUD_INIT_PREFIX } from '../model/diff-path.js';
import { liveSeedInstanceId } from './diff-cloud-init.js';
import { liveVhdAt, liveVmNamed } from '../model/live-lookup.js';
import { samePath } from '../model/windows-path.js';
import { findNetworkRenames, renamesByHost } from './network-renames.js';
import { diskFieldPath } from '../model/diff-path.js';

export interface DiffOptions {
  lab: Lab;
  desired: DesiredResource[];
  live: Map<string, HostState>;
  /** The provider's answer: does Hyper-V change this VM setting only while the VM is off? */
  requiresStop: (path: string) => boolean;
  /** `destroy`: nothing is desired; every owned resource is deleted. */
  mode?: 'apply' | 'destroy';
}

export interface DiffResult {
  changes: PlannedChange[];
  conflicts: Conflict[];
  /** Plan-time refusals (disk-shrink). */
  diagnostics: Diagnostic[];
}

function notOurs(notes: string, lab: string, what: string, host: string): string | undefined {
  const owner = ownerOf(notes);
  if (owner === lab) return undefined;
  return owner
    ? `${what} on ${host} belongs to lab ${owner}`
    : `${what} already exists on ${host} and is not managed by labform`;
}

function diffNetwork(d: DesiredNetwork, ctx: Ctx): PlannedChange | undefined {
  const present: string[] = [];
  const missing: string[] = [];
  let live: HostState['switches'][number] | undefined;
  // A renamed network: its switch is there under the old name, on the hosts the rename names.
  const rename = ctx.renames.find((r) => r.network === d);
  for (const host of d.hosts) {
    if (rename) {
      if (rename.hosts.includes(host)) present.push(host);
      else missing.push(host);
      continue;
    }
    const sw = ctx.live.get(host)?.switches.find((s) => s.name.toLowerCase() === d.name.toLowerCase());
    if (!sw) {
      missing.push(host);
      continue;
    }
    const problem = notOurs(sw.notes, ctx.lab.name, `switch ${sw.name}`, host);
    if (problem) {
      ctx.conflicts.push({
        address: d.address,
        host,
        message: problem,
        hint: 'rename the network in the manifest, or remove the switch yourself',
      });
      return undefined;
    }
    present.push(host);
    live ??= sw;
  }
  if (rename) live = rename.from;
  if (!live)
    return {
      change: make(d.address, 'network', 'create', d.host, [], `not found on ${d.hosts.join(', ')}`),
      desired: d,
      missingHosts: missing,
    };
  const diff: PropertyDiff[] = [];
  if (rename) diff.push({ path: 'switchName', before: live.name, after: d.name });
  if (live.type !== d.switchType)
    diff.push({ path: 'type', before: live.type, after: d.switchType, forcesReplace: true });
  if (d.switchType === 'external') {
    if (d.adapter !== undefined && live.adapter !== d.adapter)
      diff.push({ path: 'adapter', before: live.adapter, after: d.adapter, forcesReplace: true });
    if (d.allowManagementOS !== undefined && live.allowManagementOS !== d.allowManagementOS)
      diff.push({ path: 'allowManagementOS', before: live.allowManagementOS, after: d.allowManagementOS });
  }
  if (missing.length > 0) diff.push({ path: 'hosts', before: present, after: d.hosts });
  const hostAddresses: { host: string; address: string }[] = [];
  for (const host of present) {
    // The host's adapter is found under the switch's live name (a rename carries it over).
    const alias = `vEthernet (${live.name})`.toLowerCase();
    // IPv4 only: Windows gives every vEthernet adapter an IPv6 link-local address of its own.
    const on = (ctx.live.get(host)?.hostAddresses ?? []).filter(
      (a) => a.interfaceAlias.toLowerCase() === alias && !a.address.includes(':'),
    );
    hostAddresses.push(...on.map((a) => ({ host, address: a.address })));
    if (host !== d.host || !d.hostAddress) continue;
    const want = `${d.hostAddress.address}/${d.hostAddress.prefixLength}`;
    if (!on.some((a) => `${a.address}/${a.prefixLength}` === want))
      diff.push({
        path: 'hostAddress',
        before: on[0] ? `${on[0].address}/${on[0].prefixLength}` : null,
        after: want,
      });
  }
  const replace = diff.some((x) => x.forcesReplace);
  const action = replace ? 'replace' : diff.length > 0 ? 'update' : 'noop';
  const reason = replace
    ? `${diff
        .filter((x) => x.forcesReplace)
        .map((x) => x.path)
        .join(', ')} forces replacement`
    : rename
      ? `renamed from ${live.name} (Rename-VMSwitch: its VMs stay connected)`
      : undefined;
  return {
    change: make(d.address, 'network', action, d.host, diff, reason),
    desired: d,
    missingHosts: missing,
    live: { kind: 'switch', hosts: present, switch: live, hostAddresses },
  };
}

/** Why a NAT or mapping is created: not there, or made again under a renamed network's new name. */
function notFound(network: string, host: string, ctx: Ctx): string {
  const renamed = ctx.renames.find((r) => r.network.name === network && r.hosts.includes(host));
  return renamed
    ? `network ${renamed.from.name} is renamed to ${network}: made again under the new name`
    : `not found on ${host}`;
}

function diffNat(d: DesiredNat, ctx: Ctx): PlannedChange | undefined {
  const nats = ctx.live.get(d.host)?.nats ?? [];
  // A NAT someone else made under the network's name or for the same prefix: never adopted.
  const clash = nats.find(
    (n) =>
      parseNatName(n.name)?.lab !== ctx.lab.name &&
      (n.name.toLowerCase() === d.network.toLowerCase() ||
        canonicalPrefix(n.internalPrefix) === d.internalPrefix),
  );
  if (clash) {
    const owner = parseNatName(clash.name)?.lab;
    ctx.conflicts.push({
      address: d.address,
      host: d.host,
      message: `NAT ${clash.name} (${clash.internalPrefix}) on ${d.host} ${owner ? `belongs to lab ${owner}` : 'is not managed by labform'}`,
      hint: owner
        ? `destroy lab ${owner} first`
        : 'remove it with Remove-NetNat if it is unused, or choose another prefix',
    });
    return undefined;
  }
  const nat = nats.find((n) => n.name === d.name);
  if (!nat)
    return {
      change: make(d.address, 'nat', 'create', d.host, [], notFound(d.network, d.host, ctx)),
      desired: d,
    };
  const live = { kind: 'nat' as const, host: d.host, nat };
  if (canonicalPrefix(nat.internalPrefix) !== d.internalPrefix) {
    const diff = [
      { path: 'internalPrefix', before: nat.internalPrefix, after: d.internalPrefix, forcesReplace: true },
    ];
    return {
      change: make(d.address, 'nat', 'replace', d.host, diff, 'internalPrefix forces replacement'),
      desired: d,
      live,
    };
  }
  return { change: make(d.address, 'nat', 'noop', d.host, []), desired: d, live };
}

function diffMapping(d: DesiredPortMapping, ctx: Ctx): PlannedChange {
  const m = ctx.live
    .get(d.host)
    ?.natMappings.find(
      (x) => x.nat === d.nat && x.protocol === d.protocol && x.externalPort === d.externalPort,
    );
  if (!m)
    return {
      change: make(d.address, 'portMapping', 'create', d.host, [], notFound(d.network, d.host, ctx)),
      desired: d,
    };
  const diff: PropertyDiff[] = [];
  if (m.internalAddress !== d.internalAddress)
    diff.push({ path: 'internalAddress', before: m.internalAddress, after: d.internalAddress });
  if (m.internalPort !== d.internalPort)
    diff.push({ path: 'internalPort', before: m.internalPort, after: d.internalPort });
  return {
    change: make(d.address, 'portMapping', diff.length ? 'update' : 'noop', d.host, diff),
    desired: d,
    live: { kind: 'mapping', host: d.host, mapping: m },
  };
}

function diffDisk(d: DesiredDisk, ctx: Ctx): PlannedChange {
  const vhd = liveVhdAt(ctx.live.get(d.host), d.path);
  if (!vhd)
    return { change: make(d.address, 'disk', 'create', d.host, [], `not found on ${d.host}`), desired: d };
  const diff: PropertyDiff[] = [];
  if (vhd.format !== d.format)
    diff.push({ path: 'format', before: vhd.format, after: d.format, forcesReplace: true });
  if (vhd.type !== d.type) diff.push({ path: 'type', before: vhd.type, after: d.type, forcesReplace: true });
  const replace = diff.length > 0;
  if (!replace) {
    // A VHD (not VHDX) attached to a running VM grows only while that VM is off.
    const running = (ctx.live.get(d.host)?.vms ?? []).some(
      (v) => v.state === 'Running' && v.disks.some((x) => samePath(x.path, d.path)),
    );
    const pointer = `/disks/${ctx.lab.disks.findIndex((x) => x.name === d.name)}/size`;
    const size = diskSizeChange({
      lab: ctx.lab,
      what: 'disk',
      path: d.path,
      host: d.host,
      live: Number(vhd.size),
      wanted: d.size,
      pointer,
      property: 'size',
      offlineOnly: running && vhd.format === 'vhd',
    });
    if (size && 'grow' in size) diff.push(size.grow);
    if (size && 'shrink' in size) ctx.diagnostics.push(size.shrink);
  }
  const reason = replace
    ? `${diff.map((x) => x.path).join(', ')} forces replacement; the disk's data is lost`
    : diff.length
      ? `grown in place (Resize-VHD)${diff.some((x) => x.requiresStop) ? '; its VMs must be off' : ''}`
      : undefined;
  return {
    change: make(
      d.address,
      'disk',
      replace ? 'replace' : diff.length ? 'update' : 'noop',
      d.host,
      diff,
      reason,
    ),
    desired: d,
    live: { kind: 'vhd', host: d.host, vhd },
  };
}

/** A disk labform made: attached to the lab's own VM, or a differencing child of one of the lab's images. */
function madeByLabform(vhd: LiveVhd, vm: LiveVm | undefined, ctx: Ctx): boolean {
  if (vm && vm.disks.some((x) => samePath(x.path, vhd.path))) return true;
  return vhd.type === 'differencing' && ctx.lab.images.some((i) => samePath(i.path, vhd.parentPath));
}

/** The VM's own data disks the manifest made larger (grown in place) or smaller (refused). */
function dataDiskGrowth(d: DesiredVm, vm: LiveVm, host: HostState | undefined, ctx: Ctx): PropertyDiff[] {
  const out: PropertyDiff[] = [];
  for (const disk of d.dataDisks) {
    if (!disk.create) continue;
    const attached = vm.disks.find(
      (x) =>
        x.controllerType === disk.controllerType &&
        x.controllerNumber === disk.controllerNumber &&
        x.controllerLocation === disk.controllerLocation &&
        samePath(x.path, disk.path),
    );
    const vhd = liveVhdAt(host, disk.path);
    if (!attached || !vhd) continue;
    const running = vm.state === 'Running' || vm.state === 'Starting';
    const size = diskSizeChange({
      lab: ctx.lab,
      what: `data disk of ${d.name}`,
      path: disk.path,
      host: host!.host,
      live: Number(vhd.size),
      wanted: disk.create.size,
      pointer: `${d.pointer}/disks`,
      property: diskFieldPath(disk, 'size'),
      // Resize-VHD: only a VHDX on the SCSI chain grows while its VM runs.
      offlineOnly: running && (disk.controllerType === 'IDE' || vhd.format !== 'vhdx'),
    });
    if (size && 'grow' in size) out.push(size.grow);
    if (size && 'shrink' in size) ctx.diagnostics.push(size.shrink);
  }
  return out;
}

/** What a VM replace costs. */
export const LOST = 'the OS disk is built again from the image (data on it is lost)';

function diffVmResource(d: DesiredVm, ctx: Ctx): PlannedChange | undefined {
  // A clustered VM runs on any node of its cluster (and every node lists it).
  const nodes = d.cluster ? (ctx.lab.clusters.find((c) => c.name === d.cluster)?.nodes ?? []) : [];
  const where =
    [d.host, ...nodes.filter((n) => n !== d.host)].find((h) => liveVmNamed(ctx.live.get(h), d.name)) ??
    d.host;
  const host = ctx.live.get(where);
  const vm = liveVmNamed(host, d.name);
  const osDisk = d.osDisk ? liveVhdAt(host, d.osDisk.path) : undefined;
  const problem = vm ? notOurs(vm.notes, ctx.lab.name, `VM ${vm.name}`, where) : undefined;
  if (problem) {
    ctx.conflicts.push({
      address: d.address,
      host: where,
      message: problem,
      hint: 'rename the VM in the manifest, or remove the existing VM yourself',
    });
    return undefined;
  }
  // A file where the OS disk goes that labform did not make is a conflict, as an unmarked VM is:
  // labform removes (or reuses) only its own files.
  if (osDisk && d.image && !madeByLabform(osDisk, vm, ctx)) {
    ctx.conflicts.push({
      address: d.address,
      host: where,
      message: `disk ${osDisk.path} on ${where} is where VM ${d.name}'s OS disk goes, and labform did not make it`,
      hint: 'move or delete the file yourself (labform never removes a file it did not create), or give the VM another path',
    });
    return undefined;
  }
  if (!vm) {
    const leftover =
      osDisk && d.image && !samePath(osDisk.parentPath, d.image.path)
        ? `; the leftover OS disk ${osDisk.path} is removed and made again`
        : '';
    return {
      change: make(d.address, 'vm', 'create', d.host, [], `not found on ${d.host}${leftover}`),
      desired: d,
      liveOsDisk: osDisk,
    };
  }
  const diff = diffVm({
    desired: d,
    live: vm,
    host,
    requiresStop: ctx.requiresStop,
    switchRenames: ctx.switchRenames.get(where),
  });
  diff.push(...dataDiskGrowth(d, vm, host, ctx));
  const forcing = diff.filter((x) => x.forcesReplace);
  const live = { kind: 'vm' as const, host: where, vm, osDisk };
  if (forcing.length > 0) {
    const reason = forcing
      .map((x) =>
        x.path === 'generation'
          ? `generation ${String(x.before)} -> ${String(x.after)}`
          : `image ${String(x.before ?? '(none)')} -> ${String(x.after)}`,
      )
      .join(', ');
    return {
      change: make(d.address, 'vm', 'replace', d.host, diff, `${reason} forces replacement; ${LOST}`),
      desired: d,
      live,
    };
  }
  const reasons = [
    ...(diff.some((x) => x.path === 'state') ? [`${vm.name} is ${vm.state}; it will be started`] : []),
    ...(diff.some((x) => x.path === CLOUD_INIT_DIFF_PATH)
      ? [
          liveSeedInstanceId(d, host) === null
            ? 'its cloud-init seed is written; a running VM restarts, as cloud-init applies a seed at boot'
            : diff.some((x) => x.path.startsWith(CLOUD_INIT_PREFIX) && x.path !== CLOUD_INIT_DIFF_PATH)
              ? 'its cloud-init seed changes as shown: it is written again and a running VM restarts, as cloud-init applies a seed at boot'
              : 'what its cloud-init seed holds changed (host name, addresses, DNS or the host key): it is written again and a running VM restarts, as cloud-init applies a seed at boot',
        ]
      : []),
  ];
  const reason = reasons.length ? reasons.join('; ') : undefined;
  return {
    change: make(d.address, 'vm', diff.length ? 'update' : 'noop', d.host, diff, reason),
    desired: d,
    live,
  };
}

/** PURE: desired x live -> changes (with what is behind them) and conflicts. */
export function diffLab(options: DiffOptions): DiffResult {
  const desired = options.mode === 'destroy' ? [] : options.desired;
  const renames = findNetworkRenames({ lab: options.lab.name, desired, live: options.live });
  const ctx: Ctx = {
    lab: options.lab,
    live: options.live,
    requiresStop: options.requiresStop,
    conflicts: [],
    diagnostics: [],
    renames,
    switchRenames: renamesByHost(renames),
  };
  const changes: PlannedChange[] = [];
  for (const d of desired) {
    let pc: PlannedChange | undefined;
    if (d.kind === 'network') pc = diffNetwork(d, ctx);
    else if (d.kind === 'nat') pc = diffNat(d, ctx);
    else if (d.kind === 'portMapping') pc = diffMapping(d, ctx);
    else if (d.kind === 'disk') pc = diffDisk(d, ctx);
    else if (d.kind === 'image') pc = diffImage(d, ctx);
    else if (d.kind === 'vm') pc = diffVmResource(d, ctx);
    if (pc) changes.push(pc);
  }
  const removed = orphans(ctx, desired);
  // `destroy` (or `plan --destroy`) removes them because the lab is destroyed, not because the manifest dropped them.
  // What else the removal does (a device going back to its host) stays in the reason.
  if (options.mode === 'destroy')
    for (const pc of removed)
      pc.change.reason =
        (pc.change.reason ?? '').replace(/^removed from the manifest/, 'destroy') || 'destroy';
  changes.push(...removed);
  for (const pc of changes) {
    // A create lists what it makes; a network on several hosts names them all.
    if (pc.change.action === 'create' && pc.desired) {
      const after = createAttributes(pc.desired, ctx.lab);
      if (after) pc.change.after = after;
    }
    const hosts =
      pc.desired?.kind === 'network'
        ? pc.desired.hosts
        : pc.live?.kind === 'switch' && pc.change.action === 'delete'
          ? pc.live.hosts
          : [];
    if (hosts.length > 1) pc.change.hosts = [...hosts];
  }
  return { changes, conflicts: ctx.conflicts, diagnostics: ctx.diagnostics };
}
