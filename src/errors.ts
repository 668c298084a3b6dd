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
  constructor(
    message: string,
    readonly holder?: string,
  ) {
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

/**
 * A problem of the user's environment, not of labform: a state folder that cannot be written, a
 * path that is a file where a folder belongs, a corrupt simulator file. Names the path, what is
 * wrong with it and what to do. Exit 1: found before anything on a host was changed.
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly path: string;
  readonly hint: string;
  constructor(options: { path: string; problem: string; hint: string }) {
    super(`${options.path}: ${options.problem}`);
    this.path = options.path;
    this.hint = options.hint;
  }
}

const FS_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of this path is a file, not a folder',
  EISDIR: 'this is a folder, not a file',
  EEXIST: 'something else already exists at this path',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in this path',
  EMFILE: 'too many open files',
};

/**
 * The EnvironmentError for a failed file-system call on `path` (`doing`: "create the lock
 * folder"), or undefined when the error is not one of the environment's (then it is a bug).
 */
export function environmentErrorOf(
  error: unknown,
  path: string,
  doing: string,
  hint?: string,
): EnvironmentError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !(code in FS_PROBLEMS)) return undefined;
  const where = (error as NodeJS.ErrnoException).path ?? path;
  return new EnvironmentError({
    path: where,
    problem: `cannot ${doing}: ${FS_PROBLEMS[code]} (${code})`,
    hint: hint ?? 'fix the path or its permissions, or choose another one with --state-dir',
  });
}
