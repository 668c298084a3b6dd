import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { describeFsError } from '../fs-error.js';
import type { HostState } from '../model/live-state.js';
import type { Plan } from '../plan/plan.js';
import { fingerprintLive } from '../plan/fingerprint.js';

/** Save a plan (`plan --out`), atomically so a crash never leaves half a plan. */
export async function writeSavedPlan(file: string, plan: Plan): Promise<void> {
  // Loaded here: only `plan --out` writes a plan, and every plan and apply loads this module.
  const { default: writeFileAtomic } = await import('write-file-atomic');
  try {
    await writeFileAtomic(file, `${JSON.stringify(plan, null, 2)}\n`, { encoding: 'utf8' });
  } catch (error) {
    throw new UserError(
      `cannot write the plan to ${file}: ${describeFsError(error)}`,
      [],
      'give --out a path in a folder you can write to',
    );
  }
}

const SAVE_HINT = 'save a plan with: labform plan FILE --out PLAN, then labform apply FILE PLAN';

/** The fields of a saved plan apply relies on that are absent or of the wrong type. */
function missingPlanFields(plan: Plan): string[] {
  const p = plan as unknown as Record<string, unknown>;
  const manifest = p.manifest as Record<string, unknown> | undefined;
  const checks: [string, boolean][] = [
    ['lab', typeof p.lab === 'string'],
    ['manifest.file', typeof manifest?.file === 'string'],
    ['manifest.sha256', typeof manifest?.sha256 === 'string'],
    ['liveFingerprint', typeof p.liveFingerprint === 'string'],
    ['changes', Array.isArray(p.changes)],
    ['summary', typeof p.summary === 'object' && p.summary !== null],
    ['conflicts', Array.isArray(p.conflicts)],
    ['steps', Array.isArray(p.steps)],
  ];
  return checks.filter(([, ok]) => !ok).map(([name]) => name);
}

/** Read a plan saved with `plan --out`; a file that is not one is a UserError. */
export async function readSavedPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the plan file ${file}: ${describeFsError(error)}`, [], SAVE_HINT);
  }
  let plan: Plan;
  try {
    plan = JSON.parse(text) as Plan;
  } catch {
    throw new UserError(
      `${file} is not a labform plan: it is not JSON (a plan is the file written by plan --out)`,
      [],
      SAVE_HINT,
    );
  }
  const format = (plan as { format?: unknown } | null)?.format;
  if (format !== 'labform-plan/1') {
    const found = format === undefined ? 'it has no format field' : `its format is ${JSON.stringify(format)}`;
    throw new UserError(
      `${file} is not a labform plan: ${found}, a plan has format "labform-plan/1"`,
      [],
      SAVE_HINT,
    );
  }
  const missing = missingPlanFields(plan);
  if (missing.length > 0) {
    throw new UserError(
      `${file} says format labform-plan/1 but is not a whole plan: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing or of the wrong type (was it cut short or edited?)`,
      [],
      SAVE_HINT,
    );
  }
  return plan;
}

/** Refuse a saved plan made for another manifest content or from live state that has changed since. */
export function checkPlanIsCurrent(options: {
  plan: Plan;
  live: Map<string, HostState>;
  manifestSha: string;
  sameHosts?: string;
}): void {
  const { plan } = options;
  const again = `labform plan ${plan.manifest.file} --out PLAN${options.sameHosts ?? ''}`;
  if (plan.manifest.sha256 !== options.manifestSha) {
    throw new UserError('the manifest changed since this plan was made; run plan again', [], again);
  }
  if (plan.liveFingerprint !== fingerprintLive(options.live)) {
    throw new UserError('the hosts changed since this plan was made; run plan again', [], again);
  }
}
