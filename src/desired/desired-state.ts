import { hasCloudInitSeed, type Lab, type NetworkSpec, type VmSpec } from '../manifest/lab.js';
import { natName, ownershipMark } from '../ownership/mark.js';
import type {
  DesiredAdapter,
  DesiredCloudInit,
  DesiredDisk,
  DesiredDvdDrive,
  DesiredGuestCluster,
  DesiredImage,
  DesiredNat,
  DesiredNetwork,
  DesiredPortMapping,
  DesiredResource,
  DesiredRole,
  DesiredVm,
  DesiredVmDisk,
} from './desired-resource.js';
import { labAdapterMacs } from '../roles/adapter-mac.js';
import { prefixLengthOf, canonicalPrefix } from '../model/ipv4.js';
import { natGatewayAddress } from '../model/hyperv-rules.js';
import { normaliseMac } from '../model/mac.js';
import type { DriveSlot } from '../model/dvd-slots.js';
import { driveLayout } from '../model/drive-layout.js';
import { cloudInitSeedPath } from '../model/cloud-init-seed.js';
import { indexLab, type LabIndex } from '../roles/lab-index.js';
import { vmNetworkSettings } from '../roles/network-defaults.js';
import { simpleSettingsOfSpec } from '../model/vm-settings.js';
import {
  diskAddress,
  guestClusterAddress,
  imageAddress,
  natAddress,
  networkAddress,
  portMappingAddress,
  roleAddress,
  vmAddress,
} from '../model/address.js';

export function networkHostAddress(
  network: NetworkSpec,
): { address: string; prefixLength: number } | undefined {
  if (network.type === 'nat' && network.prefix) {
    return {
      address: natGatewayAddress({ prefix: network.prefix, gateway: network.gateway }),
      prefixLength: prefixLengthOf(network.prefix),
    };
  }
  if (network.type === 'internal' && network.hostAddress) {
    return {
      address: network.hostAddress,
      prefixLength: network.prefix ? prefixLengthOf(network.prefix) : 24,
    };
  }
  return undefined;
}

function networkResources(lab: Lab): DesiredResource[] {
  const out: DesiredResource[] = [];
  lab.networks.forEach((n, i) => {
    const address = networkAddress(n.name);
    const net: DesiredNetwork = {
      address,
      kind: 'network',
      host: n.hosts[0] ?? lab.hosts[0]?.name ?? '',
      dependsOn: [],
      pointer: `/networks/${i}`,
      name: n.name,
      hosts: [...n.hosts],
      switchType: n.type === 'nat' ? 'internal' : n.type,
      notes: ownershipMark(lab.name),
      adapter: n.type === 'external' ? n.adapter : undefined,
      allowManagementOS: n.type === 'external' ? (n.allowManagementOS ?? true) : undefined,
      hostAddress: networkHostAddress(n),
    };
    out.push(net);
    if (n.type !== 'nat' || !n.prefix) return;
    const nat: DesiredNat = {
      address: natAddress(n.name),
      kind: 'nat',
      host: net.host,
      dependsOn: [address],
      pointer: `/networks/${i}`,
      name: natName(lab.name, n.name),
      network: n.name,
      internalPrefix: canonicalPrefix(n.prefix),
    };
    out.push(nat);
    n.portMappings.forEach((m, j) => {
      const mapping: DesiredPortMapping = {
        address: portMappingAddress(n.name, m.protocol, m.externalPort),
        kind: 'portMapping',
        host: net.host,
        dependsOn: [nat.address],
        pointer: `/networks/${i}/portMappings/${j}`,
        nat: nat.name,
        network: n.name,
        protocol: m.protocol,
        externalPort: m.externalPort,
        internalAddress: m.internalAddress,
        internalPort: m.internalPort,
      };
      out.push(mapping);
    });
  });
  return out;
}

/**
 * The host that creates a disk: the host of the VM that uses it. A shared disk on a cluster
 * shared volume is one file every node sees, so any host of its users can create it; the one
 * with the fewest of the lab's VMs does, which keeps the busiest host's queue short (ties: the
 * first user's host, in manifest order). The choice follows the manifest alone, so a plan
 * made again picks the same host.
 */
function diskHost(lab: Lab, disk: string, vmsPerHost: Map<string, number>): string {
  const users = lab.vms.filter((vm) => vm.disks.some((x) => x.kind === 'disk' && x.disk === disk));
  if (users.length === 0) return lab.hosts[0]?.name ?? '';
  let best = users[0]!.host;
  for (const user of users)
    if ((vmsPerHost.get(user.host) ?? 0) < (vmsPerHost.get(best) ?? 0)) best = user.host;
  return best;
}

