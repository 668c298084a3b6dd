import type { Lab } from '../manifest/lab.js';
import type { GuestTask } from '../roles/guest-task.js';
import { guestTasks } from '../roles/lab-guest-tasks.js';

/**
 * Which lab VMs need which others up first: a domain member needs its domain's DCs, a guarded
 * host its HGS, an extra HGS node the first one, plus the cross-VM `after` edges of the lab's
 * guest tasks (when given) that do not contradict those. Map: VM -> the VMs it depends on.
 */
export function vmDependencies(options: {
  lab: Lab;
  tasks?: readonly GuestTask[];
}): Map<string, Set<string>> {
  const { lab } = options;
  const deps = new Map<string, Set<string>>(lab.vms.map((vm) => [vm.name, new Set<string>()]));
  const add = (vm: string, on: string) => {
    if (vm !== on && deps.has(on)) deps.get(vm)?.add(on);
  };
  const dcsOf = (domain: string) =>
    lab.vms
      .filter((v) =>
        v.roles.some((r) => r.kind === 'domainController' && r.domain.toLowerCase() === domain.toLowerCase()),
      )
      .map((v) => v.name);
  for (const vm of lab.vms) {
    for (const role of vm.roles) {
      if (role.kind === 'domainMember') for (const dc of dcsOf(role.domain)) add(vm.name, dc);
      if (role.kind === 'domainController') {
        // Additional DCs need the forest's first DC.
        const first = dcsOf(role.domain)[0];
        if (first) add(vm.name, first);
      }
      if (role.kind === 'guardedHost') add(vm.name, role.hgs);
      if (role.kind === 'hostGuardianService' && role.join) add(vm.name, role.join);
    }
  }
  // A task edge never reverses the roles' order: a DC task that runs after a member joined
  // (a group of guarded hosts) must not make the DC wait for the member at boot. An edge that
  // would close a cycle is left out, so the order stays a DAG (start and stop walk it).
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const current = queue.pop()!;
      if (current === to) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      queue.push(...(deps.get(current) ?? []));
    }
    return false;
  };
  for (const task of options.tasks ?? []) {
    for (const after of task.after) if (!reaches(after.vm, task.vm)) add(task.vm, after.vm);
  }
  return deps;
}

/** Every VM that (transitively) depends on `vm`. */
export function dependentsOf(vm: string, deps: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const out = new Set<string>();
  const queue = [vm];
  while (queue.length > 0) {
    const current = queue.pop()!;
    for (const [other, on] of deps) {
      if (on.has(current) && !out.has(other) && other !== vm) {
        out.add(other);
        queue.push(other);
      }
    }
  }
  return out;
}

/** The lab's VM dependencies, with the guest tasks' cross-VM edges when the roles can produce them. */
export function labVmDependencies(lab: Lab): Map<string, Set<string>> {
  let tasks: GuestTask[] | undefined;
  try {
    tasks = guestTasks({ lab });
  } catch {
    // The roles alone still give the order (DCs before members, HGS before guarded hosts).
    tasks = undefined;
  }
  return vmDependencies({ lab, tasks });
}
