import type { DocumentOptions, ParseOptions, SchemaOptions } from 'yaml';

/**
 * How a manifest's YAML is read: YAML 1.2's core schema, strict, `<<` merge keys, no
 * duplicate-key check by the library (the walk finds duplicates in linear time: the library's
 * check compares every key with every other, minutes for a 2 MB file). The full parse and the
 * fast path both read with these, so both type a plain scalar the same way.
 */
export const MANIFEST_YAML_OPTIONS = {
  uniqueKeys: false,
  prettyErrors: false,
  strict: true,
  merge: true,
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;
