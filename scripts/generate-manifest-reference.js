#!/usr/bin/env node
// Writes docs/manifest-reference.md from schemas/lab.schema.json (`npm run docs`).
//   --check: write nothing; exit 1 when the committed file differs from a fresh render.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderManifestReference } from './manifest-reference.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const schemaFile = path.join(root, 'schemas', 'lab.schema.json');
const target = path.join(root, 'docs', 'manifest-reference.md');
const text = renderManifestReference(JSON.parse(readFileSync(schemaFile, 'utf8')));

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = '';
  }
  if (current !== text) {
    console.error('docs/manifest-reference.md is stale: run `npm run docs` and commit the result');
    process.exit(1);
  }
  console.log('docs/manifest-reference.md is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
