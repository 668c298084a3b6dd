import { createHash } from 'node:crypto';
import type { Lab } from '../../../manifest/lab.js';
import { HOST_FORMAT, type SimHost, type SimVhd } from '../sim-state.js';
import { extensionOf } from '../../../model/windows-path.js';
import { labMediaFiles } from './host-files.js';

const GiB = 1024 ** 3;

/** What a simulated host has before labform touches it. */
export interface HostDefaults {
  totalMemory: number;
  /** Free memory with no VM running. */
  freeMemory: number;
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

export const DEFAULT_HOST: HostDefaults = { totalMemory: 128 * GiB, freeMemory: 64 * GiB };

/** Golden images are 40 GiB dynamic disks. */
const IMAGE_SIZE = 40 * GiB;

export function stableHex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length).toUpperCase();
}

/**
 * A host as it is the first time the simulator sees it: the lab's image files and media, a physical
 * adapter with an address, memory, the devices the lab wants to assign (mounted on the host),
 * and its cluster membership. Nothing else.
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
  return {
    format: HOST_FORMAT,
    host,
    computerName: host.toUpperCase().slice(0, 15),
    seq: 0,
    totalMemory: defaults.totalMemory,
    baseFreeMemory: defaults.freeMemory,
    virtualHardDiskPath: defaults.virtualHardDiskPath ?? HYPERV_DEFAULT_VHD_FOLDER,
    hostAddresses: [
      { interfaceAlias: 'Ethernet', address: ethernet.address, prefixLength: ethernet.prefixLength },
    ],
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
}

/**
 * A host that another lab touched first gets this lab's image files and devices when this lab
 * first sees it, as an administrator would copy them there: several labs can share a state
 * directory (and the examples do). Once adopted, what the lab does to them (or removes) stays.
 */
export function adoptHostForLab(options: { host: SimHost; fresh: SimHost; lab: string }): void {
  const { host, fresh, lab } = options;
  const labs = host.labs ?? [];
  if (labs.includes(lab)) return;
  for (const vhd of fresh.vhds)
    if (!host.vhds.some((v) => v.path.toLowerCase() === vhd.path.toLowerCase())) host.vhds.push(vhd);
  host.files ??= [];
  for (const file of fresh.files ?? [])
    if (!host.files.some((f) => f.path.toLowerCase() === file.path.toLowerCase())) host.files.push(file);
  for (const device of fresh.devices)
    if (!host.devices.some((d) => d.locationPath === device.locationPath)) host.devices.push(device);
  host.labs = [...labs, lab];
}
