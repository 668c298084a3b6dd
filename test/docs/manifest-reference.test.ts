import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The generator is a plain ESM script (run by `npm run docs` without a build).
const { renderManifestReference } = (await import('../../scripts/manifest-reference.js' as string)) as {
  renderManifestReference: (schema: unknown) => string;
};

const root = path.resolve(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'lab.schema.json'), 'utf8'));

describe('docs/manifest-reference.md', () => {
  it('is what `npm run docs` generates from the schema (regenerate and commit when this fails)', () => {
    const committed = readFileSync(path.join(root, 'docs', 'manifest-reference.md'), 'utf8');
    expect(
      committed === renderManifestReference(schema),
      'docs/manifest-reference.md is stale: run `npm run docs`',
    ).toBe(true);
  });

  it('lists every field of the schema, nested ones with their path', () => {
    const text: string = renderManifestReference(schema);
    for (const key of Object.keys(schema.properties)) expect(text).toContain(`| \`${key}\` |`);
    for (const key of Object.keys(schema.properties.vms.items.properties))
      expect(text).toContain(`| \`vms[].${key}\` |`);
    for (const key of Object.keys(schema.properties.settings.properties.timeouts.properties))
      expect(text).toContain(`\`settings.timeouts.${key}\``);
    for (const def of Object.keys(schema.$defs)) expect(text).toContain(`### ${def}`);
  });

  it('gives each role its own section with its parameters', () => {
    const text: string = renderManifestReference(schema);
    for (const role of [
      'domainController',
      'domainMember',
      'hostGuardianService',
      'guardedHost',
      'hyperV',
      'fileServer',
      'dhcpServer',
      'iscsiTarget',
      'script',
    ]) {
      expect(text).toContain(`### ${role}`);
    }
    expect(text).toContain('`domainController.safeModePassword`');
  });

  it('renders a small schema: types, required, defaults, enums, lists of maps', () => {
    const small = {
      description: 'A thing.',
      properties: {
        name: { type: 'string', description: 'Its name.', pattern: '^[a-z]+$' },
        items: {
          type: 'array',
          description: 'Parts.',
          items: {
            type: 'object',
            properties: { kind: { enum: ['a', 'b'], default: 'a', description: 'Kind.' } },
            required: ['kind'],
          },
        },
      },
      required: ['name'],
    };
    const text: string = renderManifestReference(small);
    expect(text).toContain('| `name` | string | yes |  | Its name. pattern `^[a-z]+$` |');
    expect(text).toContain('| `items[].kind` | `a` \\| `b` | yes | `"a"` | Kind. |');
  });
});
