import type { Change } from '../model/change.js';
import type { DesiredGuestCluster, DesiredResource, DesiredRole } from '../desired/desired-resource.js';
import type { PlannedChange } from './planned-change.js';

/** What plan-time probing found for a role (or guest cluster) address. */
export type RoleState = 'done' | 'pending' | 'unknown';

/**
 * PURE: roles and guest clusters as changes. Probed done -> noop; probed pending -> create
 * ("will run"); not probed (VM off, absent or unreachable) -> create, safe since roles are idempotent.
 */
export function diffRoles(options: {
  desired: DesiredResource[];
  state: Map<string, RoleState>;
  mode?: 'apply' | 'destroy';
}): PlannedChange[] {
  if (options.mode === 'destroy') return [];
  const out: PlannedChange[] = [];
  for (const d of options.desired) {
    if (d.kind !== 'role' && d.kind !== 'guestCluster') continue;
    const state = options.state.get(d.address) ?? 'unknown';
    const change: Change = {
      address: d.address,
      kind: d.kind,
      action: state === 'done' ? 'noop' : 'create',
      requiresStop: false,
      diff: [],
      reason:
        state === 'done'
          ? 'done (probed in the guest)'
          : state === 'pending'
            ? 'will run (probes say not done)'
            : 'will run (roles are idempotent)',
      host: d.host,
    };
    out.push({ change, desired: d as DesiredRole | DesiredGuestCluster });
  }
  return out;
}
