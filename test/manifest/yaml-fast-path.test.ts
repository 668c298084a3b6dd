import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  parseCst,
  parseManifestYaml,
  parseManifestYamlFully,
  type ParsedManifest,
} from '../../src/manifest/parse-yaml.js';
import { readPlainManifestYaml } from '../../src/manifest/yaml-fast-path.js';

// The fast path (yaml's CST read in one pass) against the full parse (yaml's Document, the
// walk, toJS): wherever the fast path answers, its answer must be the full parse's exactly;
// where it cannot, it must say so and leave the text to the full parse, which, composed from
// the CST already parsed, must answer as parseDocument on the text does.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage']);

function filesUnder(dir: string, wanted: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p, wanted);
    return wanted(e.name) ? [p] : [];
  });
}

/** Every YAML file of the repository, and every ```yaml block of its Markdown. */
const sources: { name: string; text: string }[] = [
  ...filesUnder(root, (n) => /\.ya?ml$/.test(n)).map((f) => ({
    name: path.relative(root, f),
    text: readFileSync(f, 'utf8'),
  })),
  ...filesUnder(root, (n) => n.endsWith('.md')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map((m, i) => ({
      name: `${path.relative(root, f)} yaml block ${i + 1}`,
      text: m[1]!,
    })),
  ),
];

const fast = (text: string) => readPlainManifestYaml({ ...parseCst(text), maxDepth: MAX_DEPTH });
/** The full parse as it always was: yaml's parseDocument on the text. */
const full = (text: string) => parseManifestYamlFully({ text, file: 'lab.yaml' });

/** Where two parses differ (value, positions and key positions in order, diagnostics), if they do. */
function difference(a: Omit<ParsedManifest, 'diagnostics'> & { diagnostics?: unknown }, b: ParsedManifest) {
  // isDeepStrictEqual: own keys (`__proto__` included), -0 and NaN told apart.
  if (!isDeepStrictEqual(a.value, b.value))
    return `values differ: ${JSON.stringify(a.value)} vs ${JSON.stringify(b.value)}`;
  for (const which of ['positions', 'keyPositions'] as const) {
    const x = [...a[which]];
    const y = [...b[which]];
    if (!isDeepStrictEqual(x, y)) return `${which} differ: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`;
  }
  const diagnostics = a.diagnostics ?? [];
  if (!isDeepStrictEqual(diagnostics, b.diagnostics))
    return `diagnostics differ: ${JSON.stringify(diagnostics)} vs ${JSON.stringify(b.diagnostics)}`;
  return undefined;
}

/**
 * What differs from the full parse on the text, if anything: the fast path's answer (when it
 * answers; it has no diagnostics), and the full parse composed from the CST the fast path read
 * (what parseManifestYaml falls back to).
 */
function disagreement(text: string): string | undefined {
  const slow = full(text);
  const cst = parseCst(text);
  const quick = readPlainManifestYaml({ ...cst, maxDepth: MAX_DEPTH });
  if (quick) {
    const problem = difference(quick, slow);
    if (problem) return `fast path: ${problem}`;
  }
  const problem = difference(parseManifestYamlFully({ text, file: 'lab.yaml', cst }), slow);
  return problem ? `full parse from the CST: ${problem}` : undefined;
}

