import type { PlannedChange } from '../diff/planned-change.js';
import { samePath } from '../model/windows-path.js';
import type { StepGraph } from './step-graph.js';
import { removeVmSteps } from './vm-steps.js';

/**
 * Deletions in reverse dependency order: mappings before their NAT; VMs stopped and removed
 * before their disks (children before parents; a disk a kept VM drops is detached first) and
 * before the switches they used.
 */
export function deleteSteps(g: StepGraph, deletes: PlannedChange[]): void {
  const vmRemovals = new Map<string, string[]>();
  const onHost = (map: Map<string, string[]>, host: string, id: string) =>
    map.set(host, [...(map.get(host) ?? []), id]);
  for (const pc of deletes) {
    if (pc.live?.kind !== 'vm') continue;
    const { vm, host } = pc.live;
    onHost(
      vmRemovals,
      host,
      removeVmSteps(g, {
        address: pc.change.address,
        host,
        name: vm.name,
        running: vm.state !== 'Off',
        devices: vm.assignedDevices,
      }),
    );
  }
  const mappingRemovals = new Map<string, string[]>();
  for (const pc of deletes) {
    if (pc.live?.kind !== 'mapping') continue;
    const m = pc.live.mapping;
    const id = g.host({
      id: `${pc.change.address}/remove`,
      address: pc.change.address,
      host: pc.live.host,
      title: `remove port mapping ${m.protocol}/${m.externalPort} of ${m.nat}`,
      operation: { op: 'removeNatMapping', nat: m.nat, protocol: m.protocol, externalPort: m.externalPort },
    });
    onHost(mappingRemovals, `${pc.live.host}|${m.nat}`, id);
  }
  const natRemovals = new Map<string, string[]>();
  for (const pc of deletes) {
    if (pc.live?.kind !== 'nat') continue;
    const { nat, host } = pc.live;
    const id = g.host({
      id: `${pc.change.address}/remove`,
      address: pc.change.address,
      host,
      title: `remove NAT ${nat.name}`,
      operation: { op: 'removeNat', name: nat.name },
      dependsOn: mappingRemovals.get(`${host}|${nat.name}`) ?? [],
    });
    onHost(natRemovals, host, id);
  }
  const vhdDeletes = deletes.filter((pc) => pc.live?.kind === 'vhd');
  const vhdIds = new Map<PlannedChange, string>();
  for (const pc of vhdDeletes) {
    if (pc.live?.kind !== 'vhd') continue;
    // A data disk the manifest dropped from a VM that stays: the VM lets go of it first (Hyper-V holds the file open).
    const host = pc.live.host;
    const detaches = g.steps
      .filter((s) => s.host === host && s.type === 'host' && s.operation.op === 'detachDisk')
      .map((s) => s.id);
    vhdIds.set(
      pc,
      g.host({
        id: `${pc.change.address}/remove`,
        address: pc.change.address,
        host,
        title: `remove disk ${pc.live.vhd.path}`,
        operation: { op: 'removeVhd', path: pc.live.vhd.path },
        dependsOn: [...(vmRemovals.get(host) ?? []), ...detaches],
      }),
    );
  }
  // A differencing child goes before its parent.
  for (const parent of vhdDeletes) {
    if (parent.live?.kind !== 'vhd') continue;
    const parentPath = parent.live.vhd.path;
    const children = vhdDeletes
      .filter((c) => c.live?.kind === 'vhd' && samePath(c.live.vhd.parentPath, parentPath))
      .map((c) => vhdIds.get(c)!);
    g.addDeps(vhdIds.get(parent)!, children);
  }
  for (const pc of deletes) {
    if (pc.live?.kind !== 'switch') continue;
    const multi = pc.live.hosts.length > 1;
    for (const host of pc.live.hosts) {
      const adapterSteps = g.steps
        .filter(
          (s) =>
            s.host === host &&
            s.type === 'host' &&
            (s.operation.op === 'removeAdapter' || s.operation.op === 'setAdapter'),
        )
        .map((s) => s.id);
      g.host({
        id: multi ? `${pc.change.address}/remove-switch@${host}` : `${pc.change.address}/remove-switch`,
        address: pc.change.address,
        host,
        title: `remove switch ${pc.live.switch.name} on ${host}`,
        operation: { op: 'removeSwitch', name: pc.live.switch.name },
        dependsOn: [...(vmRemovals.get(host) ?? []), ...(natRemovals.get(host) ?? []), ...adapterSteps],
      });
    }
  }
}
