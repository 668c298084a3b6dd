import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../src/errors.js';
import { silentLogger } from '../../../../src/log/logger.js';
import type { InvokeRequest, PowerShellSession } from '../../../../src/powershell/session.js';
import { createGuestRunner } from '../../../../src/providers/hyperv/guest/guest-runner.js';
import type { CallContext, GuestTarget } from '../../../../src/providers/call-context.js';
import { Secret, type Credential } from '../../../../src/secrets/secret.js';

/** A session that records requests and answers from a table. */
function stubSession(
  host: string,
  log: { host: string; request: InvokeRequest }[],
  answer: (r: InvokeRequest) => unknown,
): PowerShellSession {
  return {
    async invoke<T>(request: InvokeRequest): Promise<T> {
      log.push({ host, request });
      return answer(request) as T;
    },
    async close() {},
  };
}

const cred: Credential = { name: 'lab-admin', username: 'root', password: new Secret('n0t-used') };
const ctx: CallContext = { address: 'vm.x', credentials: { get: (name) => ({ ...cred, name }) } };

function runnerWith(answer: (r: InvokeRequest) => unknown) {
  const log: { host: string; request: InvokeRequest }[] = [];
  const runner = createGuestRunner({
    sessionFor: async (host) => stubSession(host, log, answer),
    logger: silentLogger,
  });
  return { runner, log };
}

