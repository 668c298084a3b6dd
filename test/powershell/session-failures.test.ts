import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { InternalError, ProviderError } from '../../src/errors.js';
import { createSession } from '../../src/powershell/create-session.js';
import { describePwsh, pwshPath } from '../support/pwsh.js';
import { pwshSession, TEST_LIBRARY } from './support.js';

const FAKE_SSH = resolve('test/fixtures/powershell/fake-ssh.mjs');

function scratch(): { counter: string; marker: string } {
  const dir = mkdtempSync(join(tmpdir(), 'labform-fail-'));
  return { counter: join(dir, 'counter'), marker: join(dir, 'marker') };
}
const attempts = (counter: string) => readFileSync(counter, 'utf8').trim().split('\n').length;

describePwsh('PowerShell session failures (real pwsh)', () => {
  it('restarts a process that died mid-request and retries once when safe to', async () => {
    const session = pwshSession({ libraryScripts: [TEST_LIBRARY] });
    try {
      const before = await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} });
      const files = scratch();
      const result = await session.invoke({
        command: 'Stop-LabformSelf',
        parameters: { Counter: files.counter, Marker: files.marker },
        safeToRetry: true,
      });
      expect(result).toBe('survived');
      expect(attempts(files.counter)).toBe(2);
      expect(await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} })).not.toBe(before);
    } finally {
      await session.close();
    }
  });

  it('does not re-send a request that is not safe to retry, and works again afterwards', async () => {
    const session = pwshSession({ libraryScripts: [TEST_LIBRARY], host: 'hv07' });
    try {
      const files = scratch();
      const error = (await session
        .invoke({
          command: 'Stop-LabformSelf',
          parameters: { Counter: files.counter, Marker: files.marker },
          address: 'vm.web01',
        })
        .catch((e) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.message).toMatch(
        /the PowerShell process on hv07 .* exited while running Stop-LabformSelf/,
      );
      expect(error.message).toMatch(/not retried/);
      expect(error.address).toBe('vm.web01');
      expect(error.retryable).toBe(false);
      expect(attempts(files.counter)).toBe(1);
      expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: 'back' } })).toBe(
        'back',
      );
    } finally {
      await session.close();
    }
  });

  it('survives the process being killed from outside between requests', async () => {
    const session = pwshSession({ libraryScripts: [TEST_LIBRARY] });
    try {
      const pid = await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} });
      process.kill(pid, 'SIGKILL');
      // Whether the death is noticed before or during the next request, a safe request goes through.
      expect(
        await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: 2 }, safeToRetry: true }),
      ).toBe(2);
      expect(await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} })).not.toBe(pid);
    } finally {
      await session.close();
    }
  });

  it('times out a hung request, restarts the session, and the next request works', async () => {
    const session = pwshSession({ libraryScripts: [TEST_LIBRARY], host: 'hv03' });
    try {
      const pid = await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} });
      const error = (await session
        .invoke({ command: 'Start-LabformSleep', parameters: { Seconds: 120 }, timeoutMs: 1500 })
        .catch((e) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.message).toContain('Start-LabformSleep on hv03 did not answer');
      expect(error.message).toContain('1500 ms');
      expect(error.host).toBe('hv03');
      expect(await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: 'next' } })).toBe(
        'next',
      );
      expect(await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} })).not.toBe(pid);
    } finally {
      await session.close();
    }
  });

  it('says the local PowerShell is missing, an environment problem, for local and winrm alike (not "check remoting")', async () => {
    for (const transport of [
      { kind: 'local', shell: 'pwsh' },
      { kind: 'winrm', host: 'hv09.lab', shell: 'powershell' },
    ] as const) {
      const session = createSession({
        host: 'hv09',
        transport,
        libraryScripts: [TEST_LIBRARY],
        executable: '/nonexistent/labform/pwsh',
      });
      const error = (await session
        .invoke({ command: 'Get-LabformPid', parameters: {} })
        .catch((e) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.message).toMatch(
        /no local PowerShell to reach host hv09 .*'\/nonexistent\/labform\/pwsh' was not found on this machine/,
      );
      expect(error.message).toMatch(
        /this is the environment, not the host: install PowerShell .* or set LABFORM_PWSH/,
      );
      expect(error.message).not.toMatch(/Enable-PSRemoting|TrustedHosts/);
      expect(error.retryable).toBe(false);
      await session.close();
    }
  });

  it('reports a library that does not load', async () => {
    const session = pwshSession({ libraryScripts: ['function Broken {'] });
    const error = (await session
      .invoke({ command: 'Broken', parameters: {} })
      .catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toMatch(/loading the library failed: .*Missing closing '\}'/s);
    await session.close();
  });

  it('winrm: a failed PSSession names the host and says to check remoting', async () => {
    const session = createSession({
      host: 'hv02',
      transport: { kind: 'winrm', host: 'labform-no-such-host.invalid', shell: 'powershell' },
      libraryScripts: [TEST_LIBRARY],
      executable: pwshPath(),
    });
    const error = (await session
      .invoke({ command: 'Get-LabformPid', parameters: {} })
      .catch((e) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toMatch(
      /could not start PowerShell on host hv02 over winrm:\/\/labform-no-such-host\.invalid/,
    );
    expect(error.message).toMatch(/Enable-PSRemoting/);
    await session.close();
  });

  it('ssh: runs the bootstrap through ssh with batch mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labform-ssh-'));
    const log = join(dir, 'ssh.log');
    const session = createSession({
      host: 'hv04',
      transport: { kind: 'ssh', user: 'admin', host: 'hv04.lab', port: 2222, shell: 'pwsh' },
      libraryScripts: [TEST_LIBRARY],
      sshExecutable: FAKE_SSH,
      env: { LABFORM_FAKE_SSH_PWSH: pwshPath(), LABFORM_FAKE_SSH_LOG: log },
    });
    try {
      expect(
        await session.invoke({ command: 'Get-LabformEcho', parameters: { Value: ['over ssh'] } }),
      ).toEqual(['over ssh']);
      const call = JSON.parse(readFileSync(log, 'utf8').trim()) as {
        options: string[];
        host: string;
        shell: string;
      };
      expect(call.host).toBe('hv04.lab');
      expect(call.shell).toBe('pwsh');
      expect(call.options).toEqual(expect.arrayContaining(['-p', '2222', '-l', 'admin']));
    } finally {
      await session.close();
    }
  });

  it('ssh: a refused connection names the host and says to check key authentication', async () => {
    const session = createSession({
      host: 'hv05',
      transport: { kind: 'ssh', user: 'admin', host: 'unreachable', shell: 'powershell' },
      libraryScripts: [TEST_LIBRARY],
      sshExecutable: FAKE_SSH,
      env: { LABFORM_FAKE_SSH_PWSH: pwshPath() },
    });
    const error = (await session
      .invoke({ command: 'Get-LabformPid', parameters: {} })
      .catch((e) => e)) as ProviderError;
    expect(error.message).toMatch(/could not start PowerShell on host hv05 over ssh:\/\/admin@unreachable/);
    expect(error.message).toMatch(/exited with code 255; last stderr: .*Connection refused/);
    expect(error.message).toMatch(/key authentication/);
    await session.close();
  });

  it('closes cleanly and refuses requests afterwards', async () => {
    const session = pwshSession({ libraryScripts: [TEST_LIBRARY] });
    const pid = await session.invoke<number>({ command: 'Get-LabformPid', parameters: {} });
    await session.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(session.invoke({ command: 'Get-LabformPid', parameters: {} })).rejects.toBeInstanceOf(
      InternalError,
    );
  });
});
