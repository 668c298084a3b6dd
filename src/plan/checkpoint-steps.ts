import { UserError } from '../errors.js';
import type { Lab, VmSpec } from '../manifest/lab.js';
import { ownerOf } from '../ownership/mark.js';
import type { Step, WaitStep } from './plan.js';
import type { HostState, LiveVm } from '../model/live-state.js';
import type { StepGraph } from './plan.js';
import { dependentsOf } from './vm-order.js';
import { liveVmNamed } from '../model/live-lookup.js';
import { stepTitle, waitStepId } from '../plan/step-titles.js';
import { parseStepId, stepId, vmAddress, vmOfAddress } from '../model/address.js';

export interface LabVm {
  spec: VmSpec;
  live: LiveVm;
  host: string;
}

/** The lab's VMs that exist and carry this lab's mark (never anything else). */
export function ownedLabVms(options: { lab: Lab; live: ReadonlyMap<string, HostState> }): LabVm[] {
  const out: LabVm[] = [];
  for (const spec of options.lab.vms) {
    // A cluster VM may run on any node: look on the pinned host first, then everywhere.
    const hosts = [spec.host, ...[...options.live.keys()].filter((h) => h !== spec.host)];
    for (const host of hosts) {
      const live = liveVmNamed(options.live.get(host), spec.name);
      if (live && ownerOf(live.notes) === options.lab.name) {
        out.push({ spec, live, host });
        break;
      }
    }
  }
  return out;
}

/** The credential that reaches a VM once its roles ran: a DC's local accounts are gone, its domain admin works. */
export function guestCredential(spec: VmSpec): string | undefined {
  const dc = spec.roles.find((r) => r.kind === 'domainController');
  return dc && dc.kind === 'domainController' ? dc.domainAdmin : spec.credential;
}

/**
 * The steps that start VMs in dependency order with the usual waits, after `after`: heartbeat
 * stable, then PowerShell Direct (or SSH), then Active Directory on a DC.
 */
export function startSteps(options: {
  lab: Lab;
  vms: LabVm[];
  deps: ReadonlyMap<string, ReadonlySet<string>>;
  after: string[];
}): Step[] {
  const { lab } = options;
  const t = lab.settings.timeouts;
  const steps: Step[] = [];
  const lastStep = new Map<string, string>();
  const started = new Set(options.vms.map((v) => v.spec.name));
  for (const { spec, host } of options.vms) {
    const address = vmAddress(spec.name);
    const chain: Step[] = [];
    const upFirst = [...(options.deps.get(spec.name) ?? [])]
      .filter((d) => started.has(d))
      .map((d) => stepId(vmAddress(d), 'ready'));
    chain.push({
      type: 'host',
      id: `${address}/start`,
      address,
      host,
      title: stepTitle.startVm(spec.name),
      dependsOn: [...options.after, ...upFirst],
      timeoutMs: t.step,
      operation: { op: 'startVm', name: spec.name },
    });
    const wait = (kind: WaitStep['wait'], timeoutMs: number, credential?: string): WaitStep => ({
      type: 'wait',
      id: waitStepId(address, kind, spec.os),
      address,
      host,
      title: stepTitle.wait(kind, spec.name, spec.os),
      dependsOn: [chain.at(-1)!.id],
      timeoutMs,
      wait: kind,
      vm: spec.name,
      os: spec.os,
      credential,
    });
    chain.push(wait('heartbeat', t.heartbeat));
    const credential = guestCredential(spec);
    if (spec.image && credential) {
      chain.push(wait('powershellDirect', t.powershellDirect, credential));
      if (spec.roles.some((r) => r.kind === 'domainController'))
        chain.push(wait('adReady', t.adReady, credential));
    }
    steps.push(...chain);
    lastStep.set(spec.name, chain.at(-1)!.id);
  }
  // `vm.<name>/ready` placeholders point at the VM's last wait.
  for (const step of steps)
    step.dependsOn = step.dependsOn.map((d) => {
      const ref = parseStepId(d);
      return ref?.action === 'ready' ? lastStep.get(vmOfAddress(ref.address)!)! : d;
    });
  return steps;
}

export function stopSteps(options: {
  lab: Lab;
  vms: LabVm[];
  deps: ReadonlyMap<string, ReadonlySet<string>>;
}): Step[] {
  const running = options.vms.filter((v) => v.live.state !== 'Off');
  const stopping = new Set(running.map((v) => v.spec.name));
  return running.map(({ spec, host }) => ({
    type: 'host' as const,
    id: stepId(vmAddress(spec.name), 'stop'),
    address: vmAddress(spec.name),
    host,
    title: stepTitle.stopVm(spec.name),
    // Members stop before the DCs (and HGS) they depend on.
    dependsOn: [...dependentsOf(spec.name, options.deps)]
      .filter((d) => stopping.has(d))
      .map((d) => stepId(vmAddress(d), 'stop')),
    timeoutMs: options.lab.settings.timeouts.step,
    operation: { op: 'stopVm' as const, name: spec.name, timeoutMs: options.lab.settings.timeouts.heartbeat },
  }));
}

