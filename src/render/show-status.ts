import type { Lab } from '../manifest/lab.js';
import type { HostState, LiveVm } from '../model/live-state.js';
import { pathKey } from '../model/windows-path.js';
import { natName, ownerOf } from '../ownership/mark.js';
import type { RoleState } from '../diff/diff-roles.js';
import { liveVmNamed } from '../model/live-lookup.js';
import { portMappingAddress } from '../model/address.js';

export interface VmDiskStatus {
  controller: string;
  path: string;
  /** Virtual size in bytes, when discovery saw the file. */
  size: number | null;
  /** Bytes of the file on disk, when the host reports it (real Hyper-V; not the simulator). */
  fileSize: number | null;
  type: string | null;
  parentPath: string | null;
  /** Shared VHDX / VHD Set with persistent reservations. */
  shared: boolean;
}

export interface VmStatus {
  name: string;
  host: string;
  os: string;
  generation: number;
  /** Live values when the VM exists, else the manifest's. */
  processors: number;
  memory: { startup: number; dynamic: boolean; minimum: number | null; maximum: number | null };
  disks: VmDiskStatus[];
  /** Location paths of assigned devices (DDA). */
  devices: string[];
  /** Bytes of low and high MMIO space, when the VM exists. */
  mmio: { low: number; high: number } | null;
  /** Registered as a clustered role. */
  clustered: boolean;
  /** False when the VM does not exist on its host. */
  present: boolean;
  /** True when the VM exists but is not marked for this lab. */
  foreign: boolean;
  state: string;
  heartbeat: string;
  uptimeSeconds: number;
  addresses: string[];
  checkpoints: string[];
  roles: { address: string; state: RoleState }[];
}

export interface LabStatus {
  lab: string;
  vms: VmStatus[];
  networks: {
    name: string;
    type: string;
    hosts: { host: string; present: boolean; hostAddress: string | null }[];
  }[];
  nats: { network: string; name: string; host: string; present: boolean; internalPrefix: string | null }[];
  portMappings: {
    address: string;
    host: string;
    present: boolean;
    target: string;
    internalAddress: string;
    internalPort: number;
  }[];
  sharedDisks: {
    name: string;
    path: string;
    format: string;
    size: number;
    present: boolean;
    attachedTo: string[];
  }[];
  hostClusters: { name: string; nodes: string[]; sharedVolume: string; present: boolean }[];
  guestClusters: {
    name: string;
    nodes: string[];
    address: string;
    sharedVolumes: string[];
    witness: string | null;
  }[];
}

