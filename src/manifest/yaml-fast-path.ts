import { CST, Document, isScalar, type LineCounter, type ScalarTag } from 'yaml';
import { joinPointer } from './pointer.js';
import type { Position } from './reporter.js';
import { MANIFEST_YAML_OPTIONS } from './yaml-options.js';

/**
 * The fast path of reading a manifest: the plain data and the positions built straight from
 * yaml's CST (its own lexer and parser's tokens) in one pass, without composing the library's
 * Document (composing its nodes, the separate toJS and a walk over them for the positions were
 * about 40% of the parse of a 1000-VM manifest, and much of its garbage). Scalars are resolved
 * by the library itself (`CST.resolveAsScalar`; plain ones typed by the core schema's own tags).
 *
 * It reads only the plain shape a manifest has: one document whose top is a block map; block
 * maps and lists; single-line flow maps and lists; plain, quoted and block scalars; keys that
 * are single-line strings; comments. Whenever the text holds anything else (anchors, aliases,
 * tags, `<<` merge keys, directives, several documents, explicit `?` keys, tabs, multi-line or
 * commented flow collections, empty flow items), or anything the full parse would report (a
 * syntax error, a duplicate key, a number JavaScript cannot hold, nesting deeper than the limit),
 * it returns undefined and the caller runs the full parse on the same CST. Otherwise its answer
 * is the full parse's exactly: the same value, the same positions and key positions in the same
 * order, and no diagnostics (test/manifest/yaml-fast-path.test.ts holds the two to that on every
 * YAML file of the repository and on mutations of them).
 *
 * The checks below mirror what yaml's composer (`resolveBlockMap`, `resolveBlockSeq`,
 * `resolveFlowCollection`, `resolveProps`, `resolveEnd`, yaml 2.x) reports for these tokens, so
 * that text it would flag never takes this path.
 */
export function readPlainManifestYaml(options: {
  /** The text's CST: yaml's Parser, run with `lineCounter.addNewLine`. */
  tokens: readonly CST.Token[];
  lineCounter: LineCounter;
  maxDepth: number;
}): PlainManifestYaml | undefined {
  const { tokens, lineCounter, maxDepth } = options;
  let document: CST.Document | undefined;
  for (const token of tokens) {
    switch (token.type) {
      case 'document':
        if (document) return undefined;
        document = token;
        break;
      case 'comment':
      case 'newline':
      case 'space':
      case 'byte-order-mark':
        break;
      default:
        return undefined;
    }
  }
  if (!document) return undefined;
  try {
    return new CstReader(lineCounter, maxDepth).document(document);
  } catch (error) {
    if (error instanceof NeedsFullParse) return undefined;
    throw error;
  }
}

export interface PlainManifestYaml {
  value: Record<string, unknown>;
  positions: Map<string, Position>;
  keyPositions: Map<string, Position>;
}

/** Thrown inside the reader when the text needs the full parse; caught at the top. */
class NeedsFullParse {}

/** The same schema and options the full parse composes with. */
const yamlDocument = new Document(null, MANIFEST_YAML_OPTIONS);
const scalarTags = yamlDocument.schema.tags.filter((tag): tag is ScalarTag => !tag.collection);
/** The tags a plain value may resolve to by its text (yaml's `findScalarTagByTest`). */
const implicitValueTags = scalarTags.filter((tag) => tag.default === true && tag.test);
/** At a key, the tags marked for keys too (the `<<` merge key). */
const implicitKeyTags = scalarTags.filter(
  (tag) => (tag.default === true || tag.default === 'key') && tag.test,
);

interface Props {
  /** The indicator (`:`, `-`, `---`) among the tokens, if any. */
  found?: CST.SourceToken;
  /** Where the tokens end. */
  end: number;
  hasNewline: boolean;
  hasComment: boolean;
}

const flowScalarTypes = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

class CstReader {
  readonly positions = new Map<string, Position>();
  readonly keyPositions = new Map<string, Position>();
  /** Where the node read last ends (yaml's `range[2]`): the next item's props start from there. */
  private end = 0;

  constructor(
    private readonly lineCounter: LineCounter,
    private readonly maxDepth: number,
  ) {}

