import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/secrets/secret.js';
import { InternalError } from '../../src/errors.js';
import { encodeRequest, LineSplitter, parseAnswerLine, toWire } from '../../src/powershell/wire.js';

const decode = (line: string) => JSON.parse(Buffer.from(line.trim(), 'base64').toString('utf8'));
const frame = (nonce: string, id: string, value: unknown) =>
  `${nonce}:${id}:${Buffer.from(JSON.stringify(value)).toString('base64')}`;

describe('toWire', () => {
  it('turns secrets and credentials into wire markers, nested too', () => {
    const wire = toWire({
      Password: new Secret('p@ss'),
      Credential: { name: 'lab-admin', username: 'LAB\\admin', password: new Secret('s3cret') },
      List: [new Secret('a'), 'b'],
    });
    expect(wire).toEqual({
      Password: { __labformSecret: 'p@ss' },
      Credential: { __labformCredential: { username: 'LAB\\admin', password: 's3cret' } },
      List: [{ __labformSecret: 'a' }, 'b'],
    });
  });

  it('drops undefined, keeps null, turns dates into ISO text', () => {
    expect(toWire({ a: undefined, b: null, c: new Date(Date.UTC(2024, 0, 2)) })).toEqual({
      b: null,
      c: '2024-01-02T00:00:00.000Z',
    });
  });

  it('refuses data that looks like a wire marker, and numbers JSON cannot carry', () => {
    expect(() => toWire({ x: { __labformSecret: 'forged' } })).toThrow(InternalError);
    expect(() => toWire({ n: Number.NaN })).toThrow(/NaN/);
  });
});

describe('encodeRequest', () => {
  it('is one base64 line whatever the values contain', () => {
    const line = encodeRequest({
      id: '7',
      command: 'Set-Thing',
      parameters: { Text: 'a\nb\r\n"\'`$(x);', Pw: new Secret('x') },
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trim()).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(decode(line)).toEqual({
      id: '7',
      command: 'Set-Thing',
      parameters: { Text: 'a\nb\r\n"\'`$(x);', Pw: { __labformSecret: 'x' } },
    });
  });

  it('logs see (sensitive), only the wire sees the value', () => {
    const parameters = { Pw: new Secret('hunter2') };
    expect(JSON.stringify(parameters)).not.toContain('hunter2');
    expect(encodeRequest({ id: '1', command: 'X', parameters })).not.toContain('hunter2'); // base64, and...
    expect(JSON.stringify(decode(encodeRequest({ id: '1', command: 'X', parameters })))).toContain('hunter2');
  });
});

describe('parseAnswerLine', () => {
  const nonce = 'abc123';
  it('reads answers, also behind output that had no newline', () => {
    expect(parseAnswerLine(frame(nonce, '3', { id: '3', ok: true, result: [1] }), nonce)).toEqual({
      id: '3',
      ok: true,
      result: [1],
    });
    expect(
      parseAnswerLine(`partial output${frame(nonce, '4', { id: '4', ok: true, result: null })}`, nonce),
    ).toEqual({ id: '4', ok: true, result: null });
  });
  it('treats lines without the nonce as noise', () => {
    expect(parseAnswerLine('WARNING: something', nonce)).toBeUndefined();
    expect(parseAnswerLine(frame('other', '1', { id: '1', ok: true, result: 1 }), nonce)).toBeUndefined();
  });
  it('carries error records', () => {
    const error = { message: 'nope', category: 'ObjectNotFound' };
    expect(parseAnswerLine(frame(nonce, '9', { id: '9', ok: false, error }), nonce)).toEqual({
      id: '9',
      ok: false,
      error,
    });
  });
});

describe('LineSplitter', () => {
  it('splits across chunks, strips CR, and flushes the rest', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push(Buffer.from('ab'));
    splitter.push(Buffer.from('c\r\nd'));
    splitter.push('e\n\nf');
    splitter.flush();
    expect(lines).toEqual(['abc', 'de', '', 'f']);
  });
  it('keeps multi-byte characters split between chunks', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('zß€😀\n');
    for (const byte of bytes) splitter.push(Buffer.from([byte]));
    expect(lines).toEqual(['zß€😀']);
  });
});
