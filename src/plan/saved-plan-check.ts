import { UserError } from '../errors.js';
import type { Change, Conflict } from '../model/change.js';
import type { Plan, Step } from './plan.js';

/**
 * A saved plan is a claim, not an instruction. `apply FILE PLAN` re-derives the plan from the
 * same manifest and the same live state (both already checked by hash) and runs only the
 * re-derived steps, after checking that the file says exactly that: its changes, summary and
 * conflicts, and every step (id, operation, dependencies, timeouts). A file edited by hand or
 * by a tool (a step appended, `create` turned into `delete`, a summary that says less than the
 * steps do) is refused with exit 1, saying what differs; nothing runs.
 */
export function checkSavedPlanMatches(options: {
  saved: Plan;
  derived: Plan;
  file: string;
  sameHosts?: string;
}): void {
  const { saved, derived } = options;
  const differences = [
    ...changeDifferences(saved.changes, derived.changes),
    ...summaryDifferences(saved, derived),
    ...conflictDifferences(saved.conflicts, derived.conflicts),
    ...stepDifferences(saved.steps, derived.steps),
  ];
  if (differences.length === 0) return;
  const shown = differences
    .slice(0, 8)
    .map((d) => `\n  - ${d}`)
    .join('');
  const more = differences.length > 8 ? `\n  - and ${differences.length - 8} more` : '';
  throw new UserError(
    `${options.file} does not match what the manifest and the hosts call for; nothing was run:${shown}${more}`,
    [],
    `the plan file was changed after it was made, or the guests changed since; make it again: labform plan ${saved.manifest.file} --out PLAN${options.sameHosts ?? ''}`,
  );
}

const json = (value: unknown) => JSON.stringify(value);

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) out.set(key(item), item);
  return out;
}

function changeDifferences(saved: readonly Change[], derived: readonly Change[]): string[] {
  const out: string[] = [];
  const wanted = byKey(derived, (c) => c.address);
  const given = byKey(saved, (c) => String(c?.address));
  for (const [address, c] of given) {
    const d = wanted.get(address);
    if (!d) out.push(`change ${address} (${String(c?.action)}) is not called for`);
    else if (c.action !== d.action)
      out.push(`change ${address} says ${String(c.action)}, but it is ${d.action}`);
    else if (json(c) !== json(d)) out.push(`change ${address} (${d.action}) differs in its details`);
  }
  for (const [address, d] of wanted)
    if (!given.has(address)) out.push(`change ${address} (${d.action}) is missing`);
  return out;
}

function summaryDifferences(saved: Plan, derived: Plan): string[] {
  if (json(saved.summary) === json(derived.summary)) return [];
  const s = derived.summary;
  return [
    `the summary says ${json(saved.summary)}, but the changes are ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy`,
  ];
}

function conflictDifferences(saved: readonly Conflict[], derived: readonly Conflict[]): string[] {
  if (json(saved) === json(derived)) return [];
  return [`the conflicts differ (the file lists ${saved.length}, the hosts give ${derived.length})`];
}

function describeStep(step: Step | undefined): string {
  if (!step || typeof step !== 'object') return String(step);
  const op = step.type === 'host' || step.type === 'guest' ? ` ${json(step.operation)}` : '';
  return `${step.id} "${step.title}"${op}`;
}

function stepDifferences(saved: readonly Step[], derived: readonly Step[]): string[] {
  const out: string[] = [];
  const wanted = byKey(derived, (s) => s.id);
  const given = new Map<string, Step>();
  for (const step of saved) {
    const id = String(step?.id);
    if (given.has(id)) out.push(`step ${id} appears twice`);
    given.set(id, step);
  }
  for (const [id, step] of given) {
    const d = wanted.get(id);
    if (!d) out.push(`step ${describeStep(step)} is not called for`);
    else if (json(step) !== json(d))
      out.push(`step ${id} differs: the file says ${describeStep(step)}, the plan is ${describeStep(d)}`);
  }
  for (const [id, d] of wanted)
    if (!given.has(id)) out.push(`step ${describeStep(d)} is missing from the file`);
  return out;
}
