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
    if (key === 'properties')
      for (const [name, sub] of Object.entries(value as object))
        yield* subschemas(sub, `${path}/properties/${name}`);
    else if (['items', 'oneOf', '$defs'].includes(key)) {
      if (key === '$defs')
        for (const [name, sub] of Object.entries(value as object))
          yield* subschemas(sub, `${path}/$defs/${name}`);
      else yield* subschemas(value, `${path}/${key}`);
    }
  }
}

describe('schemas/lab.schema.json', () => {
  it('is JSON Schema 2020-12', () =>
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema'));

  it('itself rejects a literal password (editors flag it); labform still says literal-password', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    // Formats do not matter here: an editor without them flags the password all the same.
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const doc = (password: unknown) => ({
      apiVersion: 'labform/v1',
      kind: 'Lab',
      name: 'x',
      hosts: [{ name: 'hv01' }],
      credentials: [{ name: 'a', username: 'Administrator', password }],
      vms: [{ name: 'v' }],
    });
    expect(validate(doc({ fromEnv: 'PW' }))).toBe(true);
    expect(validate(doc('P@ssw0rd'))).toBe(false);
    expect(validate.errors!.map((e: { instancePath: string }) => e.instancePath)).toContain(
      '/credentials/0/password',
    );
    const { loadLabFromText } = await import('../../src/manifest/load-lab.js');
    const text =
      'apiVersion: labform/v1\nkind: Lab\nname: x\nhosts: [{ name: hv01 }]\ncredentials:\n  - { name: a, username: Administrator, password: P@ssw0rd }\nvms: [{ name: v }]\n';
    const { diagnostics } = loadLabFromText({ text, file: 'x.yaml' });
    expect(diagnostics.map((d) => [d.rule, d.message])).toEqual([
      ['literal-password', 'credential a has a literal password'],
    ]);
    expect(JSON.stringify(diagnostics)).not.toContain('P@ssw0rd');
  });

  it('describes every property', () => {
    const missing = [...subschemas(schema)]
      .filter(([path, s]) => /\/properties\/[^/]+$/.test(path) && !s.description)
      .map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it('closes every object', () => {
    const open = [...subschemas(schema)]
      .filter(([, s]) => s.properties && s.additionalProperties !== false)
      .map(([p]) => p);
    expect(open).toEqual([]);
  });

  it('has the two settings beyond the spec page', () => {
    expect(schema.properties.settings.properties.timeZone.description).toContain('UTC');
    expect(schema.properties.settings.properties.domainJoin.enum).toEqual(['auto', 'online', 'offline']);
  });
});
