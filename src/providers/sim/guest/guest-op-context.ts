import type { GuestTarget } from '../../call-context.js';
import type { ErrorSite } from '../sim-errors.js';
import type { GuestEnv, ReachedGuest } from './guest-access.js';
import { guestRefusal } from './guest-access.js';

export interface GuestOpContext {
  env: GuestEnv;
  site: ErrorSite;
  target: GuestTarget;
  /** The guest the session opened on. */
  at: ReachedGuest;
}

/** What a guest operation did besides changing the model. */
export interface GuestEffect {
  /** Restarts it triggered (0, 1 or 2). */
  reboots: number;
  /** The last restart completes a promotion (AD answers later than after a plain boot). */
  promotion?: boolean;
  detail?: string;
}

export const NO_REBOOT: GuestEffect = { reboots: 0 };

/** The cmdlet is missing because its feature is not installed. */
/**
 * A feature the operation's own script installs when it is missing (createForest, addDomainController,
 * installHgs and joinHgs call Install-WindowsFeature themselves before the cmdlet that needs it).
 */
export function ensureFeature(g: GuestOpContext, feature: string): void {
  if (!g.at.guest.features.some((f) => f.toLowerCase() === feature.toLowerCase()))
    g.at.guest.features.push(feature);
}

export function requireFeature(g: GuestOpContext, feature: string, cmdlet: string): void {
  if (!g.at.guest.features.some((f) => f.toLowerCase() === feature.toLowerCase())) {
    throw guestRefusal(
      g.site,
      cmdlet,
      `The term '${cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
      {
        id: 'CommandNotFoundException',
        category: 'ObjectNotFound',
        explain: `the ${feature} feature is not installed in ${g.at.vm.name}`,
      },
    );
  }
}

export function requireWindows(g: GuestOpContext, what: string): void {
  if (g.at.guest.os !== 'windows') {
    throw guestRefusal(
      g.site,
      'ssh',
      `${what} is not supported on a Linux guest: Linux guests take only bash scripts.`,
      { id: 'NotSupportedOnLinux', category: 'InvalidOperation' },
    );
  }
}
