/**
 * Plan-time checks of what a host must already have for apply to succeed, from what discovery
 * reads: the physical adapter of an external switch (New-VMSwitch -NetAdapterName refuses a name
 * the host lacks, or one bound to another switch), the devices to assign (Add-VMAssignableDevice
 * needs the device on the host and not another VM's), and host cluster membership for clustered
 * VMs (Add-ClusterVirtualMachineRole runs on a node of that cluster). What the same plan removes
 * (the lab's switches no network names any more, the lab's VMs it deletes) is not held against
 * the manifest.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Lab } from '../manifest/lab.js';
import type { HostState, LiveSwitch } from '../model/live-state.js';
import { ownerOf } from '../ownership/mark.js';
import { didYouMean } from '../manifest/suggest.js';
import { isUnder, samePath } from '../model/windows-path.js';
import { isCsvPath } from '../model/hyperv-rules.js';

/** A diagnostic at the first of `pointers` the manifest has a position for. */
export function labDiagnostic(
  lab: Lab,
  d: Omit<Diagnostic, 'file' | 'line' | 'column'>,
  pointers: string[],
): Diagnostic {
  const at = pointers.map((p) => lab.positions[p]).find(Boolean);
  return { ...d, file: lab.file, line: at?.line ?? 0, column: at?.column ?? 0 };
}

const lower = (s: string) => s.toLowerCase();

