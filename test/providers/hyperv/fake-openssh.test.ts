/**
 * The fake Hyper-V host's OpenSSH client (test/fake-hyperv/bin/ssh.exe, scp.exe): what labform's
 * Linux guest code relies on from the real one (docs/hyperv-behaviours.md), checked on the fake
 * itself so the e2e run and the guest contract stand on it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../fake-hyperv/bin/', import.meta.url));
let dir: string;
let state: string;

function run(tool: 'ssh' | 'scp', args: string[]) {
  const r = spawnSync(path.join(BIN, `${tool}.exe`), args, {
    encoding: 'utf8',
    env: { ...process.env, LABFORM_FAKE_HYPERV_STATE: state, LABFORM_FAKE_BOOT_SECONDS: '0' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const vm = (name: string, mac: string, disk: string) => ({
  name,
  state: 'Running',
  startedAt: 1,
  disks: [{ path: disk }],
  adapters: [{ mac, switchName: 'Uplink', ipAddresses: [] }],
});

// Leases on the external switch: 10.254.0.(100 + last four hex digits of the MAC % 100).
const LINUX = '10.254.0.101'; // ...0065 = 101 -> 1
const WINDOWS = '10.254.0.102';
const OPTS = ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new'];
/** As labform calls it: known-hosts news hidden. */
const QUIET = [...OPTS, '-o', 'LogLevel=ERROR'];
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'labform-fake-ssh-'));
  state = path.join(dir, 'hv01.json');
  writeFileSync(
    state,
    JSON.stringify({
      format: 'labform-fake-hyperv/1',
      hostAddresses: [{ interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 }],
      switches: [{ name: 'Uplink', type: 'External' }],
      vhds: [
        { path: 'D:\\Images\\ubuntu.vhdx', os: 'linux' },
        { path: 'D:\\Images\\ws.vhdx', os: 'windows' },
        { path: 'D:\\Labs\\lx.vhdx', parentPath: 'D:\\Images\\ubuntu.vhdx' },
        { path: 'D:\\Labs\\win.vhdx', parentPath: 'D:\\Images\\ws.vhdx' },
      ],
      vms: [
        vm('lx01', '00155D000065', 'D:\\Labs\\lx.vhdx'),
        vm('win01', '00155D000066', 'D:\\Labs\\win.vhdx'),
      ],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the fake OpenSSH client', () => {
  it("fails with exit 255 and ssh's words when nothing answers, or no sshd listens", () => {
    const none = run('ssh', [...OPTS, '-l', 'root', '10.254.0.199', 'true']);
    expect(none).toMatchObject({ code: 255, stdout: '' });
    expect(none.stderr).toBe('ssh: connect to host 10.254.0.199 port 22: Connection timed out\n');
    const windows = run('ssh', [...OPTS, '-l', 'root', WINDOWS, 'true']);
    expect(windows.code).toBe(255);
    expect(windows.stderr).toContain('Connection refused');
  });

  it('says it added a new host key once, on stderr, unless LogLevel=ERROR hides it', () => {
    const first = run('ssh', [...OPTS, '-o', 'LogLevel=ERROR', '-l', 'labadmin', LINUX, 'echo', 'hi']);
    expect(first).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' });
    expect(readFileSync(path.join(dir, 'fake-known-hosts.txt'), 'utf8')).toContain(LINUX);
    rmSync(path.join(dir, 'fake-known-hosts.txt'));
    const warned = run('ssh', [...OPTS, '-l', 'labadmin', LINUX, 'hostname']);
    expect(warned).toMatchObject({ code: 0, stdout: 'lx01\n' });
    expect(warned.stderr).toBe(
      `Warning: Permanently added '${LINUX}' (ED25519) to the list of known hosts.\n`,
    );
    expect(run('ssh', [...OPTS, '-l', 'labadmin', LINUX, 'true']).stderr).toBe('');
    // BatchMode without accept-new: an unknown key is refused, never asked about.
    rmSync(path.join(dir, 'fake-known-hosts.txt'));
    const refused = run('ssh', ['-o', 'BatchMode=yes', '-l', 'labadmin', LINUX, 'true']);
    expect(refused).toMatchObject({ code: 255, stderr: 'Host key verification failed.\n' });
  });

  it("gives the remote command's exit status and streams; bash -s, set -e and sudo as labform sends them", () => {
    const script = 'set -euo pipefail\necho one\necho two >&2\nfalse\necho never';
    const remote = `echo ${b64(script)} | base64 -d | if [ "$(id -u)" = 0 ]; then bash -s; else sudo -n bash -s; fi`;
    expect(run('ssh', [...QUIET, '-l', 'labadmin', LINUX, remote])).toEqual({
      code: 1,
      stdout: 'one\n',
      stderr: 'two\n',
    });
    expect(run('ssh', [...QUIET, '-l', 'labadmin', LINUX, 'yum install -y x'])).toEqual({
      code: 127,
      stdout: '',
      stderr: 'bash: line 1: yum: command not found\n',
    });
    expect(run('ssh', [...QUIET, '-l', 'labadmin', LINUX, 'exit 3']).code).toBe(3);
    const marker = `mkdir -p /var/lib/labform/scripts && touch '/var/lib/labform/scripts/a.done'`;
    expect(
      run('ssh', [...QUIET, '-l', 'root', LINUX, `echo ${b64(marker)} | base64 -d | bash -s`]).code,
    ).toBe(0);
    const probe = `if [ -f '/var/lib/labform/scripts/a.done' ]; then echo true; else echo false; fi`;
    expect(run('ssh', [...QUIET, '-l', 'root', LINUX, probe]).stdout).toBe('true\n');
    // The guest's files stay in its folder beside the state file, never on this machine.
    expect(
      existsSync(
        path.join(dir, 'fake-guests', 'lx01', 'linux', 'var', 'lib', 'labform', 'scripts', 'a.done'),
      ),
    ).toBe(true);
  });

  it("copies with scp into a folder under the file's name, and fails for a missing folder", () => {
    const local = path.join(dir, 'hello.txt');
    writeFileSync(local, 'hello\n');
    expect(run('scp', [...QUIET, local, `labadmin@${LINUX}:/tmp`]).code).toBe(0);
    expect(run('ssh', [...QUIET, '-l', 'labadmin', LINUX, 'cat /tmp/hello.txt']).stdout).toBe('hello\n');
    expect(run('scp', [...QUIET, local, `labadmin@${LINUX}:/nope/x.txt`])).toMatchObject({
      code: 1,
      stderr: 'scp: /nope/x.txt: No such file or directory\n',
    });
    const back = path.join(dir, 'back.txt');
    expect(run('scp', [...QUIET, `labadmin@${LINUX}:/tmp/hello.txt`, back]).code).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe('hello\n');
  });
});
