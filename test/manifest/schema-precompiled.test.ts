/**
 * The build compiles the manifest schema into standalone code (scripts/build-schema-validator.js)
 * so the CLI does not pay Ajv's compile: that code must judge every manifest exactly as a fresh
 * compile does, errors included (the error messages are built from them).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileSchema } from '../../src/manifest/schema-validator.js';
import { standaloneValidator } from '../../scripts/build-schema-validator.js';

const root = path.resolve(import.meta.dirname, '../..');
const schemaText = readFileSync(path.join(root, 'schemas', 'lab.schema.json'), 'utf8');
// Inside the package (under node_modules/.cache), so the generated code finds Ajv's runtime as dist/ does.
mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(path.join(root, 'node_modules', '.cache', 'labform-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the precompiled manifest schema', () => {
  const file = path.join(dir, 'lab-schema-validator.cjs');
  writeFileSync(file, (standaloneValidator as (text: string) => string)(schemaText));
  const precompiled = createRequire(import.meta.url)(file) as {
    validate: (data: unknown) => boolean & { errors?: unknown };
    schemaSha256: string;
  };
  const fresh = compileSchema(schemaText);

  const examples = readdirSync(path.join(root, 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parse(readFileSync(path.join(root, 'examples', f), 'utf8')) as Record<string, any>);
  const broken = (mutate: (d: Record<string, any>) => void) => {
    const d = structuredClone(examples[0]!);
    mutate(d);
    return d;
  };
  const cases = [
    ...examples,
    broken((d) => (d.apiVersion = 'labform/v2')),
    broken((d) => (d.vms[0].memory = 'lots')),
    broken((d) => (d.vms[0].procesors = 2)),
    broken((d) => (d.vms[0].roles = [{ domainControler: {} }])),
    broken((d) => (d.networks = 'LabNet')),
    broken((d) => delete d.name),
    broken((d) => (d.hosts[0].name = 'Not A Name!')),
  ];

  it('carries the hash of the schema it was built from', () => {
    expect(precompiled.schemaSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(cases.map((c, i) => [i, c] as const))(
    'judges manifest #%i exactly as a fresh compile, errors included',
    (_i, data) => {
      const a = fresh(data);
      const b = precompiled.validate(data);
      expect(b).toBe(a);
      expect((precompiled.validate as unknown as { errors?: unknown }).errors ?? null).toEqual(
        fresh.errors ?? null,
      );
    },
  );

  it('finds the examples valid and the broken ones invalid', () => {
    expect(examples.map((e) => precompiled.validate(e))).toEqual(examples.map(() => true));
    expect(cases.slice(examples.length).map((c) => precompiled.validate(c))).toEqual(
      cases.slice(examples.length).map(() => false),
    );
  });
});
