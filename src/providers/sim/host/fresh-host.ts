import { createHash } from 'node:crypto';
import type { Lab } from '../../../manifest/lab.js';
import { HOST_FORMAT, type SimHost, type SimVhd } from '../sim-state.js';
import { extensionOf, samePath } from '../../../model/windows-path.js';
import type { LivePhysicalAdapter } from '../../../model/live-state.js';
import { labMediaFiles } from './host-files.js';

const GiB = 1024 ** 3;

/** What a simulated host has before labform touches it. */
export interface HostDefaults {
  totalMemory: number;
  /** Free memory with no VM running. */
  freeMemory: number;
  /** Get-VMHost LogicalProcessorCount. */
  logicalProcessors: number;
  /**
   * The physical adapter `Ethernet`'s address. Default `10.254.0.<10 + index of the host in the
   * lab>`/24: a prefix labs are unlikely to use, so NAT prefixes do not collide by accident.
   */
  ethernet?: { address: string; prefixLength: number };
  /** Get-VMHost VirtualHardDiskPath; default Hyper-V's own. */
  virtualHardDiskPath?: string;
}

/**
 * Hyper-V's default folder for virtual hard disks until `Set-VMHost -VirtualHardDiskPath`
 * changes it (https://learn.microsoft.com/powershell/module/hyper-v/set-vmhost).
 */
export const HYPERV_DEFAULT_VHD_FOLDER = 'C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks';

export const DEFAULT_HOST: HostDefaults = {
  totalMemory: 128 * GiB,
  freeMemory: 64 * GiB,
  logicalProcessors: 16,
};

/** Golden images are 40 GiB dynamic disks. */
const IMAGE_SIZE = 40 * GiB;

export function stableHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length).toUpperCase();
}

/** The physical adapter every simulated host has (the Hyper-V provider's fake host has the same). */
export const SIM_ETHERNET = { name: 'Ethernet', interfaceDescription: 'Microsoft Hyper-V Network Adapter' };

/**
 * The physical adapters a lab names on `host`: `Ethernet`, and the adapter of every external
 * network on it (an administrator running the lab has that hardware), each with a description
 * as Windows numbers a second adapter of the same model.
 */
export function labPhysicalAdapters(lab: Lab, host: string): LivePhysicalAdapter[] {
  const out: LivePhysicalAdapter[] = [{ ...SIM_ETHERNET }];
  for (const n of lab.networks) {
    if (n.type !== 'external' || !n.adapter || !n.hosts.includes(host)) continue;
    if (out.some((a) => a.name.toLowerCase() === n.adapter!.toLowerCase())) continue;
    out.push({
      name: n.adapter,
      interfaceDescription: `${SIM_ETHERNET.interfaceDescription} #${out.length + 1}`,
    });
  }
  return out;
}

/** The physical adapters of a simulated host (hosts saved before adapters were simulated: Ethernet). */
export function physicalAdaptersOf(host: SimHost): LivePhysicalAdapter[] {
  return host.netAdapters ?? [{ ...SIM_ETHERNET }];
}

/**
 * A host as it is the first time the simulator sees it: the lab's image files and media, its
 * physical adapters, one with an address, memory, the devices the lab wants to assign (mounted on
 * the host), and its cluster membership. Nothing else.
 */
export function freshHost(options: { lab: Lab; host: string; defaults: HostDefaults }): SimHost {
  const { lab, host, defaults } = options;
  const index = Math.max(
    0,
    lab.hosts.findIndex((h) => h.name === host),
  );
  const ethernet = defaults.ethernet ?? { address: `10.254.0.${10 + (index % 200)}`, prefixLength: 24 };
  // Images built from an ISO are not there yet: their ISO is (labMediaFiles), and labform builds them.
  const images: SimVhd[] = lab.images
    .filter((image) => !image.from)
    .map((image) => {
      const ext = extensionOf(image.path);
      return {
        path: image.path,
        format: ext === 'vhd' ? 'vhd' : ext === 'vhds' ? 'vhds' : 'vhdx',
        type: 'dynamic',
        parentPath: null,
        size: IMAGE_SIZE,
        image: { os: image.os, generation: image.generation },
      };
    });
  const devicePaths = [
    ...new Set(
      lab.vms.filter((vm) => vm.host === host).flatMap((vm) => vm.assignDevices.map((d) => d.locationPath)),
    ),
  ];
  const cluster = lab.clusters.find((c) => c.nodes.includes(host));
  const fresh: SimHost = {
    format: HOST_FORMAT,
    host,
    computerName: host.toUpperCase().slice(0, 15),
    seq: 0,
    totalMemory: defaults.totalMemory,
    logicalProcessors: defaults.logicalProcessors,
    baseFreeMemory: defaults.freeMemory,
    virtualHardDiskPath: defaults.virtualHardDiskPath ?? HYPERV_DEFAULT_VHD_FOLDER,
    hostAddresses: [
      { interfaceAlias: 'Ethernet', address: ethernet.address, prefixLength: ethernet.prefixLength },
    ],
    netAdapters: labPhysicalAdapters(lab, host),
    switches: [],
    nats: [],
    natMappings: [],
    vhds: images,
    files: labMediaFiles(lab, host),
    devices: devicePaths.map((locationPath) => ({
      locationPath,
      instanceId: `PCI\\VEN_10DE&DEV_1DB4&SUBSYS_121410DE&REV_A1\\${stableHex(`${host}/${locationPath}`, 12)}`,
      dismounted: false,
      assignedTo: null,
    })),
    vms: [],
    cluster: cluster
      ? { name: cluster.name, nodes: [...cluster.nodes], sharedVolumes: [cluster.sharedVolume] }
      : null,
    labs: [lab.name],
  };
  fresh.provided = providedKeys(fresh);
  return fresh;
}