/**
 * `checkpoint NAME`: every running lab VM stopped in reverse dependency order, every lab VM
 * checkpointed once all are off (consistent), the ones that ran started again in order.
 */
export function checkpointGraph(options: {
  lab: Lab;
  live: ReadonlyMap<string, HostState>;
  name: string;
  deps: ReadonlyMap<string, ReadonlySet<string>>;
  /** Finishing an interrupted run of this same checkpoint: VMs that already have it are done. */
  resuming?: boolean;
  /** VMs that were running before an interrupted run left them off: started again at the end. */
  ranBefore?: readonly string[];
}): StepGraph {
  const vms = ownedLabVms(options);
  if (vms.length === 0)
    throw new UserError(`lab ${options.lab.name} has no VMs to checkpoint`, [], 'run apply first');
  const taken = vms.filter((v) =>
    v.live.checkpoints.some((c) => c.toLowerCase() === options.name.toLowerCase()),
  );
  // Resuming, the VMs that already have it are done; otherwise the name is taken.
  if (taken.length > 0 && !options.resuming) {
    throw new UserError(
      `checkpoint "${options.name}" already exists on ${taken.map((v) => v.spec.name).join(', ')}`,
      [],
      'choose another name',
    );
  }
  const stops = stopSteps({ lab: options.lab, vms, deps: options.deps });
  const checkpoints: Step[] = vms
    .filter((v) => !taken.includes(v))
    .map(({ spec, host }) => ({
      type: 'host',
      id: stepId(vmAddress(spec.name), 'checkpoint'),
      address: vmAddress(spec.name),
      host,
      title: stepTitle.checkpointVm(spec.name, options.name),
      dependsOn: stops.map((s) => s.id),
      timeoutMs: options.lab.settings.timeouts.step,
      operation: { op: 'checkpointVm', vm: spec.name, checkpoint: options.name },
    }));
  const ranBefore = new Set((options.ranBefore ?? []).map((n) => n.toLowerCase()));
  const wasRunning = vms.filter((v) => v.live.state !== 'Off' || ranBefore.has(v.spec.name.toLowerCase()));
  // Every checkpoint is taken while all are off; starts wait for them (or for the stops when none is left to take).
  const starts = startSteps({
    lab: options.lab,
    vms: wasRunning,
    deps: options.deps,
    after: checkpoints.length > 0 ? checkpoints.map((c) => c.id) : stops.map((s) => s.id),
  });
  return { lab: options.lab.name, steps: [...stops, ...checkpoints, ...starts] };
}

/** `restore NAME`: every lab VM stopped (reverse order), back to the checkpoint, started in order with the waits. */
export function restoreGraph(options: {
  lab: Lab;
  live: ReadonlyMap<string, HostState>;
  name: string;
  deps: ReadonlyMap<string, ReadonlySet<string>>;
}): StepGraph {
  const vms = ownedLabVms(options);
  if (vms.length === 0)
    throw new UserError(`lab ${options.lab.name} has no VMs to restore`, [], 'run apply first');
  const missing = vms.filter(
    (v) => !v.live.checkpoints.some((c) => c.toLowerCase() === options.name.toLowerCase()),
  );
  if (missing.length > 0) {
    throw new UserError(
      `checkpoint "${options.name}" does not exist on ${missing.map((v) => v.spec.name).join(', ')}`,
      [],
      `take it with: labform checkpoint FILE ${options.name}`,
    );
  }
  const stops = stopSteps({ lab: options.lab, vms, deps: options.deps });
  const restores: Step[] = vms.map(({ spec, host }) => ({
    type: 'host',
    id: stepId(vmAddress(spec.name), 'restore'),
    address: vmAddress(spec.name),
    host,
    title: stepTitle.restoreVm(spec.name, options.name),
    dependsOn: stops.map((s) => s.id),
    timeoutMs: options.lab.settings.timeouts.step,
    operation: { op: 'restoreCheckpoint', vm: spec.name, checkpoint: options.name },
  }));
  const starts = startSteps({ lab: options.lab, vms, deps: options.deps, after: restores.map((c) => c.id) });
  return { lab: options.lab.name, steps: [...stops, ...restores, ...starts] };
}
