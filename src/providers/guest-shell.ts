/**
 * Day-two access to a guest: run a command and copy files, the way an administrator would with
 * `Invoke-Command -VMName` / `Copy-Item -ToSession` (Windows, PowerShell Direct) or `ssh`/`scp`
 * (Linux). Part of the Provider interface; both the simulator and the Hyper-V provider implement it.
 */
import type { CallContext, GuestTarget } from './call-context.js';

/** A piece of the guest command's output, in the order the guest produced it. */
export interface GuestOutput {
  stream: 'stdout' | 'stderr';
  /** One line, without its line ending. */
  text: string;
}

export interface GuestExecResult {
  /** The guest command's exit code (PowerShell: the exit code of `powershell.exe -Command`; Linux: the shell's). */
  exitCode: number;
}

export interface GuestShell {
  /**
   * Run `command` in the guest: PowerShell text for Windows (run as `powershell.exe -NoProfile
   * -NonInteractive -EncodedCommand` inside the guest), a shell command line for Linux.
   * Output arrives through `onOutput`, line by line, as the provider receives it.
   */
  execGuest(target: GuestTarget, command: string, context: CallContext, onOutput: (output: GuestOutput) => void): Promise<GuestExecResult>;
  /**
   * Copy a file into the guest. `destination` is a guest path; a destination ending in `\` or `/`
   * (or naming an existing folder) receives the file under `fileName`. The folder must exist, as
   * Copy-Item requires. Resolves with the guest path written.
   */
  copyToGuest(target: GuestTarget, file: { fileName: string; content: Buffer; destination: string }, context: CallContext): Promise<{ path: string }>;
  /** A file's content from the guest. */
  copyFromGuest(target: GuestTarget, source: string, context: CallContext): Promise<Buffer>;
}

/** Largest file `labform cp` moves (it travels base64-encoded through the host's session). */
export const MAX_COPY_BYTES = 64 * 1024 * 1024;
