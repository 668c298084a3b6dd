import type { Change } from '../model/change.js';
import type { DesiredResource } from '../desired/desired-resource.js';
import type { LiveNat, LiveNatMapping, LiveSwitch, LiveVhd, LiveVm } from '../model/live-state.js';

/** What the live side of a change is, for the plan builder (deletes, stops, reattachments). */
export type LiveRef =
  | { kind: 'vm'; host: string; vm: LiveVm; osDisk?: LiveVhd }
  | {
      kind: 'switch';
      hosts: string[];
      switch: LiveSwitch;
      hostAddresses: { host: string; address: string }[];
    }
  | { kind: 'nat'; host: string; nat: LiveNat }
  | { kind: 'mapping'; host: string; mapping: LiveNatMapping }
  | { kind: 'vhd'; host: string; vhd: LiveVhd };

/** A change with the desired resource and live object behind it (not serialised). */
export interface PlannedChange {
  change: Change;
  desired?: DesiredResource;
  live?: LiveRef;
  /** Hosts a desired multi-host switch is missing from. */
  missingHosts?: string[];
  /** Hosts an image is built (or built again) on. */
  buildHosts?: string[];
  /** A VM to create whose OS disk file is already there. */
  liveOsDisk?: LiveVhd;
}
