import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo as capture } from '../support/cli-harness.js';
import { manifest } from '../manifest/helpers.js';

// Output as functions: the tests read it after each command.
function captureIo(options: { color?: boolean } = {}) {
  const { io, out } = capture(options);
  return { io, out: () => out.stdout, err: () => out.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'labform-validate-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('labform validate', () => {
  it('exits 0 and prints a summary for a valid manifest', async () => {
    const file = write('ok.yaml', manifest());
    const c = captureIo();
    expect(await main(['validate', file], c.io)).toBe(0);
    expect(c.out()).toBe(`${file}: valid (0 errors, 0 warnings)\n`);
  });

  it('exits 0 with warnings, printing them', async () => {
    const file = write(
      'warn.yaml',
      manifest({
        extra: 'networks:\n  - { name: P, type: private }',
        vms: '  - { name: a, image: ws, credential: admin, network: [{ network: P, ip: dhcp }] }',
      }),
    );
    const c = captureIo();
    expect(await main(['validate', file], c.io)).toBe(0);
    expect(c.out()).toContain('warning[dhcp-no-server]');
    expect(c.out()).toContain('valid (0 errors, 1 warning)');
  });

  it('exits 1 with every error as file:line:col: error[rule]: message, then at and hint lines', async () => {
    const file = write(
      'bad.yaml',
      manifest({ vms: '  - name: a\n    image: wss\n    credential: admin\n    memroy: 2GB' }),
    );
    const c = captureIo();
    expect(await main(['validate', file], c.io)).toBe(1);
    const lines = c.err().split('\n');
    expect(lines[0]).toBe(
      `${file}:17:5: error[unknown-key]: unknown key \`memroy\` in vm a; did you mean \`memory\`?`,
    );
    expect(lines[1]).toBe('  at /vms/0/memroy');
    expect(lines[2]).toMatch(/^ {2}hint: /);
    expect(c.err().trimEnd().split('\n').at(-1)).toBe(`${file}: 1 error, 0 warnings`);
    expect(c.err()).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('prints the path as the user typed it', async () => {
    write('typed.yaml', manifest({ vms: '  - { name: a, image: nope, credential: admin }' }));
    const c = captureIo();
    const relative = path.relative(process.cwd(), path.join(dir, 'typed.yaml'));
    expect(await main(['validate', relative], c.io)).toBe(1);
    expect(c.err()).toContain(`${relative}:14:`);
    expect(c.err()).toContain('error[reference-unknown]');
  });

  it('reports a missing file and a directory with exit 1 and no stack trace', async () => {
    for (const target of [path.join(dir, 'missing.yaml'), dir]) {
      const c = captureIo();
      expect(await main(['validate', target], c.io)).toBe(1);
      expect(c.err()).toContain('error[file-unreadable]');
      expect(c.err()).not.toContain('    at ');
    }
  });

  it('uses colour only when the io allows it', async () => {
    const file = write('color.yaml', manifest({ vms: '  - { name: a, image: nope, credential: admin }' }));
    const plain = captureIo();
    await main(['validate', file], plain.io);
    expect(plain.err()).not.toContain('\u001b[');
    const colored = captureIo({ color: true });
    await main(['validate', file], colored.io);
    expect(colored.err()).toContain('\u001b[31m');
  });

  it('rejects an unknown flag with exit 1', async () => {
    const c = captureIo();
    expect(await main(['validate', '--frobnicate', 'x.yaml'], c.io)).toBe(1);
  });
});
