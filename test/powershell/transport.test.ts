import { describe, expect, it } from 'vitest';
import { describeTransport, launchFor, transportFor } from '../../src/powershell/transport.js';

const env = {};

describe('transports', () => {
  it('local: powershell.exe by default, pwsh by shell, overridden by option or LABFORM_PWSH', () => {
    const local = launchFor({
      transport: { kind: 'local', shell: 'powershell' },
      encodedCommand: 'QQ==',
      env,
    });
    expect(local.file).toBe('powershell.exe');
    expect(local.args).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      'QQ==',
    ]);
    expect(local.hint).toMatch(/Hyper-V PowerShell module/);
    expect(local.hint).toMatch(/elevated/);
    expect(
      launchFor({
        transport: { kind: 'local', shell: 'powershell' },
        encodedCommand: 'QQ==',
        env: { LABFORM_PWSH: '/opt/pwsh' },
      }).file,
    ).toBe('/opt/pwsh');
    expect(
      launchFor({
        transport: { kind: 'local', shell: 'pwsh' },
        encodedCommand: 'QQ==',
        env,
        executable: '/x/pwsh',
      }).file,
    ).toBe('/x/pwsh');
  });

  it('ssh: batch mode, no tty, port and user, PowerShell on the far side', () => {
    const ssh = launchFor({
      transport: { kind: 'ssh', user: 'admin', host: 'hv01', port: 2222, shell: 'powershell' },
      encodedCommand: 'QQ==',
      env,
    });
    expect(ssh.file).toBe('ssh');
    expect(ssh.args).toEqual(expect.arrayContaining(['-T', 'BatchMode=yes', '-p', '2222', '-l', 'admin']));
    const rest = ssh.args.slice(ssh.args.indexOf('--') + 1);
    expect(rest).toEqual([
      'hv01',
      'powershell',
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      'QQ==',
    ]);
    expect(ssh.describe).toBe('ssh://admin@hv01:2222');
    expect(ssh.hint).toMatch(/key authentication/);
    expect(ssh.hint).toMatch(/PATH/);
  });

  it('winrm: a local PowerShell relaying to the host', () => {
    const winrm = launchFor({
      transport: { kind: 'winrm', host: 'hv02', shell: 'powershell' },
      encodedCommand: 'QQ==',
      env,
      executable: 'pwsh',
    });
    expect(winrm.remoteHost).toBe('hv02');
    expect(winrm.file).toBe('pwsh');
    expect(winrm.describe).toBe('winrm://hv02');
    expect(winrm.hint).toMatch(/Enable-PSRemoting/);
    expect(winrm.hint).toMatch(/TrustedHosts/);
  });

  it('maps manifest connections', () => {
    expect(transportFor({ connect: { kind: 'ssh', host: 'h', user: 'u' }, shell: 'pwsh' })).toEqual({
      kind: 'ssh',
      host: 'h',
      user: 'u',
      port: undefined,
      shell: 'pwsh',
    });
    expect(describeTransport(transportFor({ connect: { kind: 'local' }, shell: 'powershell' }))).toBe(
      'local (powershell)',
    );
    expect(describeTransport({ kind: 'ssh', host: 'h', shell: 'pwsh' })).toBe('ssh://h');
  });
});
