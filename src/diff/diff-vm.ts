import type { DesiredVm } from '../desired/desired-resource.js';
import { samePath } from '../model/windows-path.js';
import type { HostState, LiveVm } from '../model/live-state.js';
import type { PropertyDiff } from '../model/change.js';
import { liveVhdAt } from '../model/live-lookup.js';
import { adapterPath, diskFieldPath, diskSlotPath, dvdSlotPath } from '../model/diff-path.js';
import { SIMPLE_SETTING_KEYS } from '../model/vm-settings.js';
import { desiredSeed, diffCloudInit } from './diff-cloud-init.js';

type Push = (path: string, before: unknown, after: unknown, extra?: Partial<PropertyDiff>) => void;

const diskLocation = diskSlotPath;

function diffDisks(desired: DesiredVm, live: LiveVm, push: Push, host: HostState | undefined): void {
  const wanted = [
    ...(desired.osDisk ? [desired.osDisk] : []),
    ...desired.dataDisks,
    ...(desired.cloudInit ? [desired.cloudInit.disk] : []),
  ];
  const seen = new Set<string>();
  for (const d of wanted) {
    const where = diskLocation(d);
    seen.add(where);
    // A seed is attached once it can be written: with the host account's key known.
    if (d === desired.cloudInit?.disk && !desiredSeed(desired, host)) continue;
    const at = live.disks.find((l) => diskLocation(l) === where);
    if (!at || !samePath(at.path, d.path)) push(where, at?.path ?? null, d.path);
    else if (at.supportPersistentReservations !== d.supportPersistentReservations) {
      push(
        diskFieldPath(d, 'supportPersistentReservations'),
        at.supportPersistentReservations,
        d.supportPersistentReservations,
      );
    }
  }
  for (const l of live.disks) if (!seen.has(diskLocation(l))) push(diskLocation(l), l.path, null);
}

/** A dynamic MAC reads all zeros until the VM first starts (taliesins/terraform-provider-hyperv, vm_network_adapter.go). */
const UNASSIGNED_MAC = '000000000000';

export interface AdapterPair {
  /** `network[index]`: the desired adapter's index, then the unmatched live adapters after them. */
  index: number;
  want?: DesiredVm['adapters'][number];
  have?: LiveVm['adapters'][number];
}

/**
 * Desired adapters paired with live ones by MAC address, the one identity an adapter keeps
 * (every labform adapter has a static MAC; names repeat in Hyper-V and the order Get-VMNetworkAdapter
 * lists them in is not a promise). Live adapters no desired one claims (New-VM's own "Network
 * Adapter" left by an interrupted create, or one added by hand) follow, to be removed. A desired
 * adapter without a MAC (none today) falls back to the live one at its position with a dynamic MAC.
 */
export function pairAdapters(desired: DesiredVm, live: LiveVm): AdapterPair[] {
  const claimed = new Set<number>();
  const pairs: AdapterPair[] = desired.adapters.map((want, index) => {
    let at = want.mac
      ? live.adapters.findIndex((l, i) => !claimed.has(i) && l.mac.toUpperCase() === want.mac)
      : -1;
    if (
      at < 0 &&
      !want.mac &&
      live.adapters[index] &&
      !live.adapters[index]!.staticMac &&
      !claimed.has(index)
    )
      at = index;
    if (at >= 0) claimed.add(at);
    return { index, want, have: at >= 0 ? live.adapters[at] : undefined };
  });
  let next = desired.adapters.length;
  live.adapters.forEach((have, i) => {
    if (!claimed.has(i)) pairs.push({ index: next++, have });
  });
  return pairs;
}

/** The MAC that identifies a live adapter to the host scripts, when it has one yet. */
export function adapterIdentity(have: LiveVm['adapters'][number]): string | undefined {
  return have.mac && have.mac !== UNASSIGNED_MAC ? have.mac : undefined;
}

/**
 * DVD drives by slot. A missing drive is added, which Hyper-V does only while the VM is off
 * ("DVD drives can only be added or removed if the virtual machine is offline", Msvm_DVDDrive,
 * learn.microsoft.com/windows/win32/hyperv_v2/msvm-dvddrive); another ISO in an existing drive
 * is a media change the VM takes while running. A drive labform does not want is emptied
 * (after: null); an empty drive nobody asked for is left alone (New-VM gives generation 1 VMs one).
 */
function diffDvdDrives(desired: DesiredVm, live: LiveVm, push: Push): void {
  const wanted = new Set<string>();
  for (const d of desired.dvdDrives) {
    const where = dvdSlotPath(d);
    wanted.add(where);
    const at = live.dvdDrives.find((l) => dvdSlotPath(l) === where);
    if (!at) push(where, null, d.path, { requiresStop: true });
    else if (!samePath(at.path, d.path)) push(where, at.path, d.path);
  }
  for (const l of live.dvdDrives)
    if (!wanted.has(dvdSlotPath(l)) && l.path !== null) push(dvdSlotPath(l), l.path, null);
}

