import type { Plan } from '../plan/plan.js';

const SYMBOL: Record<string, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: ' ' };

/**
 * A short list of a plan's changes and conflicts: the fallback used before confirmation when
 * the full plan renderer is not available.
 */
export function formatChangesBrief(plan: Plan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    if (change.action === 'noop') continue;
    const flags = change.requiresStop ? ' (requires stop)' : '';
    lines.push(`  ${SYMBOL[change.action]} ${change.address}${flags}${change.reason ? `: ${change.reason}` : ''}`);
  }
  for (const conflict of plan.conflicts) lines.push(`  ! ${conflict.address} on ${conflict.host}: ${conflict.message}`);
  const s = plan.summary;
  lines.push(`Plan: ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy.`);
  return lines.join('\n');
}
