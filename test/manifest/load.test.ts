import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/manifest/load-lab.js';
import { load, manifest } from './helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'labform-load-'));

describe('loading malformed files', () => {
  it('reports a YAML syntax error with its line', () => {
    const { lab, diagnostics } = load('apiVersion: labform/v1\nkind: Lab\nname: [unclosed\nhosts: []\n');
    expect(lab).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ rule: 'yaml-syntax', severity: 'error' });
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('reports duplicate keys', () => {
    const { diagnostics } = load('apiVersion: labform/v1\nkind: Lab\nname: a\nname: b\n');
    expect(diagnostics[0]).toMatchObject({ rule: 'yaml-duplicate-key', line: 4 });
  });

  it('reports an empty file', () => {
    expect(load('').diagnostics[0]!.rule).toBe('empty-file');
    expect(load('# only a comment\n').diagnostics[0]!.rule).toBe('empty-file');
  });

  it('reports a list at top level', () => {
    expect(load('- a\n- b\n').diagnostics[0]).toMatchObject({ rule: 'top-level-not-map', line: 1 });
  });

  it('reports a wrong apiVersion and kind and nothing else', () => {
    const { diagnostics } = load('apiVersion: labform/v2\nkind: Lab\nname: x\nunknown: 1\n');
    expect(diagnostics.map((d) => [d.rule, d.line])).toEqual([['api-version', 1]]);
    expect(load('apiVersion: labform/v1\nkind: Cluster\nname: x\n').diagnostics.map((d) => d.rule)).toEqual([
      'kind',
    ]);
  });

  it('rejects an alias bomb fast', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const { lab, diagnostics } = load(lines.join('\n'));
    expect(lab).toBeUndefined();
    expect(diagnostics.map((d) => d.rule)).toContain('yaml-alias-limit');
  });

  it('refuses a 10 MB file without parsing it', async () => {
    const file = path.join(tmp, 'big.yaml');
    writeFileSync(file, `description: "${'x'.repeat(10 * 1024 * 1024)}"\n`);
    const { diagnostics } = await loadLab({ file });
    expect(diagnostics.map((d) => d.rule)).toEqual(['file-too-large']);
    expect(load(`a: "${'x'.repeat(6 * 1024 * 1024)}"`).diagnostics[0]!.rule).toBe('file-too-large');
  });

  it('rejects binary garbage and invalid UTF-8', async () => {
    const nul = path.join(tmp, 'nul.yaml');
    writeFileSync(nul, Buffer.from([0x61, 0x3a, 0x00, 0xff, 0x10]));
    expect((await loadLab({ file: nul })).diagnostics[0]!.rule).toBe('file-encoding');
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
    expect((await loadLab({ file: bad })).diagnostics[0]!.rule).toBe('file-encoding');
  });

  it('rejects a directory and a missing file', async () => {
    const dir = path.join(tmp, 'dir.yaml');
    mkdirSync(dir, { recursive: true });
    expect((await loadLab({ file: dir })).diagnostics[0]).toMatchObject({
      rule: 'file-unreadable',
      file: dir,
    });
    expect((await loadLab({ file: path.join(tmp, 'missing.yaml') })).diagnostics[0]!.message).toContain(
      'no such file',
    );
  });

  it('loads a valid file from disk with the path as typed', async () => {
    const file = path.join(tmp, 'ok.yaml');
    writeFileSync(file, manifest());
    const { lab, diagnostics } = await loadLab({ file });
    expect(diagnostics).toEqual([]);
    expect(lab!.file).toBe(path.resolve(file));
  });
});