describe('the YAML fast path', () => {
  it('finds the repository YAML it is tested on', () => {
    expect(sources.some((s) => s.name.startsWith('examples'))).toBe(true);
    expect(sources.some((s) => s.name.includes('yaml block'))).toBe(true);
    expect(sources.length).toBeGreaterThan(100);
  });

  it('gives exactly the full parse on every YAML file and snippet of the repository', () => {
    for (const { name, text } of sources) expect(disagreement(text), name).toBeUndefined();
  });

  it('is taken for every repository YAML the full parse finds nothing wrong with, and only then', () => {
    for (const { name, text } of sources) {
      const clean = full(text).diagnostics.length === 0 && full(text).value !== undefined;
      expect(fast(text) !== undefined, name).toBe(clean);
    }
    // The ones it leaves: the fixtures of the YAML rules (aliases, tags, duplicates, ...).
    expect(sources.filter((s) => !fast(s.text)).map((s) => s.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/yaml-duplicate-key\.yaml$/),
        expect.stringMatching(/number-precision\.yaml$/),
      ]),
    );
  });

  it("is taken for the plan-scale benchmark's generated manifest", async () => {
    const { generateLabYaml } = (await import('../../bench/generate-lab.js' as string)) as {
      generateLabYaml: (o: { vms: number; hosts: number }) => string;
    };
    const text = generateLabYaml({ vms: 50, hosts: 5 });
    expect(fast(text)).toBeDefined();
    expect(disagreement(text)).toBeUndefined();
  });

  it('is what parseManifestYaml returns for an ordinary manifest', () => {
    const text = readFileSync(path.join(root, 'examples', 'nat-lab.yaml'), 'utf8');
    const parsed = parseManifestYaml({ text, file: 'lab.yaml' });
    const quick = fast(text)!;
    expect(quick).toBeDefined();
    expect(parsed.diagnostics).toEqual([]);
    expect(isDeepStrictEqual(parsed.value, quick.value)).toBe(true);
    expect([...parsed.positions]).toEqual([...quick.positions]);
  });

  it.each([
    [
      'comments everywhere',
      'a: 1 # c\n# between\nb:\n  - x\n  # in list\n  - y\n  # trailing\nc: # after key\n  d: 2\n# end\n',
    ],
    ['CRLF line ends', 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\nc: |\r\n  text\r\n  more\r\n'],
    ['a byte order mark and a document start', '\uFEFF---\na: 1\n'],
    ['flow collections', 'a: { b: 1, c: [x, "y", { d: ~ }] } # c\ne: []\nf: {}\n'],
    ['block scalars with chomping', 'a: |-\n  x\n\nb: >+\n  folded\n  text\n\nc: |2\n    indented\n'],
    ['quoted keys and pointer escapes', '"a/b": 1\n\'c~d\': 2\n"": 3\n'],
    ['keys an object answers', '__proto__: 1\ntoString: 2\nconstructor: { x: 1 }\n'],
    ['empty values', 'a:\nb: # c\nc:\n  -\n  - # c\n  - x\n'],
    [
      'YAML 1.2 scalars',
      'a: [yes, no, on, off, True, TRUE, 010, 0o10, 0x1F, +1, -0, 1e3, .5, 1.50, ~, null, Null, ""]\n',
    ],
    ['unicode', 'grüße: "✓ \\u00e9 𝄞"\nκλειδί: τιμή\n'],
    ['multi-line scalars', 'a: one\n  two\n\n  three\nb: "x\n  y"\n'],
    ["a list at its key's indentation, and lists of lists", 'a:\n- x\n- - y\n  - z\nb : 1\n'],
    ['a flow map key over 1024 characters', `a: { ${'k'.repeat(1100)}: 1 }\n`],
    ['NUL and line separator characters', 'a: "x\u0000y"\nb: x\u2028y\n'],
  ])('answers %s, the same as the full parse', (_name, text) => {
    expect(fast(text)).toBeDefined();
    expect(disagreement(text)).toBeUndefined();
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: { x: 1 }\nb:\n  <<: { x: 2 }\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a custom tag', 'a: !Ref x\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow map', 'a: { b: 1, b: 2 }\n'],
    ['a number beyond 2^53', 'a: 9007199254740993\n'],
    ['an infinite number', 'a: .inf\n'],
    ['a number key', '1: a\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['a multi-line flow list', 'a: [x,\n  y]\n'],
    ['a trailing comma', 'a: [x, ]\n'],
    [
      'nesting deeper than the walk allows',
      `${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`,
    ],
    [
      "an empty value just past the walk's depth",
      `${Array.from({ length: MAX_DEPTH + 1 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')}\n`,
    ],
    [
      "an empty list item just past the walk's depth",
      `k:\n${Array.from({ length: MAX_DEPTH }, (_, i) => `${' '.repeat(2 * i + 2)}-`).join('\n')}\n`,
    ],
    ['a syntax error', 'a: "x\nb: 1\n'],
    ['a block map key over 1024 characters', `${'k'.repeat(1100)}: 1\n`],
    ['a map on the document start line', '--- a: 1\n'],
    ['carriage returns alone', 'a: 1\rb: 2\r'],
    ['a list at the top', '- a\n'],
    ['an empty text', ''],
  ])('leaves %s to the full parse', (_name, text) => {
    expect(fast(text)).toBeUndefined();
  });
});

