import type { Credential } from '../secrets/secret.js';
import type { CallContext, GuestTarget } from './call-context.js';
import type { DiscoveryScope, HeartbeatStatus, HostState } from '../model/live-state.js';
import type { HostOperation } from '../model/host-operation.js';
import type { GuestOperation, GuestProbeResult, GuestRunResult } from '../model/guest-operation.js';
import type { GuestExecResult, GuestOutput } from './guest-shell.js';
import type { GuestProbeRequest } from '../model/guest-probes.js';

/**
 * The guest probes discovery carries for one host (model/guest-probes.ts): `plan`, `show` and
 * `report` pass them to `discover`, so the probes of every running lab VM travel in the host's
 * one discovery request.
 */
export interface GuestProbeBatch {
  /** The lab whose ownership mark a VM must carry to be probed (never a foreign VM). */
  lab: string;
  requests: GuestProbeRequest[];
  /** The credentials named by the requests, each sent once. */
  credentials: Record<string, Credential>;
  /** How long each guest may take to answer, milliseconds. */
  timeoutMs: number;
}

/** Day-two access to a guest (`labform exec` and `cp`); values in `guest-shell.ts`. */
export interface GuestShell {
  /**
   * Run `command` in the guest: PowerShell text for Windows (run as `powershell.exe -NoProfile
   * -NonInteractive -EncodedCommand` inside the guest), a shell command line for Linux.
   * Output arrives through `onOutput`, line by line, as the provider receives it.
   */
  execGuest(
    target: GuestTarget,
    command: string,
    context: CallContext,
    onOutput: (output: GuestOutput) => void,
  ): Promise<GuestExecResult>;
  /**
   * Copy a file into the guest. `destination` is a guest path; a destination ending in `\` or `/`
   * (or naming an existing folder) receives the file under `fileName`. The folder must exist, as
   * Copy-Item requires. Resolves with the guest path written.
   */
  copyToGuest(
    target: GuestTarget,
    file: { fileName: string; content: Buffer; destination: string },
    context: CallContext,
  ): Promise<{ path: string }>;
  /** A file's content from the guest. */
  copyFromGuest(target: GuestTarget, source: string, context: CallContext): Promise<Buffer>;
}

/**
 * One interface, two implementations that must agree: the simulator and real Hyper-V.
 * Every method either resolves or rejects with ProviderError (retryable decided from the
 * error itself).
 */
export interface Provider extends GuestShell {
  readonly kind: 'sim' | 'hyperv';
  /**
   * Everything labform needs from one host, in ONE round trip; with `probes`, the guest probes
   * of its running lab VMs too (HostState.guestProbes), still in that one request.
   */
  discover(host: string, scope: DiscoveryScope, probes?: GuestProbeBatch): Promise<HostState>;
  /** Change the host. */
  run(host: string, operation: HostOperation, context: CallContext): Promise<void>;
  /** Heartbeat integration service status of one VM (a wait's poll). */
  heartbeat(host: string, vm: string, context: CallContext): Promise<HeartbeatStatus>;
  /** Whether `Invoke-Command -VMName vm -Credential c { $true }` (or SSH for Linux) succeeds. */
  guestReachable(target: GuestTarget, context: CallContext): Promise<boolean>;
  /** Whether Active Directory answers on a DC (`Get-ADComputer $env:COMPUTERNAME`). */
  adReady(target: GuestTarget, context: CallContext): Promise<boolean>;
  /** Is this guest operation already done? Batched: one round trip for all of a VM's probes. */
  probeGuest(
    target: GuestTarget,
    operations: GuestOperation[],
    context: CallContext,
  ): Promise<GuestProbeResult[]>;
  /** Run a guest operation. */
  runGuest(target: GuestTarget, operation: GuestOperation, context: CallContext): Promise<GuestRunResult>;
  /** VM setting paths (as in plan diffs, e.g. `processors`, `memory.startup`) Hyper-V only changes while the VM is off. */
  requiresStop(path: string): boolean;
  /** Close sessions and flush state. */
  close(): Promise<void>;
}