  at(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  document(doc: CST.Document): PlainManifestYaml {
    const props = this.props(doc.start, 'doc-start', true, doc.offset);
    const top = doc.value;
    if (top?.type !== 'block-map') throw new NeedsFullParse();
    if (props.found && !props.hasNewline) throw new NeedsFullParse();
    // After the content only blanks and comments (yaml's resolveEnd, not strict at the document's end).
    for (const token of doc.end ?? [])
      if (token.type !== 'space' && token.type !== 'newline' && token.type !== 'comment')
        throw new NeedsFullParse();
    const value = {};
    this.positions.set('', this.at(top.offset));
    this.blockMap(top, value, '', 0);
    return { value, positions: this.positions, keyPositions: this.keyPositions };
  }

  /**
   * A node's value, recording its position (and its children's) and where it ends. `keyPosition`:
   * the node is the value of that key, where a block collection is shown.
   */
  node(token: CST.Token, pointer: string, depth: number, keyPosition?: Position): unknown {
    if (depth > this.maxDepth) throw new NeedsFullParse();
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar': {
        this.positions.set(pointer, this.at(token.offset));
        const value = this.scalar(token, implicitValueTags);
        // A number JavaScript cannot hold exactly is a diagnostic of the full parse.
        if (
          typeof value === 'number' &&
          (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))
        )
          throw new NeedsFullParse();
        return value;
      }
      case 'block-map': {
        // A block map or list under a key is shown at its key (`roles:`), not its first item.
        this.positions.set(pointer, keyPosition ?? this.at(token.offset));
        const value = {};
        this.end = this.blockMap(token, value, pointer, depth);
        return value;
      }
      case 'block-seq': {
        this.positions.set(pointer, keyPosition ?? this.at(token.offset));
        const value: unknown[] = [];
        this.end = this.blockSeq(token, value, pointer, depth);
        return value;
      }
      case 'flow-collection':
        this.positions.set(pointer, this.at(token.offset));
        return this.flowCollection(token, pointer, depth);
      default:
        throw new NeedsFullParse();
    }
  }

  /** An empty value (`key:` or `-` with nothing after): null, placed as yaml's composeEmptyNode places it. */
  empty(pointer: string, depth: number, before: CST.SourceToken[], props: Props): number {
    if (depth > this.maxDepth) throw new NeedsFullParse();
    const offset = emptyScalarPosition(props.end, before);
    this.positions.set(pointer, this.at(offset));
    return props.hasComment ? props.end : offset;
  }

  blockMap(map: CST.BlockMap, into: Record<string, unknown>, pointer: string, depth: number): number {
    let offset = map.offset;
    /** Where the last comment-only item ends (yaml's commentEnd: the map then ends there). */
    let commentEnd: number | null = null;
    for (const item of map.items) {
      const { start, key, sep, value } = item;
      if (item.explicitKey) throw new NeedsFullParse();
      const keyProps = this.props(start, 'explicit-key-ind', true, offset);
      if (keyProps.found) throw new NeedsFullParse();
      if (!key && !sep) {
        commentEnd = keyProps.end;
        continue;
      }
      // A missing key or a key without `:` is for the full parse to judge.
      if (!key || !sep) throw new NeedsFullParse();
      if (!isFlowScalar(key) || key.indent !== map.indent || containsNewline(key)) throw new NeedsFullParse();
      const name = this.key(key);
      const valueProps = this.props(sep, 'map-value-ind', false, this.end);
      if (!valueProps.found) throw new NeedsFullParse();
      // `a: b: c`, and a `:` more than 1024 characters after the key's start (keyProps.start).
      if (value?.type === 'block-map' && !valueProps.hasNewline) throw new NeedsFullParse();
      if (keyProps.end < valueProps.found.offset - 1024) throw new NeedsFullParse();
      const child = joinPointer(pointer, name);
      const keyPosition = this.at(key.offset);
      this.keyPositions.set(child, keyPosition);
      if (value) {
        setKey(into, name, this.node(value, child, depth + 1, keyPosition));
        offset = this.end;
      } else {
        setKey(into, name, null);
        offset = this.empty(child, depth + 1, sep, valueProps);
      }
    }
    // A comment-only item before the last pair: yaml reports "Map comment with trailing content".
    if (commentEnd && commentEnd < offset) throw new NeedsFullParse();
    return commentEnd ?? offset;
  }

  blockSeq(seq: CST.BlockSequence, into: unknown[], pointer: string, depth: number): number {
    let offset = seq.offset;
    let commentEnd: number | null = null;
    for (const { start, value } of seq.items) {
      const props = this.props(start, 'seq-item-ind', true, offset);
      if (!props.found) {
        // A comment-only item; a value without `-` is for the full parse to judge.
        if (value) throw new NeedsFullParse();
        commentEnd = props.end;
        continue;
      }
      const child = joinPointer(pointer, into.length);
      if (value) {
        into.push(this.node(value, child, depth + 1));
        offset = this.end;
      } else {
        into.push(null);
        offset = this.empty(child, depth + 1, start, props);
      }
    }
    return commentEnd ?? offset;
  }

  /** `{ a: 1, b: x }` or `[a, b]` on one line, without comments or empty items. */
  flowCollection(flow: CST.FlowCollection, pointer: string, depth: number): unknown {
    const isMap = flow.start.source === '{';
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    flow.items.forEach(({ start, key, sep, value }, index) => {
      // The item's start: nothing but spaces and, after the first item, one comma.
      let commas = 0;
      for (const token of start) {
        if (token.type === 'comma') commas++;
        else if (token.type !== 'space' || token.source.includes('\t')) throw new NeedsFullParse();
      }
      if (commas !== (index === 0 ? 0 : 1) || !value) throw new NeedsFullParse();
      if (isMap) {
        if (!key || !sep || !isFlowScalar(key) || containsNewline(key)) throw new NeedsFullParse();
        let indicators = 0;
        for (const token of sep) {
          if (token.type === 'map-value-ind') indicators++;
          else if (token.type !== 'space' || token.source.includes('\t')) throw new NeedsFullParse();
        }
        if (indicators !== 1) throw new NeedsFullParse();
        const name = this.key(key);
        const child = joinPointer(pointer, name);
        this.keyPositions.set(child, this.at(key.offset));
        setKey(map, name, this.flowItem(value, child, depth + 1));
      } else {
        if (key || sep) throw new NeedsFullParse();
        list.push(this.flowItem(value, joinPointer(pointer, list.length), depth + 1));
      }
    });
    const [close, ...rest] = flow.end;
    if (close?.source !== (isMap ? '}' : ']')) throw new NeedsFullParse();
    // After the bracket: blanks and comments, a comment only after a blank (resolveEnd, strict).
    let end = close.offset + close.source.length;
    let hasSpace = false;
    for (const token of rest) {
      if (token.type === 'comment' ? !hasSpace : token.type !== 'space' && token.type !== 'newline')
        throw new NeedsFullParse();
      if (token.type !== 'comment') hasSpace = true;
      end += token.source.length;
    }
    this.end = end;
    return isMap ? map : list;
  }

  flowItem(token: CST.Token, pointer: string, depth: number): unknown {
    if (token.type !== 'flow-collection' && !isFlowScalar(token)) throw new NeedsFullParse();
    return this.node(token, pointer, depth);
  }

  /** A key's name: a string (any other key, `<<` included, is for the full parse). */
  key(token: CST.FlowScalar): string {
    const name = this.scalar(token, implicitKeyTags);
    if (typeof name !== 'string' || name === '<<') throw new NeedsFullParse();
    return name;
  }

  /** A scalar's value as the library resolves it; it ends after its trailing comment. */
  scalar(token: CST.FlowScalar | CST.BlockScalar, implicitTags: ScalarTag[]): unknown {
    if (token.type === 'alias') throw new NeedsFullParse();
    const resolved = CST.resolveAsScalar(token, MANIFEST_YAML_OPTIONS.strict, refuse);
    this.end = resolved.range[2];
    if (token.type !== 'scalar') return resolved.value;
    const tag = implicitTags.find((t) => t.test!.test(resolved.value));
    if (!tag) return resolved.value;
    const value = tag.resolve(resolved.value, refuse, yamlDocument.options);
    return isScalar(value) ? value.value : value;
  }

  /**
   * The space, newlines, comments and one indicator before a key or value (yaml's
   * resolveProps). Anything else there (anchors, tags, tabs, stray tokens) or anything it
   * would report sends the text to the full parse.
   */
  props(tokens: CST.SourceToken[], indicator: string, startOnNewline: boolean, offset: number): Props {
    let hasSpace = startOnNewline;
    let hasNewline = false;
    let hasComment = false;
    let found: CST.SourceToken | undefined;
    for (const token of tokens) {
      switch (token.type) {
        case 'space':
          if (token.source.includes('\t')) throw new NeedsFullParse();
          hasSpace = true;
          break;
        case 'newline':
          hasSpace = true;
          hasNewline = true;
          break;
        case 'comment':
          if (!hasSpace) throw new NeedsFullParse();
          hasComment = true;
          break;
        default:
          if (token.type !== indicator || found) throw new NeedsFullParse();
          found = token;
          hasSpace = false;
      }
    }
    const last = tokens.at(-1);
    return { found, end: last ? last.offset + last.source.length : offset, hasNewline, hasComment };
  }
}

