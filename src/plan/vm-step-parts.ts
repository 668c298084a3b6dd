import type { DesiredVm, DesiredVmDisk } from '../desired/desired-resource.js';
import type { HostState } from '../model/live-state.js';
import type { VmSettings } from '../model/host-operation.js';
import type { StepGraph } from './step-graph.js';
import { liveVhdAt } from '../model/live-lookup.js';
import { stepTitle, waitStepId } from './step-titles.js';
import { CONFIGURABLE_GROUPS, pickSimpleSettings } from '../model/vm-settings.js';
import { imageReadyKey } from './image-steps.js';

/** Where a VM's guest work may start, and its last step so far. */
export interface VmAnchor {
  /** After the VM is up and reachable (PowerShell Direct / SSH), or its start when it has no image. */
  guestReady?: string;
  /** Every step of the VM so far (for cluster registration and deletes that follow). */
  last: string[];
}

export function settingsOf(d: DesiredVm): Partial<VmSettings> {
  return {
    processors: d.processors,
    memory: { ...d.memory },
    ...(d.firmware
      ? {
          firmware: {
            secureBoot: d.firmware.secureBoot,
            secureBootTemplate: d.firmware.secureBootTemplate ?? undefined,
          },
        }
      : {}),
    tpm: d.tpm,
    nestedVirtualization: d.nestedVirtualization,
    ...(d.mmio ? { mmio: { ...d.mmio } } : {}),
    ...pickSimpleSettings(d),
    notes: d.notes,
  };
}

/** Only the settings whose diff paths changed. */
export function changedSettings(d: DesiredVm, paths: string[]): Partial<VmSettings> {
  const all = settingsOf(d);
  const out: Partial<VmSettings> = {};
  for (const k of CONFIGURABLE_GROUPS)
    if (paths.some((p) => p === k || p.startsWith(`${k}.`)) && all[k] !== undefined)
      (out as Record<string, unknown>)[k] = all[k];
  return out;
}

export function dataDiskExists(live: HostState | undefined, disk: DesiredVmDisk): boolean {
  return Boolean(liveVhdAt(live, disk.path));
}

/** Start, heartbeat, then PowerShell Direct (only a VM with an image can be reached inside). */
export function startAndWait(g: StepGraph, d: DesiredVm, deps: string[]): VmAnchor {
  const start = g.host({
    id: `${d.address}/start`,
    address: d.address,
    host: d.host,
    title: stepTitle.startVm(d.name),
    operation: { op: 'startVm', name: d.name },
    dependsOn: deps,
  });
  // A VM without an image has no guest to answer a heartbeat: it is created and started only.
  if (!d.image) return { guestReady: start, last: [start] };
  const hb = g.wait({
    id: waitStepId(d.address, 'heartbeat', d.os),
    address: d.address,
    host: d.host,
    vm: d.name,
    os: d.os,
    wait: 'heartbeat',
    dependsOn: [start],
  });
  if (!d.credential) return { guestReady: hb, last: [hb] };
  const psd = g.wait({
    id: waitStepId(d.address, 'powershellDirect', d.os),
    address: d.address,
    host: d.host,
    vm: d.name,
    os: d.os,
    wait: 'powershellDirect',
    credential: d.credential,
    dependsOn: [hb],
  });
  return { guestReady: psd, last: [psd] };
}

export function attachStep(
  g: StepGraph,
  d: DesiredVm,
  disk: DesiredVmDisk,
  n: string,
  deps: string[],
): string {
  return g.host({
    id: `${d.address}/attach-${n}`,
    address: d.address,
    host: d.host,
    title: `attach ${disk.path} to ${d.name} (${disk.controllerType} ${disk.controllerNumber}:${disk.controllerLocation})`,
    operation: {
      op: 'attachDisk',
      vm: d.name,
      path: disk.path,
      controllerType: disk.controllerType,
      controllerNumber: disk.controllerNumber,
      controllerLocation: disk.controllerLocation,
      supportPersistentReservations: disk.supportPersistentReservations,
    },
    dependsOn: deps,
  });
}

/** The OS disk as a differencing child of the image, then (Windows) the answer file; returns what attaching waits for. */
export function osDiskSteps(
  g: StepGraph,
  d: DesiredVm,
  o: { removeFirst: boolean; deps: string[]; reuse?: boolean },
): string[] {
  if (!d.osDisk || !d.image) return [];
  const rm = o.removeFirst
    ? [
        g.host({
          id: `${d.address}/remove-os-disk`,
          address: d.address,
          host: d.host,
          title: `remove old OS disk ${d.osDisk.path}`,
          operation: { op: 'removeVhd', path: d.osDisk.path },
          dependsOn: o.deps,
        }),
      ]
    : o.deps;
  // A reused disk (left by an interrupted run, never booted) may lack its answer file: the kill can land between the two steps.
  const disk = o.reuse
    ? undefined
    : g.host({
        id: `${d.address}/create-os-disk`,
        address: d.address,
        host: d.host,
        title: `create OS disk of ${d.name} from ${d.image.name}`,
        operation: {
          op: 'createVhd',
          path: d.osDisk.path,
          size: 0,
          format: 'vhdx',
          type: 'differencing',
          parentPath: d.image.path,
        },
        // An image built from an ISO on this host in the same run comes first.
        dependsOn: [...rm, ...(g.ready.get(imageReadyKey(d.image.name, d.host)) ?? [])],
      });
  // The roles' Windows features into the new disk before its first boot (settings.featureInstall).
  const features = d.image.os === 'windows' ? (g.offlineFeatures.get(d.name) ?? []) : [];
  const offline =
    features.length > 0
      ? g.host({
          id: `${d.address}/install-features-offline`,
          address: d.address,
          host: d.host,
          title: `install ${features.join(', ')} into ${d.name}'s OS disk before its first boot`,
          operation: {
            op: 'installFeaturesOffline',
            vm: d.name,
            vhdPath: d.osDisk.path,
            features: [...features],
          },
          dependsOn: disk ? [disk] : rm,
        })
      : undefined;
  const written = offline ? [offline] : disk ? [disk] : rm;
  if (d.image.os !== 'windows' || !d.credential) return offline ? [offline] : disk ? [disk] : [];
  return [
    g.host({
      id: `${d.address}/inject-answer-file`,
      address: d.address,
      host: d.host,
      title: `write the answer file into ${d.name}'s OS disk`,
      operation: {
        op: 'injectAnswerFile',
        vhdPath: d.osDisk.path,
        computerName: d.computerName,
        credential: d.credential,
        timeZone: g.lab.settings.timeZone,
      },
      dependsOn: written,
    }),
  ];
}
