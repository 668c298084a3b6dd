import type { DesiredVm } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import type { HostState } from '../model/live-state.js';
import { samePath } from '../model/windows-path.js';
import type { StepGraph } from './step-graph.js';
import { updateVm } from './vm-update-steps.js';
import { createDvdSteps } from './dvd-steps.js';
import { createSeedSteps } from './cloud-init-steps.js';
import {
  attachStep,
  dataDiskExists,
  osDiskSteps,
  settingsOf,
  startAndWait,
  type VmAnchor,
} from './vm-step-parts.js';
import { stepTitle } from './step-titles.js';

export type { VmAnchor } from './vm-step-parts.js';

/** Stop (if running) and remove a VM; returns the removal step. */
export function removeVmSteps(
  g: StepGraph,
  o: { address: string; host: string; name: string; running: boolean; stopId?: string; devices?: string[] },
): string {
  const deps: string[] = [];
  if (o.running)
    deps.push(
      g.host({
        id: o.stopId ?? `${o.address}/stop`,
        address: o.address,
        host: o.host,
        title: stepTitle.stopVm(o.name),
        operation: { op: 'stopVm', name: o.name, timeoutMs: 120_000 },
      }),
    );
  // A removed VM leaves its assigned devices dismounted from the host, usable by nobody: each is
  // given back first (Remove-VMAssignableDevice, Mount-VMHostAssignableDevice, Enable-PnpDevice).
  const released = (o.devices ?? []).map((path, i) =>
    g.host({
      id: `${o.address}/release-device-${i + 1}`,
      address: o.address,
      host: o.host,
      title: `give ${path} back to host ${o.host}`,
      operation: { op: 'removeDevice', vm: o.name, locationPath: path },
      dependsOn: [...deps],
    }),
  );
  return g.host({
    id: `${o.address}/remove`,
    address: o.address,
    host: o.host,
    title: stepTitle.removeVm(o.name),
    operation: { op: 'removeVm', name: o.name },
    dependsOn: [...deps, ...released],
  });
}

/** A new VM: OS disk -> answer file -> VM -> settings -> disks, adapters, devices -> start -> waits. */
function createVm(g: StepGraph, pc: PlannedChange, live: HostState | undefined, before: string[]): VmAnchor {
  const d = pc.desired as DesiredVm;
  const deps = [...before];
  let osReady: string[] = [];
  if (d.osDisk && d.image) {
    const existing = pc.live?.kind === 'vm' ? pc.live.osDisk : pc.liveOsDisk;
    const reusable = existing && samePath(existing.parentPath, d.image.path) && pc.change.action === 'create';
    osReady = osDiskSteps(g, d, {
      removeFirst: Boolean(existing) && !reusable,
      deps,
      reuse: Boolean(reusable),
    });
  }
  const create = g.host({
    id: `${d.address}/create`,
    address: d.address,
    host: d.host,
    title: `create VM ${d.name} (generation ${d.generation})`,
    operation: {
      op: 'createVm',
      name: d.name,
      generation: d.generation,
      path: d.path,
      memoryStartup: d.memory.startup,
      notes: d.notes,
    },
    dependsOn: deps,
  });
  const configure = g.host({
    id: `${d.address}/configure`,
    address: d.address,
    host: d.host,
    title: `configure ${d.name}`,
    operation: { op: 'configureVm', name: d.name, settings: settingsOf(d) },
    dependsOn: [create],
  });
  const beforeStart: string[] = [configure];
  const osAttached = d.osDisk ? [attachStep(g, d, d.osDisk, 'os-disk', [configure, ...osReady])] : [];
  beforeStart.push(...osAttached);
  // A Linux guest's cloud-init seed: written and attached before the first boot.
  beforeStart.push(
    ...createSeedSteps(g, d, live, { writeAfter: deps, attachAfter: [configure, ...osAttached] }),
  );
  d.dataDisks.forEach((disk, i) => {
    const n = i + 1;
    const diskDeps = [configure];
    if (disk.create && !dataDiskExists(live, disk)) {
      diskDeps.push(
        g.host({
          id: `${d.address}/create-disk-${n}`,
          address: d.address,
          host: d.host,
          title: `create data disk ${disk.path}`,
          operation: {
            op: 'createVhd',
            path: disk.path,
            size: disk.create.size,
            format: 'vhdx',
            type: 'dynamic',
          },
          dependsOn: deps,
        }),
      );
    }
    beforeStart.push(attachStep(g, d, disk, `disk-${n}`, diskDeps));
  });
  d.adapters.forEach((a, i) => {
    beforeStart.push(
      g.host({
        id: `${d.address}/add-adapter-${i + 1}`,
        address: d.address,
        host: d.host,
        title: `connect ${d.name} to ${a.switchName}`,
        operation: {
          op: 'addAdapter',
          vm: d.name,
          name: a.name,
          switchName: a.switchName,
          mac: a.mac,
          macAddressSpoofing: a.macAddressSpoofing,
          vlan: a.vlan ?? undefined,
        },
        dependsOn: [configure],
      }),
    );
  });
  beforeStart.push(...createDvdSteps(g, d, [configure]));
  d.assignedDevices.forEach((locationPath, i) => {
    beforeStart.push(
      g.host({
        id: `${d.address}/assign-device-${i + 1}`,
        address: d.address,
        host: d.host,
        title: `assign ${locationPath} to ${d.name}`,
        operation: { op: 'assignDevice', vm: d.name, locationPath },
        dependsOn: [configure],
      }),
    );
  });
  return startAndWait(g, d, beforeStart);
}

/** The VM's host steps for its change; the anchor guest tasks and cluster registration follow. */
export function vmSteps(g: StepGraph, pc: PlannedChange, live: HostState | undefined): VmAnchor {
  const { action } = pc.change;
  const d = pc.desired as DesiredVm;
  let anchor: VmAnchor = { last: [] };
  if (action === 'create') anchor = createVm(g, pc, live, []);
  else if (action === 'update') anchor = updateVm(g, pc, live);
  else if (action === 'replace' && pc.live?.kind === 'vm') {
    const running = pc.live.vm.state !== 'Off';
    const removed = removeVmSteps(g, {
      address: d.address,
      host: d.host,
      name: pc.live.vm.name,
      running,
      devices: pc.live.vm.assignedDevices,
    });
    anchor = createVm(g, pc, live, [removed]);
  }
  return anchor;
}

/** Register a cluster VM as a clustered role, after its guest work. */
export function clusterRoleStep(g: StepGraph, pc: PlannedChange, deps: string[]): string | undefined {
  const d = pc.desired as DesiredVm;
  const wasClustered = pc.live?.kind === 'vm' && pc.live.vm.clustered && pc.change.action !== 'replace';
  if (!d.cluster || wasClustered || pc.change.action === 'noop') return undefined;
  return g.host({
    id: `${d.address}/add-cluster-role`,
    address: d.address,
    host: d.host,
    title: `register ${d.name} as a clustered role of ${d.cluster}`,
    operation: { op: 'addClusterRole', vm: d.name, cluster: d.cluster },
    dependsOn: deps,
  });
}