/** PURE: the lab's live state as `show` presents it. */
export function labStatus(options: {
  lab: Lab;
  live: Map<string, HostState>;
  roleState: Map<string, RoleState>;
  roleAddresses: Map<string, string[]>;
}): LabStatus {
  const { lab, live } = options;
  const vms: VmStatus[] = lab.vms.map((spec) => {
    // A cluster VM may run on any node: its pinned host first, then every other host.
    const hosts = [spec.host, ...[...live.keys()].filter((h) => h !== spec.host)];
    let host = spec.host;
    let vm: LiveVm | undefined;
    for (const h of hosts) {
      const found = liveVmNamed(live.get(h), spec.name);
      vm = found && (h === spec.host || ownerOf(found.notes) === lab.name) ? found : undefined;
      if (vm) {
        host = h;
        break;
      }
    }
    const vhds = live.get(host)?.vhds ?? [];
    const roles = (options.roleAddresses.get(spec.name) ?? []).map((address) => ({
      address,
      state: options.roleState.get(address) ?? 'unknown',
    }));
    return {
      name: spec.name,
      host,
      os: spec.os,
      generation: vm?.generation ?? spec.generation,
      processors: vm?.processors ?? spec.processors,
      memory: vm
        ? {
            startup: vm.memory.startup,
            dynamic: vm.memory.dynamic,
            minimum: vm.memory.dynamic ? vm.memory.minimum : null,
            maximum: vm.memory.dynamic ? vm.memory.maximum : null,
          }
        : {
            startup: spec.memory.startup,
            dynamic: spec.memory.dynamic,
            minimum: spec.memory.minimum ?? null,
            maximum: spec.memory.maximum ?? null,
          },
      disks: (vm?.disks ?? []).map((d) => {
        const vhd = vhds.find((v) => pathKey(v.path) === pathKey(d.path));
        return {
          controller: `${d.controllerType} ${d.controllerNumber}:${d.controllerLocation}`,
          path: d.path,
          size: vhd?.size ?? null,
          fileSize: vhd?.fileSize ?? null,
          type: vhd?.type ?? null,
          parentPath: vhd?.parentPath ?? null,
          shared: d.supportPersistentReservations,
        };
      }),
      devices: vm?.assignedDevices ?? [],
      mmio: vm ? { ...vm.mmio } : null,
      clustered: vm?.clustered ?? false,
      present: Boolean(vm),
      foreign: Boolean(vm) && ownerOf(vm!.notes) !== lab.name,
      state: vm?.state ?? 'absent',
      heartbeat: vm?.heartbeat ?? '-',
      uptimeSeconds: vm?.uptimeSeconds ?? 0,
      addresses: vm ? vm.adapters.flatMap((a) => a.addresses) : [],
      checkpoints: vm?.checkpoints ?? [],
      roles,
    };
  });
  const networks = lab.networks.map((n) => ({
    name: n.name,
    type: n.type,
    hosts: n.hosts.map((host) => {
      const state = live.get(host);
      const present = Boolean(state?.switches.some((s) => s.name.toLowerCase() === n.name.toLowerCase()));
      const alias = `vEthernet (${n.name})`.toLowerCase();
      const addr = state?.hostAddresses.find((a) => a.interfaceAlias.toLowerCase() === alias);
      return { host, present, hostAddress: addr ? `${addr.address}/${addr.prefixLength}` : null };
    }),
  }));
  const nats = lab.networks
    .filter((n) => n.type === 'nat')
    .map((n) => {
      const host = n.hosts[0] ?? '';
      const name = natName(lab.name, n.name);
      const nat = live.get(host)?.nats.find((x) => x.name === name);
      return {
        network: n.name,
        name,
        host,
        present: Boolean(nat),
        internalPrefix: nat?.internalPrefix ?? null,
      };
    });
  const portMappings = lab.networks.flatMap((n) =>
    n.portMappings.map((m) => {
      const host = n.hosts[0] ?? '';
      const present = Boolean(
        live
          .get(host)
          ?.natMappings.some(
            (x) =>
              x.nat === natName(lab.name, n.name) &&
              x.protocol === m.protocol &&
              x.externalPort === m.externalPort,
          ),
      );
      return {
        address: portMappingAddress(n.name, m.protocol, m.externalPort),
        host,
        present,
        target: m.vm,
        internalAddress: m.internalAddress,
        internalPort: m.internalPort,
      };
    }),
  );
  const allVhds = [...live.values()].flatMap((h) => h.vhds);
  const sharedDisks = lab.disks.map((d) => {
    const vhd = allVhds.find((v) => pathKey(v.path) === pathKey(d.path));
    const attachedTo = vms
      .filter((vm) => vm.disks.some((x) => pathKey(x.path) === pathKey(d.path)))
      .map((vm) => vm.name);
    return {
      name: d.name,
      path: d.path,
      format: d.format,
      size: vhd?.size ?? d.size,
      present: Boolean(vhd),
      attachedTo,
    };
  });
  const hostClusters = lab.clusters.map((c) => ({
    name: c.name,
    nodes: [...c.nodes],
    sharedVolume: c.sharedVolume,
    present: c.nodes.some((n) => live.get(n)?.cluster?.name.toLowerCase() === c.name.toLowerCase()),
  }));
  const guestClusters = lab.guestClusters.map((c) => ({
    name: c.name,
    nodes: [...c.nodes],
    address: c.address,
    sharedVolumes: [...c.sharedVolumes],
    witness: c.witness ? ('disk' in c.witness ? `disk ${c.witness.disk}` : `share ${c.witness.share}`) : null,
  }));
  return { lab: lab.name, vms, networks, nats, portMappings, sharedDisks, hostClusters, guestClusters };
}
