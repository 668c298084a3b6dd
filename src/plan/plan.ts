/**
 * The plan: a plain serialisable object (saved with `plan --out`, read by `apply FILE PLAN`).
 * No secret values: credentials are referenced by name.
 */
import type { Diagnostic } from '../model/diagnostic.js';
import type { HostOperation } from '../model/host-operation.js';
import type { GuestOperation } from '../model/guest-operation.js';
import type { Change, Conflict } from '../model/change.js';
import type { WaitKind } from '../model/wait.js';

interface StepBase {
  /** Unique, stable within a plan: e.g. `vm.dc01/create`, `vm.dc01/wait-heartbeat`. */
  id: string;
  /** The resource this step belongs to (a change's address). */
  address: string;
  /** Host it runs against (for per-host parallelism). */
  host: string;
  /** Human-readable: "create VM dc01", "wait for the heartbeat of dc01" (shared wordings: step-titles.ts). */
  title: string;
  /** Step ids that must finish first. */
  dependsOn: string[];
  /** Milliseconds; settings.timeouts.step or the wait's timeout. */
  timeoutMs: number;
  /**
   * Expected duration in simulated seconds, if known (for critical-path figures). Optional.
   */
  estimateS?: number;
}

export interface HostStep extends StepBase {
  type: 'host';
  operation: HostOperation;
}

export interface WaitStep extends StepBase {
  type: 'wait';
  wait: WaitKind;
  vm: string;
  os: 'windows' | 'linux';
  /** Credential name for PowerShell Direct / AD waits. */
  credential?: string;
  /** Credential to try when the guest refuses `credential` (a re-run on a DC: see GuestTask.alternateCredential). */
  alternateCredential?: string;
  /** How many consecutive OK polls count as stable (heartbeat). */
  stablePolls?: number;
}

export interface GuestStep extends StepBase {
  type: 'guest';
  vm: string;
  os: 'windows' | 'linux';
  /** Credential name used to reach the guest for this operation. */
  credential: string;
  operation: GuestOperation;
  /** Credential to try when the guest refuses `credential` (see GuestTask.alternateCredential). */
  alternateCredential?: string;
  /** Skip when the probe says done (always true for roles; kept explicit for readability). */
  probe: boolean;
  /**
   * When the operation reports a reboot, the executor waits (heartbeat stable, then PowerShell
   * Direct) within this step, using this credential (e.g. the domain administrator after a
   * forest is created); defaults to `credential`.
   */
  rebootCredential?: string;
}

export type Step = HostStep | WaitStep | GuestStep;

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  noop: number;
}

/** Where a host keeps the lab's VM folders and disks (ownership by place: what is under it is the lab's). */
export interface PlanStorage {
  host: string;
  path: string;
  /** No storagePath in the manifest: the host's Hyper-V default virtual hard disk folder, in a folder named after the lab. */
  hostDefault?: boolean;
}

export interface Plan {
  format: 'labform-plan/1';
  lab: string;
  /** Absolute manifest path and a hash of its content, to refuse a plan for another file. */
  manifest: { file: string; sha256: string };
  createdAt: string;
  /** Hash of the live state the plan was made from; apply refuses a stale plan. */
  liveFingerprint: string;
  changes: Change[];
  summary: PlanSummary;
  conflicts: Conflict[];
  warnings: Diagnostic[];
  steps: Step[];
  /** Which provider's live state the plan was made from (a saved plan applies only with the same). */
  provider?: 'sim' | 'hyperv';
  /** Each host's storage folder for the lab, as resolved (absent in plans saved by older versions). */
  storage?: PlanStorage[];
}

/** What the executor walks: a plan, or a plan-like step graph (checkpoint, restore). */
export interface StepGraph {
  lab: string;
  steps: Step[];
}
