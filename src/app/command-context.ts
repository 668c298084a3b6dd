import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { describeFsError } from '../fs-error.js';
import { UserError } from '../errors.js';
import { makeDirectorySync } from '../make-directory.js';
import { loadLab } from '../manifest/load-lab.js';
import type { Lab } from '../manifest/lab.js';
import { createCredentialResolver } from '../secrets/resolver.js';
import type { CredentialResolver } from '../secrets/secret.js';
import { createProvider } from '../providers/create-provider.js';
import type { Provider } from '../providers/provider.js';
import { RealClock, type Clock } from '../clock/clock.js';
import { createLogger } from '../log/create-logger.js';
import { hyperVTestClockSpeed } from '../providers/hyperv/test-hooks.js';
import type { Logger } from '../log/logger.js';
import type { GlobalOptions } from './global-options.js';
import { faultsFromEnv, simSpeedFrom } from './environment-settings.js';
import { makePlan, type MakePlanOptions, type MakePlanResult } from './make-plan.js';

export { DEFAULT_SIM_SPEED, faultsFromEnv } from './environment-settings.js';

export interface CommandContext {
  lab: Lab;
  stateDir: string;
  credentials: CredentialResolver;
  provider: Provider;
  clock: Clock;
  logger: Logger;
  /** Plans the lab against its hosts (`makePlan`, src/app/make-plan.ts). */
  makePlan: (options: MakePlanOptions) => Promise<MakePlanResult>;
}

/**
 * How a command gets its context: `openCommandContext` in the CLI; tests inject their own (a
 * scripted provider, a hand-built plan) through `main`'s services, without module mocks.
 */
export type OpenCommandContext = (options: {
  file: string;
  global: GlobalOptions;
}) => Promise<CommandContext>;

/**
 * The simulator keeps its hosts in the state directory: one that cannot be created or written
 * is the user's to fix, said at once (not a hang or a stack trace deep in the simulator).
 */
function ensureWritableStateDir(stateDir: string, given: string | undefined): void {
  try {
    makeDirectorySync(stateDir);
    accessSync(stateDir, constants.W_OK);
  } catch (error) {
    throw new UserError(
      `cannot use the state directory ${given ?? stateDir}: ${describeFsError(error)}`,
      [],
      given
        ? 'give --state-dir a folder you can create and write to'
        : "the manifest's folder must be writable, or give --state-dir a folder you can write to",
    );
  }
}

/** Load and check the manifest (exit 1 with every diagnostic when invalid). */
export async function loadValidLab(file: string): Promise<Lab> {
  const { lab, diagnostics } = await loadLab({ file });
  if (!lab) throw new UserError(`${file} is not a valid manifest`, diagnostics);
  return lab;
}

/** Everything a command that touches hosts needs: the lab, its secrets, the provider, a clock, a logger. */
export async function openCommandContext(options: {
  file: string;
  global: GlobalOptions;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
}): Promise<CommandContext> {
  const env = options.env ?? process.env;
  const lab = await loadValidLab(options.file);
  const stateDir = path.resolve(
    options.global.stateDir ?? path.join(path.dirname(path.resolve(options.file)), '.labform'),
  );
  if (options.global.sim) ensureWritableStateDir(stateDir, options.global.stateDir);
  const credentials = createCredentialResolver({ lab, env });
  const logger = createLogger({ file: options.global.logFile, level: options.global.logLevel }).child({
    lab: lab.name,
  });
  // Checked whether or not --sim is given: a bad value is a mistake either way.
  const speed = simSpeedFrom(options.global.simSpeed, env);
  const faults = faultsFromEnv(env);
  const clock =
    options.clock ??
    (options.global.sim ? new RealClock({ speed }) : new RealClock({ speed: hyperVTestClockSpeed(env) }));
  const provider = await createProvider({
    lab,
    sim: options.global.sim,
    stateDir,
    clock,
    logger,
    faults: options.global.sim ? faults : undefined,
    credentials,
  });
  return { lab, stateDir, credentials, provider, clock, logger, makePlan };
}