// Mutations: scalars of every kind, keys, duplicates, comments, indentation, tabs, block scalars,
// flow collections, deep nesting, document markers, CRLF.
const SCALARS = [
  ...['0x1F', '0o17', '0x', '1e3', '-1.5e-3', '1E+2', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', '1_000'],
  ...['~', 'null', 'Null', 'NULL', 'nULL', 'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'True', 'TRUE'],
  ...['tRUE', 'false', 'False', '010', '0', '+1', '-0', '0.', '.5', '1.50', '12345678901234567890'],
  ...['9007199254740993', '9007199254740991', '-9007199254740992', '2GB', '10.0.0.0/8', 'auto'],
  ...['""', "''", '"a: b"', "'it''s'", '"\\u00e9\\t\\x41\\/"', '"line\\nbreak"', '"bad \\q escape"'],
  ...['x # c', 'x#c', '"x"#c', '"x" # c', '"unterminated', "'", 'Grüße ✓ 𝄞', 'a\tb', '@x', '`x', '%x'],
  ...['&a x', '*a', '!!str 1', '!!binary aGk=', '!!int "3"', '!Ref x', '! x', '? x', 'a: b', '- x'],
  ...['plain  with  spaces', 'D:\\Labs\\{lab}', 'web{n}', '{n}', '"multi\n  line"', 'multi\n  line'],
  ...['[a, b]', '[a, ]', '[]', '{}', '{ a: 1, b: [x, "y"] }', '{a: 1}', '{ "a":1 }', '[a, [b, c]]'],
  ...['{ a }', '[a: 1]', '[a,\n  b]', '{ a: 1, a: 2 }', '[ # c\n  a]', '{ a: 1 } x', '[a] # c', '[a]#c'],
  ...['<<', '|', '>', '"\\', '\u00a0x', 'x\u2028y', '#', '- '],
];
const KEYS = [
  ...['"quoted key"', "'a/b~c'", '__proto__', 'toString', 'constructor', '1', '0x10', 'null', '~'],
  ...['true', '<<', '"<<"', '? x', 'Grüße', '"multi\n  line"', 'a b', '[a]', '{ a: 1 }', '&k a', '!t a'],
  ...['"x"', "''", '-', '- a', 'a:b', '*x'],
];
const BLOCK_HEADERS = ['|', '|-', '|+', '>', '>-', '>+', '|2', '>1-', '|+ # c', '|x', '|0'];
const BLOCK_BODIES = [['text'], ['one', '  more', '', 'tail'], ['', 'after blank'], ['x', '', ''], []];

const line = (i: number, lines: string[]) => i % Math.max(1, lines.length);
const indentOf = (s: string) => /^ */.exec(s)![0].length;
/** `  key: value` or `  - value`: where the value starts, if the line has one. */
const valueStart = (s: string) => /^(\s*(?:- )*[^\s#][^:#]*:)(?=\s|$)|^(\s*- )/.exec(s)?.[0].length;

type Mutation = { kind: number; at: number; pick: number; depth: number };

function mutate(text: string, mutations: Mutation[], whole: number): string {
  const lines = text.split('\n');
  for (const { kind, at, pick, depth } of mutations) {
    const i = line(at, lines);
    const s = lines[i]!;
    const v = valueStart(s);
    const pad = ' '.repeat(indentOf(s) + 2);
    switch (kind) {
      case 0: // a scalar or collection value
        if (v !== undefined) lines[i] = `${s.slice(0, v)} ${SCALARS[pick % SCALARS.length]}`;
        break;
      case 1: {
        // a key
        const m = /^(\s*(?:- )*)[^\s#][^:#]*(:.*)$/.exec(s);
        if (m) lines[i] = `${m[1]}${KEYS[pick % KEYS.length]}${m[2]}`;
        break;
      }
      case 2: // a duplicate line: a duplicate key, or one more list item
        lines.splice(i, 0, s);
        break;
      case 3:
        lines.splice(i, 1);
        break;
      case 4: // indentation
        lines[i] = pick % 3 === 0 ? s.replace(/^ /, '') : `${' '.repeat(1 + (pick % 2))}${s}`;
        break;
      case 5: {
        // comments: a line of its own at various indents, or after the content
        const comment = ['# c', '#', '#c # d'][pick % 3]!;
        if (pick % 4 === 0) lines[i] = `${s} ${comment}`;
        else if (pick % 4 === 1) lines[i] = `${s}${comment}`;
        else lines.splice(i, 0, `${' '.repeat((pick % 4 === 2 ? indentOf(s) : 0) + (pick % 3))}${comment}`);
        break;
      }
      case 6: // a tab: as indentation, after the colon, inside a value
        lines[i] = [s.replace(/^ /, '\t'), s.replace(/: /, ':\t'), `${s}\tx`][pick % 3]!;
        break;
      case 7: // a block scalar
        if (v !== undefined) {
          const body = BLOCK_BODIES[pick % BLOCK_BODIES.length]!.map((b) => (b ? `${pad}${b}` : b));
          lines.splice(i, 1, `${s.slice(0, v)} ${BLOCK_HEADERS[pick % BLOCK_HEADERS.length]}`, ...body);
        }
        break;
      case 8: // deep nesting under a value: block maps, block lists or flow lists
        if (v !== undefined) {
          // The file's own depth plus n: around the walk's limit of 64 for the larger n.
          const n = [3, 20, 56, 58, 59, 60, 61, 62, 63, 70][depth % 10]!;
          const base = indentOf(s) + 2;
          // The innermost value: a scalar or empty (an empty value is a node of its own).
          const leaf = Math.floor(pick / 3) % 2 === 0 ? ' leaf' : '';
          const chain =
            pick % 3 === 0
              ? Array.from({ length: n }, (_, k) => `${' '.repeat(base + k)}k${k}:`).join('\n') + leaf
              : pick % 3 === 1
                ? Array.from({ length: n }, (_, k) => `${' '.repeat(base + 2 * k)}-`).join('\n') + leaf
                : `${' '.repeat(base)}x: ${'['.repeat(n)}${leaf ? 1 : ''}${']'.repeat(n)}`;
          lines.splice(i, 1, s.slice(0, v), chain);
        }
        break;
      default: // unicode in a key or value
        lines[i] = s.replace(/([A-Za-z])/, pick % 2 ? '$1é' : '$1\u{1D11E}');
    }
  }
  let out = lines.join('\n');
  if (whole & 1) out = out.replace(/\n/g, '\r\n');
  if (whole & 2) out = `---\n${out}`;
  if (whole & 4) out = `${out}\n...\n`;
  if (whole & 8) out = `\uFEFF${out}`;
  if (whole & 16) out = out.replace(/\s+$/, '');
  if (whole & 32) out = `${out}\n---\nb: 1\n`;
  return out;
}

// LABFORM_YAML_RUNS and LABFORM_YAML_SEED explore further than the suite's fixed run.
const RUNS = Number(process.env.LABFORM_YAML_RUNS ?? 1500);
const SEED = Number(process.env.LABFORM_YAML_SEED ?? 18);

describe('the YAML fast path on mutated manifests', () => {
  it('answers exactly as the full parse, or declines', () => {
    let answered = 0;
    let declined = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.record({ kind: fc.nat(9), at: fc.nat(400), pick: fc.nat(1000), depth: fc.nat(9) }), {
          minLength: 1,
          maxLength: 3,
        }),
        // Whole-text changes (CRLF, markers, a second document) in one run of four.
        fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(63), weight: 1 }),
        (source, mutations, whole) => {
          const text = mutate(source.text, mutations, whole);
          const problem = disagreement(text);
          if (problem) throw new Error(`${source.name} ${JSON.stringify(mutations)} ${whole}: ${problem}`);
          if (fast(text)) answered++;
          else declined++;
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    // Both outcomes are exercised: the comparison is not vacuous.
    expect(answered).toBeGreaterThan(RUNS / 4);
    expect(declined).toBeGreaterThan(RUNS / 4);
  });
});
