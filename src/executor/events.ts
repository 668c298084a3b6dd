/**
 * What the executor tells the outside world. It never prints: renderers, the journal and the
 * log listen to these events. Plain data, no secrets (error messages are scrubbed).
 */
import type { Step } from '../plan/plan.js';

export type StepOutcome = 'done' | 'skipped-done' | 'failed' | 'skipped-dependency' | 'cancelled';

export interface StepError {
  /** Error class name: ProviderError, WaitTimeoutError, ... */
  name: string;
  message: string;
  retryable?: boolean;
}

export interface StepResult {
  id: string;
  title: string;
  address: string;
  host: string;
  outcome: StepOutcome;
  /** Clock ms; absent for steps that never started. */
  startedAt?: number;
  endedAt?: number;
  /** endedAt - startedAt, 0 for steps that never started. */
  durationMs: number;
  /** Provider calls made for the step's main operation (1 = no retry). */
  attempts: number;
  error?: StepError;
  /** skipped-dependency: the failed (root-cause) step ids that caused the skip. */
  blockedBy?: string[];
  /** Free text: the probe's detail, a wait's last status. */
  detail?: string;
}

export interface CriticalPath {
  /** Step ids, first to last. */
  steps: string[];
  /** Sum of their actual durations (clock ms). */
  ms: number;
}

export interface ExecuteResult {
  steps: StepResult[];
  /** Steps that failed on their own (not skipped because of another): the root causes. */
  rootCauses: StepResult[];
  counts: Record<StepOutcome, number>;
  /** Ctrl-C stopped the run before every step was tried. */
  interrupted: boolean;
  startedAt: number;
  endedAt: number;
  /** Clock ms from the first step's start to the last step's end. */
  makespanMs: number;
  /** Longest dependency chain by actual step durations. */
  criticalPath: CriticalPath;
  /** Sum of every step's duration: the makespan had nothing run side by side. */
  sequentialMs: number;
  /** Total retries over all steps. */
  retries: number;
}

export type ExecutorEvent =
  | { type: 'run-start'; at: number; total: number; steps: Step[] }
  | { type: 'step-start'; at: number; step: Step }
  /** A wait polled: what it waits for and what it last saw. */
  | { type: 'step-progress'; at: number; step: Step; waitingFor: string; lastSeen: string }
  | { type: 'step-retry'; at: number; step: Step; attempt: number; delayMs: number; error: StepError }
  | { type: 'step-end'; at: number; step: Step; result: StepResult }
  /** Ctrl-C: no new step starts. `hard`: running steps are aborted too. */
  | { type: 'interrupt'; at: number; hard: boolean }
  | { type: 'run-end'; at: number; result: ExecuteResult };

export type EventListener = (event: ExecutorEvent) => void;
