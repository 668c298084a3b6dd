import type { DesiredVm, DesiredVmDisk } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import type { HostState } from '../providers/live-state.js';
import type { VmSettings } from '../providers/host-operation.js';
import { samePath } from '../desired/normalise.js';
import type { StepGraph } from './step-graph.js';

/** Where a VM's guest work may start, and its last step so far. */
export interface VmAnchor {
  /** After the VM is up and reachable (PowerShell Direct / SSH), or its start when it has no image. */
  guestReady?: string;
  /** Every step of the VM so far (for cluster registration and deletes that follow). */
  last: string[];
}

function settingsOf(d: DesiredVm): Partial<VmSettings> {
  return {
    processors: d.processors,
    memory: { ...d.memory },
    ...(d.firmware ? { firmware: { secureBoot: d.firmware.secureBoot, secureBootTemplate: d.firmware.secureBootTemplate ?? undefined } } : {}),
    tpm: d.tpm,
    nestedVirtualization: d.nestedVirtualization,
    ...(d.mmio ? { mmio: { ...d.mmio } } : {}),
    guestControlledCacheTypes: d.guestControlledCacheTypes,
    automaticStopAction: d.automaticStopAction,
    checkpointType: d.checkpointType,
    notes: d.notes,
  };
}

/** Only the settings whose diff paths changed. */
function changedSettings(d: DesiredVm, paths: string[]): Partial<VmSettings> {
  const all = settingsOf(d);
  const out: Partial<VmSettings> = {};
  const keys: (keyof VmSettings)[] = ['processors', 'memory', 'firmware', 'tpm', 'nestedVirtualization', 'mmio', 'guestControlledCacheTypes', 'automaticStopAction', 'checkpointType'];
  for (const k of keys) if (paths.some((p) => p === k || p.startsWith(`${k}.`)) && all[k] !== undefined) (out as Record<string, unknown>)[k] = all[k];
  return out;
}

function dataDiskExists(live: HostState | undefined, disk: DesiredVmDisk): boolean {
  return Boolean(live?.vhds.some((v) => samePath(v.path, disk.path)));
}

/** Start, heartbeat, then PowerShell Direct (only a VM with an image can be reached inside). */
function startAndWait(g: StepGraph, d: DesiredVm, deps: string[]): VmAnchor {
  const start = g.host({ id: `${d.address}/start`, address: d.address, host: d.host, title: `start ${d.name}`, operation: { op: 'startVm', name: d.name }, dependsOn: deps });
  const hb = g.wait({ id: `${d.address}/wait-heartbeat`, address: d.address, host: d.host, vm: d.name, os: d.os, wait: 'heartbeat', dependsOn: [start] });
  if (!d.image || !d.credential) return { guestReady: hb, last: [hb] };
  const psd = g.wait({ id: `${d.address}/wait-powershell-direct`, address: d.address, host: d.host, vm: d.name, os: d.os, wait: 'powershellDirect', credential: d.credential, dependsOn: [hb] });
  return { guestReady: psd, last: [psd] };
}

function attachStep(g: StepGraph, d: DesiredVm, disk: DesiredVmDisk, n: string, deps: string[]): string {
  return g.host({
    id: `${d.address}/attach-${n}`,
    address: d.address,
    host: d.host,
    title: `attach ${disk.path} to ${d.name} (${disk.controllerType} ${disk.controllerNumber}:${disk.controllerLocation})`,
    operation: { op: 'attachDisk', vm: d.name, path: disk.path, controllerType: disk.controllerType, controllerNumber: disk.controllerNumber, controllerLocation: disk.controllerLocation, supportPersistentReservations: disk.supportPersistentReservations },
    dependsOn: deps,
  });
}

/** Stop (if running) and remove a VM; returns the removal step. */
export function removeVmSteps(g: StepGraph, o: { address: string; host: string; name: string; running: boolean; stopId?: string }): string {
  const deps: string[] = [];
  if (o.running) deps.push(g.host({ id: o.stopId ?? `${o.address}/stop`, address: o.address, host: o.host, title: `stop ${o.name}`, operation: { op: 'stopVm', name: o.name, timeoutMs: 120_000 } }));
  return g.host({ id: `${o.address}/remove`, address: o.address, host: o.host, title: `remove VM ${o.name}`, operation: { op: 'removeVm', name: o.name }, dependsOn: deps });
}

