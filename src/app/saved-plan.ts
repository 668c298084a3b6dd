import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../errors.js';
import type { HostState } from '../model/live-state.js';
import type { Plan } from '../plan/plan.js';
import { fingerprintLive } from '../plan/fingerprint.js';

/** Save a plan (`plan --out`), atomically so a crash never leaves half a plan. */
export async function writeSavedPlan(file: string, plan: Plan): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(plan, null, 2)}\n`, { encoding: 'utf8' });
  } catch (error) {
    throw new UserError(`cannot write plan ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Read a plan saved with `plan --out`; a file that is not one is a UserError. */
export async function readSavedPlan(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read plan ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let plan: Plan;
  try {
    plan = JSON.parse(text) as Plan;
  } catch {
    throw new UserError(`${file} is not a labform plan (not JSON)`);
  }
  if (plan?.format !== 'labform-plan/1' || !Array.isArray(plan.steps) || typeof plan.liveFingerprint !== 'string') {
    throw new UserError(`${file} is not a labform plan (format labform-plan/1)`, [], 'save one with labform plan FILE --out PLAN');
  }
  return plan;
}

/** Refuse a saved plan made for another manifest content or from live state that has changed since. */
export function checkPlanIsCurrent(options: { plan: Plan; live: Map<string, HostState>; manifestSha: string }): void {
  const { plan } = options;
  if (plan.manifest.sha256 !== options.manifestSha) {
    throw new UserError('the manifest changed since this plan was made; run plan again', [], `labform plan ${plan.manifest.file} --out PLAN`);
  }
  if (plan.liveFingerprint !== fingerprintLive(options.live)) {
    throw new UserError('the hosts changed since this plan was made; run plan again', [], `labform plan ${plan.manifest.file} --out PLAN`);
  }
}
