import type { PlannedChange } from '../diff/planned-change.js';
import type { HostState } from '../model/live-state.js';
import { reversed, type DependencyGraph } from '../model/graph.js';
import { pathKey } from '../model/windows-path.js';
import { parseNatName } from '../ownership/mark.js';
import { isSharedStoragePath } from '../model/hyperv-rules.js';
import type { Step } from './plan.js';
import type { StepGraph } from './step-graph.js';
import { removeVmSteps } from './vm-steps.js';

/** One live thing a resource needs, on one host: a switch, a NAT or a disk file. */
const need = {
  switch: (host: string, name: string) => `switch|${host}|${name.toLowerCase()}`,
  nat: (host: string, name: string) => `nat|${host}|${name}`,
  // A file on a cluster shared volume or an SMB share is the same file from every host.
  vhd: (host: string, path: string) => `vhd|${isSharedStoragePath(path) ? '*' : host}|${pathKey(path)}`,
};

/** A deletion on one host: its steps, what it removes and what it needs while it exists. */
interface Removal {
  id: string;
  steps: string[];
  provides: string[];
  needs: string[];
}

/**
 * Deletions in reverse dependency order. What each live resource needs while it exists: a VM
 * the switches of its adapters and the disks attached to it; a port mapping its NAT; a NAT its
 * network's switch; a differencing disk its parent. Turned around (`reversed`,
 * src/model/graph.ts), a resource is removed only after everything being removed that needs it,
 * and after the steps of kept VMs that let go of it (a disk detached, an adapter removed or
 * moved off the switch): Hyper-V refuses to remove a switch in use or a file held open.
 */
export function deleteSteps(g: StepGraph, deletes: PlannedChange[], live: Map<string, HostState>): void {
  const removals: Removal[] = [];
  for (const pc of deletes) removals.push(...removalSteps(g, pc));
  // Kept VMs letting go of something: what each such step releases.
  const removing = new Set(removals.map((r) => r.id));
  for (const step of g.steps) {
    if (removing.has(step.id)) continue;
    const released = releasedBy(step, live);
    if (released.length > 0) removals.push({ id: step.id, steps: [step.id], provides: [], needs: released });
  }
  const providers = new Map<string, string[]>();
  for (const r of removals) for (const k of r.provides) providers.set(k, [...(providers.get(k) ?? []), r.id]);
  const byId = new Map(removals.map((r) => [r.id, r]));
  const needs: DependencyGraph = {
    nodes: removals.map((r) => r.id),
    predecessors: (id) => (byId.get(id)?.needs ?? []).flatMap((k) => providers.get(k) ?? []),
  };
  const neededBy = reversed(needs);
  for (const r of removals) {
    if (r.provides.length === 0) continue;
    const after = neededBy.predecessors(r.id).flatMap((id) => byId.get(id)?.steps ?? []);
    for (const s of r.steps) g.addDeps(s, after);
  }
}

function removalSteps(g: StepGraph, pc: PlannedChange): Removal[] {
  const address = pc.change.address;
  const ref = pc.live;
  switch (ref?.kind) {
    case 'vm': {
      const { vm, host } = ref;
      const remove = removeVmSteps(g, {
        address,
        host,
        name: vm.name,
        running: vm.state !== 'Off',
        devices: vm.assignedDevices,
      });
      return [
        {
          // Its removal follows its stop and device releases: what waits for the VM waits for it.
          id: remove,
          steps: [remove],
          provides: [],
          needs: [
            ...vm.adapters.flatMap((a) => (a.switchName ? [need.switch(host, a.switchName)] : [])),
            ...vm.disks.map((d) => need.vhd(host, d.path)),
          ],
        },
      ];
    }
    case 'mapping': {
      const { mapping: m, host } = ref;
      const id = g.host({
        id: `${address}/remove`,
        address,
        host,
        title: `remove port mapping ${m.protocol}/${m.externalPort} of ${m.nat}`,
        operation: { op: 'removeNatMapping', nat: m.nat, protocol: m.protocol, externalPort: m.externalPort },
      });
      return [{ id, steps: [id], provides: [], needs: [need.nat(host, m.nat)] }];
    }
    case 'nat': {
      const { nat, host } = ref;
      const id = g.host({
        id: `${address}/remove`,
        address,
        host,
        title: `remove NAT ${nat.name}`,
        operation: { op: 'removeNat', name: nat.name },
      });
      const network = parseNatName(nat.name)?.network;
      return [
        {
          id,
          steps: [id],
          provides: [need.nat(host, nat.name)],
          needs: network ? [need.switch(host, network)] : [],
        },
      ];
    }
    case 'vhd': {
      const { vhd, host } = ref;
      const id = g.host({
        id: `${address}/remove`,
        address,
        host,
        title: `remove disk ${vhd.path}`,
        operation: { op: 'removeVhd', path: vhd.path },
      });
      return [
        {
          id,
          steps: [id],
          provides: [need.vhd(host, vhd.path)],
          needs: vhd.parentPath ? [need.vhd(host, vhd.parentPath)] : [],
        },
      ];
    }
    case 'switch': {
      const multi = ref.hosts.length > 1;
      return ref.hosts.map((host) => {
        const id = g.host({
          id: multi ? `${address}/remove-switch@${host}` : `${address}/remove-switch`,
          address,
          host,
          title: `remove switch ${ref.switch.name} on ${host}`,
          operation: { op: 'removeSwitch', name: ref.switch.name },
        });
        return { id, steps: [id], provides: [need.switch(host, ref.switch.name)], needs: [] };
      });
    }
    default:
      return [];
  }
}

function liveVm(live: Map<string, HostState>, host: string, name: string) {
  return live.get(host)?.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
}

/** What a step of a kept VM lets go of: the disk it detaches, the switch an adapter leaves, all when it is replaced. */
function releasedBy(step: Step, live: Map<string, HostState>): string[] {
  if (step.type !== 'host') return [];
  const op = step.operation;
  if (op.op === 'removeVm') {
    // A VM replaced in place lets go of everything it used.
    const vm = liveVm(live, step.host, op.name);
    return vm
      ? [
          ...vm.adapters.flatMap((a) => (a.switchName ? [need.switch(step.host, a.switchName)] : [])),
          ...vm.disks.map((d) => need.vhd(step.host, d.path)),
        ]
      : [];
  }
  if (op.op !== 'detachDisk' && op.op !== 'removeAdapter' && op.op !== 'setAdapter') return [];
  const vm = liveVm(live, step.host, op.vm);
  if (!vm) return [];
  if (op.op === 'detachDisk') {
    const disk = vm.disks.find(
      (d) =>
        d.controllerType === op.controllerType &&
        d.controllerNumber === op.controllerNumber &&
        d.controllerLocation === op.controllerLocation,
    );
    return disk ? [need.vhd(step.host, disk.path)] : [];
  }
  const adapter = vm.adapters.find((a) => a.name === op.name);
  if (!adapter?.switchName) return [];
  if (op.op === 'setAdapter' && (op.switchName === undefined || op.switchName === adapter.switchName))
    return [];
  return [need.switch(step.host, adapter.switchName)];
}
