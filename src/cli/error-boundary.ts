import {
  EnvironmentError,
  InternalError,
  InterruptedError,
  LockHeldError,
  ProviderError,
  UserError,
  WaitTimeoutError,
} from '../errors.js';
import { formatDiagnostics } from '../render/diagnostics.js';
import { ExitCode } from './exit-codes.js';
import type { CommandIo } from './io.js';

/** The one place that turns errors into output and an exit code. */
export function reportError(error: unknown, io: CommandIo, options: { debug: boolean }): number {
  const write = (text: string) => io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const trace = (e: unknown) => {
    if (options.debug && e instanceof Error && e.stack) write(e.stack);
  };
  if (error instanceof UserError) {
    if (error.diagnostics.length > 0) write(formatDiagnostics(error.diagnostics, { color: io.color }));
    else {
      write(`error: ${error.message}`);
      if (error.hint) write(`  hint: ${error.hint}`);
    }
    trace(error);
    return ExitCode.inputRejected;
  }
  if (error instanceof EnvironmentError) {
    // The user's environment, not a bug: the path, what is wrong with it, what to do.
    write(`error: ${error.message}`);
    write(`  hint: ${error.hint}`);
    trace(error);
    return ExitCode.inputRejected;
  }
  if (error instanceof LockHeldError) {
    write(`error: ${error.message}`);
    trace(error);
    return ExitCode.locked;
  }
  if (error instanceof InterruptedError) {
    write(`interrupted: ${error.message}`);
    return ExitCode.interrupted;
  }
  if (error instanceof ProviderError || error instanceof WaitTimeoutError) {
    write(`error: ${error.address}: ${error.message}`);
    if (error instanceof ProviderError && error.record?.fullyQualifiedErrorId) {
      write(
        `  PowerShell: ${error.record.fullyQualifiedErrorId}${error.record.category ? ` (${error.record.category})` : ''}`,
      );
    }
    trace(error);
    return ExitCode.failed;
  }
  const internal =
    error instanceof InternalError
      ? error
      : new InternalError(error instanceof Error ? error.message : String(error));
  write(`error: ${internal.message}`);
  if (!options.debug) write('  hint: run again with --debug for a stack trace');
  trace(error);
  return ExitCode.failed;
}
