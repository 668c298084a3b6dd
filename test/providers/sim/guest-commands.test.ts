import { describe, expect, it } from 'vitest';
import { runGuestCommand, parseStatements } from '../../../src/providers/sim/guest/guest-commands.js';
import { GuestFileSystem } from '../../../src/providers/sim/guest/guest-files.js';
import type { SimGuest } from '../../../src/providers/sim/sim-state.js';

function guest(os: 'windows' | 'linux', computerName: string): SimGuest {
  return {
    os,
    provisioned: true,
    computerName,
    localAdmin: null,
    networks: {},
    features: [],
    domain: null,
    dc: null,
    hgs: null,
    dnsForwarders: [],
    groups: [],
    trusts: [],
    attestation: { hostGroups: [], tpmHosts: [], hostKeys: [] },
    hgsClient: null,
    shares: [],
    dhcpScopes: [],
    dhcpAuthorized: null,
    iscsiTargets: [],
    cluster: null,
    scripts: [],
  };
}

const text = (run: ReturnType<typeof runGuestCommand>, stream: 'stdout' | 'stderr') =>
  run.output.filter((o) => o.stream === stream).map((o) => o.text);

describe('the simulated guest command model', () => {
  it('parses statements with quotes, ; and &&', () => {
    expect(parseStatements(`echo 'a b' "c;d"; exit 3 && x`)).toEqual([
      { words: ['echo', 'a b', 'c;d'], and: false },
      { words: ['exit', '3'], and: false },
      { words: ['x'], and: true },
    ]);
  });

  it('Windows: echo prints one line per argument, exit N ends the script, the last failure gives 1', () => {
    const g = guest('windows', 'WEB1');
    expect(
      runGuestCommand({ guest: g, user: 'Administrator', command: 'echo a b; hostname', now: 0 }),
    ).toEqual({
      exitCode: 0,
      output: [
        { stream: 'stdout', text: 'a' },
        { stream: 'stdout', text: 'b' },
        { stream: 'stdout', text: 'WEB1' },
      ],
    });
    expect(
      runGuestCommand({ guest: g, user: 'Administrator', command: 'exit 4; echo never', now: 0 }),
    ).toEqual({ exitCode: 4, output: [] });
    const failed = runGuestCommand({ guest: g, user: 'Administrator', command: 'Write-Error boom', now: 0 });
    expect(failed.exitCode).toBe(1);
    expect(text(failed, 'stderr')).toEqual(['boom']);
    // A failure followed by a success: powershell.exe -Command exits with the last statement's status.
    expect(
      runGuestCommand({ guest: g, user: 'Administrator', command: 'nope; echo ok', now: 0 }).exitCode,
    ).toBe(0);
  });

  it('Windows: folders and files, case-insensitive paths, relative to the user profile', () => {
    const g = guest('windows', 'WEB1');
    const fs = new GuestFileSystem(g, 'CORP\\Administrator');
    expect(fs.resolve('notes.txt')).toBe('C:\\Users\\Administrator\\notes.txt');
    fs.write('C:\\Windows\\Temp\\a.txt', Buffer.from('x\r\ny\r\n'), 5);
    const run = runGuestCommand({
      guest: g,
      user: 'CORP\\Administrator',
      command: 'type c:/WINDOWS/temp/A.TXT; Test-Path C:\\Tools; mkdir C:\\Tools\\Bin; Test-Path C:\\Tools',
      now: 0,
    });
    expect(text(run, 'stdout')).toEqual(['x', 'y', 'False', 'C:\\Tools\\Bin', 'True']);
    expect(g.files).toEqual([
      {
        path: 'C:\\Windows\\Temp\\a.txt',
        size: 6,
        content: Buffer.from('x\r\ny\r\n').toString('base64'),
        writtenAt: 5,
      },
    ]);
  });

  it('Linux: bash exit statuses, && and command not found (127)', () => {
    const g = guest('linux', 'node1');
    expect(
      runGuestCommand({ guest: g, user: 'root', command: 'whoami && hostname', now: 0 }).output.map(
        (o) => o.text,
      ),
    ).toEqual(['root', 'node1']);
    expect(runGuestCommand({ guest: g, user: 'root', command: 'false && echo no', now: 0 })).toEqual({
      exitCode: 1,
      output: [],
    });
    const missing = runGuestCommand({ guest: g, user: 'root', command: 'kubectl get pods', now: 0 });
    expect(missing).toEqual({
      exitCode: 127,
      output: [{ stream: 'stderr', text: 'bash: line 1: kubectl: command not found' }],
    });
    expect(runGuestCommand({ guest: g, user: 'root', command: 'mkdir /srv/app', now: 0 }).exitCode).toBe(1);
    expect(
      runGuestCommand({ guest: g, user: 'root', command: 'mkdir -p /srv/app; test -d /srv/app', now: 0 })
        .exitCode,
    ).toBe(0);
    expect(runGuestCommand({ guest: g, user: 'root', command: 'cat /etc/nothing', now: 0 })).toEqual({
      exitCode: 1,
      output: [{ stream: 'stderr', text: 'cat: /etc/nothing: No such file or directory' }],
    });
    expect(runGuestCommand({ guest: g, user: 'root', command: 'exit 300', now: 0 }).exitCode).toBe(44);
  });
});
