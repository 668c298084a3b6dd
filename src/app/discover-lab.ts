import { hasCloudInitSeed, type Lab } from '../manifest/lab.js';
import { cloudInitSeedPath } from '../model/cloud-init-seed.js';
import type { DiscoveryScope, HostState } from '../model/live-state.js';
import type { GuestProbeBatch, Provider } from '../providers/provider.js';
import { pathKey } from '../model/windows-path.js';
import { liveVmNamed } from '../model/live-lookup.js';
import type { DriveSlot } from '../model/dvd-slots.js';
import { resolveDefaultStorage } from '../manifest/default-storage.js';
import { keepAutoAddresses, type LiveAdapterAddresses } from '../manifest/expand/keep-addresses.js';

function unique(paths: string[]): string[] {
  const seen = new Map<string, string>();
  for (const p of paths) if (p && !seen.has(pathKey(p))) seen.set(pathKey(p), p);
  return [...seen.values()];
}

/** What discovery must look at on `host`: the lab's storage paths, image paths and disk paths. */
export function discoveryScope(options: { lab: Lab; host: string }): DiscoveryScope {
  const { lab, host } = options;
  const spec = lab.hosts.find((h) => h.name === host);
  const vms = lab.vms.filter((v) => v.host === host);
  const folders = [
    spec?.storagePath ?? '',
    ...(lab.settings.storagePath ? [lab.settings.storagePath] : []),
    ...vms.map((v) => v.path),
  ];
  // Cluster VMs keep their files on the shared volume, under a folder of the lab.
  for (const c of lab.clusters)
    if (c.nodes.includes(host))
      folders.push(...lab.vms.filter((v) => v.cluster === c.name).map((v) => v.path));
  // ISOs of the host's VMs: the plan checks they are there (dvd-iso-missing).
  const files = [
    ...lab.images.map((i) => i.path),
    ...lab.disks.map((d) => d.path),
    ...vms.flatMap((v) => v.dvd),
  ];
  // Devices still mounted on the host are invisible to Hyper-V's own cmdlets: discovery looks them up by location path.
  const devices = [...new Set(vms.flatMap((v) => v.assignDevices.map((d) => d.locationPath)))];
  // Sources of `files:` copies: the plan checks they are there (files-source-missing).
  const sources = unique(vms.flatMap((v) => v.files.map((f) => f.from)));
  // Images built from an ISO for this host's VMs: their record, the ISO and what depends on them.
  const images = lab.images
    .filter((i) => i.from && vms.some((v) => v.image === i.name))
    .map((i) => ({ path: i.path, iso: i.from!.iso, updates: [...i.from!.updates] }));
  // cloud-init seeds of Linux guests: the instance-id each holds, and the host account's SSH key.
  const seeds = vms.filter((v) => hasCloudInitSeed(lab, v)).map((v) => cloudInitSeedPath(v.path, v.name));
  return {
    paths: unique(folders),
    files: unique(files),
    devices,
    ...(sources.length ? { sources } : {}),
    ...(images.length ? { images } : {}),
    ...(seeds.length ? { seeds } : {}),
  };
}

/** The lab's hosts (declared, or named by a VM or network). */
export function labHosts(lab: Lab): string[] {
  const names = new Set<string>(lab.hosts.map((h) => h.name));
  for (const v of lab.vms) names.add(v.host);
  for (const n of lab.networks) for (const h of n.hosts) names.add(h);
  return [...names];
}

/**
 * Live state of every host of the lab: exactly one discover() per host, all hosts at once.
 * `probes`: guest probes per host, answered inside that host's discovery (still one round trip).
 * A host without storagePath gets its concrete folder (its Hyper-V default virtual hard disk
 * folder, as discovery reported it) filled into the lab: see default-storage.ts.
 */
export async function discoverLab(options: {
  lab: Lab;
  provider: Provider;
  probes?: ReadonlyMap<string, GuestProbeBatch>;
}): Promise<Map<string, HostState>> {
  const hosts = labHosts(options.lab);
  const states = await Promise.all(
    hosts.map((host) =>
      options.provider.discover(host, discoveryScope({ lab: options.lab, host }), options.probes?.get(host)),
    ),
  );
  const live = new Map(hosts.map((h, i) => [h, states[i]!]));
  resolveLabFromLive(options.lab, live);
  return live;
}

/**
 * In place, from what the hosts report: host-default storage folders (default-storage.ts) and
 * stable automatic addresses (keep-addresses.ts). Idempotent.
 */
export function resolveLabFromLive(lab: Lab, live: Map<string, HostState>): void {
  resolveDefaultStorage(lab, (host) => live.get(host)?.virtualHardDiskPath);
  const adapters: LiveAdapterAddresses[] = [];
  for (const host of live.values()) {
    for (const vm of host.vms)
      vm.adapters.forEach((a, index) =>
        adapters.push({ vm: vm.name, index, switchName: a.switchName, addresses: a.addresses }),
      );
  }
  keepAutoAddresses(lab, adapters);
  keepDriveSlots(lab, live);
}

/** Each existing VM's drives as its host reports them, for them to keep their slots (drive-layout.ts). */
function keepDriveSlots(lab: Lab, live: Map<string, HostState>): void {
  for (const vm of lab.vms) {
    // A clustered VM runs on any node of its cluster, as diff-lab finds it.
    const nodes = vm.cluster ? (lab.clusters.find((c) => c.name === vm.cluster)?.nodes ?? []) : [];
    const found = [vm.host, ...nodes]
      .map((h) => liveVmNamed(live.get(h), vm.name))
      .find((v) => v !== undefined);
    if (!found) {
      delete vm.liveDrives;
      continue;
    }
    vm.liveDrives = [
      ...found.disks.map((d) => ({ kind: 'disk' as const, path: d.path, slot: slotOf(d) })),
      ...found.dvdDrives.map((d) => ({ kind: 'dvd' as const, path: d.path, slot: slotOf(d) })),
    ];
  }
}

const slotOf = (d: DriveSlot): DriveSlot => ({
  controllerType: d.controllerType,
  controllerNumber: d.controllerNumber,
  controllerLocation: d.controllerLocation,
});