function diffAdapters(
  desired: DesiredVm,
  live: LiveVm,
  push: Push,
  renames: Map<string, string> | undefined,
): void {
  for (const { index, want: d, have: l } of pairAdapters(desired, live)) {
    const base = adapterPath(index);
    if (!d || !l) {
      // An adapter to remove that is on no switch (New-VM's own) still shows what goes.
      // Adapters are hot-added and removed on generation 2 VMs only (Windows Server 2016+):
      // https://learn.microsoft.com/windows-server/virtualization/hyper-v/what-s-new-in-hyper-v-on-windows#hot-add-and-remove-for-network-adapters-and-memory
      push(
        base,
        l ? (l.switchName ?? `${l.name} (not connected)`) : null,
        d?.switchName ?? null,
        live.generation === 1 ? { requiresStop: true } : {},
      );
      continue;
    }
    // A switch the plan renames keeps its adapters connected: they are on the new name after it.
    const switchName = (l.switchName && renames?.get(l.switchName.toLowerCase())) ?? l.switchName;
    if (switchName !== d.switchName) push(`${base}.switchName`, l.switchName, d.switchName);
    if (d.mac && l.mac.toUpperCase() !== d.mac) push(`${base}.mac`, l.mac, d.mac);
    if (l.macAddressSpoofing !== d.macAddressSpoofing)
      push(`${base}.macAddressSpoofing`, l.macAddressSpoofing, d.macAddressSpoofing);
    if ((l.vlan ?? null) !== d.vlan) push(`${base}.vlan`, l.vlan ?? null, d.vlan);
  }
}

/** The OS disk's parent as the host reports it, or null when the VM's OS disk is not there. */
export function liveImagePath(desired: DesiredVm, host: HostState | undefined): string | null {
  if (!desired.osDisk) return null;
  const vhd = liveVhdAt(host, desired.osDisk.path);
  return vhd?.parentPath ?? null;
}

/** Property differences of an existing VM; `requiresStop` marks what Hyper-V changes only while off. */
export function diffVm(options: {
  desired: DesiredVm;
  live: LiveVm;
  host: HostState | undefined;
  requiresStop: (path: string) => boolean;
  /** Switches the plan renames on the VM's host: old name (lower case) -> new name. */
  switchRenames?: Map<string, string>;
}): PropertyDiff[] {
  const { desired, live } = options;
  const out: PropertyDiff[] = [];
  const push: Push = (path, before, after, extra = {}) => {
    const entry: PropertyDiff = { path, before, after, ...extra };
    if (!entry.forcesReplace && options.requiresStop(path)) entry.requiresStop = true;
    out.push(entry);
  };
  const cmp = (path: string, before: unknown, after: unknown) => {
    if (before !== after) push(path, before, after);
  };
  if (live.generation !== desired.generation)
    push('generation', live.generation, desired.generation, { forcesReplace: true });
  if (desired.image) {
    const parent = liveImagePath(desired, options.host);
    if (!samePath(parent, desired.image.path))
      push('image', parent, desired.image.path, { forcesReplace: true });
  }
  cmp('processors', live.processors, desired.processors);
  cmp('memory.dynamic', live.memory.dynamic, desired.memory.dynamic);
  cmp('memory.startup', live.memory.startup, desired.memory.startup);
  if (desired.memory.dynamic) {
    if (desired.memory.minimum !== undefined)
      cmp('memory.minimum', live.memory.minimum, desired.memory.minimum);
    if (desired.memory.maximum !== undefined)
      cmp('memory.maximum', live.memory.maximum, desired.memory.maximum);
  }
  if (desired.firmware && live.firmware) {
    cmp('firmware.secureBoot', live.firmware.secureBoot, desired.firmware.secureBoot);
    if (desired.firmware.secureBoot)
      cmp(
        'firmware.secureBootTemplate',
        live.firmware.secureBootTemplate,
        desired.firmware.secureBootTemplate,
      );
  }
  cmp('tpm', live.tpm, desired.tpm);
  cmp('nestedVirtualization', live.nestedVirtualization, desired.nestedVirtualization);
  if (desired.mmio) {
    cmp('mmio.low', live.mmio.low, desired.mmio.low);
    cmp('mmio.high', live.mmio.high, desired.mmio.high);
  }
  for (const key of SIMPLE_SETTING_KEYS) cmp(key, live[key], desired[key]);
  diffDisks(desired, live, push, options.host);
  diffDvdDrives(desired, live, push);
  out.push(...diffCloudInit(desired, options.host));
  diffAdapters(desired, live, push, options.switchRenames);
  const liveDevices = [...live.assignedDevices].map((d) => d.toUpperCase()).sort();
  const wantDevices = [...desired.assignedDevices].map((d) => d.toUpperCase()).sort();
  if (liveDevices.join('|') !== wantDevices.join('|'))
    push('assignDevices', live.assignedDevices, desired.assignedDevices);
  cmp('clustered', live.clustered, desired.clustered);
  // Drift: a VM stopped behind labform's back is started again.
  if (live.state !== 'Running' && live.state !== 'Starting')
    out.push({ path: 'state', before: live.state, after: 'Running' });
  return out;
}