/** The adapter names behind a live external switch (a Switch Embedded Teaming switch lists several). */
function boundAdapters(sw: LiveSwitch): string[] {
  return (sw.adapter ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
}

/** A switch of this lab that no network of the manifest names on that host: the plan removes (or renames) it. */
function leaving(lab: Lab, host: string, sw: LiveSwitch): boolean {
  return (
    ownerOf(sw.notes) === lab.name &&
    !lab.networks.some((n) => lower(n.name) === lower(sw.name) && n.hosts.includes(host))
  );
}

function externalAdapters(lab: Lab, live: Map<string, HostState>, out: Diagnostic[]): void {
  lab.networks.forEach((n, i) => {
    if (n.type !== 'external' || !n.adapter) return;
    const adapter = n.adapter;
    const pointer = `/networks/${i}/adapter`;
    for (const host of n.hosts) {
      const state = live.get(host);
      if (!state?.physicalAdapters) continue;
      const own = state.switches.find((s) => lower(s.name) === lower(n.name));
      // Already bound to the network's own switch: nothing to create.
      if (own && boundAdapters(own).some((a) => lower(a) === lower(adapter))) continue;
      const names = state.physicalAdapters.map((a) => a.name);
      if (!names.some((a) => lower(a) === lower(adapter))) {
        const list = state.physicalAdapters.map((a) => `${a.name} (${a.interfaceDescription})`).join(', ');
        out.push(
          labDiagnostic(
            lab,
            {
              severity: 'error',
              rule: 'external-adapter-missing',
              message: `adapter "${adapter}" of external network ${n.name} does not exist on host ${host}`,
              pointer,
              hint: `${list ? `host ${host} has: ${list}` : `host ${host} has no physical adapter`}${didYouMean(adapter, names)} (Get-NetAdapter -Physical lists them)`,
            },
            [pointer, `/networks/${i}`],
          ),
        );
        continue;
      }
      const taken = state.switches.find(
        (s) =>
          lower(s.name) !== lower(n.name) &&
          !leaving(lab, host, s) &&
          boundAdapters(s).some((a) => lower(a) === lower(adapter)),
      );
      if (taken)
        out.push(
          labDiagnostic(
            lab,
            {
              severity: 'error',
              rule: 'external-adapter-bound',
              message: `adapter "${adapter}" of external network ${n.name} on host ${host} is already bound to switch ${taken.name}; an adapter serves one external switch`,
              pointer,
              hint: `use switch ${taken.name}'s adapter for another network, choose another adapter, or remove switch ${taken.name}`,
            },
            [pointer, `/networks/${i}`],
          ),
        );
    }
  });
}

function assignableDevices(lab: Lab, live: Map<string, HostState>, out: Diagnostic[]): void {
  lab.vms.forEach((vm) => {
    const state = live.get(vm.host);
    if (!state) return;
    vm.assignDevices.forEach((d, j) => {
      const pointer = `${vm.pointer}/assignDevices/${j}`;
      const found = state.assignableDevices.find((x) => lower(x.locationPath) === lower(d.locationPath));
      if (!found) {
        out.push(
          labDiagnostic(
            lab,
            {
              severity: 'error',
              rule: 'assign-device-missing',
              message: `device ${d.locationPath} of vm ${vm.name} is not on host ${vm.host}`,
              pointer,
              hint: `check the location path on ${vm.host} (Get-PnpDeviceProperty -KeyName DEVPKEY_Device_LocationPaths, or Get-VMHostAssignableDevice for dismounted devices)`,
            },
            [pointer, `${vm.pointer}/assignDevices`, vm.pointer],
          ),
        );
        return;
      }
      const holder = found.assignedTo
        ? state.vms.find((v) => lower(v.name) === lower(found.assignedTo!))
        : undefined;
      if (!found.assignedTo || lower(found.assignedTo) === lower(vm.name)) return;
      // A VM of this lab gives it back when the plan removes it or takes it from it.
      if (holder && ownerOf(holder.notes) === lab.name) return;
      out.push(
        labDiagnostic(
          lab,
          {
            severity: 'error',
            rule: 'assign-device-taken',
            message: `device ${d.locationPath} of vm ${vm.name} is assigned to VM ${found.assignedTo} on host ${vm.host}, which is not this lab's`,
            pointer,
            hint: `remove it from ${found.assignedTo} (Remove-VMAssignableDevice), or choose another device`,
          },
          [pointer, `${vm.pointer}/assignDevices`, vm.pointer],
        ),
      );
    });
  });
}

/**
 * Hosts that must be nodes of a declared cluster: a clustered VM's host (the VM becomes a role of
 * it), and the host of a VM using a disk on a cluster shared volume (the volume exists only on
 * the nodes of its cluster). Validation checks the manifest says so; this checks the host is.
 */
function clusterMembership(lab: Lab, live: Map<string, HostState>, out: Diagnostic[]): void {
  const needs: { host: string; cluster: number; why: string; pointer: string }[] = [];
  for (const vm of lab.vms) {
    const index = lab.clusters.findIndex((c) => c.name === vm.cluster);
    if (index >= 0)
      needs.push({
        host: vm.host,
        cluster: index,
        why: `vm ${vm.name} is to be a role of that cluster`,
        pointer: `/clusters/${index}/name`,
      });
  }
  lab.disks.forEach((disk, i) => {
    if (!isCsvPath(disk.path)) return;
    const index = lab.clusters.findIndex((c) => isUnder(disk.path, c.sharedVolume));
    if (index < 0) return;
    for (const vm of lab.vms)
      if (vm.disks.some((d) => d.kind === 'disk' && d.disk === disk.name))
        needs.push({
          host: vm.host,
          cluster: index,
          why: `vm ${vm.name} uses disk ${disk.name} on its shared volume`,
          pointer: `/disks/${i}/path`,
        });
  });
  const seen = new Set<string>();
  for (const need of needs) {
    const cluster = lab.clusters[need.cluster]!;
    const state = live.get(need.host);
    if (!state || seen.has(`${need.host}|${cluster.name}`)) continue;
    seen.add(`${need.host}|${cluster.name}`);
    const actual = state.cluster;
    const problem =
      !actual || lower(actual.name) !== lower(cluster.name)
        ? `host ${need.host} is not a node of cluster ${cluster.name}${actual ? ` (it is a node of ${actual.name})` : ' (it is in no failover cluster)'}; ${need.why}`
        : !actual.sharedVolumes.some((v) => samePath(v, cluster.sharedVolume))
          ? `cluster ${cluster.name} has no shared volume ${cluster.sharedVolume} (host ${need.host} sees ${actual.sharedVolumes.join(', ') || 'none'}); ${need.why}`
          : undefined;
    if (!problem) continue;
    const onVolume = problem.startsWith('cluster ');
    out.push(
      labDiagnostic(
        lab,
        {
          severity: 'error',
          rule: 'host-cluster-missing',
          message: problem,
          pointer: onVolume ? `/clusters/${need.cluster}/sharedVolume` : need.pointer,
          hint: onVolume
            ? 'name a cluster shared volume the cluster has (Get-ClusterSharedVolume)'
            : `join ${need.host} to ${cluster.name} (Add-ClusterNode), or correct clusters: in the manifest`,
        },
        [onVolume ? `/clusters/${need.cluster}/sharedVolume` : need.pointer, `/clusters/${need.cluster}`],
      ),
    );
  }
}

/** PURE: what apply would be refused for on the hosts, as diagnostics on the manifest's lines. */
export function hostResourceRules(options: { lab: Lab; live: Map<string, HostState> }): Diagnostic[] {
  const out: Diagnostic[] = [];
  externalAdapters(options.lab, options.live, out);
  assignableDevices(options.lab, options.live, out);
  clusterMembership(options.lab, options.live, out);
  return out;
}
