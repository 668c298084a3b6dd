import { describe, expect, it } from 'vitest';
import { encodeCommand, renderStage1, STAGE0 } from '../../src/powershell/bootstrap.js';

describe('bootstrap', () => {
  it('stage 0 fits on any command line (cmd.exe allows 8191 characters)', () => {
    const line = [
      'powershell',
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      encodeCommand(STAGE0),
    ].join(' ');
    expect(line.length).toBeLessThan(2000);
    expect(Buffer.from(encodeCommand(STAGE0), 'base64').toString('utf16le')).toBe(STAGE0);
  });

  it('fills in the nonce and keeps the remote name a single-quoted string', () => {
    const text = renderStage1({ nonce: '0a1b', remoteHost: "hv'01’; Remove-Item x" });
    expect(text).toContain("$labformNonce = '0a1b'");
    expect(text).toContain("$labformRemote = 'hv''01’’; Remove-Item x'");
    expect(text).not.toContain('__LABFORM_');
    expect(() => renderStage1({ nonce: "x'; y" })).toThrow(/hex/);
  });
});
