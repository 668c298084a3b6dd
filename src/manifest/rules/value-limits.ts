import { diskSizeProblem, durationProblem, MAX_MEMORY } from '../../model/hyperv-rules.js';
import { joinPointer } from '../pointer.js';
import { formatSize } from '../../model/units.js';
import type { Rule } from './context.js';

/**
 * Values Hyper-V refuses (src/model/hyperv-rules.ts), found at validate instead of halfway
 * through an apply: disk sizes (shared disks, new data disks, iSCSI target disks), memory above
 * the per-VM maximum, dynamic memory limits, and timeouts.
 */
export const checkValueLimits: Rule = (ctx) => {
  const { lab, report } = ctx;
  lab.disks.forEach((disk, i) => {
    const problem = diskSizeProblem(disk.size, disk.format);
    if (problem)
      report.error({
        rule: 'disk-size',
        pointer: `/disks/${i}/size`,
        message: `disk ${disk.name}: ${problem}`,
        hint: DISK_HINT,
      });
  });
  for (const vm of ctx.entryVms) {
    const name = ctx.entryName(vm);
    vm.disks.forEach((d, j) => {
      if (d.kind !== 'new') return;
      const problem = diskSizeProblem(d.size, 'vhdx');
      if (problem)
        report.error({
          rule: 'disk-size',
          pointer: joinPointer(vm.pointer, 'disks', j, 'size'),
          message: `vm ${name}: data disk ${j + 1}: ${problem}`,
          hint: DISK_HINT,
        });
    });
    vm.roles.forEach((role, r) => {
      if (role.kind !== 'iscsiTarget') return;
      role.disks.forEach((d, k) => {
        // An iSCSI Target Server virtual disk is a VHDX file.
        const problem = diskSizeProblem(d.size, 'vhdx');
        if (problem)
          report.error({
            rule: 'disk-size',
            pointer: joinPointer(vm.pointer, 'roles', r, 'iscsiTarget', 'disks', k, 'size'),
            message: `vm ${name}: iSCSI disk ${d.name}: ${problem}`,
            hint: DISK_HINT,
          });
      });
    });
    const raw = ctx.rawVm(vm);
    const object = typeof raw.memory === 'object';
    const max = MAX_MEMORY[vm.generation];
    for (const [key, value] of [
      ['startup', vm.memory.startup],
      ['minimum', vm.memory.minimum],
      ['maximum', vm.memory.maximum],
    ] as const) {
      if (value === undefined) continue;
      const pointer = object ? joinPointer(vm.pointer, 'memory', key) : joinPointer(vm.pointer, 'memory');
      if (value > max || !Number.isSafeInteger(value)) {
        report.error({
          rule: 'memory-limit',
          pointer,
          message: `vm ${name}: memory ${key} ${formatSize(value)} is above the ${formatSize(max)} Hyper-V allows a generation ${vm.generation} VM`,
          hint: 'Hyper-V gives a generation 2 VM at most 12TB of memory, a generation 1 VM 1TB',
        });
      } else if (key !== 'startup' && value < 32 * 1024 ** 2) {
        report.error({
          rule: 'memory-limit',
          pointer,
          message: `vm ${name}: dynamic memory ${key} ${formatSize(value)} is below Hyper-V's 32MB minimum`,
        });
      }
    }
  }
  const timeouts = (ctx.raw.settings?.timeouts ?? {}) as Record<string, unknown>;
  for (const [key, ms] of Object.entries(lab.settings.timeouts)) {
    if (timeouts[key] === undefined) continue;
    const problem = durationProblem(ms);
    if (problem)
      report.error({
        rule: 'duration-range',
        pointer: `/settings/timeouts/${key}`,
        message: `settings.timeouts.${key} is ${String(timeouts[key])}: ${problem}`,
        hint: 'give a duration such as 90s, 10m or 2h',
      });
  }
};

const DISK_HINT =
  'a virtual disk is at least 3MB, a whole number of 512-byte sectors (e.g. 40GB), and at most 64TB (VHDX) or 2040GB (VHD)';
