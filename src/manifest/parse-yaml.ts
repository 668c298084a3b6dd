import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  parseDocument,
  type CST,
  type Node,
} from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { joinPointer } from './pointer.js';
import type { Position } from './reporter.js';
import { MAX_NESTING_BEFORE_PARSE, nestingTooDeep } from './nesting-depth.js';
import { readPlainManifestYaml } from './yaml-fast-path.js';
import { MANIFEST_YAML_OPTIONS } from './yaml-options.js';

/** Aliases are rarely needed in a manifest; a low bound stops alias bombs long before memory suffers. */
export const MAX_ALIAS_COUNT = 100;
/** A manifest is about 8 levels deep; far deeper input is an attack on the stack, refused early. */
export const MAX_DEPTH = 64;

/** The tags of YAML's core schema that stay plain data; `!!binary`, `!!set`, `!!timestamp` and custom tags do not. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);
const UNKNOWN_TAG_HINT = 'labform manifests use no YAML tags (such as !Ref): write the value itself';

export interface ParsedManifest {
  /** The plain data; undefined when the YAML could not be read. */
  value?: unknown;
  /** Pointer -> position of the value node. */
  positions: Map<string, Position>;
  /** Pointer -> position of the key of a map entry. */
  keyPositions: Map<string, Position>;
  diagnostics: Diagnostic[];
}

/** YAML text -> data, with a position for every node and syntax problems as diagnostics. */
export function parseManifestYaml(options: { text: string; file: string }): ParsedManifest {
  const { text, file } = options;
  const deep = nestingTooDeep(text);
  if (deep) {
    const diagnostic: Diagnostic = {
      severity: 'error',
      rule: 'yaml-too-deep',
      message: `the document nests more than ${MAX_NESTING_BEFORE_PARSE} levels deep; it was not parsed`,
      file,
      line: deep.line,
      column: deep.column,
      pointer: '',
      hint: 'a lab manifest is only a few levels deep; check the brackets and the indentation',
    };
    return { positions: new Map(), keyPositions: new Map(), diagnostics: [diagnostic] };
  }
  // yaml's lexer and CST parser run once: a manifest of the plain shape is read from the CST in
  // one pass; anything else, and anything to report, is composed from the same CST.
  const cst = parseCst(text);
  const fast = readPlainManifestYaml({ ...cst, maxDepth: MAX_DEPTH });
  if (fast) return { ...fast, diagnostics: [] };
  return parseManifestYamlFully({ text, file, cst });
}

/** yaml's CST of a text: the Parser's tokens, with the line starts for positions. */
export interface ManifestCst {
  tokens: CST.Token[];
  lineCounter: LineCounter;
}

export function parseCst(text: string): ManifestCst {
  const lineCounter = new LineCounter();
  return { tokens: Array.from(new Parser(lineCounter.addNewLine).parse(text)), lineCounter };
}

/**
 * The full parse: yaml's Document, its errors and warnings as diagnostics, then a walk for the
 * positions, the duplicate keys, the tags and numbers a manifest refuses, and toJS for the value.
 * `cst`: the text's CST when it was parsed already. Called directly only to compare with the
 * fast path (the text has passed the nesting check).
 */
