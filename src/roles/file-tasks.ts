/**
 * `files:` of a VM: one guest task per entry, copying a host folder or file into the guest once
 * it answers (PowerShell Direct, or SSH for Linux) and before its roles, which may need the
 * media (a script role running setup.exe from the copied folder). The tasks belong to the VM
 * (`vm.<name>`): the plan shows a copy that differs as a change of the VM (`files[i]`).
 */
import type { GuestTask } from './guest-task.js';
import { ownTask, type RoleContext } from './role-context.js';

export function fileCopyTasks(ctx: RoleContext): GuestTask[] {
  const vm = ctx.cursor.vm;
  return vm.files.map((entry, i) =>
    ownTask(ctx, `files/${i}`, `copy ${entry.from} to ${entry.to} in ${vm.name}`, {
      op: 'copyFiles',
      from: entry.from,
      to: entry.to,
    }),
  );
}
