/** ANSI SGR codes of the colours labform prints with (only when colour is on: a TTY without NO_COLOR, or --color). */
export const COLOURS = { red: '31', green: '32', yellow: '33', cyan: '36', bold: '1', dim: '2' } as const;
export type Colour = keyof typeof COLOURS;

/** `text` in the SGR `code` (`COLOURS.red`, `'1;31'` ...) when `on`, else as it is. */
export function paint(on: boolean | undefined, code: string, text: string): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}