export function parseManifestYamlFully(options: {
  text: string;
  file: string;
  cst?: ManifestCst;
}): ParsedManifest {
  const { text, file } = options;
  const { doc, lineCounter } = composeDocument(text, options.cst);
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const positions = new Map<string, Position>();
  const keyPositions = new Map<string, Position>();
  const diagnostics: Diagnostic[] = [];
  const diag = (
    severity: 'error' | 'warning',
    rule: string,
    message: string,
    position: Position,
    hint?: string,
  ): void => {
    diagnostics.push({
      severity,
      rule,
      message,
      file,
      line: position.line,
      column: position.column,
      pointer: '',
      ...(hint ? { hint } : {}),
    });
  };
  const placeholderLines = new Set<number>();
  for (const error of doc.errors) {
    const position = at(error.pos[0]);
    if (placeholderLines.has(position.line)) continue;
    const placeholder = unquotedPlaceholder(text, position.line);
    if (placeholder && error.code !== 'DUPLICATE_KEY') {
      // One hint instead of the cascade of errors YAML reports for the rest of the line.
      placeholderLines.add(position.line);
      diag(
        'error',
        'yaml-syntax',
        `\`${placeholder.value}\` must be quoted here: YAML reads \`{\` as the start of a map`,
        { line: position.line, column: placeholder.column },
        `write '${placeholder.value}' (in quotes), or write the entry one key per line`,
      );
      continue;
    }
    const rule = error.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
    diag(
      'error',
      rule,
      firstLine(error.message),
      at(error.pos[0]),
      error.code === 'DUPLICATE_KEY'
        ? 'each key may appear once in a map; remove or rename one of them'
        : undefined,
    );
  }
  for (const warning of doc.warnings) {
    // `!Ref`, `!Sub` ...: a tag labform does not know would silently become a plain string.
    if (warning.code === 'TAG_RESOLVE_FAILED')
      diag(
        'error',
        'yaml-unknown-tag',
        firstLine(warning.message).replace(/ at line \d+, column \d+:?$/, ''),
        at(warning.pos[0]),
        UNKNOWN_TAG_HINT,
      );
    else diag('warning', 'yaml-syntax', firstLine(warning.message), at(warning.pos[0]));
  }
  if (doc.errors.length > 0) return { positions, keyPositions, diagnostics };

  let tooDeep: Position | undefined;
  const walk = (node: Node | null | undefined, pointer: string, fallback: Position, depth = 0): void => {
    const position = node?.range ? at(node.range[0]) : fallback;
    if (depth > MAX_DEPTH) {
      tooDeep ??= position;
      return;
    }
    positions.set(pointer, position);
    // Unresolved (custom) tags came as TAG_RESOLVE_FAILED above; here the standard ones beyond plain data.
    if (node && !isAlias(node) && node.tag?.startsWith('tag:yaml.org,2002:') && !CORE_TAGS.has(node.tag)) {
      diag(
        'error',
        'yaml-unknown-tag',
        `the tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in a manifest`,
        position,
        UNKNOWN_TAG_HINT,
      );
    }
    // A number JavaScript cannot hold exactly would reach Hyper-V as another number.
    if (
      isScalar(node) &&
      typeof node.value === 'number' &&
      (!Number.isFinite(node.value) || (Number.isInteger(node.value) && !Number.isSafeInteger(node.value)))
    ) {
      diag(
        'error',
        'number-precision',
        `${node.source ?? String(node.value)} is ${Number.isFinite(node.value) ? 'beyond 2^53 and cannot be taken exactly' : 'not a finite number'}`,
        position,
        'no value in a lab manifest is that large: check the number (sizes take units, e.g. 40GB)',
      );
    }
    if (isScalar(node) && typeof node.value === 'bigint')
      diag(
        'error',
        'number-precision',
        `${String(node.value)} is beyond 2^53 and cannot be taken exactly`,
        position,
      );
    // An alias is recorded where it is written and never followed: walking stays linear in the text.
    if (!node || isAlias(node)) return;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const name = isScalar(key) ? String(key.value) : String(key);
        // A merge key (`<<: *base`) adds the anchor's keys; they keep the anchor's positions.
        if (name === '<<') continue;
        const child = joinPointer(pointer, name);
        const keyPosition = key && 'range' in key && key.range ? at(key.range[0]) : position;
        if (seen.has(name))
          diag(
            'error',
            'yaml-duplicate-key',
            'Map keys must be unique',
            keyPosition,
            'each key may appear once in a map; remove or rename one of them',
          );
        seen.add(name);
        keyPositions.set(child, keyPosition);
        const value = pair.value as Node | null;
        // A block map or list under a key is best shown at its key (`roles:`), not its first item.
        const block = (isMap(value) || isSeq(value)) && !value.flow;
        walk(value, child, keyPosition, depth + 1);
        if (block) positions.set(child, keyPosition);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) =>
        walk(item as Node | null, joinPointer(pointer, index), position, depth + 1),
      );
    }
  };
  const contents = doc.contents as Node | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    diag(
      'error',
      'empty-file',
      `${file} is empty: a manifest is a map with apiVersion, kind, name, hosts and vms`,
      { line: 1, column: 1 },
      'start from one of the examples/*.yaml',
    );
    return { positions, keyPositions, diagnostics };
  }
  walk(contents, '', at(0));
  if (
    diagnostics.some(
      (d) =>
        d.rule === 'yaml-duplicate-key' || d.rule === 'yaml-unknown-tag' || d.rule === 'number-precision',
    )
  )
    return { positions, keyPositions, diagnostics };
  if (tooDeep) {
    diag(
      'error',
      'yaml-syntax',
      `the document is nested more than ${MAX_DEPTH} levels deep`,
      tooDeep,
      'a lab manifest is only a few levels deep; check the indentation',
    );
    return { positions, keyPositions, diagnostics };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    diag(
      'error',
      'yaml-alias-limit',
      `too many alias expansions (${message})`,
      firstAliasPosition(text, at),
      `labform expands at most ${MAX_ALIAS_COUNT} aliases; write the values out`,
    );
    return { positions, keyPositions, diagnostics };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a list' : `a ${typeof value} value`;
    diag(
      'error',
      'top-level-not-map',
      `the top level of ${file} is ${what}; a manifest is a map with apiVersion, kind, name, hosts and vms`,
      positions.get('') ?? { line: 1, column: 1 },
    );
    return { positions, keyPositions, diagnostics };
  }
  return { value, positions, keyPositions, diagnostics };
}

