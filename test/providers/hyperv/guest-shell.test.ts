import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/log/logger.js';
import { createSession } from '../../../src/powershell/create-session.js';
import { createSessionPool, type SessionPool } from '../../../src/powershell/session-pool.js';
import { createGuestShell } from '../../../src/providers/hyperv/guest/guest-shell.js';
import type { GuestOutput } from '../../../src/providers/guest-shell.js';
import type { GuestShell } from '../../../src/providers/provider.js';
import { hostLibraryScripts } from '../../../src/providers/hyperv/host-library.js';
import { guestLibraryScripts } from '../../../src/providers/hyperv/guest/guest-library.js';
import type { CallContext, GuestTarget } from '../../../src/providers/call-context.js';
import { Secret } from '../../../src/secrets/secret.js';
import { describePwsh, pwshPath } from '../../support/pwsh.js';
import { FAKE_MODULE, PWSH_TIMEOUTS } from './guest/guest-fixture.js';

vi.setConfig(PWSH_TIMEOUTS);

const admin = { name: 'lab-admin', username: 'Administrator', password: new Secret('Initial#1') };
const target = (vm: string, credential = admin): GuestTarget => ({
  host: 'hv01',
  vm,
  os: 'windows',
  credential,
});
const ctx: CallContext = { address: 'vm.web1', credentials: { get: () => admin } };

