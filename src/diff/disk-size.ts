/**
 * PURE: a disk whose size the manifest changed. Hyper-V grows a VHD or VHDX in place
 * (Resize-VHD, https://learn.microsoft.com/powershell/module/hyper-v/resize-vhd): on a running
 * VM only a VHDX on the SCSI chain, otherwise the VM must be off. Shrinking would cut the
 * volume inside (Resize-VHD refuses below the minimum size), so labform refuses it at plan time.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { Lab } from '../manifest/lab.js';
import type { PropertyDiff } from '../model/change.js';
import { formatSize } from '../model/units.js';

/** The size change to plan, or the reason it is refused. */
export type SizeChange = { grow: PropertyDiff } | { shrink: Diagnostic } | undefined;

export function diskSizeChange(options: {
  lab: Lab;
  what: string;
  path: string;
  host: string;
  live: number;
  wanted: number;
  pointer: string;
  /** The property path in the plan (`size`, `disks.SCSI.0.1.size`). */
  property: string;
  /** The disk is on a running VM's IDE chain, or is a VHD attached to a running VM: resize only while off. */
  offlineOnly: boolean;
}): SizeChange {
  const { lab, live, wanted } = options;
  if (live === wanted) return undefined;
  if (wanted > live)
    return {
      grow: {
        path: options.property,
        before: live,
        after: wanted,
        ...(options.offlineOnly ? { requiresStop: true } : {}),
      },
    };
  const at = lab.positions[options.pointer] ?? lab.positions[options.pointer.replace(/\/[^/]+$/, '')];
  return {
    shrink: {
      severity: 'error',
      rule: 'disk-shrink',
      message: `${options.what} ${options.path} on ${options.host} is ${formatSize(live)}; the manifest asks for ${formatSize(wanted)}: a disk is never shrunk (the volume inside would be cut)`,
      hint: `keep the size at ${formatSize(live)} or more, or remove the disk from the manifest and add a new one (its data is lost)`,
      file: lab.file,
      line: at?.line ?? 0,
      column: at?.column ?? 0,
      pointer: options.pointer,
    },
  };
}