/** A new VM: OS disk -> answer file -> VM -> settings -> disks, adapters, devices -> start -> waits. */
function createVm(g: StepGraph, pc: PlannedChange, live: HostState | undefined, before: string[]): VmAnchor {
  const d = pc.desired as DesiredVm;
  const deps = [...before];
  let osReady: string[] = [];
  if (d.osDisk && d.image) {
    const existing = pc.live?.kind === 'vm' ? pc.live.osDisk : pc.liveOsDisk;
    const reusable = existing && samePath(existing.parentPath, d.image.path) && pc.change.action === 'create';
    if (!reusable) {
      const rm = existing ? [g.host({ id: `${d.address}/remove-os-disk`, address: d.address, host: d.host, title: `remove old OS disk ${d.osDisk.path}`, operation: { op: 'removeVhd', path: d.osDisk.path }, dependsOn: deps })] : deps;
      const disk = g.host({ id: `${d.address}/create-os-disk`, address: d.address, host: d.host, title: `create OS disk of ${d.name} from ${d.image.name}`, operation: { op: 'createVhd', path: d.osDisk.path, size: 0, format: 'vhdx', type: 'differencing', parentPath: d.image.path }, dependsOn: rm });
      osReady = [disk];
      if (d.image.os === 'windows' && d.credential) {
        osReady = [
          g.host({
            id: `${d.address}/inject-answer-file`,
            address: d.address,
            host: d.host,
            title: `write the answer file into ${d.name}'s OS disk`,
            operation: { op: 'injectAnswerFile', vhdPath: d.osDisk.path, computerName: d.computerName, credential: d.credential, timeZone: g.lab.settings.timeZone },
            dependsOn: [disk],
          }),
        ];
      }
    }
  }
  const create = g.host({ id: `${d.address}/create`, address: d.address, host: d.host, title: `create VM ${d.name} (generation ${d.generation})`, operation: { op: 'createVm', name: d.name, generation: d.generation, path: d.path, memoryStartup: d.memory.startup, notes: d.notes }, dependsOn: deps });
  const configure = g.host({ id: `${d.address}/configure`, address: d.address, host: d.host, title: `configure ${d.name}`, operation: { op: 'configureVm', name: d.name, settings: settingsOf(d) }, dependsOn: [create] });
  const beforeStart: string[] = [configure];
  if (d.osDisk) beforeStart.push(attachStep(g, d, d.osDisk, 'os-disk', [configure, ...osReady]));
  d.dataDisks.forEach((disk, i) => {
    const n = i + 1;
    const diskDeps = [configure, ...(disk.diskAddress ? g.ready.get(disk.diskAddress) ?? [] : [])];
    if (disk.create && !dataDiskExists(live, disk)) {
      diskDeps.push(g.host({ id: `${d.address}/create-disk-${n}`, address: d.address, host: d.host, title: `create data disk ${disk.path}`, operation: { op: 'createVhd', path: disk.path, size: disk.create.size, format: 'vhdx', type: 'dynamic' }, dependsOn: deps }));
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
        operation: { op: 'addAdapter', vm: d.name, name: a.name, switchName: a.switchName, mac: a.mac, macAddressSpoofing: a.macAddressSpoofing, vlan: a.vlan ?? undefined },
        dependsOn: [configure, ...(g.ready.get(`network.${a.switchName}`) ?? [])],
      }),
    );
  });
  d.assignedDevices.forEach((locationPath, i) => {
    beforeStart.push(g.host({ id: `${d.address}/assign-device-${i + 1}`, address: d.address, host: d.host, title: `assign ${locationPath} to ${d.name}`, operation: { op: 'assignDevice', vm: d.name, locationPath }, dependsOn: [configure] }));
  });
  return startAndWait(g, d, beforeStart);
}