/**
 * yaml's `parseDocument`: the first document of the text (the Composer over the Parser's tokens).
 * With the CST at hand and at most one document in it, the same Composer runs over those tokens
 * instead of lexing and parsing the text again; several documents take `parseDocument` itself
 * (its error for them).
 */
function composeDocument(text: string, cst: ManifestCst | undefined) {
  if (cst && cst.tokens.filter((t) => t.type === 'document').length <= 1) {
    const composer = new Composer({ lineCounter: cst.lineCounter, ...MANIFEST_YAML_OPTIONS });
    const [doc] = composer.compose(cst.tokens, true, text.length);
    return { doc: doc!, lineCounter: cst.lineCounter };
  }
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { lineCounter, ...MANIFEST_YAML_OPTIONS }), lineCounter };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function firstAliasPosition(text: string, at: (offset: number) => Position): Position {
  const match = /(^|[\s[{,:-])\*[^\s,\]}]+/m.exec(text);
  return match ? at(match.index + match[1]!.length) : { line: 1, column: 1 };
}

/**
 * A plain (unquoted) value holding labform's `{n}` placeholder on a line of the text, e.g.
 * `- { name: web{n}, count: 3 }`: inside a flow map, or at the start of a value, YAML reads the
 * brace as a map and reports a cascade of syntax errors. Undefined when the line has none.
 */
function unquotedPlaceholder(text: string, line: number): { value: string; column: number } | undefined {
  const content = text.split(/\r?\n/)[line - 1] ?? '';
  for (const m of content.matchAll(/[^\s,'"[\]{}:]*\{n\}[^\s,'"[\]{}]*/g)) {
    const before = content.slice(0, m.index);
    // Inside quotes already (an odd number of quote characters before it): not the problem.
    if ((before.split("'").length - 1) % 2 === 1 || (before.split('"').length - 1) % 2 === 1) continue;
    return { value: m[0], column: m.index + 1 };
  }
  return undefined;
}
