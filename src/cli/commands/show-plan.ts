import { readFile } from 'node:fs/promises';
import type { CommandIo } from '../io.js';
import { ExitCode } from '../exit-codes.js';
import { readSavedPlan } from '../../app/saved-plan.js';
import { formatPlanJson } from '../../render/plan-json.js';
import { formatPlanText } from '../../render/plan-text.js';

/** Whether FILE is a plan saved with `plan --out` (JSON of format labform-plan/1), not a manifest. */
export async function isSavedPlanFile(file: string): Promise<boolean> {
  try {
    const head = (await readFile(file, 'utf8')).slice(0, 200);
    return /^\s*\{[\s\S]*"format"\s*:\s*"labform-plan\//.test(head);
  } catch {
    return false;
  }
}

/** `labform show PLANFILE [--json]`: a saved plan as `plan` printed it; touches no host. */
export async function runShowPlan(options: { file: string; json: boolean; io: CommandIo }): Promise<number> {
  const plan = await readSavedPlan(options.file);
  options.io.stdout.write(
    options.json ? formatPlanJson(plan) : formatPlanText(plan, { color: options.io.color }),
  );
  return ExitCode.ok;
}
