/**
 * Base configuration of a Windows guest with an image: its computer name (normally already set
 * by the answer file, so only the probe runs) and each configured adapter, found by MAC.
 */
import type { GuestTask } from './guest-task.js';
import { ownTask, type RoleContext } from './role-context.js';
import { vmNetworkSettings } from './network-defaults.js';

export function baseTasks(options: { ctx: RoleContext; macs: string[] }): GuestTask[] {
  const { ctx, macs } = options;
  const vm = ctx.cursor.vm;
  const tasks: GuestTask[] = [
    ownTask(ctx, 'computerName', `set computer name of ${vm.name} to ${vm.computerName}`, {
      op: 'setComputerName',
      computerName: vm.computerName,
    }),
  ];
  for (const a of vmNetworkSettings({ index: ctx.index, vm, macs })) {
    const title = a.dhcp
      ? `DHCP on ${vm.name}'s adapter ${a.mac} (${a.network})`
      : `address ${a.addresses[0]!.address}/${a.addresses[0]!.prefixLength} on ${vm.name}'s adapter ${a.mac} (${a.network})`;
    tasks.push(
      ownTask(ctx, `network/${a.mac}`, title, {
        op: 'setNetwork',
        mac: a.mac,
        dhcp: a.dhcp,
        addresses: a.addresses,
        dns: a.dns,
        ...(a.gateway ? { gateway: a.gateway } : {}),
      }),
    );
  }
  return tasks;
}
