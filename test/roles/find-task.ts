import type { GuestTask } from '../../src/roles/guest-task.js';

/** The task `key` of `vm`; fails the test when it is missing. */
export function task(tasks: readonly GuestTask[], vm: string, key: string): GuestTask {
  const found = tasks.find((t) => t.vm === vm && t.key === key);
  if (!found)
    throw new Error(`no task ${vm}/${key}; have: ${tasks.map((t) => `${t.vm}/${t.key}`).join(', ')}`);
  return found;
}

/**
 * The keys of `vm`'s tasks: what its roles do. The record task each role ends with (its record in
 * the guest, src/roles/role-record.ts) is left out here; test/roles/role-record.test.ts pins it.
 */
export const keysOf = (tasks: readonly GuestTask[], vm: string): string[] =>
  tasks.filter((t) => t.vm === vm && t.operation.op !== 'recordRole').map((t) => t.key);

/** Position of a task in the list (within a VM, list order is run order). */
export const positionOf = (tasks: readonly GuestTask[], vm: string, key: string): number =>
  tasks.findIndex((t) => t.vm === vm && t.key === key);