describePwsh('labform exec and cp on the Hyper-V provider (fake module, real pwsh)', () => {
  let dir: string;
  let statePath: string;
  let pool: SessionPool;
  let shell: GuestShell;

  const seed = (state: 'Running' | 'Off') => {
    rmSync(join(dir, 'fake-guests'), { recursive: true, force: true });
    const vm = {
      id: '00000001-0000-4000-8000-000000000001',
      name: 'web1',
      state,
      startedAt: 0,
      generation: 2,
      path: 'D:\\Labs\\t\\web1',
      processors: 2,
      memoryStartup: 2147483648,
      dynamicMemory: false,
      tpm: false,
      disks: [],
      adapters: [],
      devices: [],
      snapshots: [],
      guest: { computerName: 'WEB1' },
    };
    writeFileSync(
      statePath,
      JSON.stringify({ format: 'labform-fake-hyperv/1', seq: 100, vms: [vm], calls: [] }),
    );
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'labform-shell-'));
    statePath = join(dir, 'hv01.json');
    // The provider's way: the host's sessions leased from a pool, two for steps and one for quick requests.
    pool = createSessionPool({
      parallelism: 2,
      sessionFor: (host) =>
        createSession({
          host,
          transport: { kind: 'local', shell: 'pwsh' },
          executable: pwshPath(),
          libraryScripts: [...hostLibraryScripts(), ...guestLibraryScripts()],
          modules: [FAKE_MODULE],
          env: { LABFORM_FAKE_HYPERV_STATE: statePath },
          logger: silentLogger,
          startTimeoutMs: 240_000,
        }),
    });
    shell = createGuestShell({
      sessionFor: async (host) => pool.get(host),
      holdSession: (host, use) => pool.hold(host, use),
    });
    seed('Running');
  });
  afterAll(async () => {
    await pool?.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exec runs powershell.exe in the guest: stdout and stderr lines in order, the exit code of exit N', async () => {
    const lines: GuestOutput[] = [];
    const result = await shell.execGuest(
      target('web1'),
      "Write-Output $env:COMPUTERNAME; [Console]::Error.WriteLine('careful'); Write-Output 'two words'; exit 7",
      ctx,
      (o) => lines.push(o),
    );
    expect(result.exitCode).toBe(7);
    expect(lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual(['WEB1', 'two words']);
    expect(lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['careful']);
    const ok = await shell.execGuest(target('web1'), 'Get-Date | Out-Null', ctx, () => undefined);
    expect(ok.exitCode).toBe(0);
  });

  it('two execs on one host run at once, each polled on the session that runs its job', async () => {
    // The first command exits 3 only if the second ran while it waited (else 9 after a minute):
    // through one held session the second would have waited for the first. Each process numbers its jobs from 1, so a poll sent to the other session would get the
    // other command's output and exit code.
    const gate = join(dir, 'exec-gate');
    const first: string[] = [];
    const second: string[] = [];
    const waiting = shell.execGuest(
      target('web1'),
      `Write-Output 'first'; for ($i = 0; $i -lt 1200 -and -not (Test-Path -LiteralPath '${gate}'); $i++) { Start-Sleep -Milliseconds 50 }; if (Test-Path -LiteralPath '${gate}') { exit 3 } else { exit 9 }`,
      ctx,
      (o) => first.push(o.text),
    );
    const opening = shell.execGuest(
      target('web1'),
      `Set-Content -LiteralPath '${gate}' -Value open; Write-Output 'second'; exit 4`,
      ctx,
      (o) => second.push(o.text),
    );
    const [one, two] = await Promise.all([waiting, opening]);
    expect(two.exitCode).toBe(4);
    expect(one.exitCode).toBe(3);
    expect(first).toEqual(['first']);
    expect(second).toEqual(['second']);
  });

  it('cp: a file into an existing guest folder and back out, byte for byte; a missing folder or file fails as Copy-Item does', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 13, 10, 65]);
    const written = await shell.copyToGuest(
      target('web1'),
      { fileName: 'blob.bin', content: bytes, destination: 'C:\\' },
      ctx,
    );
    expect(written.path).toBe('C:\\blob.bin');
    expect(existsSync(join(dir, 'fake-guests', 'web1', 'C', 'blob.bin'))).toBe(true);
    expect(await shell.copyFromGuest(target('web1'), 'C:\\blob.bin', ctx)).toEqual(bytes);
    const renamed = await shell.copyToGuest(
      target('web1'),
      { fileName: 'blob.bin', content: bytes, destination: 'C:\\copy.bin' },
      ctx,
    );
    expect(renamed.path).toBe('C:\\copy.bin');
    const missingFolder = await shell
      .copyToGuest(
        target('web1'),
        { fileName: 'x.txt', content: bytes, destination: 'C:\\NoSuchFolder\\x.txt' },
        ctx,
      )
      .catch((e: unknown) => e);
    expect(missingFolder).toBeInstanceOf(ProviderError);
    expect((missingFolder as ProviderError).record?.message).toContain(
      "Could not find a part of the path 'C:\\NoSuchFolder\\x.txt'.",
    );
    const missingFile = await shell
      .copyFromGuest(target('web1'), 'C:\\nothing.txt', ctx)
      .catch((e: unknown) => e);
    expect((missingFile as ProviderError).record?.fullyQualifiedErrorId).toContain('PathNotFound');
    // No staging folder is left behind on the host.
    expect(readFileSync(statePath, 'utf8')).not.toContain('labform-cp-');
  });

  it('a stopped VM or a refused credential fails like PowerShell Direct, naming the VM', async () => {
    const wrong = await shell
      .execGuest(
        target('web1', { name: 'x', username: 'Administrator', password: new Secret('wrong-password') }),
        'hostname',
        ctx,
        () => undefined,
      )
      .catch((e: unknown) => e);
    expect((wrong as ProviderError).record?.message).toContain('The credential is invalid.');
    expect((wrong as ProviderError).record?.fullyQualifiedErrorId).toContain(
      'CreateRemoteRunspaceForVMFailed',
    );
    // The failed job is gone from the host's session: a second exec gets a fresh one.
    expect((await shell.execGuest(target('web1'), 'exit 0', ctx, () => undefined)).exitCode).toBe(0);
    seed('Off');
    const offExec = await shell
      .execGuest(target('web1'), 'hostname', ctx, () => undefined)
      .catch((e: unknown) => e);
    expect((offExec as ProviderError).record?.message).toContain(
      'The virtual machine web1 is not in running state.',
    );
    const off = await shell
      .copyToGuest(target('web1'), { fileName: 'a', content: Buffer.from('a'), destination: 'C:\\' }, ctx)
      .catch((e: unknown) => e);
    expect((off as ProviderError).record?.message).toContain(
      'The virtual machine web1 is not in running state.',
    );
    seed('Running');
  });
});
