import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCredentialResolver, MAX_PASSWORD_FILE_BYTES } from '../../src/secrets/resolver.js';
import { UserError } from '../../src/errors.js';
import type { Lab } from '../../src/manifest/lab.js';

const dir = mkdtempSync(path.join(tmpdir(), 'labform-pwfile-'));
const onUnix = process.platform !== 'win32';

function resolverFor(fromFile: string) {
  const lab = {
    name: 'lab',
    file: path.join(dir, 'lab.yaml'),
    credentials: [{ name: 'admin', username: 'Administrator', password: { fromFile } }],
  } as unknown as Lab;
  return createCredentialResolver({ lab, env: {} });
}

function refusal(fromFile: string): UserError {
  try {
    resolverFor(fromFile).get('admin');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`${fromFile} was accepted`);
}

describe('password files (fromFile)', () => {
  it('reads a password of up to the limit', () => {
    writeFileSync(path.join(dir, 'ok.txt'), `${'p'.repeat(MAX_PASSWORD_FILE_BYTES - 1)}\n`);
    expect(resolverFor('ok.txt').get('admin').password.reveal()).toHaveLength(MAX_PASSWORD_FILE_BYTES - 1);
  });

  it('refuses a file above the size limit, naming the file and the limit', () => {
    writeFileSync(path.join(dir, 'big.txt'), 'x'.repeat(MAX_PASSWORD_FILE_BYTES + 1));
    expect(refusal('big.txt').message).toBe(
      `credential admin: password file big.txt is ${MAX_PASSWORD_FILE_BYTES + 1} bytes; a password file may hold at most ${MAX_PASSWORD_FILE_BYTES}`,
    );
  });

  it('refuses a folder', () => {
    mkdirSync(path.join(dir, 'folder'), { recursive: true });
    expect(refusal('folder').message).toMatch(/password file folder is a folder, not a file/);
  });

  it.runIf(onUnix)('refuses a FIFO at once instead of waiting for a writer forever', () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    // A blocking open would never return: the test would hang, not pass.
    expect(refusal('pipe').message).toMatch(/is a named pipe \(FIFO\)/);
  });

  it.runIf(onUnix)(
    'refuses devices, directly and behind a symbolic link (/dev/zero would grow without end)',
    () => {
      expect(refusal('/dev/zero').message).toMatch(/is a device, not a file/);
      symlinkSync('/dev/zero', path.join(dir, 'zero-link'));
      expect(refusal('zero-link').message).toMatch(/is a device, not a file/);
      expect(refusal('/dev/null').message).toMatch(/is a device/);
    },
  );

  it('a missing file says how to fix it, and no message carries the content', () => {
    const error = refusal('absent.txt');
    expect(error.message).toMatch(/cannot be read \(no such file\)/);
    expect(error.hint).toMatch(/create .*absent\.txt/);
  });
});
