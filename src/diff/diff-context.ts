import type { Lab } from '../manifest/lab.js';
import type { Change, Conflict, PropertyDiff } from '../model/change.js';
import type { HostState } from '../model/live-state.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { NetworkRename } from './network-renames.js';

/** What every resource diff reads, and where conflicts are collected. */
export interface Ctx {
  lab: Lab;
  live: Map<string, HostState>;
  requiresStop: (path: string) => boolean;
  conflicts: Conflict[];
  /** Plan-time refusals found while diffing (a disk to shrink). */
  diagnostics: Diagnostic[];
  /** Networks the plan renames (network-renames.ts). */
  renames: NetworkRename[];
  /** Per host: old switch name (lower case) -> new name, for the renames. */
  switchRenames: Map<string, Map<string, string>>;
}

/** A change; `requiresStop` when any property needs the VM off. */
export function make(
  address: string,
  kind: Change['kind'],
  action: Change['action'],
  host: string,
  diff: PropertyDiff[],
  reason?: string,
): Change {
  return { address, kind, action, requiresStop: diff.some((d) => d.requiresStop), diff, reason, host };
}
