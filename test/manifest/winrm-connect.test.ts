import { describe, expect, it } from 'vitest';
import { load, manifest } from './helpers.js';
import {
  describeTransport,
  launchFor,
  remoteSessionOptions,
  transportFor,
} from '../../src/powershell/transport.js';
import { Secret } from '../../src/secrets/secret.js';

const withHost = (host: string) =>
  manifest().replace('hosts:\n  - name: hv01', `hosts:\n  - name: hv01\n${host}`);

describe('winrm:// hosts as admins have them: user, port, HTTPS, a credential from the manifest', () => {
  it('reads user, port and HTTPS from the URL and the credential from the host', () => {
    const { lab, diagnostics } = load(
      withHost('    connect: winrms://labadmin@hv01.lab.local:5999\n    credential: admin'),
    );
    expect(diagnostics).toEqual([]);
    expect(lab!.hosts[0]!.connect).toEqual({
      kind: 'winrm',
      host: 'hv01.lab.local',
      user: 'labadmin',
      port: 5999,
      https: true,
      credential: 'admin',
    });
    const plain = load(withHost('    connect: winrm://hv01')).lab!.hosts[0]!.connect;
    expect(plain).toEqual({ kind: 'winrm', host: 'hv01' });
  });

  it('refuses a user without a credential (nothing to sign in with, labform never prompts), a credential on ssh, and an unknown credential', () => {
    const userOnly = load(withHost('    connect: winrm://labadmin@hv01'));
    expect(userOnly.diagnostics.map((d) => [d.rule, d.pointer])).toEqual([
      ['host-credential', '/hosts/0/connect'],
    ]);
    const ssh = load(withHost('    connect: ssh://me@hv01\n    credential: admin'));
    expect(ssh.diagnostics.map((d) => [d.rule, d.pointer])).toEqual([
      ['host-credential', '/hosts/0/credential'],
    ]);
    const unknown = load(withHost('    connect: winrm://hv01\n    credential: admni'));
    expect(unknown.diagnostics.map((d) => d.rule)).toContain('reference-unknown');
    expect(unknown.diagnostics[0]!.hint).toMatch(/admin/);
  });

  it('turns them into New-PSSession options: -Port, -UseSSL, -Credential (the URL user replacing the credential user)', () => {
    const credential = { name: 'admin', username: 'Administrator', password: new Secret('pw') };
    const transport = transportFor({
      connect: {
        kind: 'winrm',
        host: 'hv01',
        user: 'labadmin',
        port: 5999,
        https: true,
        credential: 'admin',
      },
      shell: 'powershell',
      credential,
    });
    expect(describeTransport(transport)).toBe('winrms://labadmin@hv01:5999');
    const options = remoteSessionOptions(transport)!;
    expect(options).toMatchObject({ Port: 5999, UseSSL: true, Credential: { username: 'labadmin' } });
    expect(launchFor({ transport, encodedCommand: 'QQ==', env: {}, executable: 'pwsh' }).hint).toMatch(
      /HTTPS listener.*labadmin/,
    );
    expect(
      remoteSessionOptions(transportFor({ connect: { kind: 'winrm', host: 'hv01' }, shell: 'powershell' })),
    ).toEqual({});
    expect(remoteSessionOptions({ kind: 'local', shell: 'pwsh' })).toBeUndefined();
  });
});
