import { formatSize } from '../model/units.js';
import type { DesiredVm } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import type { HostState } from '../model/live-state.js';
import type { StepGraph } from './step-graph.js';
import { samePath } from '../model/windows-path.js';
import { adapterIdentity, pairAdapters } from '../diff/diff-vm.js';
import { updateDvdSteps } from './dvd-steps.js';
import {
  attachStep,
  changedSettings,
  dataDiskExists,
  osDiskSteps,
  startAndWait,
  type VmAnchor,
} from './vm-step-parts.js';
import { stepTitle } from './step-titles.js';
import { liveVhdAt } from '../model/live-lookup.js';
import { CLOUD_INIT_DIFF_PATH, CLOUD_INIT_PREFIX, parseDiffPath, type SlotRef } from '../model/diff-path.js';
import { SEED_ATTACH, writeSeedStep } from './cloud-init-steps.js';

/** `{ mac }` when the live adapter has a MAC that identifies it. */
function withMac(have: HostState['vms'][number]['adapters'][number]): { mac?: string } {
  const mac = adapterIdentity(have);
  return mac ? { mac } : {};
}

/** An existing VM: stop if a changed setting needs it, change, start again, wait. */
export function updateVm(g: StepGraph, pc: PlannedChange, live: HostState | undefined): VmAnchor {
  const d = pc.desired as DesiredVm;
  if (pc.live?.kind !== 'vm') return { last: [] };
  const vm = pc.live.vm;
  const diff = pc.change.diff;
  const running = vm.state === 'Running' || vm.state === 'Starting';
  const needsStop = running && diff.some((x) => x.requiresStop);
  // A new cloud-init seed alone: the VM restarts so that cloud-init applies it (diff-cloud-init.ts).
  const seedOnly = diff.filter((x) => x.requiresStop).every((x) => x.path.startsWith(CLOUD_INIT_PREFIX));
  const first: string[] = [];
  if (needsStop)
    first.push(
      g.host({
        id: `${d.address}/stop`,
        address: d.address,
        host: d.host,
        title: stepTitle.stopVm(
          d.name,
          seedOnly ? 'cloud-init applies a new seed at boot' : 'settings change only while off',
        ),
        operation: { op: 'stopVm', name: d.name, timeoutMs: 120_000 },
      }),
    );
  const changes: string[] = [];
  const settings = changedSettings(
    d,
    diff.map((x) => x.path),
  );
  let base = first;
  if (Object.keys(settings).length > 0) {
    const id = g.host({
      id: `${d.address}/configure`,
      address: d.address,
      host: d.host,
      title: `change ${Object.keys(settings).join(', ')} of ${d.name}`,
      operation: { op: 'configureVm', name: d.name, settings },
      dependsOn: first,
    });
    changes.push(id);
    base = [id];
  }
  const disks = [...(d.osDisk ? [d.osDisk] : []), ...d.dataDisks, ...(d.cloudInit ? [d.cloudInit.disk] : [])];
  // The seed written again (after the stop) when its instance-id changed or it was never complete.
  const seedDiff = diff.find((x) => x.path === CLOUD_INIT_DIFF_PATH);
  const seedWrite = seedDiff
    ? writeSeedStep(g, d, live, { deps: base, rewrite: seedDiff.before !== null })
    : undefined;
  if (seedWrite) changes.push(seedWrite);
  // A data disk grown in place: Resize-VHD (after the stop when it must be off).
  const sameSlot = (k: SlotRef, slot: SlotRef) =>
    k.controllerType === slot.controllerType &&
    k.controllerNumber === slot.controllerNumber &&
    k.controllerLocation === slot.controllerLocation;
  const diskDiffs = diff.flatMap((x) => {
    const at = parseDiffPath(x.path);
    return at.kind === 'disk' ? [{ x, at }] : [];
  });
  for (const { x, at } of diskDiffs.filter(({ at }) => at.field === 'size')) {
    const { controllerType: type, controllerNumber: num, controllerLocation: loc } = at.slot;
    const want = disks.find((k) => sameSlot(k, at.slot));
    if (!want) continue;
    changes.push(
      g.host({
        id: `${d.address}/resize-${type}-${num}-${loc}`,
        address: d.address,
        host: d.host,
        title: `grow ${want.path} to ${formatSize(Number(x.after))}`,
        operation: { op: 'resizeVhd', path: want.path, size: Number(x.after) },
        dependsOn: base,
      }),
    );
  }
  // The seed moving to another slot (data disks added before it) is detached from the old one first.
  let seedAttach: string | undefined;
  const seedDetaches: string[] = [];
  for (const { x, at } of diskDiffs.filter(({ at }) => at.field !== 'size')) {
    const { controllerType: type, controllerNumber: num, controllerLocation: loc } = at.slot;
    const slot = `${type}-${num}-${loc}`;
    const deps = [...base];
    if (x.before !== null && x.before !== undefined) {
      if (d.cloudInit && samePath(String(x.before), d.cloudInit.disk.path))
        seedDetaches.push(`${d.address}/detach-${slot}`);
      deps.push(
        g.host({
          id: `${d.address}/detach-${slot}`,
          address: d.address,
          host: d.host,
          title: `detach ${String(x.before)} from ${d.name}`,
          operation: {
            op: 'detachDisk',
            vm: d.name,
            ...at.slot,
          },
          dependsOn: base,
        }),
      );
    }
    const want = disks.find((k) => sameSlot(k, at.slot));
    if (!want || (x.after === null && at.field !== 'supportPersistentReservations')) {
      changes.push(...deps.slice(base.length));
      continue;
    }
    if (want.create && !dataDiskExists(live, want))
      deps.push(
        g.host({
          id: `${d.address}/create-disk-${slot}`,
          address: d.address,
          host: d.host,
          title: `create data disk ${want.path}`,
          operation: {
            op: 'createVhd',
            path: want.path,
            size: want.create.size,
            format: 'vhdx',
            type: 'dynamic',
          },
        }),
      );
    // An interrupted create leaves a VM that never booted its OS disk: create it if missing, (re)write its answer file.
    if (want === d.osDisk && (x.before === null || x.before === undefined) && vm.state === 'Off') {
      const exists = Boolean(liveVhdAt(live, want.path));
      deps.push(...osDiskSteps(g, d, { removeFirst: false, deps: base, reuse: exists }));
    }
    if (want === d.cloudInit?.disk) {
      if (seedWrite) deps.push(seedWrite);
      seedAttach = attachStep(g, d, want, SEED_ATTACH, deps);
      changes.push(seedAttach);
      continue;
    }
    changes.push(attachStep(g, d, want, slot, deps));
  }
  if (seedAttach && seedDetaches.length > 0) g.addDeps(seedAttach, seedDetaches);
  changes.push(...updateDvdSteps(g, { d, live: vm, diff, deps: base, off: needsStop || vm.state === 'Off' }));
  const adapterDiff = diff.flatMap((x) => {
    const at = parseDiffPath(x.path);
    return at.kind === 'adapter' ? [{ ...x, index: at.index, field: at.field }] : [];
  });
  const indexes = [...new Set(adapterDiff.map((x) => x.index))];
  // The same pairing the diff used: by MAC, never by position or name.
  const pairs = pairAdapters(d, vm);
  for (const i of indexes) {
    const pair = pairs.find((p) => p.index === i);
    const want = pair?.want;
    const have = pair?.have;
    const entries = adapterDiff.filter((x) => x.index === i);
    const recreate = !want || !have || entries.some((x) => x.field === 'mac');
    const deps = [...base];
    if (have && recreate)
      deps.push(
        g.host({
          id: `${d.address}/remove-adapter-${i + 1}`,
          address: d.address,
          host: d.host,
          title: `remove adapter ${have.name} of ${d.name}`,
          operation: { op: 'removeAdapter', vm: d.name, name: have.name, ...withMac(have) },
          dependsOn: base,
        }),
      );
    if (!want) {
      changes.push(...deps.slice(base.length));
      continue;
    }
    if (recreate) {
      changes.push(
        g.host({
          id: `${d.address}/add-adapter-${i + 1}`,
          address: d.address,
          host: d.host,
          title: `connect ${d.name} to ${want.switchName}`,
          operation: {
            op: 'addAdapter',
            vm: d.name,
            name: want.name,
            switchName: want.switchName,
            mac: want.mac,
            macAddressSpoofing: want.macAddressSpoofing,
            vlan: want.vlan ?? undefined,
          },
          dependsOn: deps,
        }),
      );
    } else {
      changes.push(
        g.host({
          id: `${d.address}/set-adapter-${i + 1}`,
          address: d.address,
          host: d.host,
          title: `change adapter ${have!.name} of ${d.name}`,
          operation: {
            op: 'setAdapter',
            vm: d.name,
            name: have!.name,
            ...withMac(have!),
            switchName: want.switchName,
            macAddressSpoofing: want.macAddressSpoofing,
            vlan: want.vlan,
          },
          dependsOn: deps,
        }),
      );
    }
  }
  if (diff.some((x) => x.path === 'assignDevices')) {
    const have = vm.assignedDevices.map((p) => p.toUpperCase());
    const want = d.assignedDevices.map((p) => p.toUpperCase());
    vm.assignedDevices.forEach((p, i) => {
      if (!want.includes(p.toUpperCase()))
        changes.push(
          g.host({
            id: `${d.address}/remove-device-${i + 1}`,
            address: d.address,
            host: d.host,
            title: `remove ${p} from ${d.name}`,
            operation: { op: 'removeDevice', vm: d.name, locationPath: p },
            dependsOn: base,
          }),
        );
    });
    d.assignedDevices.forEach((p, i) => {
      if (!have.includes(p.toUpperCase()))
        changes.push(
          g.host({
            id: `${d.address}/assign-device-${i + 1}`,
            address: d.address,
            host: d.host,
            title: `assign ${p} to ${d.name}`,
            operation: { op: 'assignDevice', vm: d.name, locationPath: p },
            dependsOn: base,
          }),
        );
    });
  }
  const all = [...first, ...changes];
  if (needsStop || diff.some((x) => x.path === 'state')) return startAndWait(g, d, all.length ? all : base);
  return { last: all };
}
