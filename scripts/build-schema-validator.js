#!/usr/bin/env node
// Compiles the manifest's JSON Schema into standalone validation code at build time (Ajv's
// standalone mode), so no CLI run pays Ajv's compile (about a third of a small plan's CPU).
// Writes dist/manifest/lab-schema-validator.cjs with the SHA-256 of the schema it was built
// from; src/manifest/schema-validator.ts uses it only while the schema is unchanged, and
// compiles the schema itself otherwise (tests run from src/, where the file does not exist).
//   node scripts/build-schema-validator.js [OUT_FILE]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const standaloneCode = standaloneModule.default ?? standaloneModule;

/** The standalone module's text for the schema text: CommonJS, `validate` and `schemaSha256` exported. */
export function standaloneValidator(schemaText) {
  // The same options as schema-validator.ts's own compile, plus the generated source.
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    strict: true,
    code: { source: true },
  });
  const validate = ajv.compile(JSON.parse(schemaText));
  const sha = createHash('sha256').update(schemaText).digest('hex');
  return `${standaloneCode(ajv, validate)}\nmodule.exports.validate = module.exports;\nmodule.exports.schemaSha256 = ${JSON.stringify(sha)};\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? path.join(root, 'dist', 'manifest', 'lab-schema-validator.cjs');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    standaloneValidator(readFileSync(path.join(root, 'schemas', 'lab.schema.json'), 'utf8')),
  );
}
