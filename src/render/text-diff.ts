import { diffLines } from 'diff';

/**
 * A unified line diff of two texts (a script's old and new `run`): every line of both, the
 * removed ones prefixed `-`, the added ones `+`, the kept ones two spaces (jsdiff's diffLines).
 */
export function unifiedLines(before: string, after: string): string[] {
  const out: string[] = [];
  // Every line ends with a newline, so a last line without one still matches its twin.
  const lines = (text: string) => {
    const unix = text.replace(/\r\n/g, '\n');
    return unix.endsWith('\n') ? unix : `${unix}\n`;
  };
  for (const part of diffLines(lines(before), lines(after))) {
    const mark = part.added ? '+' : part.removed ? '-' : ' ';
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const line of lines) out.push(`${mark} ${line}`);
  }
  return out;
}