/**
 * The key of each thing a manifest can make the simulator provide on a host: an image file,
 * another file (an ISO), an assignable device, a physical adapter, a cluster and its volumes.
 */
function providedKeys(host: SimHost): string[] {
  return [
    ...host.vhds.map((v) => `vhd:${v.path.toLowerCase()}`),
    ...(host.files ?? []).map((f) => `file:${f.path.toLowerCase()}`),
    ...host.devices.map((d) => `device:${d.locationPath.toUpperCase()}`),
    ...physicalAdaptersOf(host).map((a) => `adapter:${a.name.toLowerCase()}`),
    ...(host.cluster
      ? [
          `cluster:${host.cluster.name.toLowerCase()}`,
          ...host.cluster.sharedVolumes.map(
            (v) => `volume:${host.cluster!.name.toLowerCase()}|${v.toLowerCase()}`,
          ),
        ]
      : []),
  ];
}

/**
 * A stored host gets what the current manifest names and the simulator never put there: image
 * files, media, devices, physical adapters, cluster membership and volumes, as an administrator
 * would copy or install them before running labform. Several labs can share a state directory
 * (the examples do), and a manifest can name more later (an image, an ISO, a device): the host
 * is not frozen at its first touch. Each thing is provided once (`SimHost.provided`), so what a
 * lab does to it, or a test takes away (`seed`), stays.
 */
export function provisionHostForLab(options: { host: SimHost; fresh: SimHost; lab: string }): void {
  const { host, fresh, lab } = options;
  // Hosts saved before `provided` existed: what is there now was provided.
  const provided = new Set(host.provided ?? providedKeys(host));
  const give = (key: string): boolean => {
    if (provided.has(key)) return false;
    provided.add(key);
    return true;
  };
  for (const vhd of fresh.vhds)
    if (give(`vhd:${vhd.path.toLowerCase()}`) && !host.vhds.some((v) => samePath(v.path, vhd.path)))
      host.vhds.push(vhd);
  host.files ??= [];
  for (const file of fresh.files ?? [])
    if (give(`file:${file.path.toLowerCase()}`) && !host.files.some((f) => samePath(f.path, file.path)))
      host.files.push(file);
  for (const device of fresh.devices)
    if (
      give(`device:${device.locationPath.toUpperCase()}`) &&
      !host.devices.some((d) => d.locationPath.toUpperCase() === device.locationPath.toUpperCase())
    )
      host.devices.push(device);
  const adapters = physicalAdaptersOf(host);
  for (const adapter of fresh.netAdapters ?? [])
    if (
      give(`adapter:${adapter.name.toLowerCase()}`) &&
      !adapters.some((a) => a.name.toLowerCase() === adapter.name.toLowerCase())
    )
      adapters.push({
        name: adapter.name,
        interfaceDescription: `${SIM_ETHERNET.interfaceDescription} #${adapters.length + 1}`,
      });
  host.netAdapters = adapters;
  if (fresh.cluster) {
    const name = fresh.cluster.name;
    if (give(`cluster:${name.toLowerCase()}`) && host.cluster === null)
      host.cluster = structuredClone(fresh.cluster);
    if (host.cluster && host.cluster.name.toLowerCase() === name.toLowerCase())
      for (const volume of fresh.cluster.sharedVolumes)
        if (
          give(`volume:${name.toLowerCase()}|${volume.toLowerCase()}`) &&
          !host.cluster.sharedVolumes.some((v) => v.toLowerCase() === volume.toLowerCase())
        )
          host.cluster.sharedVolumes.push(volume);
  }
  host.provided = [...provided];
  if (!(host.labs ?? []).includes(lab)) host.labs = [...(host.labs ?? []), lab];
}
