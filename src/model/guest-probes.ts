/**
 * Guest probes carried by discovery: "which of this VM's guest tasks are already done?" asked
 * of every running lab VM of a host inside the host's ONE discovery request. On Hyper-V the host
 * asks its guests concurrently (PowerShell Direct to several VMs in one Invoke-Command, SSH jobs
 * for Linux guests), each guest within its own timeout; the simulator answers the same request
 * from its model. A guest that does not answer in time, refuses every credential or fails is
 * reported `unknown` with the reason: the plan says so and keeps its guest steps.
 */
import type { GuestOperation, GuestProbeResult } from './guest-operation.js';

/** The probes of one VM: asked only when the VM exists on the host, runs and carries the lab's mark. */
export interface GuestProbeRequest {
  vm: string;
  os: 'windows' | 'linux';
  /**
   * Names of credentials (keys of the batch's credentials, providers/provider.ts) to try in order: the first the
   * guest accepts answers the probes (a DC answers to its domain administrator, a fresh guest
   * to its local one).
   */
  credentials: string[];
  operations: GuestOperation[];
}

/** The answer for one requested VM that the host found running and owned by the lab. */
export type GuestProbeOutcome =
  | {
      vm: string;
      status: 'answered';
      /** The credential the guest accepted. */
      credential: string;
      /** One per requested operation, in order. */
      results: GuestProbeResult[];
    }
  | {
      vm: string;
      status: 'unknown';
      /** Why: timed out after N s, every credential refused, PowerShell Direct not ready ... */
      reason: string;
    };
