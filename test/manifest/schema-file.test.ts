import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('../../schemas/lab.schema.json', import.meta.url), 'utf8'));

/** Every subschema with its JSON path. */
function* subschemas(node: unknown, path = '#'): Generator<[string, Record<string, any>]> {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* subschemas(item, `${path}/${i}`);
    return;
  }
  const record = node as Record<string, any>;
  yield [path, record];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'properties') for (const [name, sub] of Object.entries(value as object)) yield* subschemas(sub, `${path}/properties/${name}`);
    else if (['items', 'oneOf', '$defs'].includes(key)) {
      if (key === '$defs') for (const [name, sub] of Object.entries(value as object)) yield* subschemas(sub, `${path}/$defs/${name}`);
      else yield* subschemas(value, `${path}/${key}`);
    }
  }
}

describe('schemas/lab.schema.json', () => {
  it('is JSON Schema 2020-12', () => expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema'));

  it('describes every property', () => {
    const missing = [...subschemas(schema)].filter(([path, s]) => /\/properties\/[^/]+$/.test(path) && !s.description).map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it('closes every object', () => {
    const open = [...subschemas(schema)].filter(([, s]) => s.properties && s.additionalProperties !== false).map(([p]) => p);
    expect(open).toEqual([]);
  });

  it('has the two settings beyond the spec page', () => {
    expect(schema.properties.settings.properties.timeZone.description).toContain('UTC');
    expect(schema.properties.settings.properties.domainJoin.enum).toEqual(['auto', 'online', 'offline']);
  });
});
