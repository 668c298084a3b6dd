/** Host steps for a VM's DVD drives: added with a new VM, changed on an existing one. */
import type { DesiredVm } from '../desired/desired-resource.js';
import type { PropertyDiff } from '../model/change.js';
import type { LiveVm } from '../model/live-state.js';
import { dvdSlotPath } from '../model/diff-path.js';
import type { StepGraph } from './step-graph.js';

const slotName = (d: { controllerType: string; controllerNumber: number; controllerLocation: number }) =>
  `${d.controllerType}-${d.controllerNumber}-${d.controllerLocation}`;
const slotText = (d: { controllerType: string; controllerNumber: number; controllerLocation: number }) =>
  `${d.controllerType} ${d.controllerNumber}:${d.controllerLocation}`;

/** A new VM's drives, added while it is still off (after `deps`: its creation and settings). */
export function createDvdSteps(g: StepGraph, d: DesiredVm, deps: string[]): string[] {
  return d.dvdDrives.map((drive) =>
    g.host({
      id: `${d.address}/add-dvd-${slotName(drive)}`,
      address: d.address,
      host: d.host,
      title: `insert ${drive.path} into a new DVD drive of ${d.name} (${slotText(drive)})`,
      operation: {
        op: 'addDvdDrive',
        vm: d.name,
        controllerType: drive.controllerType,
        controllerNumber: drive.controllerNumber,
        controllerLocation: drive.controllerLocation,
        path: drive.path,
      },
      dependsOn: deps,
    }),
  );
}

/**
 * The `dvd.*` entries of an existing VM's diff: a drive where there is none (the plan stopped the
 * VM for it: requiresStop), another ISO in a drive, or an unwanted ISO taken out. An unwanted
 * drive is removed when the VM is off anyway (`off`), else only emptied, so that taking an ISO
 * out never stops a VM.
 */
export function updateDvdSteps(
  g: StepGraph,
  o: { d: DesiredVm; live: LiveVm; diff: PropertyDiff[]; deps: string[]; off: boolean },
): string[] {
  const { d, live } = o;
  const out: string[] = [];
  for (const entry of o.diff.filter((x) => x.path.startsWith('dvd.'))) {
    const want = d.dvdDrives.find((x) => dvdSlotPath(x) === entry.path);
    const have = live.dvdDrives.find((x) => dvdSlotPath(x) === entry.path);
    const slot = want ?? have;
    if (!slot) continue;
    const at = {
      vm: d.name,
      controllerType: slot.controllerType,
      controllerNumber: slot.controllerNumber,
      controllerLocation: slot.controllerLocation,
    };
    const id = `${d.address}/dvd-${slotName(slot)}`;
    if (want && !have) {
      out.push(
        g.host({
          id,
          address: d.address,
          host: d.host,
          title: `insert ${want.path} into a new DVD drive of ${d.name} (${slotText(slot)})`,
          operation: { op: 'addDvdDrive', ...at, path: want.path },
          dependsOn: o.deps,
        }),
      );
    } else if (want) {
      out.push(
        g.host({
          id,
          address: d.address,
          host: d.host,
          title: `insert ${want.path} into the DVD drive ${slotText(slot)} of ${d.name}`,
          operation: { op: 'setDvdDrive', ...at, path: want.path },
          dependsOn: o.deps,
        }),
      );
    } else if (o.off) {
      out.push(
        g.host({
          id,
          address: d.address,
          host: d.host,
          title: `remove the DVD drive ${slotText(slot)} (${String(entry.before)}) from ${d.name}`,
          operation: { op: 'removeDvdDrive', ...at },
          dependsOn: o.deps,
        }),
      );
    } else {
      out.push(
        g.host({
          id,
          address: d.address,
          host: d.host,
          title: `take ${String(entry.before)} out of the DVD drive ${slotText(slot)} of ${d.name}`,
          operation: { op: 'setDvdDrive', ...at, path: null },
          dependsOn: o.deps,
        }),
      );
    }
  }
  return out;
}
