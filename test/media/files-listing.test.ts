/**
 * The bash listing of a copy's target in a Linux guest (linux-guest.ts), run by real bash on
 * real files: its format is what the host's Resolve-LabformCopyProbes reads.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyListingScript } from '../../src/providers/hyperv/guest/linux-guest.js';
import { runBash, GuestFiles } from '../fake-hyperv/linux/linux-shell.mjs';

const root = mkdtempSync(path.join(tmpdir(), 'labform-listing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const listing = (to: string) =>
  Buffer.from(execFileSync('bash', ['-c', copyListingScript(to)], { encoding: 'utf8' }).trim(), 'base64')
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('Linux copy listing', () => {
  it('lists a folder recursively: size, SHA-256 and the path relative to the target', () => {
    const media = path.join(root, 'media');
    mkdirSync(path.join(media, 'x64', 'Setup'), { recursive: true });
    writeFileSync(path.join(media, 'setup.sh'), 'echo setup\n');
    writeFileSync(path.join(media, 'x64', 'Setup', "it's here.txt"), 'quoted name');
    const lines = listing(`${media}/`);
    expect(lines[0]).toBe('folder');
    expect(lines.slice(1).sort()).toEqual(
      [`11 ${sha('echo setup\n')} setup.sh`, `11 ${sha('quoted name')} x64/Setup/it's here.txt`].sort(),
    );
  });

  it('lists a single file with an empty relative path, and a missing target as none', () => {
    const file = path.join(root, 'one.iso');
    writeFileSync(file, 'abc');
    expect(listing(file)).toEqual(['file', `3 ${sha('abc')} `]);
    expect(listing(path.join(root, 'absent'))).toEqual(['none']);
  });

  it("the fake module's guest bash prints what real bash prints (the Hyper-V tests rely on it)", () => {
    // The same files under a real folder (for real bash) and in a fake guest (its /opt/media).
    const guestRoot = path.join(root, 'guest');
    const files = new GuestFiles(guestRoot, 'root');
    const media = path.join(guestRoot, 'opt', 'media');
    mkdirSync(path.join(media, 'x64', 'Setup'), { recursive: true });
    writeFileSync(path.join(media, 'setup.sh'), 'echo setup\n');
    writeFileSync(path.join(media, 'x64', 'Setup', "it's here.txt"), 'quoted name');
    writeFileSync(path.join(media, 'x64', 'Setup', 'a b.cab'), Buffer.from([0, 255, 1, 254]));
    writeFileSync(path.join(guestRoot, 'opt', 'one.iso'), 'abc');
    const fake = (to: string) => {
      const r = runBash(copyListingScript(to), { user: 'root', files, hostname: 'lx', onReboot() {} }) as {
        code: number;
        stdout: string;
        stderr: string;
      };
      expect([r.code, r.stderr]).toEqual([0, '']);
      // One base64 line: -w 0 leaves no newline of its own, the script's echo adds one.
      expect(r.stdout.split('\n')).toHaveLength(2);
      return Buffer.from(r.stdout.trim(), 'base64').toString('utf8').split('\n').filter(Boolean).sort();
    };
    const real = (to: string) => listing(to).sort();
    expect(fake('/opt/media/')).toEqual(real(`${media}/`));
    expect(fake('/opt/media').length).toBe(4);
    expect(fake('/opt/one.iso')).toEqual(real(path.join(guestRoot, 'opt', 'one.iso')));
    expect(fake('/opt/absent')).toEqual(['none']);
  });
});
