/**
 * Hand-built plan steps and guest tasks for tests, and `runsBefore`, the order check on a built
 * step graph.
 */
import type { GuestStep, HostStep, Step, WaitStep } from '../../src/plan/plan.js';
import type { HostOperation } from '../../src/model/host-operation.js';
import type { GuestOperation } from '../../src/model/guest-operation.js';
import type { GuestTask } from '../../src/roles/guest-task.js';

const HOUR = 3_600_000;

export function hostStep(
  id: string,
  operation: HostOperation,
  options: { host?: string; dependsOn?: string[]; timeoutMs?: number } = {},
): HostStep {
  return {
    type: 'host',
    id,
    address: id.split('/')[0]!,
    host: options.host ?? 'hv01',
    title: id,
    dependsOn: options.dependsOn ?? [],
    timeoutMs: options.timeoutMs ?? HOUR,
    operation,
  };
}

export function waitStep(
  id: string,
  wait: WaitStep['wait'],
  vm: string,
  options: {
    host?: string;
    dependsOn?: string[];
    timeoutMs?: number;
    credential?: string;
    stablePolls?: number;
  } = {},
): WaitStep {
  return {
    type: 'wait',
    id,
    address: `vm.${vm}`,
    host: options.host ?? 'hv01',
    title: id,
    dependsOn: options.dependsOn ?? [],
    timeoutMs: options.timeoutMs ?? 600_000,
    wait,
    vm,
    os: 'windows',
    credential: options.credential ?? 'lab-admin',
    stablePolls: options.stablePolls,
  };
}

export function guestStep(
  id: string,
  vm: string,
  operation: GuestOperation,
  options: {
    host?: string;
    dependsOn?: string[];
    timeoutMs?: number;
    credential?: string;
    rebootCredential?: string;
    probe?: boolean;
  } = {},
): GuestStep {
  return {
    type: 'guest',
    id,
    address: `vm.${vm}`,
    host: options.host ?? 'hv01',
    title: id,
    dependsOn: options.dependsOn ?? [],
    timeoutMs: options.timeoutMs ?? HOUR,
    vm,
    os: 'windows',
    credential: options.credential ?? 'lab-admin',
    rebootCredential: options.rebootCredential,
    operation,
    probe: options.probe ?? true,
  };
}

export const startVm = (name: string): HostOperation => ({ op: 'startVm', name });
export const createVm = (name: string): HostOperation => ({
  op: 'createVm',
  name,
  generation: 2,
  path: `D:\\Labs\\${name}`,
  memoryStartup: 2 ** 31,
  notes: 'labform:lab=test',
});

/** Whether `later` (transitively) depends on `earlier`. */
export function runsBefore(steps: readonly Step[], earlier: string, later: string): boolean {
  const byId = new Map(steps.map((s) => [s.id, s]));
  if (!byId.has(earlier)) throw new Error(`no step ${earlier} in ${[...byId.keys()].join(', ')}`);
  if (!byId.has(later)) throw new Error(`no step ${later} in ${[...byId.keys()].join(', ')}`);
  const seen = new Set<string>();
  const stack = [...byId.get(later)!.dependsOn];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === earlier) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return false;
}

/** A guest task of `vm` (`base/...` or `<role>/...`) running a script, for the step builder. */
export function task(vm: string, key: string, extra: Partial<GuestTask> = {}): GuestTask {
  return {
    key,
    address: key.startsWith('base/') ? `vm.${vm}` : `role.${vm}.${key.split('/')[0]}`,
    vm,
    host: 'hv01',
    os: 'windows',
    title: `${key} on ${vm}`,
    operation: { op: 'runScript', id: `${vm}-${key}`, run: 'x', shell: 'powershell', reboots: false },
    credential: 'lab-admin',
    after: [],
    ...extra,
  };
}
