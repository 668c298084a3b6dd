/** Where a command writes, and whether it may use colour and live displays. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** stdout is a terminal (live progress allowed). */
  isTTY: boolean;
  /** stdin is a terminal (questions allowed). */
  stdinIsTTY: boolean;
  color: boolean;
}

export function processIo(options: { noColor?: boolean } = {}): CommandIo {
  const isTTY = Boolean(process.stdout.isTTY);
  const color = isTTY && !options.noColor && !process.env.NO_COLOR;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    color,
  };
}
