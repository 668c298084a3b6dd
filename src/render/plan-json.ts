import type { Plan } from '../plan/plan.js';

/** The `plan --json` document (docs/contract.md section 5), with conflicts, warnings, errors and steps added. */
export function planJson(plan: Plan): Record<string, unknown> {
  return {
    format: plan.format,
    lab: plan.lab,
    changes: plan.changes.map((c) => ({
      address: c.address,
      kind: c.kind,
      action: c.action,
      requiresStop: c.requiresStop,
      diff: c.diff.map((d) => ({
        path: d.path,
        before: d.before,
        after: d.after,
        ...(d.forcesReplace ? { forcesReplace: true } : {}),
        ...(d.requiresStop ? { requiresStop: true } : {}),
      })),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.host ? { host: c.host } : {}),
      ...(c.hosts ? { hosts: c.hosts } : {}),
      ...(c.after ? { after: c.after } : {}),
    })),
    summary: plan.summary,
    conflicts: plan.conflicts,
    warnings: plan.warnings,
    manifest: plan.manifest,
    liveFingerprint: plan.liveFingerprint,
    steps: plan.steps,
    ...(plan.storage ? { storage: plan.storage } : {}),
  };
}

/** JSON text; Secret values (if any slipped in) serialise as `(sensitive)` through their toJSON. */
export function formatPlanJson(plan: Plan): string {
  return `${JSON.stringify(planJson(plan), null, 2)}\n`;
}
