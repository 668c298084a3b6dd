import type { Lab } from '../manifest/lab.js';
import type { GuestTask } from './guest-task.js';
import { InternalError } from '../errors.js';

/**
 * Every guest task of the lab: each Windows guest's base configuration (computer name,
 * addresses, DNS), then its roles in manifest order, then guest clusters; with cross-VM
 * dependencies (members after their domain's first DC is AD-ready, guarded hosts after their
 * HGS, clusters after all nodes). Deterministic for the same lab.
 */
export function guestTasks(options: { lab: Lab }): GuestTask[] {
  throw new InternalError(`guest tasks are not built yet (${options.lab.name})`);
}
