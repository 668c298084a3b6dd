/**
 * The PowerShell session contract (implemented in this folder). A long-lived PowerShell
 * process on a host, fed framed JSON requests one at a time, answering framed JSON; a host has
 * up to its lab's perHostParallelism + 1 of them (fewer when the host refuses more), started only
 * when needed (session-pool.ts), so a plan (one discovery request per host) costs one process
 * start per host. Values travel as data: parameters are JSON, decoded inside the session and
 * splatted into a function of the loaded library; never pasted into script text.
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
  /**
   * A short read (a wait's poll, a probe): through a session pool it may take the host's session
   * kept for such requests, so it never waits behind long operations (session-pool.ts).
   */
  quick?: boolean;
}

export interface PowerShellSession {
  /** Resolves with the function's output (JSON-decoded; arrays stay arrays), or rejects with ProviderError. */
  invoke<T = unknown>(request: InvokeRequest): Promise<T>;
  /** Ends the PowerShell process cleanly. */
  close(): Promise<void>;
}

/** A session that can be started ahead of its first request (session-pool.ts learns so whether a host takes one more). */
export interface StartableSession extends PowerShellSession {
  /**
   * Starts the PowerShell process and loads the library (over winrm, opens the remote shell)
   * unless it runs already; rejects with the ProviderError a request would have met.
   */
  start(): Promise<void>;
}

/** The error a failed request carries (PowerShell's ErrorRecord, flattened). */
export type SessionErrorRecord = ErrorRecord;
