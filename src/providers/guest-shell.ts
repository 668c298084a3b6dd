/**
 * Day-two access to a guest: run a command and copy files, the way an administrator would with
 * `Invoke-Command -VMName` / `Copy-Item -ToSession` (Windows, PowerShell Direct) or `ssh`/`scp`
 * (Linux). The values of the Provider interface's `GuestShell` part (`provider.ts`); both the simulator
 * and the Hyper-V provider implement it.
 */

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

/** Largest file `labform cp` moves (it travels base64-encoded through the host's session). */
export const MAX_COPY_BYTES = 64 * 1024 * 1024;
