import type { CallContext } from '../../call-context.js';
import type { ErrorSite } from '../sim-errors.js';
import type { TimingProfile } from '../time/timing-profile.js';
import type { World } from '../world.js';
import type { SimHost } from '../sim-state.js';

/** What a host operation handler works with (one transaction). */
export interface OpContext {
  world: World;
  /** The host the operation was sent to. */
  host: string;
  site: ErrorSite;
  timing: TimingProfile;
  call: CallContext;
}

export function hostOf(ctx: OpContext): SimHost {
  return ctx.world.host(ctx.host);
}