/** An existing VM: stop if a changed setting needs it, change, start again, wait. */
function updateVm(g: StepGraph, pc: PlannedChange, live: HostState | undefined): VmAnchor {
  const d = pc.desired as DesiredVm;
  if (pc.live?.kind !== 'vm') return { last: [] };
  const vm = pc.live.vm;
  const diff = pc.change.diff;
  const running = vm.state === 'Running' || vm.state === 'Starting';
  const needsStop = running && diff.some((x) => x.requiresStop);
  const first: string[] = [];
  if (needsStop) first.push(g.host({ id: `${d.address}/stop`, address: d.address, host: d.host, title: `stop ${d.name} (settings change only while off)`, operation: { op: 'stopVm', name: d.name, timeoutMs: 120_000 } }));
  const changes: string[] = [];
  const settings = changedSettings(d, diff.map((x) => x.path));
  let base = first;
  if (Object.keys(settings).length > 0) {
    const id = g.host({ id: `${d.address}/configure`, address: d.address, host: d.host, title: `change ${Object.keys(settings).join(', ')} of ${d.name}`, operation: { op: 'configureVm', name: d.name, settings }, dependsOn: first });
    changes.push(id);
    base = [id];
  }
  const disks = [...(d.osDisk ? [d.osDisk] : []), ...d.dataDisks];
  for (const x of diff.filter((p) => p.path.startsWith('disks.'))) {
    const [, type, num, loc] = x.path.split('.');
    const slot = `${type}-${num}-${loc}`;
    const deps = [...base];
    if (x.before !== null && x.before !== undefined) {
      deps.push(g.host({ id: `${d.address}/detach-${slot}`, address: d.address, host: d.host, title: `detach ${String(x.before)} from ${d.name}`, operation: { op: 'detachDisk', vm: d.name, controllerType: type as 'IDE' | 'SCSI', controllerNumber: Number(num), controllerLocation: Number(loc) }, dependsOn: base }));
    }
    const want = disks.find((k) => k.controllerType === type && k.controllerNumber === Number(num) && k.controllerLocation === Number(loc));
    if (!want || (x.after === null && !x.path.endsWith('supportPersistentReservations'))) {
      changes.push(...deps.slice(base.length));
      continue;
    }
    if (want.create && !dataDiskExists(live, want)) deps.push(g.host({ id: `${d.address}/create-disk-${slot}`, address: d.address, host: d.host, title: `create data disk ${want.path}`, operation: { op: 'createVhd', path: want.path, size: want.create.size, format: 'vhdx', type: 'dynamic' } }));
    if (want.diskAddress) deps.push(...(g.ready.get(want.diskAddress) ?? []));
    changes.push(attachStep(g, d, want, slot, deps));
  }
  const adapterDiff = diff.filter((x) => /^network\[\d+\]/.test(x.path));
  const indexes = [...new Set(adapterDiff.map((x) => Number(/^network\[(\d+)\]/.exec(x.path)![1])))];
  for (const i of indexes) {
    const want = d.adapters[i];
    const have = vm.adapters[i];
    const entries = adapterDiff.filter((x) => x.path.startsWith(`network[${i}]`));
    const recreate = !want || !have || entries.some((x) => x.path.endsWith('.mac'));
    const deps = [...base];
    if (have && recreate) deps.push(g.host({ id: `${d.address}/remove-adapter-${i + 1}`, address: d.address, host: d.host, title: `remove adapter ${have.name} of ${d.name}`, operation: { op: 'removeAdapter', vm: d.name, name: have.name }, dependsOn: base }));
    if (!want) {
      changes.push(...deps.slice(base.length));
      continue;
    }
    deps.push(...(g.ready.get(`network.${want.switchName}`) ?? []));
    if (recreate) {
      changes.push(g.host({ id: `${d.address}/add-adapter-${i + 1}`, address: d.address, host: d.host, title: `connect ${d.name} to ${want.switchName}`, operation: { op: 'addAdapter', vm: d.name, name: want.name, switchName: want.switchName, mac: want.mac, macAddressSpoofing: want.macAddressSpoofing, vlan: want.vlan ?? undefined }, dependsOn: deps }));
    } else {
      changes.push(g.host({ id: `${d.address}/set-adapter-${i + 1}`, address: d.address, host: d.host, title: `change adapter ${have!.name} of ${d.name}`, operation: { op: 'setAdapter', vm: d.name, name: have!.name, switchName: want.switchName, macAddressSpoofing: want.macAddressSpoofing, vlan: want.vlan }, dependsOn: deps }));
    }
  }
  if (diff.some((x) => x.path === 'assignDevices')) {
    const have = vm.assignedDevices.map((p) => p.toUpperCase());
    const want = d.assignedDevices.map((p) => p.toUpperCase());
    vm.assignedDevices.forEach((p, i) => {
      if (!want.includes(p.toUpperCase())) changes.push(g.host({ id: `${d.address}/remove-device-${i + 1}`, address: d.address, host: d.host, title: `remove ${p} from ${d.name}`, operation: { op: 'removeDevice', vm: d.name, locationPath: p }, dependsOn: base }));
    });
    d.assignedDevices.forEach((p, i) => {
      if (!have.includes(p.toUpperCase())) changes.push(g.host({ id: `${d.address}/assign-device-${i + 1}`, address: d.address, host: d.host, title: `assign ${p} to ${d.name}`, operation: { op: 'assignDevice', vm: d.name, locationPath: p }, dependsOn: base }));
    });
  }
  const all = [...first, ...changes];
  if (needsStop || diff.some((x) => x.path === 'state')) return startAndWait(g, d, all.length ? all : base);
  return { last: all };
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
    const removed = removeVmSteps(g, { address: d.address, host: d.host, name: pc.live.vm.name, running });
    anchor = createVm(g, pc, live, [removed]);
  }
  return anchor;
}

/** Register a cluster VM as a clustered role, after its guest work. */
export function clusterRoleStep(g: StepGraph, pc: PlannedChange, deps: string[]): string | undefined {
  const d = pc.desired as DesiredVm;
  const wasClustered = pc.live?.kind === 'vm' && pc.live.vm.clustered && pc.change.action !== 'replace';
  if (!d.cluster || wasClustered || pc.change.action === 'noop') return undefined;
  return g.host({ id: `${d.address}/add-cluster-role`, address: d.address, host: d.host, title: `register ${d.name} as a clustered role of ${d.cluster}`, operation: { op: 'addClusterRole', vm: d.name, cluster: d.cluster }, dependsOn: deps });
}
