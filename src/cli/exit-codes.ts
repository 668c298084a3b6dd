/** Exit codes of docs/contract.md section 5. */
export const ExitCode = {
  ok: 0,
  inputRejected: 1,
  changesPending: 2,
  failed: 3,
  locked: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
