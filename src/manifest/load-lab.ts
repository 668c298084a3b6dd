import path from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import { hasErrors } from '../model/diagnostic.js';
import type { Lab } from './lab.js';
import { MAX_MANIFEST_BYTES, readManifestText } from './read-manifest.js';
import { parseManifestYaml } from './parse-yaml.js';
import { checkSchema } from './schema-validator.js';
import { Reporter, sortDiagnostics } from './reporter.js';
import { expandLab } from './expand/expand-lab.js';
import { runRules } from './rules/index.js';
import type { RawLab } from './raw-lab.js';
import { show } from './suggest.js';
import { rulesOfValidParts } from './valid-parts.js';

export interface LoadLabResult {
  /** Present when there are no errors (warnings allowed). */
  lab?: Lab;
  /** Every diagnostic found, errors and warnings, in document order. */
  diagnostics: Diagnostic[];
}

/**
 * The whole manifest pipeline: read (size-limited), parse YAML with positions, JSON Schema,
 * expand (count, defaults, sizes, durations, auto IPs), rules. Never throws for bad input:
 * problems come back as diagnostics.
 */
export async function loadLab(options: { file: string }): Promise<LoadLabResult> {
  const read = await readManifestText({ file: options.file });
  if (read.text === undefined) return { diagnostics: read.diagnostics };
  return loadLabFromText({ text: read.text, file: options.file });
}

/**
 * The same pipeline on text already in memory (tests, benchmarks). `file` is what diagnostics
 * print (as the user typed it); the Lab's `file` is its absolute path.
 */
export function loadLabFromText(options: { text: string; file: string }): LoadLabResult {
  const { text, file } = options;
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) {
    return {
      diagnostics: [
        {
          severity: 'error',
          rule: 'file-too-large',
          message: `${file} is larger than ${MAX_MANIFEST_BYTES} bytes`,
          file,
          line: 0,
          column: 0,
          pointer: '',
        },
      ],
    };
  }
  const parsed = parseManifestYaml({ text, file });
  if (parsed.value === undefined || hasErrors(parsed.diagnostics))
    return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const reporter = new Reporter(file, parsed.positions, parsed.keyPositions);
  reporter.diagnostics.push(...parsed.diagnostics);
  const data = parsed.value as Record<string, unknown>;
  // Another format or version: its other keys mean nothing to us, so say only that.
  for (const [key, expected] of [
    ['apiVersion', 'labform/v1'],
    ['kind', 'Lab'],
  ] as const) {
    if (key in data && data[key] !== expected) {
      reporter.error({
        rule: key === 'apiVersion' ? 'api-version' : 'kind',
        pointer: `/${key}`,
        message: `${key} is \`${show(data[key])}\`; this labform reads ${key}: ${expected}`,
        hint:
          key === 'apiVersion'
            ? 'write apiVersion: labform/v1 (or use the labform version this manifest was written for)'
            : 'write kind: Lab',
      });
    }
  }
  if (hasErrors(reporter.diagnostics)) return { diagnostics: sortDiagnostics(reporter.diagnostics) };
  const before = reporter.diagnostics.length;
  if (!checkSchema({ data, reporter })) {
    // The rule errors of the parts the schema errors are not in, in the same run.
    const schemaPointers = reporter.diagnostics.slice(before).map((d) => d.pointer);
    const more = rulesOfValidParts({
      data,
      schemaPointers,
      file,
      absoluteFile: path.resolve(file),
      positions: parsed.positions,
      keyPositions: parsed.keyPositions,
    });
    return { diagnostics: sortDiagnostics([...reporter.diagnostics, ...more]) };
  }
  const raw = data as unknown as RawLab;
  let lab: Lab;
  try {
    lab = expandLab({ raw, file: path.resolve(file), positions: parsed.positions, reporter });
    runRules({ lab, raw, reporter });
  } catch (error) {
    // A bug in a rule must not let an unchecked manifest through, nor crash with a stack trace.
    const detail = error instanceof Error ? error.message : String(error);
    reporter.error({
      rule: 'internal-error',
      pointer: '',
      message: `labform could not finish checking this manifest (a bug in labform, please report it): ${show(detail)}`,
    });
    return { diagnostics: sortDiagnostics(reporter.diagnostics) };
  }
  const diagnostics = sortDiagnostics(reporter.diagnostics);
  return hasErrors(diagnostics) ? { diagnostics } : { lab, diagnostics };
}
