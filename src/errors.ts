import type { Diagnostic } from './model/diagnostic.js';

/** Input the user can fix: a manifest, a flag, a missing secret. Exit 1, nothing touched. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The PowerShell (or simulated) error record behind a provider failure. */
export interface ErrorRecord {
  message: string;
  category?: string;
  fullyQualifiedErrorId?: string;
  target?: string;
  /** Type of the exception, e.g. Microsoft.HyperV.PowerShell.VirtualizationException. */
  exceptionType?: string;
}

/** A host or guest operation failed. `retryable` is decided from the error, never from luck. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly address: string;
  readonly retryable: boolean;
  readonly record?: ErrorRecord;
  readonly host?: string;
  constructor(options: {
    message: string;
    address: string;
    retryable: boolean;
    record?: ErrorRecord;
    host?: string;
  }) {
    super(options.message);
    this.address = options.address;
    this.retryable = options.retryable;
    this.record = options.record;
    this.host = options.host;
  }
}

/** A wait (heartbeat, PowerShell Direct, Active Directory) gave up. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(
    message: string,
    readonly address: string,
    readonly waitedFor: string,
    readonly lastSeen: string,
    readonly waitedMs: number,
  ) {
    super(message);
  }
}

/** Another apply or destroy holds this lab's lock. Exit 4. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(message: string, readonly holder?: string) {
    super(message);
  }
}

/** The user pressed Ctrl-C. Exit 130. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** A bug in labform: says so. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
  constructor(message: string) {
    super(`internal error (a bug in labform, please report it): ${message}`);
  }
}