function diskResources(lab: Lab): DesiredDisk[] {
  const vmsPerHost = new Map<string, number>();
  for (const vm of lab.vms) vmsPerHost.set(vm.host, (vmsPerHost.get(vm.host) ?? 0) + 1);
  return lab.disks.map((d, i) => {
    return {
      address: diskAddress(d.name),
      kind: 'disk',
      host: diskHost(lab, d.name, vmsPerHost),
      dependsOn: [],
      pointer: `/disks/${i}`,
      name: d.name,
      path: d.path,
      size: d.size,
      format: d.format,
      type: d.type,
      shared: d.shared,
    };
  });
}

/** Images built from an ISO (`from`), on the hosts of the VMs that use them; images without `from` are files, not resources. */
export function imageResources(lab: Lab): DesiredImage[] {
  const out: DesiredImage[] = [];
  lab.images.forEach((image, i) => {
    if (!image.from) return;
    const hosts = [...new Set(lab.vms.filter((vm) => vm.image === image.name).map((vm) => vm.host))];
    if (hosts.length === 0) return;
    out.push({
      address: imageAddress(image.name),
      kind: 'image',
      host: hosts[0]!,
      hosts,
      dependsOn: [],
      pointer: `/images/${i}`,
      name: image.name,
      path: image.path,
      generation: image.generation,
      from: { ...image.from, updates: [...image.from.updates] },
    });
  });
  return out;
}

function adapterNames(vm: VmSpec): string[] {
  const seen = new Map<string, number>();
  return vm.network.map((a) => {
    const n = (seen.get(a.network) ?? 0) + 1;
    seen.set(a.network, n);
    return n === 1 ? a.network : `${a.network}-${n}`;
  });
}

/** Each `dvd:` entry at its slot; the rules (dvd-slots) made sure they fit. */
function dvdDrives(vm: VmSpec, slots: DriveSlot[]): DesiredDvdDrive[] {
  return vm.dvd.flatMap((path, i) => (slots[i] ? [{ ...slots[i]!, path }] : []));
}

/** A Linux guest's seed: its disk beside the OS disk, its host name, adapters and login user. */
function cloudInitOf(index: LabIndex, vm: VmSpec, macs: string[], slot: DriveSlot): DesiredCloudInit {
  const user = vm.credential
    ? index.lab.credentials.find((c) => c.name === vm.credential)?.username
    : undefined;
  return {
    disk: {
      path: cloudInitSeedPath(vm.path, vm.name),
      ...slot,
      supportPersistentReservations: false,
    },
    seed: {
      hostname: vm.computerName,
      adapters: vmNetworkSettings({ index, vm, macs }).map((a) => ({
        mac: a.mac,
        dhcp: a.dhcp,
        addresses: a.addresses.map((x) => ({ ...x })),
        ...(a.gateway ? { gateway: a.gateway } : {}),
        dns: [...a.dns],
      })),
      ...(user ? { user } : {}),
    },
  };
}

