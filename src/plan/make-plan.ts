import type { Lab } from '../manifest/lab.js';
import type { Provider } from '../providers/provider.js';
import type { HostState } from '../providers/live-state.js';
import type { CredentialResolver } from '../secrets/secret.js';
import type { Logger } from '../log/logger.js';
import type { Plan } from './plan.js';
import { InternalError } from '../errors.js';

export interface MakePlanOptions {
  lab: Lab;
  provider: Provider;
  credentials: CredentialResolver;
  logger: Logger;
  /** `destroy`: every resource the lab owns is deleted. */
  mode: 'apply' | 'destroy';
  /** Run role probes inside running, reachable guests (plan output); default true. */
  probeRoles?: boolean;
}

export interface MakePlanResult {
  plan: Plan;
  /** The live state the plan was made from, per host (one discover() per host). */
  live: Map<string, HostState>;
}

/** Live state (one round trip per host, concurrently) x desired state -> the plan. */
export async function makePlan(options: MakePlanOptions): Promise<MakePlanResult> {
  throw new InternalError(`makePlan is not built yet (${options.lab.name})`);
}
