/**
 * Base configuration of a Windows guest with an image: its computer name (normally already set
 * by the answer file, so only the probe runs) and each configured adapter, found by MAC.
 */
import type { GuestTask } from './guest-task.js';
import { ownTask, type RoleContext } from './role-context.js';
import { defaultDns, natGateway } from './network-defaults.js';

export function baseTasks(options: { ctx: RoleContext; macs: string[] }): GuestTask[] {
  const { ctx, macs } = options;
  const vm = ctx.cursor.vm;
  const tasks: GuestTask[] = [
    ownTask(ctx, 'computerName', `set computer name of ${vm.name} to ${vm.computerName}`, {
      op: 'setComputerName',
      computerName: vm.computerName,
    }),
  ];
  vm.network.forEach((adapter, i) => {
    // No `ip:` means labform leaves the adapter's addressing alone.
    if (adapter.ip.kind === 'none') return;
    const mac = macs[i]!;
    const network = ctx.index.lab.networks.find((n) => n.name === adapter.network);
    const dns = network ? defaultDns({ index: ctx.index, vm, network }) : [];
    if (adapter.ip.kind === 'dhcp') {
      tasks.push(
        ownTask(ctx, `network/${mac}`, `DHCP on ${vm.name}'s adapter ${mac} (${adapter.network})`, {
          op: 'setNetwork',
          mac,
          dhcp: true,
          addresses: [],
          dns,
        }),
      );
      return;
    }
    const gateway = network ? natGateway(network) : undefined;
    const operation = {
      op: 'setNetwork' as const,
      mac,
      dhcp: false,
      addresses: [{ address: adapter.ip.address, prefixLength: adapter.ip.prefixLength }],
      dns,
      ...(gateway ? { gateway } : {}),
    };
    tasks.push(
      ownTask(
        ctx,
        `network/${mac}`,
        `address ${adapter.ip.address}/${adapter.ip.prefixLength} on ${vm.name}'s adapter ${mac} (${adapter.network})`,
        operation,
      ),
    );
  });
  return tasks;
}
