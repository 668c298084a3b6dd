import type { Position } from './reporter.js';

/**
 * Nesting deeper than this is refused before the YAML parser sees the text: the parser and its
 * composer recurse per level (3000 nested `[` overflow the stack; 3000 indented `- ` exhaust
 * memory), while a lab manifest is about 8 levels deep.
 */
export const MAX_NESTING_BEFORE_PARSE = 128;

/**
 * A conservative, linear estimate of how deeply `text` nests, without parsing it: block levels
 * (distinct indentations of the enclosing lines), compact indicators on one line (`- - - x`) and
 * flow brackets (`[[[`), skipping quoted scalars, comments and block scalars (`|`, `>`). Returns
 * where the nesting first exceeds `limit`, or undefined. It may over-count odd layouts, never
 * under-count the levels the parser would recurse into.
 */
export function nestingTooDeep(text: string, limit = MAX_NESTING_BEFORE_PARSE): Position | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  /** Indentation of the line that opened a block scalar: its more-indented lines are text. */
  let blockScalarOf: number | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    const indent = /^ */.exec(line)![0].length;
    const blank = line.trim() === '' || line.trimStart().startsWith('#');
    if (blockScalarOf !== undefined) {
      if (blank || indent > blockScalarOf) continue;
      blockScalarOf = undefined;
    }
    let column = indent;
    let block = 0;
    if (quote === undefined && flow === 0) {
      if (blank) continue;
      while (indents.length > 0 && indents.at(-1)! >= indent) indents.pop();
      indents.push(indent);
      // Compact nesting on one line: `- - - x`, `? - x`.
      const indicator = /[-?:](?:\s+|$)/y;
      indicator.lastIndex = indent;
      block = indents.length;
      for (let m = indicator.exec(line); m; m = indicator.exec(line)) {
        block += 1;
        if (block > limit) return { line: n + 1, column: m.index + 1 };
        column = indicator.lastIndex;
      }
      if (block > limit) return { line: n + 1, column: indent + 1 };
    } else {
      block = indents.length;
    }
    let previous = column > 0 ? line[column - 1]! : ' ';
    for (let i = column; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = undefined;
      } else if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = undefined;
      } else if (c === '#' && /\s/.test(previous)) {
        break;
      } else if ((c === '"' || c === "'") && /[\s[{,:]/.test(previous)) {
        quote = c;
      } else if (c === '[' || c === '{') {
        flow++;
        if (block + flow > limit) return { line: n + 1, column: i + 1 };
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
      previous = c;
    }
    // A block scalar header ends the line's content: `key: |`, `- >-`, `run: |2 # comment`.
    if (quote === undefined && flow === 0 && /(^|[\s:-])[|>][0-9+-]*\s*(#.*)?$/.test(line.slice(indent)))
      blockScalarOf = indent;
  }
  return undefined;
}
