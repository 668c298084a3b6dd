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

/**
 * Whether output is coloured: `--no-color` always wins; then FORCE_COLOR (set and not `0` or
 * `false`: colour even when piped, e.g. `FORCE_COLOR=1 labform plan ... | less -R`; `0`: none),
 * as Node.js itself reads it; then NO_COLOR (any non-empty value: none, see no-color.org); else
 * colour only on a terminal.
 */
export function colorEnabled(options: {
  isTTY: boolean;
  noColorFlag?: boolean;
  env: NodeJS.ProcessEnv;
}): boolean {
  if (options.noColorFlag) return false;
  const force = options.env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (options.env.NO_COLOR) return false;
  return options.isTTY;
}

export function processIo(options: { noColor?: boolean } = {}): CommandIo {
  const isTTY = Boolean(process.stdout.isTTY);
  const color = colorEnabled({ isTTY, noColorFlag: options.noColor, env: process.env });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    color,
  };
}