function refuse(): never {
  throw new NeedsFullParse();
}

function isFlowScalar(token: CST.Token): token is CST.FlowScalar {
  return flowScalarTypes.has(token.type);
}

function containsNewline(token: CST.FlowScalar): boolean {
  return token.source.includes('\n') || (token.end?.some((t) => t.type === 'newline') ?? false);
}

/**
 * As yaml's toJS adds a pair to a plain object: a key the object already answers (`__proto__`,
 * `toString`) is defined, not assigned.
 */
function setKey(into: Record<string, unknown>, name: string, value: unknown): void {
  // Two equal keys are the full parse's duplicate-key diagnostic.
  if (Object.hasOwn(into, name)) throw new NeedsFullParse();
  if (name in into)
    Object.defineProperty(into, name, { value, writable: true, enumerable: true, configurable: true });
  else into[name] = value;
}

/**
 * Where yaml places an empty value (its `emptyScalarPosition`): after the indicator before it
 * and the spaces that follow on its line.
 */
function emptyScalarPosition(offset: number, before: CST.SourceToken[]): number {
  for (let i = before.length - 1; i >= 0; --i) {
    const token = before[i]!;
    if (token.type === 'space' || token.type === 'comment' || token.type === 'newline') {
      offset -= token.source.length;
      continue;
    }
    for (let j = i + 1; before[j]?.type === 'space'; j++) offset += before[j]!.source.length;
    break;
  }
  return offset;
}
