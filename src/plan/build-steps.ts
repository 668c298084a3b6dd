import type { Lab } from '../manifest/lab.js';
import type { DesiredVm } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import type { HostState } from '../model/live-state.js';
import type { GuestTask } from '../roles/guest-task.js';
import type { Step } from './plan.js';
import { StepGraph } from './step-graph.js';
import { diskSteps, mappingSteps, natSteps, networkSteps } from './infra-steps.js';
import { clusterRoleStep, vmSteps, type VmAnchor } from './vm-steps.js';
import { imageSteps } from './image-steps.js';
import { orderMediaTurns } from './media-turns.js';
import { offlineFeatures } from '../roles/lab-guest-tasks.js';
import { guestSteps } from './guest-steps.js';
import { deleteSteps } from './delete-steps.js';
import { dependencyEdges } from './dependency-edges.js';
import { handOverHostAddresses } from './address-handover.js';
import { waitForRestartedDcs } from './dc-restart-waits.js';
import { topologicalOrder } from './check-graph.js';
import { parseAddress } from '../model/address.js';

export interface BuildStepsOptions {
  lab: Lab;
  changes: PlannedChange[];
  /** Every guest task of the lab (from guestTasks({lab})), in order. */
  tasks: GuestTask[];
  live: Map<string, HostState>;
  /** Guest tasks (`<vm>|<key>`) that plan-time probes found done: no steps. */
  doneTasks?: Set<string>;
}

/**
 * PURE: changes + guest tasks -> steps with dependencies. Switch before host address before
 * NAT before mappings; disks before VMs; VM create chain -> start -> waits -> guest tasks ->
 * cluster registration; deletes in reverse. Throws UserError naming a cycle.
 */
export function buildSteps(options: BuildStepsOptions): Step[] {
  const g = new StepGraph(options.lab);
  g.offlineFeatures = offlineFeatures(options.tasks);
  const byKind = (kind: string) =>
    options.changes.filter((pc) => pc.change.kind === kind && pc.change.action !== 'delete' && pc.desired);
  for (const pc of byKind('network')) networkSteps(g, pc);
  for (const pc of byKind('nat')) natSteps(g, pc);
  for (const pc of byKind('portMapping')) mappingSteps(g, pc);
  for (const pc of byKind('disk')) diskSteps(g, pc);
  for (const pc of byKind('image')) imageSteps(g, pc);
  const anchors = new Map<string, VmAnchor>();
  const vms = new Map<string, DesiredVm>();
  const vmChanges = byKind('vm');
  for (const pc of vmChanges) {
    const d = pc.desired as DesiredVm;
    vms.set(d.name, d);
    anchors.set(d.name, vmSteps(g, pc, options.live.get(d.host)));
  }
  // A role the plan-time probe found done has no steps; neither does a VM in conflict.
  const done = new Set(options.doneTasks ?? []);
  const wanted = new Set(options.changes.map((pc) => pc.change.address));
  const tasks = options.tasks.filter(
    (t) => wanted.has(t.address) || (parseAddress(t.address)?.kind === 'vm' && vms.has(t.vm)),
  );
  const guestEnds = guestSteps(g, { tasks, anchors, vms, done });
  for (const pc of vmChanges) {
    const d = pc.desired as DesiredVm;
    clusterRoleStep(g, pc, guestEnds.get(d.name) ?? anchors.get(d.name)?.last ?? []);
  }
  dependencyEdges(g, options.changes);
  deleteSteps(
    g,
    options.changes.filter((pc) => pc.change.action === 'delete'),
    options.live,
  );
  handOverHostAddresses(g, options.changes, options.live);
  waitForRestartedDcs(g, options.lab);
  // WinNAT holds one NAT per host: a NAT being removed goes before one being created.
  for (const s of g.steps) {
    if (s.type !== 'host') continue;
    const op = s.operation.op;
    if (op === 'createNat')
      g.addDeps(
        s.id,
        g.steps
          .filter((r) => r.host === s.host && r.type === 'host' && r.operation.op === 'removeNat')
          .map((r) => r.id),
      );
    if (op === 'createSwitch') {
      const name = (s.operation as { name: string }).name.toLowerCase();
      g.addDeps(
        s.id,
        g.steps
          .filter(
            (r) =>
              r.host === s.host &&
              r.type === 'host' &&
              r.operation.op === 'removeSwitch' &&
              r.operation.name.toLowerCase() === name,
          )
          .map((r) => r.id),
      );
    }
  }
  // A re-run on a DC: its local Administrator is now the domain's, so its waits may need the other credential.
  const alternates = new Map<string, GuestTask[]>();
  for (const t of options.tasks) {
    if (!t.alternateCredential) continue;
    const list = alternates.get(t.vm);
    if (list) list.push(t);
    else alternates.set(t.vm, [t]);
  }
  for (const s of g.steps) {
    if (s.type !== 'wait' || s.wait !== 'powershellDirect' || s.alternateCredential) continue;
    const alternate = alternates
      .get(s.vm)
      ?.find((t) => t.alternateCredential !== s.credential)?.alternateCredential;
    if (alternate) s.alternateCredential = alternate;
  }
  g.prune();
  orderMediaTurns(g);
  topologicalOrder(g.steps);
  return g.steps;
}