describe('schema errors', () => {
  it('puts an unknown key on the key, with a suggestion', () => {
    const { diagnostics } = load(
      manifest({ vms: '  - name: a\n    image: ws\n    credential: admin\n    procesors: 2' }),
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'unknown-key', pointer: '/vms/0/procesors' });
    expect(diagnostics[0]!.message).toContain('did you mean `processors`');
  });

  it('puts a missing key on its parent', () => {
    const { diagnostics } = load(manifest({ vms: '  - image: ws\n    credential: admin' }));
    expect(diagnostics[0]).toMatchObject({ rule: 'required', pointer: '/vms/0' });
    expect(diagnostics[0]!.message).toContain('missing required `name`');
  });

  it('collapses role oneOf noise into one message', () => {
    const text = manifest({
      vms: '  - name: a\n    image: ws\n    credential: admin\n    roles:\n      - domainControler: { domain: x.com }\n      - domainMember: { joinCredential: admin }\n      - hyperV\n      - { hyperV: {}, script: { run: x } }',
    });
    const { diagnostics } = load(text);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'unknown role `domainControler`; did you mean `domainController`?',
      'role domainMember: missing required `domain`',
      'role `hyperV` must be written as a map: `- hyperV: {}`',
      expect.stringContaining('a role is a map with exactly one key'),
    ]);
  });

  it('reports every error in one run, ordered by line', () => {
    const { diagnostics } = load(
      manifest({
        vms: '  - name: a\n    memory: 2 GB\n    processors: 0\n    generation: 3\n  - name: b\n    network: [{ network: X, ip: 300.1.1.1 }]',
      }),
    );
    const lines = diagnostics.map((d) => d.line);
    expect(diagnostics.length).toBeGreaterThanOrEqual(4);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('never echoes control characters from hostile names', () => {
    const { diagnostics } = load(
      manifest({
        vms: '  - name: "a\\u001b[31m; Remove-Item C:\\\\ -Recurse"\n    image: ws\n    credential: admin',
      }),
    );
    expect(diagnostics[0]!.rule).toBe('schema');
    expect(diagnostics[0]!.line).toBe(14);
    expect(diagnostics[0]!.message).not.toMatch(/\u001b/);
  });
});

describe('YAML conveniences', () => {
  it('supports anchors and merge keys for shared VM settings', () => {
    const text = manifest({
      vms: '  - &base { name: a, image: ws, credential: admin, processors: 2 }\n  - <<: *base\n    name: b',
    });
    const { lab, diagnostics } = load(text);
    expect(diagnostics).toEqual([]);
    expect(lab!.vms.map((v) => [v.name, v.processors])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });
});

describe('hostile input', () => {
  it('refuses absurd nesting without overflowing the stack', () => {
    // Deeper than the parser may go: refused before parsing, with a position.
    const { diagnostics } = load(`a: ${'['.repeat(500)}${']'.repeat(500)}`);
    expect(diagnostics[0]).toMatchObject({ rule: 'yaml-too-deep', line: 1 });
    expect(load(`a: ${'['.repeat(20000)}${']'.repeat(20000)}`).diagnostics[0]!.rule).toBe('yaml-too-deep');
    // Deeper than a manifest goes, but parseable: refused after parsing.
    expect(load(`a: ${'['.repeat(100)}${']'.repeat(100)}`).diagnostics[0]!.rule).toBe('yaml-syntax');
  });

  it('maps keys with / and ~ to the right node', () => {
    const { diagnostics } = load(manifest({ vms: '  - name: a\n    "a/b~c": 1' }));
    expect(diagnostics[0]).toMatchObject({
      rule: 'unknown-key',
      pointer: '/vms/0/a~1b~0c',
      line: 15,
      column: 5,
    });
  });

  it('reports a multi-document file', () => {
    expect(load(`${manifest()}---\n${manifest()}`).diagnostics[0]!.rule).toBe('yaml-syntax');
  });
});

describe('secrets in schema errors', () => {
  it('never repeats a value typed where a secret source belongs', () => {
    const text = manifest().replace('password: { fromEnv: PW }', 'password: { fromEnv: "Hunter2!pass" }');
    const { diagnostics } = load(text);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(JSON.stringify(diagnostics)).not.toContain('Hunter2');
  });

  it('never repeats a literal safe mode password', () => {
    const text = manifest({
      vms: '  - name: dc\n    image: ws\n    credential: admin\n    roles:\n      - domainController: { domain: c.lab, safeModePassword: "Hunter2!pass", domainAdmin: admin }',
    });
    const { diagnostics } = load(text);
    expect(diagnostics.map((d) => d.rule)).toContain('literal-password');
    expect(JSON.stringify(diagnostics)).not.toContain('Hunter2');
  });
});