describe('guest runner requests', () => {
  const win: GuestTarget = { host: 'hv01', vm: 'w1', os: 'windows', credential: cred };
  const linux: GuestTarget = { host: 'hv01', vm: 'l1', os: 'linux', credential: cred };

  it('batches all probes of a VM into one request and keeps their order', async () => {
    const { runner, log } = runnerWith(() => [
      { done: true, detail: 'a' },
      { done: false, detail: '' },
    ]);
    const results = await runner.probeGuest(
      win,
      [
        { op: 'setComputerName', computerName: 'W1' },
        { op: 'installFeatures', features: ['DNS'] },
      ],
      ctx,
    );
    expect(results).toEqual([
      { done: true, detail: 'a' },
      { done: false, detail: undefined },
    ]);
    expect(log).toHaveLength(1);
    expect(log[0]!.request).toMatchObject({
      command: 'Invoke-LabformGuestProbe',
      safeToRetry: true,
      parameters: {
        VMName: 'w1',
        Probes: [{ operation: 'setComputerName' }, { operation: 'installFeatures' }],
      },
    });
  });

  it('never re-sends a guest operation (not safe to retry) and passes values as parameters', async () => {
    const { runner, log } = runnerWith(() => ({ rebooted: true, detail: 'renamed' }));
    const result = await runner.runGuest(win, { op: 'setComputerName', computerName: "W1'; rm -rf /" }, ctx);
    expect(result).toEqual({ rebooted: true, detail: 'renamed' });
    expect(log[0]!.request).toMatchObject({
      command: 'Invoke-LabformGuest',
      safeToRetry: false,
      address: 'vm.x',
      parameters: { Operation: 'setComputerName', Arguments: { computerName: "W1'; rm -rf /" } },
    });
  });

  it('reads a TPM identifier on the host of the guarded host before registering it on the HGS', async () => {
    const { runner, log } = runnerWith((r) =>
      r.command === 'Invoke-LabformGuestRead' ? { value: '<PlatformIdentifier/>' } : { rebooted: false },
    );
    await runner.runGuest(
      win,
      {
        op: 'addAttestationTpmHost',
        name: 'gh01',
        from: { host: 'hv02', vm: 'gh01', credential: 'lab-admin' },
      },
      ctx,
    );
    expect(log.map((l) => `${l.host}:${l.request.command}`)).toEqual([
      'hv02:Invoke-LabformGuestRead',
      'hv01:Invoke-LabformGuest',
    ]);
    expect(log[1]!.request.parameters).toMatchObject({
      Arguments: { name: 'gh01', identifier: '<PlatformIdentifier/>' },
    });
  });

  it('runs a Linux bash script over the host (script text as data), then records its run-once marker', async () => {
    const { runner, log } = runnerWith(() => ({ detail: 'ok', done: true }));
    await runner.runGuest(
      linux,
      {
        op: 'runScript',
        id: 'role.l1/1 x',
        run: 'echo "$HOME"; yum -y install x',
        shell: 'bash',
        reboots: false,
      },
      ctx,
    );
    expect(log.map((l) => l.request.command)).toEqual([
      'Invoke-LabformLinuxScript',
      'Invoke-LabformLinuxScript',
    ]);
    expect(log[0]!.request.parameters).toEqual({
      VMName: 'l1',
      UserName: 'root',
      Script: 'echo "$HOME"; yum -y install x',
    });
    expect(log[1]!.request.parameters.Script).toContain('/var/lib/labform/scripts/role.l1_1_x.done');
    expect(JSON.stringify(log)).not.toContain('n0t-used');
  });

  it("writes, probes, reads and forgets a Linux guest's role records through the host's ssh", async () => {
    const record = JSON.stringify({ address: 'role.l1.script', tasks: [{ key: 'script/run', run: "it's" }] });
    const { runner, log } = runnerWith((r) =>
      r.command === 'Read-LabformLinuxRoles'
        ? { done: true, detail: JSON.stringify([record]) }
        : { done: true },
    );
    await runner.runGuest(linux, { op: 'recordRole', address: 'role.l1.script', record }, ctx);
    await runner.probeGuest(linux, [{ op: 'recordRole', address: 'role.l1.script', record }], ctx);
    const [read] = await runner.probeGuest(linux, [{ op: 'readRoles' }], ctx);
    await runner.runGuest(linux, { op: 'forgetRole', address: 'role.l1.script' }, ctx);
    expect(log.map((l) => l.request.command)).toEqual([
      'Invoke-LabformLinuxScript',
      'Invoke-LabformLinuxScript',
      'Read-LabformLinuxRoles',
      'Invoke-LabformLinuxScript',
    ]);
    const script = (i: number) =>
      String(log[i]!.request.parameters.Script ?? log[i]!.request.parameters.ListingScript);
    // Written through a temporary file and mv, root's alone; the record's quote escaped as a shell word.
    expect(script(0)).toContain('umask 077');
    expect(script(0)).toContain("> '/var/lib/labform/roles/role.l1.script.json.tmp'");
    expect(script(0)).toContain(
      "mv -f '/var/lib/labform/roles/role.l1.script.json.tmp' '/var/lib/labform/roles/role.l1.script.json'",
    );
    expect(script(0)).toContain(`'${record.replace(/'/g, "'\\''")}'`);
    // The probe compares the file's SHA-256, not the text: it stays short.
    expect(script(1)).not.toContain(record);
    expect(script(1)).toMatch(
      /sha256sum '\/var\/lib\/labform\/roles\/role\.l1\.script\.json'.*= '[0-9a-f]{64}'/,
    );
    expect(log[1]!.request.parameters.Probe).toBe(true);
    expect(script(2)).toContain('find "$roles" -type f -name \'*.json\'');
    expect(read).toEqual({ done: true, detail: JSON.stringify([record]) });
    expect(script(3)).toBe("rm -f '/var/lib/labform/roles/role.l1.script.json'");
    expect(JSON.stringify(log)).not.toContain('n0t-used');
  });

  it('refuses anything but bash scripts on a Linux guest', async () => {
    const { runner } = runnerWith(() => ({}));
    await expect(
      runner.runGuest(linux, { op: 'installFeatures', features: ['DNS'] }, ctx),
    ).rejects.toBeInstanceOf(ProviderError);
    await expect(
      runner.runGuest(
        linux,
        { op: 'runScript', id: 'p', run: 'x', shell: 'powershell', reboots: false },
        ctx,
      ),
    ).rejects.toMatchObject({ retryable: false });
  });

  it('asks a Linux guest over ssh with the user name only', async () => {
    const { runner, log } = runnerWith(() => ({ reachable: true, detail: 'ssh ok' }));
    expect(await runner.guestReachable(linux, ctx)).toBe(true);
    expect(log[0]!.request).toMatchObject({
      command: 'Test-LabformLinuxReachable',
      parameters: { VMName: 'l1', UserName: 'root' },
    });
  });
});
