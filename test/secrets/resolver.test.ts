import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { UserError } from '../../src/errors.js';
import type { Lab } from '../../src/manifest/lab.js';

const dir = mkdtempSync(path.join(tmpdir(), 'labform-secrets-'));
writeFileSync(path.join(dir, 'pw.txt'), 'from-file-secret\n');
writeFileSync(path.join(dir, 'empty.txt'), '');

const lab = {
  name: 'lab',
  file: path.join(dir, 'lab.yaml'),
  credentials: [
    { name: 'env', username: 'Administrator', password: { fromEnv: 'LAB_PW' } },
    { name: 'file', username: 'CONTOSO\\Admin', password: { fromFile: './pw.txt' } },
    { name: 'missing-env', username: 'x', password: { fromEnv: 'NOPE_PW' } },
    { name: 'missing-file', username: 'x', password: { fromFile: 'nope.txt' } },
    { name: 'empty-file', username: 'x', password: { fromFile: 'empty.txt' } },
  ],
} as unknown as Lab;

describe('createCredentialResolver', () => {
  const resolver = createCredentialResolver({ lab, env: { LAB_PW: 'env-secret' } });

  it('reads from the environment and from files relative to the manifest, one trailing newline trimmed', () => {
    const env = resolver.get('env');
    expect(env.username).toBe('Administrator');
    expect(env.password.reveal()).toBe('env-secret');
    expect(resolver.get('file').password.reveal()).toBe('from-file-secret');
  });

  it('returns Secrets that never render their value', () => {
    const credential = resolver.get('env');
    expect(String(credential.password)).toBe('(sensitive)');
    expect(JSON.stringify(credential)).not.toContain('env-secret');
    expect(inspect(credential)).not.toContain('env-secret');
  });

  it.each([
    ['missing-env', /NOPE_PW is not set/],
    ['missing-file', /nope\.txt/],
    ['empty-file', /empty/],
    ['unknown', /no credential named unknown/],
  ])('throws a UserError for %s naming the source', (name, message) => {
    expect(() => resolver.get(name)).toThrow(UserError);
    expect(() => resolver.get(name)).toThrow(message);
  });

  it('lists resolvable secret values for scrubbing', () => {
    expect(resolver.secretValues().sort()).toEqual(['env-secret', 'from-file-secret']);
  });
});
