import { joinPointer } from '../pointer.js';
import type { RoleSpec, VmSpec } from '../lab.js';
import type { Rule } from './context.js';

interface RoleNode {
  id: string;
  label: string;
  pointer: string;
}

/**
 * Roles that wait for each other must not wait in a circle. Edges: a VM's roles run in order;
 * a member (and an extra DC, and DHCP authorisation) waits for its domain's first DC; a guarded
 * host for its HGS; an extra HGS node for the first; a guest cluster for its nodes and iSCSI targets.
 */
export const checkRoleCycles: Rule = (ctx) => {
  const { lab } = ctx;
  const nodes = new Map<string, RoleNode>();
  const edges = new Map<string, string[]>();
  const id = (vm: VmSpec, index: number) => `${vm.name}#${index}`;
  const firstDc = new Map<string, string>();
  const firstHgs = new Map<string, string>();
  for (const vm of lab.vms) {
    vm.roles.forEach((role, index) => {
      nodes.set(id(vm, index), {
        id: id(vm, index),
        label: `${vm.name} ${role.kind}`,
        pointer: joinPointer(vm.pointer, 'roles', index),
      });
      if (role.kind === 'domainController' && !firstDc.has(role.domain.toLowerCase()))
        firstDc.set(role.domain.toLowerCase(), id(vm, index));
      if (role.kind === 'hostGuardianService' && !firstHgs.has(vm.name)) firstHgs.set(vm.name, id(vm, index));
    });
  }
  const edge = (from: string, to: string | undefined) => {
    if (to !== undefined && to !== from) edges.set(from, [...(edges.get(from) ?? []), to]);
  };
  for (const vm of lab.vms) {
    const domainOf = (r: RoleSpec) =>
      r.kind === 'domainController' || r.kind === 'domainMember' ? r.domain.toLowerCase() : undefined;
    const ownDomain = vm.roles.map(domainOf).find((d) => d !== undefined);
    vm.roles.forEach((role, index) => {
      const self = id(vm, index);
      if (index > 0) edge(self, id(vm, index - 1));
      if (role.kind === 'domainMember' || role.kind === 'domainController')
        edge(self, firstDc.get(role.domain.toLowerCase()));
      if (role.kind === 'guardedHost') edge(self, firstHgs.get(role.hgs));
      if (role.kind === 'hostGuardianService' && role.join !== undefined) edge(self, firstHgs.get(role.join));
      if (role.kind === 'dhcpServer' && ownDomain !== undefined) edge(self, firstDc.get(ownDomain));
    });
  }
  for (const g of lab.guestClusters) {
    const self = `cluster:${g.name}`;
    nodes.set(self, {
      id: self,
      label: `guest cluster ${g.name}`,
      pointer: `/guestClusters/${lab.guestClusters.indexOf(g)}`,
    });
    for (const node of g.nodes) {
      const vm = ctx.vmByName.get(node);
      if (vm && vm.roles.length > 0) edge(self, id(vm, vm.roles.length - 1));
    }
    for (const vm of lab.vms)
      vm.roles.forEach(
        (r, i) =>
          r.kind === 'iscsiTarget' && r.initiators.some((n) => g.nodes.includes(n)) && edge(self, id(vm, i)),
      );
  }

  // Iterative DFS (colour marking) so a thousand VMs cannot overflow the stack.
  const state = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  for (const start of nodes.keys()) {
    if (state.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = edges.get(top.node) ?? [];
      if (top.next >= targets.length) {
        state.set(top.node, 2);
        stack.pop();
        continue;
      }
      const target = targets[top.next++]!;
      const s = state.get(target);
      if (s === undefined) {
        state.set(target, 1);
        stack.push({ node: target, next: 0 });
      } else if (s === 1) {
        const cycle = stack.slice(stack.findIndex((f) => f.node === target)).map((f) => f.node);
        const key = [...cycle].sort().join('|');
        if (reported.has(key)) continue;
        reported.add(key);
        const labels = cycle.map((n) => nodes.get(n)!.label);
        const at = nodes.get(cycle[0]!)!;
        ctx.report.error({
          rule: 'role-cycle',
          pointer: at.pointer,
          message: `roles wait for each other in a cycle: ${[...labels, labels[0]].join(' -> ')}`,
          hint: 'reorder the roles, or move one to another VM, so that no role waits (directly or through others) for itself',
        });
      }
    }
  }
};
