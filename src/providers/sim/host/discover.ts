import type { DiscoveryScope, HostState, LiveVhd, LiveVm } from '../../../model/live-state.js';
import type { SimHost, SimVm } from '../sim-state.js';
import type { TimingProfile } from '../time/timing-profile.js';
import type { World } from '../world.js';
import { heartbeatAt } from '../time/power-model.js';
import { reportedAddresses } from '../guest/guest-model.js';
import { pathKey } from '../../../model/windows-path.js';
import { isSharedStoragePath } from '../../../model/hyperv-rules.js';
import { findHostFile, hostPathExists } from './host-files.js';
import { discoverImages } from './image-ops.js';
import { DEFAULT_HOST } from './fresh-host.js';
import { hostSshPublicKey } from './host-ssh-key.js';
import { HYPERV_DEFAULT_VHD_FOLDER, physicalAdaptersOf } from './fresh-host.js';
import { withHostFolder } from '../../../manifest/default-storage.js';
import { pickSimpleSettings } from '../../../model/vm-settings.js';

/** Free memory: the host's base minus the startup memory of its running (or saved-in-memory) VMs. */
export function freeMemory(host: SimHost): number {
  const used = host.vms
    .filter((vm) => vm.power.state === 'Running')
    .reduce((sum, vm) => sum + vm.memory.startup, 0);
  return Math.max(0, host.baseFreeMemory - used);
}

function liveVm(world: World, host: SimHost, vm: SimVm, timing: TimingProfile): LiveVm {
  const t = world.now;
  const heartbeat = heartbeatAt(vm, t, timing);
  return {
    name: vm.name,
    id: vm.id,
    state: vm.power.state,
    notes: vm.notes,
    generation: vm.generation,
    path: vm.path,
    processors: vm.processors,
    memory: { ...vm.memory },
    firmware:
      vm.generation === 2
        ? { secureBoot: vm.firmware.secureBoot, secureBootTemplate: vm.firmware.secureBootTemplate }
        : null,
    tpm: vm.tpm,
    nestedVirtualization: vm.nestedVirtualization,
    mmio: { ...vm.mmio },
    ...pickSimpleSettings(vm),
    checkpoints: vm.checkpoints.map((c) => c.name),
    heartbeat,
    uptimeSeconds: vm.power.state === 'Running' ? Math.floor((t - vm.power.since) / 1000) : 0,
    disks: vm.disks.map((d) => ({ ...d })),
    dvdDrives: (vm.dvdDrives ?? []).map((d) => ({ ...d })),
    adapters: vm.adapters.map((a) => ({
      name: a.name,
      switchName: a.switchName,
      mac: a.mac,
      staticMac: a.staticMac,
      macAddressSpoofing: a.macAddressSpoofing,
      vlan: a.vlan,
      addresses: reportedAddresses({
        host,
        vm,
        mac: a.mac,
        switchName: a.switchName,
        kvpUp: heartbeat === 'OK',
      }),
    })),
    assignedDevices: [...vm.assignedDevices],
    clustered: vm.clustered,
  };
}

/**
 * The whole HostState of `host`. VMs are listed on the node they run on (as Get-VM does, and as
 * the Hyper-V provider reads them); calls addressed to any other node of the cluster still find
 * a clustered VM (World.findVm), as cluster-aware cmdlets do.
 */
export function discoverHost(options: {
  world: World;
  host: string;
  scope: DiscoveryScope;
  timing: TimingProfile;
}): HostState {
  const { world, scope, timing } = options;
  const host = world.host(options.host);
  const vms = host.vms.map((vm) => liveVm(world, host, vm, timing));
  const visible = world.vhdsOn(host.host);
  const vhdFolder = host.virtualHardDiskPath ?? HYPERV_DEFAULT_VHD_FOLDER;
  // Sets, not searches: a host with a thousand VMs has a thousand folders and disks in scope.
  // A lab without storagePath asks for %VirtualHardDiskPath%\<lab>, as the Hyper-V provider's script resolves it.
  const folders = new Set(scope.paths.map((p) => pathKey(withHostFolder(p, vhdFolder))));
  const files = new Set(scope.files.map(pathKey));
  const inFolder = (path: string): boolean => {
    for (let p = pathKey(path); p.length > 0; p = p.slice(0, Math.max(0, p.lastIndexOf('\\'))))
      if (folders.has(p)) return true;
    return false;
  };
  // Attached: some VM that sees the file has it (World.vmsUsing's rule, as one set per host).
  const diskPaths = (list: { vm: SimVm }[]) =>
    new Set(list.flatMap(({ vm }) => vm.disks.map((d) => pathKey(d.path))));
  const localDisks = diskPaths(host.vms.map((vm) => ({ vm })));
  let everyDisk: Set<string> | undefined;
  const attached = (path: string): boolean =>
    (isSharedStoragePath(path) ? (everyDisk ??= diskPaths(world.allVms())) : localDisks).has(pathKey(path));
  const wanted = visible.filter((v) => inFolder(v.path) || files.has(pathKey(v.path)));
  const vhds: LiveVhd[] = wanted.map((v) => ({
    path: v.path,
    format: v.format,
    type: v.type,
    parentPath: v.parentPath,
    size: v.size,
    attached: attached(v.path),
  }));
  const visiblePaths = new Set(visible.map((v) => pathKey(v.path)));
  return {
    host: host.host,
    computerName: host.computerName,
    vms,
    switches: host.switches.map((s) => ({ ...s })),
    nats: host.nats.map((n) => ({ ...n })),
    natMappings: host.natMappings.map((m) => ({ ...m })),
    hostAddresses: host.hostAddresses.map((a) => ({ ...a })),
    physicalAdapters: physicalAdaptersOf(host).map((a) => ({ ...a })),
    vhds,
    files: scope.files.map((f) => ({
      path: f,
      exists: visiblePaths.has(pathKey(f)) || findHostFile(host, f) !== undefined,
    })),
    ...(scope.sources
      ? { sources: scope.sources.map((p) => ({ path: p, exists: hostPathExists(host, p) })) }
      : {}),
    assignableDevices: host.devices.map((d) => ({ ...d })),
    freeMemory: freeMemory(host),
    totalMemory: host.totalMemory,
    logicalProcessors: host.logicalProcessors ?? DEFAULT_HOST.logicalProcessors,
    virtualHardDiskPath: vhdFolder,
    ...(scope.images?.length ? { images: discoverImages({ world, host, scope, listed: vhds }) } : {}),
    ...(scope.seeds?.length
      ? {
          sshPublicKey: hostSshPublicKey(host),
          cloudInitSeeds: scope.seeds.map((p) => {
            const path = withHostFolder(p, vhdFolder);
            const record = world.findVhd(host.host, path)?.cloudInit;
            return {
              path,
              instanceId: record?.instanceId ?? null,
              ...(record?.summary ? { summary: record.summary } : {}),
            };
          }),
        }
      : {}),
    cluster: host.cluster
      ? {
          name: host.cluster.name,
          nodes: [...host.cluster.nodes],
          sharedVolumes: [...host.cluster.sharedVolumes],
        }
      : null,
  };
}
