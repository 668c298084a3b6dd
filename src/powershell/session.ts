/**
 * The PowerShell session contract (implemented in this folder). One long-lived PowerShell
 * process per host, fed framed JSON requests, answering framed JSON, so a plan costs one
 * process start per host. Values travel as data: parameters are JSON, decoded inside the
 * session and splatted into a function of the loaded library; never pasted into script text.
 *
 * On the wire, `Secret` values are sent so the far side receives them as SecureString and
 * credentials ({ username, password: Secret }) as PSCredential; logs only ever see
 * `(sensitive)`.
 */
import type { ErrorRecord } from '../errors.js';

export interface InvokeRequest {
  /** A function defined by the session's library scripts, e.g. `Get-LabformHostState`. */
  command: string;
  /** Splatted as named parameters. May contain Secret values and Credential objects. */
  parameters: Record<string, unknown>;
  /** Per-request timeout; default from the session options. */
  timeoutMs?: number;
  /** Whether the request may be re-sent after the session died mid-request. */
  safeToRetry?: boolean;
  /** For error messages: the resource address, e.g. `vm.dc01`. */
  address?: string;
}

export interface PowerShellSession {
  /** Resolves with the function's output (JSON-decoded; arrays stay arrays), or rejects with ProviderError. */
  invoke<T = unknown>(request: InvokeRequest): Promise<T>;
  /** Ends the PowerShell process cleanly. */
  close(): Promise<void>;
}

/** The error a failed request carries (PowerShell's ErrorRecord, flattened). */
export type SessionErrorRecord = ErrorRecord;
