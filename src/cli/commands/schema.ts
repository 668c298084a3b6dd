import { readFileSync } from 'node:fs';
import type { CommandIo } from '../io.js';
import { ExitCode } from '../exit-codes.js';
import { schemaPath } from '../../manifest/schema-validator.js';

/**
 * `labform schema`: the JSON Schema of manifests; `--path`: where it is, for a manifest's
 * `# yaml-language-server: $schema=<path>` comment outside the checkout.
 */
export function runSchema(options: { path: boolean; io: CommandIo }): number {
  options.io.stdout.write(options.path ? `${schemaPath()}\n` : readFileSync(schemaPath(), 'utf8'));
  return ExitCode.ok;
}
