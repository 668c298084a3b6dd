import { UserError } from '../errors.js';
import type { Lab } from '../manifest/lab.js';
import type { Step } from './plan.js';
import type { HostState } from '../model/live-state.js';
import type { StepGraph } from './plan.js';
import { ownedLabVms } from './checkpoint-steps.js';
import { stepTitle } from './step-titles.js';
import { stepId, vmAddress } from '../model/address.js';

/** Checkpoint names of the lab's VMs (case-insensitive, first spelling kept) -> the VMs that have it, in manifest order. */
export function labCheckpoints(options: {
  lab: Lab;
  live: ReadonlyMap<string, HostState>;
}): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const spelling = new Map<string, string>();
  for (const { spec, live } of ownedLabVms(options)) {
    for (const c of live.checkpoints) {
      const key = spelling.get(c.toLowerCase()) ?? c;
      spelling.set(c.toLowerCase(), key);
      out.set(key, [...(out.get(key) ?? []), spec.name]);
    }
  }
  return out;
}

/** `checkpoint --list` as text: one line per checkpoint with the VMs that have it, and the ones that miss it. */
export function checkpointTable(options: { lab: Lab; live: ReadonlyMap<string, HostState> }): string {
  const vms = ownedLabVms(options).map((v) => v.spec.name);
  const checkpoints = labCheckpoints(options);
  if (checkpoints.size === 0) return `Lab ${options.lab.name} has no checkpoints.\n`;
  const width = Math.max(...[...checkpoints.keys()].map((k) => k.length));
  const lines = [`Checkpoints of lab ${options.lab.name}:`];
  for (const [name, have] of checkpoints) {
    const missing = vms.filter((v) => !have.includes(v));
    lines.push(
      `  ${name.padEnd(width)}  ${have.join(', ')}${missing.length > 0 ? `  (not on ${missing.join(', ')}: restore needs it on every VM)` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `checkpoint --delete NAME`: Remove-VMCheckpoint on every lab VM that has it (running or not; Hyper-V merges the files). */
export function deleteCheckpointGraph(options: {
  lab: Lab;
  live: ReadonlyMap<string, HostState>;
  name: string;
}): StepGraph {
  const having = ownedLabVms(options).filter((v) =>
    v.live.checkpoints.some((c) => c.toLowerCase() === options.name.toLowerCase()),
  );
  if (having.length === 0) {
    const known = [...labCheckpoints(options).keys()];
    throw new UserError(
      `no lab VM has a checkpoint named "${options.name}"`,
      [],
      known.length > 0 ? `the lab's checkpoints: ${known.join(', ')}` : 'the lab has no checkpoints',
    );
  }
  const steps: Step[] = having.map(({ spec, host, live }) => ({
    type: 'host',
    id: stepId(vmAddress(spec.name), 'delete-checkpoint'),
    address: vmAddress(spec.name),
    host,
    title: stepTitle.deleteCheckpoint(spec.name, options.name),
    dependsOn: [],
    timeoutMs: options.lab.settings.timeouts.step,
    operation: {
      op: 'removeCheckpoint',
      vm: spec.name,
      checkpoint: live.checkpoints.find((c) => c.toLowerCase() === options.name.toLowerCase())!,
    },
  }));
  return { lab: options.lab.name, steps };
}
