import type { Credential } from '../secrets/secret.js';
import type { DiscoveryScope, HeartbeatStatus, HostState } from '../model/live-state.js';
import type { HostOperation } from '../model/host-operation.js';
import type { GuestOperation, GuestProbeResult, GuestRunResult } from '../model/guest-operation.js';

/** Where a guest operation runs: a VM on a host, reached with a credential. */
export interface GuestTarget {
  host: string;
  vm: string;
  os: 'windows' | 'linux';
  credential: Credential;
}

/** Everything a provider call may need besides its own arguments. */
export interface CallContext {
  /** Resource address for error messages, e.g. `vm.dc01`. */
  address: string;
  /** Resolves credentials named in operations (answer files, joins, HGS registration). */
  credentials: { get(name: string): Credential };
  /** Aborted on Ctrl-C or timeout. */
  signal?: AbortSignal;
}

/**
 * One interface, two implementations that must agree: the simulator and real Hyper-V.
 * Every method either resolves or rejects with ProviderError (retryable decided from the
 * error itself).
 */
export interface Provider {
  readonly kind: 'sim' | 'hyperv';
  /** Everything labform needs from one host, in ONE round trip. */
  discover(host: string, scope: DiscoveryScope): Promise<HostState>;
  /** Change the host. */
  run(host: string, operation: HostOperation, context: CallContext): Promise<void>;
  /** Heartbeat integration service status of one VM (a wait's poll). */
  heartbeat(host: string, vm: string, context: CallContext): Promise<HeartbeatStatus>;
  /** Whether `Invoke-Command -VMName vm -Credential c { $true }` (or SSH for Linux) succeeds. */
  guestReachable(target: GuestTarget, context: CallContext): Promise<boolean>;
  /** Whether Active Directory answers on a DC (`Get-ADComputer $env:COMPUTERNAME`). */
  adReady(target: GuestTarget, context: CallContext): Promise<boolean>;
  /** Is this guest operation already done? Batched: one round trip for all of a VM's probes. */
  probeGuest(target: GuestTarget, operations: GuestOperation[], context: CallContext): Promise<GuestProbeResult[]>;
  /** Run a guest operation. */
  runGuest(target: GuestTarget, operation: GuestOperation, context: CallContext): Promise<GuestRunResult>;
  /** VM setting paths (as in plan diffs, e.g. `processors`, `memory.startup`) Hyper-V only changes while the VM is off. */
  requiresStop(path: string): boolean;
  /** Close sessions and flush state. */
  close(): Promise<void>;
}
