/**
 * Plan against apply: apply a lab on the simulator (virtual clock, in memory), change its
 * manifest, plan, apply that plan, and compare what the plan said with what apply did.
 */
import { stringify } from 'yaml';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { executePlan } from '../../../src/executor/execute-plan.js';
import type { ExecuteResult } from '../../../src/executor/events.js';
import { silentLogger } from '../../../src/log/logger.js';
import { loadLabFromText } from '../../../src/manifest/load-lab.js';
import type { Lab } from '../../../src/manifest/lab.js';
import { assertPlanApplicable, hasChanges, makePlan } from '../../../src/app/make-plan.js';
import type { Plan } from '../../../src/plan/plan.js';
import { createSim, type SimProvider } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore, type SimStore } from '../../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../../src/secrets/resolver.js';
import { PASSWORD_ENV, type LabDoc, type Mutation } from './lab-model.js';
import { realityGaps } from './reality.js';
import { UserError } from '../../../src/errors.js';

process.env[PASSWORD_ENV] ??= 'Plan-Truth-Pa55word!';

/** One generated lab's world: a memory store shared by every simulator made for it, and one clock. */
export interface TruthWorld {
  store: SimStore;
  clock: VirtualClock;
}

export function newWorld(): TruthWorld {
  return { store: createMemoryStore(), clock: new VirtualClock() };
}

/** The manifest through the real pipeline (YAML text, schema, expansion, rules). */
export function loadDoc(doc: LabDoc): Lab {
  const { lab, diagnostics } = loadLabFromText({ text: stringify(doc), file: 'truth.yaml' });
  if (!lab)
    throw new Error(
      `the generated manifest is invalid:\n${diagnostics.map((d) => `${d.rule}: ${d.message}`).join('\n')}\n${stringify(doc)}`,
    );
  return lab;
}

export interface Round {
  plan: Plan;
  result: ExecuteResult;
}

async function context(
  world: TruthWorld,
  lab: Lab,
): Promise<{ provider: SimProvider; credentials: ReturnType<typeof createCredentialResolver> }> {
  const provider = await createSim({ lab, clock: world.clock, store: world.store });
  return { provider, credentials: createCredentialResolver({ lab }) };
}

/** Plan then apply that plan, as `labform apply -y` does. */
export async function planAndApply(world: TruthWorld, lab: Lab): Promise<Round> {
  const { provider, credentials } = await context(world, lab);
  const { plan } = await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' });
  assertPlanApplicable(plan);
  const result = await executePlan({
    plan,
    provider,
    credentials,
    clock: world.clock,
    parallelism: lab.settings.parallelism,
    perHostParallelism: lab.settings.perHostParallelism,
  });
  return { plan, result };
}

export async function planOnly(world: TruthWorld, lab: Lab): Promise<Plan> {
  const { provider, credentials } = await context(world, lab);
  return (await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' })).plan;
}

/**
 * Where the plan and apply disagree:
 * - a host or guest step apply ran (outcome done or failed) whose resource the plan shows as
 *   unchanged (waits are reads: apply waits for an unchanged DC's Active Directory before a
 *   member joins, and that changes nothing);
 * - a step the plan holds that apply skipped because its probe said it was already done, on a
 *   resource the plan could probe (a VM being created or replaced has no guest to ask yet: its
 *   computer name, set by the answer file, is only checked);
 * - a change the plan shows that has no step at all (nothing would happen);
 * - a step that failed (the plan promised something apply cannot do).
 */
export function disagreements(round: Round): string[] {
  const out: string[] = [];
  const changes = round.plan.changes.filter((c) => c.action !== 'noop');
  const shown = new Set(changes.map((c) => c.address));
  const fresh = new Set(
    changes
      .filter((c) => c.kind === 'vm' && (c.action === 'create' || c.action === 'replace'))
      .map((c) => c.address),
  );
  const byId = new Map(round.plan.steps.map((s) => [s.id, s]));
  for (const r of round.result.steps) {
    const step = byId.get(r.id);
    const vm = step && step.type !== 'host' ? `vm.${step.vm}` : r.address;
    if ((r.outcome === 'done' || r.outcome === 'failed') && step?.type !== 'wait' && !shown.has(r.address))
      out.push(`apply ran ${r.id} (${r.title}), the plan shows ${r.address} unchanged`);
    if (r.outcome === 'skipped-done' && !fresh.has(vm))
      out.push(`the plan holds ${r.id} (${r.title}), apply skipped it as already done`);
    if (r.outcome === 'failed') out.push(`apply failed at ${r.id}: ${r.error?.message ?? ''}`);
  }
  const stepped = new Set(round.plan.steps.map((s) => s.address));
  for (const address of shown)
    if (!stepped.has(address)) out.push(`the plan shows a change to ${address}, apply has no step for it`);
  return out;
}

/** What a plan right after a successful apply still finds to do (it must find nothing). */
export function leftovers(plan: Plan): string[] {
  const out: string[] = [];
  if (hasChanges(plan))
    out.push(
      ...plan.changes
        .filter((c) => c.action !== 'noop')
        .map(
          (c) =>
            `second plan: ${c.action} ${c.address}${c.reason ? ` (${c.reason})` : ''} ${c.diff.map((d) => `${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`).join('; ')}`,
        ),
    );
  if (plan.steps.length > 0) out.push(...plan.steps.map((s) => `second plan: step ${s.id}`));
  if (plan.warnings.some((w) => w.severity === 'error'))
    out.push(...plan.warnings.map((w) => `second plan: ${w.rule}: ${w.message}`));
  return out;
}

/** A change of the manifest, or a mutation (which may also change the world: host media, a guest's files). */
export type TruthChange = ((doc: LabDoc) => void) | Pick<Mutation, 'mutate' | 'world'>;

/**
 * The acceptance round: the base lab applied (it must converge), then each mutation applied in
 * turn; returns every disagreement (empty when the plan told the whole truth).
 */
export async function truthOf(base: LabDoc, changes: TruthChange[]): Promise<string[]> {
  const world = newWorld();
  {
    const problems: string[] = [];
    let doc = structuredClone(base);
    const first = await planAndApply(world, loadDoc(doc));
    if (first.result.rootCauses.length > 0)
      return [
        `the base lab failed to apply: ${first.result.rootCauses.map((r) => `${r.id}: ${r.error?.message}`).join('; ')}`,
      ];
    const settled = leftovers(await planOnly(world, loadDoc(doc)));
    if (settled.length > 0) return [`the base lab does not converge: ${settled.join('; ')}`];
    for (const change of changes) {
      doc = structuredClone(doc);
      const { mutate, world: outside } = typeof change === 'function' ? { mutate: change } : change;
      mutate(doc);
      const lab = loadDoc(doc);
      if (outside) await outside((await context(world, lab)).provider, doc);
      let round: Round;
      try {
        round = await planAndApply(world, lab);
      } catch (error) {
        const detail =
          error instanceof UserError
            ? error.diagnostics.map((d) => `${d.rule}: ${d.message}`).join('; ')
            : '';
        problems.push(`plan refused: ${error instanceof Error ? error.message : String(error)} ${detail}`);
        return problems;
      }
      problems.push(...disagreements(round));
      if (round.result.rootCauses.length > 0) return problems;
      problems.push(...leftovers(await planOnly(world, lab)));
      problems.push(...(await realityGaps(lab, (await context(world, lab)).provider)));
    }
    return problems;
  }
}