function vmResource(lab: Lab, vm: VmSpec, macs: string[], labIndex: () => LabIndex): DesiredVm {
  const image = vm.image ? lab.images.find((i) => i.name === vm.image) : undefined;
  // Generation 1 boots only from IDE; data disks go on SCSI either way.
  const osController: 'IDE' | 'SCSI' = vm.generation === 1 ? 'IDE' : 'SCSI';
  const osDisk =
    image && vm.osDiskPath
      ? {
          path: vm.osDiskPath,
          parentPath: image.path,
          controllerType: osController,
          controllerNumber: 0,
          controllerLocation: 0,
          supportPersistentReservations: false,
        }
      : undefined;
  const dependsOn = new Set<string>();
  if (image?.from) dependsOn.add(imageAddress(image.name));
  const sharedSpec = (name: string) => lab.disks.find((x) => x.name === name);
  const seeded = Boolean(osDisk) && hasCloudInitSeed(lab, vm);
  const layout = driveLayout({
    generation: vm.generation,
    hasOsDisk: Boolean(osDisk),
    disks: vm.disks.map((d) => (d.kind === 'new' ? d.path : (sharedSpec(d.disk)?.path ?? d.disk))),
    ...(seeded ? { seed: cloudInitSeedPath(vm.path, vm.name) } : {}),
    dvds: vm.dvd,
    live: vm.liveDrives,
  });
  const dataDisks: DesiredVmDisk[] = vm.disks.map((d, i) => {
    const slot = layout.disks[i]!;
    if (d.kind === 'new') {
      return { path: d.path, ...slot, supportPersistentReservations: false, create: { size: d.size } };
    }
    const spec = sharedSpec(d.disk);
    dependsOn.add(diskAddress(d.disk));
    return {
      path: spec?.path ?? d.disk,
      ...slot,
      supportPersistentReservations: spec?.shared ?? false,
      diskAddress: diskAddress(d.disk),
    };
  });
  const names = adapterNames(vm);
  const cloudInit = seeded && layout.seed ? cloudInitOf(labIndex(), vm, macs, layout.seed) : undefined;
  const adapters: DesiredAdapter[] = vm.network.map((a, i) => {
    dependsOn.add(networkAddress(a.network));
    return {
      name: names[i]!,
      switchName: a.network,
      mac: a.mac ? normaliseMac(a.mac) : macs[i] ? normaliseMac(macs[i]!) : undefined,
      macAddressSpoofing: a.macAddressSpoofing,
      vlan: a.vlan ?? null,
    };
  });
  return {
    address: vmAddress(vm.name),
    kind: 'vm',
    host: vm.host,
    dependsOn: [...dependsOn],
    pointer: vm.pointer,
    name: vm.name,
    cluster: vm.cluster,
    os: vm.os,
    computerName: vm.computerName,
    credential: vm.credential,
    image: image ? { name: image.name, path: image.path, os: image.os } : undefined,
    generation: vm.generation,
    path: vm.path,
    processors: vm.processors,
    memory: vm.memory.dynamic
      ? { startup: vm.memory.startup, dynamic: true, minimum: vm.memory.minimum, maximum: vm.memory.maximum }
      : { startup: vm.memory.startup, dynamic: false },
    firmware:
      vm.generation === 2
        ? {
            secureBoot: vm.firmware.secureBoot,
            secureBootTemplate: vm.firmware.secureBoot
              ? (vm.firmware.secureBootTemplate ?? 'MicrosoftWindows')
              : null,
          }
        : null,
    tpm: vm.tpm,
    nestedVirtualization: vm.nestedVirtualization,
    mmio: vm.mmio ? { low: vm.mmio.low, high: vm.mmio.high } : undefined,
    ...simpleSettingsOfSpec(vm),
    notes: ownershipMark(lab.name),
    osDisk,
    dataDisks,
    adapters,
    ...(cloudInit ? { cloudInit } : {}),
    dvdDrives: dvdDrives(vm, layout.dvds),
    assignedDevices: vm.assignDevices.map((d) => d.locationPath),
    clustered: Boolean(vm.cluster),
  };
}

function roleResources(vm: VmSpec): DesiredRole[] {
  const counts = new Map<string, number>();
  return vm.roles.map((r, i) => {
    const n = (counts.get(r.kind) ?? 0) + 1;
    counts.set(r.kind, n);
    return {
      address: roleAddress(vm.name, r.kind, n),
      kind: 'role',
      host: vm.host,
      dependsOn: [vmAddress(vm.name)],
      pointer: `${vm.pointer}/roles/${i}`,
      vm: vm.name,
      role: r.kind,
    };
  });
}

/** The lab as desired resources, in a stable order (networks, disks, images, VMs, roles, guest clusters). */
export function desiredState(options: { lab: Lab }): DesiredResource[] {
  const { lab } = options;
  const out: DesiredResource[] = [...networkResources(lab), ...diskResources(lab), ...imageResources(lab)];
  // Static MACs known before the VM exists: the guest's network tasks find adapters by them.
  const macs = labAdapterMacs(lab);
  // Built once, and only for a lab with a cloud-init guest (its DNS defaults need it).
  let index: LabIndex | undefined;
  const labIndex = (): LabIndex => (index ??= indexLab(lab));
  for (const vm of lab.vms) out.push(vmResource(lab, vm, macs.get(vm.name) ?? [], labIndex));
  for (const vm of lab.vms) out.push(...roleResources(vm));
  lab.guestClusters.forEach((c, i) => {
    const first = lab.vms.find((v) => v.name === c.nodes[0]);
    const gc: DesiredGuestCluster = {
      address: guestClusterAddress(c.name),
      kind: 'guestCluster',
      host: first?.host ?? lab.hosts[0]?.name ?? '',
      dependsOn: c.nodes.map((n) => vmAddress(n)),
      pointer: `/guestClusters/${i}`,
      name: c.name,
      nodes: [...c.nodes],
    };
    out.push(gc);
  });
  return out;
}
