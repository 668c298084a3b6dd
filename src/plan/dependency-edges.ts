import type { DesiredResource, DesiredVm } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import { imageOnHostAddress, parseAddress } from '../model/address.js';
import { samePath } from '../model/windows-path.js';
import type { Step } from './plan.js';
import type { StepGraph } from './step-graph.js';

/**
 * Edges from the desired resources' `dependsOn` (src/desired/desired-state.ts), the one place
 * that says what needs what: each step of a resource that uses one of its dependencies runs
 * after that dependency is ready (`g.ready`: its switch and host address, its NAT, its disk
 * file). Which steps use a dependency: a VM's adapters on that network's switch and its drive
 * holding that disk; its OS disk made from an image built on its host; every step of a NAT or
 * a port mapping but its removals. Steps of
 * dependencies that need no change (`g.ready` empty) add nothing.
 */
export function dependencyEdges(g: StepGraph, changes: readonly PlannedChange[]): void {
  const stepsOf = new Map<string, Step[]>();
  for (const s of g.steps) {
    if (s.type !== 'host') continue;
    const list = stepsOf.get(s.address);
    if (list) list.push(s);
    else stepsOf.set(s.address, [s]);
  }
  for (const pc of changes) {
    const d = pc.desired;
    if (!d || pc.change.action === 'delete') continue;
    const own = stepsOf.get(d.address) ?? [];
    for (const dependency of d.dependsOn) {
      const target = parseAddress(dependency);
      for (const step of own) {
        // An image is built on each host that needs it: a step waits for the build on its own host.
        const ready =
          target?.kind === 'image'
            ? g.ready.get(imageOnHostAddress(target.image, step.host))
            : g.ready.get(dependency);
        if (ready?.length && usesDependency(step, d, dependency)) g.addDeps(step.id, ready);
      }
    }
  }
}

function usesDependency(step: Step, d: DesiredResource, dependency: string): boolean {
  if (step.type !== 'host') return false;
  const op = step.operation;
  if (d.kind !== 'vm') return !op.op.startsWith('remove');
  const target = parseAddress(dependency);
  if (target?.kind === 'network') {
    if (op.op === 'addAdapter') return op.switchName === target.network;
    // A changed adapter stays on (or moves to) the network's switch.
    if (op.op === 'setAdapter') return (op.switchName ?? adapterSwitch(d, op.name)) === target.network;
    return false;
  }
  // The OS disk made from an image built from an ISO.
  if (target?.kind === 'image')
    return (
      op.op === 'createVhd' &&
      op.type === 'differencing' &&
      samePath(op.parentPath ?? '', d.image?.path ?? '')
    );
  if (target?.kind === 'disk' && op.op === 'attachDisk') {
    const disk = d.dataDisks.find((x) => x.diskAddress === dependency);
    return disk !== undefined && samePath(disk.path, op.path);
  }
  return false;
}

function adapterSwitch(d: DesiredVm, adapter: string): string | undefined {
  return d.adapters.find((a) => a.name === adapter)?.switchName;
}
