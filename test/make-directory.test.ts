import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectorySync } from '../src/make-directory.js';

describe('makeDirectorySync', () => {
  it('makes every missing folder, and is a no-op for an existing one', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'labform-mkdir-'));
    const deep = path.join(root, 'a', 'b', 'c');
    makeDirectorySync(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectorySync(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('throws the file system error for a file in the way', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'labform-mkdir-'));
    writeFileSync(path.join(root, 'file'), 'x');
    expect(() => makeDirectorySync(path.join(root, 'file', 'sub'))).toThrow(/ENOTDIR|EEXIST/);
  });

  it.runIf(process.platform === 'linux')('returns with an error under /proc instead of spinning', () => {
    expect(() => makeDirectorySync('/proc/labform-test/state')).toThrow();
    expect(existsSync('/proc/labform-test')).toBe(false);
  });
});
