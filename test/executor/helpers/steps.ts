import type { GuestStep, HostStep, WaitStep } from '../../../src/plan/plan.js';
import type { HostOperation } from '../../../src/model/host-operation.js';
import type { GuestOperation } from '../../../src/model/guest-operation.js';

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
