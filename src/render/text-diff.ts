import { diffLines } from 'diff';

/**
 * A unified line diff of two texts (a script's old and new `run`): every line of both, the
 * removed ones prefixed `-`, the added ones `+`, the kept ones two spaces (jsdiff's diffLines).
 */
export function unifiedLines(before: string, after: string): string[] {
  const out: string[] = [];
  for (const part of diffLines(before.replace(/\r\n/g, '\n'), after.replace(/\r\n/g, '\n'))) {
    const mark = part.added ? '+' : part.removed ? '-' : ' ';
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const line of lines) out.push(`${mark} ${line}`);
  }
  return out;
}
