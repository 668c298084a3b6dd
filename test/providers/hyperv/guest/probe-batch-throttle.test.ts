/**
 * The plan's probe batch on the fake module (real pwsh): one Invoke-Command -VMName <vm> -AsJob
 * per guest, throttled by the host script. A batch answers exactly what each guest answers when
 * asked on its own; each guest receives its own probes only, whatever the batch's size; at most
 * ThrottleLimit sessions are open, so hung guests holding every slot are unknown and the guests
 * queued behind them still answer; a VM that stops before its session gets no job. The fake's
 * Invoke-Command -VMName a,b,c -AsJob -ThrottleLimit N: every VM its own child job, the VMs
 * beyond the limit wait NotStarted and start when a slot frees. Inside one request, a guest's
 * read-only cmdlets see what its earlier cmdlets wrote.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log/logger.js';
import type { GuestOperation } from '../../../../src/model/guest-operation.js';
import { ownershipMark } from '../../../../src/ownership/mark.js';
import { createSession } from '../../../../src/powershell/create-session.js';
import type { PowerShellSession } from '../../../../src/powershell/session.js';
import { createGuestRunner } from '../../../../src/providers/hyperv/guest/guest-runner.js';
import { guestLibraryScripts } from '../../../../src/providers/hyperv/guest/guest-library.js';
import { probeBatchParameters } from '../../../../src/providers/hyperv/guest/probe-batch-request.js';
import type { GuestProbeBatch } from '../../../../src/providers/provider.js';
import { describePwsh, pwshPath } from '../../../support/pwsh.js';
import { credential, FAKE_MODULE, PWSH_TIMEOUTS } from './guest-fixture.js';

const LAB = 'throttle';
const admin = credential('lab-admin', 'Initial#1');

/**
 * Test-only helper: starts Invoke-Command -AsJob on the named VMs and reports the child jobs'
 * states after the start, after stopping the first child, and after stopping the second, with
 * each completed child's output (its guest's computer name, as PSComputerName says).
 */
const THROTTLE_PROBE = `
function Test-FakeThrottle {
    param([string[]]$VMName, [System.Management.Automation.PSCredential]$Credential, [int]$ThrottleLimit)
    $job = Invoke-Command -VMName $VMName -Credential $Credential -ThrottleLimit $ThrottleLimit -AsJob -ScriptBlock { $env:COMPUTERNAME }
    $snap = {
        [pscustomobject]@{
            parent = [string]$job.JobStateInfo.State
            children = @($job.ChildJobs | ForEach-Object { [pscustomobject]@{ vm = [string]$_.Location; state = [string]$_.JobStateInfo.State; output = @($_.Output | ForEach-Object { [string]$_ + '@' + [string]$_.PSComputerName }) } })
        }
    }
    $started = & $snap
    Stop-Job -Job @($job.ChildJobs)[0]
    $afterFirst = & $snap
    Stop-Job -Job @($job.ChildJobs)[1]
    $afterSecond = & $snap
    Remove-Job -Job $job -Force
    [pscustomobject]@{ started = $started; afterFirst = $afterFirst; afterSecond = $afterSecond }
}
function Test-FakePayloadPerGuest {
    # The CLIXML bytes each guest's session received during one probe batch.
    param([hashtable]$Batch)
    Start-FakeDirectPayloadCount
    try { $null = Invoke-LabformGuestProbeBatch @Batch } finally { $counted = Stop-FakeDirectPayloadCount }
    $counted
}
function Test-FakeJobOfStoppedVm {
    # Invoke-Command -AsJob on a VM that is off: the non-terminating error, and whether a job came back.
    param([string]$VMName, [System.Management.Automation.PSCredential]$Credential)
    $errs = @()
    $job = Invoke-Command -VMName $VMName -Credential $Credential -AsJob -ScriptBlock { 1 } -ErrorAction SilentlyContinue -ErrorVariable errs
    [pscustomobject]@{ job = ($null -ne $job); error = [string](@($errs)[0].Exception.Message) }
}
function Test-FakeWriteThenRead {
    param([string]$VMName, [System.Management.Automation.PSCredential]$Credential)
    Invoke-Command -VMName $VMName -Credential $Credential -ScriptBlock {
        $before = [bool](Get-WindowsFeature -Name 'Web-Server').Installed
        $null = Install-WindowsFeature -Name 'Web-Server'
        $after = [bool](Get-WindowsFeature -Name 'Web-Server').Installed
        [pscustomobject]@{ before = $before; after = $after }
    }
}
function Test-FakeRunspaceWriteThenRead {
    param([string]$VMName, [System.Management.Automation.PSCredential]$Credential)
    Invoke-Command -VMName $VMName -Credential $Credential -ScriptBlock {
        $before = [bool](Get-WindowsFeature -Name 'DHCP').Installed
        # A runspace of the guest's own (as runScript makes) has its own copy of the fake: its write
        # is another writer's, which the request's reads must still see.
        $ps = [PowerShell]::Create()
        try { $null = $ps.AddScript("Install-WindowsFeature -Name 'DHCP'").Invoke() } finally { $ps.Dispose() }
        $after = [bool](Get-WindowsFeature -Name 'DHCP').Installed
        [pscustomobject]@{ before = $before; after = $after }
    }
}
`;

interface ChildSnap {
  vm: string;
  state: string;
  output: string[];
}
interface Snap {
  parent: string;
  children: ChildSnap[];
}

describePwsh('fake PowerShell Direct jobs: throttle, hung guests and batch answers (real pwsh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labform-throttle-'));
  const statePath = join(dir, 'hv01.json');
  let session: PowerShellSession;

  /** Running lab VMs (partial guest states are completed at first use, as the fake does). */
  function seed(vms: { name: string; state?: 'Off'; guest?: Record<string, unknown> | null }[]): void {
    rmSync(join(dir, 'fake-guests'), { recursive: true, force: true });
    writeFileSync(
      statePath,
      JSON.stringify({
        format: 'labform-fake-hyperv/1',
        seq: 100,
        calls: [],
        vms: vms.map((vm, i) => ({
          id: `${String(i + 1).padStart(8, '0')}-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
          name: vm.name,
          state: vm.state ?? 'Running',
          startedAt: 0,
          generation: 2,
          path: `D:\\Labs\\${LAB}\\${vm.name}`,
          processors: 2,
          memoryStartup: 2147483648,
          dynamicMemory: false,
          notes: ownershipMark(LAB),
          disks: [],
          adapters: [],
          devices: [],
          snapshots: [],
          guest: vm.guest ?? null,
        })),
      }),
    );
  }

  function batch(vms: string[], operations: (vm: string) => GuestOperation[]): GuestProbeBatch {
    return {
      lab: LAB,
      requests: vms.map((vm) => ({
        vm,
        os: 'windows',
        credentials: ['lab-admin'],
        operations: operations(vm),
      })),
      credentials: { 'lab-admin': admin },
      timeoutMs: 1_000,
    };
  }

  async function probeBatch(request: GuestProbeBatch, throttleLimit: number): Promise<Record<string, any>> {
    const answer = await session.invoke<any[]>({
      command: 'Invoke-LabformGuestProbeBatch',
      parameters: { ...probeBatchParameters(request), ThrottleLimit: throttleLimit },
      safeToRetry: false,
      timeoutMs: 120_000,
      address: 'host.hv01',
    });
    return Object.fromEntries((answer ?? []).map((o) => [o.vm, o]));
  }

  beforeAll(async () => {
    session = createSession({
      host: 'hv01',
      transport: { kind: 'local', shell: 'pwsh' },
      executable: pwshPath(),
      libraryScripts: [...guestLibraryScripts(), THROTTLE_PROBE],
      modules: [FAKE_MODULE],
      env: { LABFORM_FAKE_HYPERV_STATE: statePath },
      logger: silentLogger,
      startTimeoutMs: 240_000,
    });
    seed([{ name: 'warmup' }]);
    await session.invoke({
      command: 'Test-LabformGuestReachable',
      parameters: { VMName: 'warmup', Credential: admin },
      safeToRetry: true,
      timeoutMs: 240_000,
      address: 'host.hv01',
    });
  }, PWSH_TIMEOUTS.hookTimeout);
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => seed([]));

  it(
    'a batch over many guests answers what each guest answers when asked alone',
    async () => {
      const guests: Record<string, Record<string, unknown> | null> = {
        w1: null,
        w2: { computerName: 'OLD-NAME' },
        w3: { computerName: 'W3', features: ['DNS'] },
        w4: { computerName: 'W4', features: ['DNS', 'DHCP'] },
        w5: { computerName: 'SOMETHING' },
      };
      seed([
        ...Object.entries(guests).map(([name, guest]) => ({ name, guest })),
        { name: 'w6', state: 'Off' },
      ]);
      const operations = (vm: string): GuestOperation[] => [
        { op: 'setComputerName', computerName: vm.toUpperCase() },
        { op: 'installFeatures', features: ['DNS'] },
      ];
      // Throttle 2 over 5 running guests: three waves of sessions in one Invoke-Command.
      const together = await probeBatch(batch([...Object.keys(guests), 'w6'], operations), 2);
      // The off VM is not asked; every running one answered.
      expect(Object.keys(together).sort()).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
      const runner = createGuestRunner({ sessionFor: async () => session, logger: silentLogger });
      const context = { address: 'vm.test', credentials: { get: () => admin } };
      for (const vm of Object.keys(guests)) {
        const alone = await runner.probeGuest(
          { host: 'hv01', vm, os: 'windows', credential: admin },
          operations(vm),
          context,
        );
        expect(together[vm], vm).toMatchObject({ status: 'answered', credential: 'lab-admin' });
        expect(
          together[vm].results.map((r: { done: boolean; detail: string }) => ({
            done: r.done,
            detail: r.detail || undefined,
          })),
          vm,
        ).toEqual(alone);
      }
      // The answers are each guest's own, not a neighbour's.
      expect(together.w1.results.map((r: { done: boolean }) => r.done)).toEqual([true, false]);
      expect(together.w2.results.map((r: { done: boolean }) => r.done)).toEqual([false, false]);
      expect(together.w3.results.map((r: { done: boolean }) => r.done)).toEqual([true, true]);
      expect(together.w4.results.map((r: { done: boolean }) => r.done)).toEqual([true, true]);
      expect(together.w5.results[0]).toMatchObject({ done: false, detail: 'computer name SOMETHING' });
    },
    PWSH_TIMEOUTS.testTimeout,
  );

  it(
    'each guest receives its own probes only: what one guest is sent does not grow with the batch',
    async () => {
      const names = Array.from({ length: 12 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
      seed(names.map((name) => ({ name })));
      const operations = (vm: string): GuestOperation[] => [
        { op: 'setComputerName', computerName: vm.toUpperCase() },
        { op: 'installFeatures', features: ['DNS', 'DHCP'] },
      ];
      const sent = async (vms: string[]) =>
        session.invoke<Record<string, number>>({
          command: 'Test-FakePayloadPerGuest',
          parameters: { Batch: probeBatchParameters(batch(vms, operations)) },
          safeToRetry: false,
          timeoutMs: 120_000,
          address: 'host.hv01',
        });
      const alone = await sent(['p01']);
      const together = await sent(names);
      expect(Object.keys(together).sort()).toEqual(names);
      expect(alone.p01).toBeGreaterThan(0);
      // Twelve guests in one batch: p01 is sent exactly what it is sent alone.
      expect(together.p01).toBe(alone.p01);
      // Names of the same length: every guest is sent the same amount.
      expect(new Set(Object.values(together))).toEqual(new Set([alone.p01]));
    },
    PWSH_TIMEOUTS.testTimeout,
  );

  it(
    "a guest that refuses a credential is asked again with its next one; with none left it is unknown with the guest's reason",
    async () => {
      seed([{ name: 'c1' }, { name: 'c2' }, { name: 'c3' }]);
      // First use records the guests' local Administrator: lab-admin.
      await probeBatch(
        batch(['c1', 'c2', 'c3'], () => []),
        32,
      );
      const other = credential('other-admin', 'Other#1');
      const probe = (vm: string): GuestOperation[] => [
        { op: 'setComputerName', computerName: vm.toUpperCase() },
      ];
      const outcomes = await probeBatch(
        {
          lab: LAB,
          requests: [
            { vm: 'c1', os: 'windows', credentials: ['other', 'lab-admin'], operations: probe('c1') },
            { vm: 'c2', os: 'windows', credentials: ['other'], operations: probe('c2') },
            { vm: 'c3', os: 'windows', credentials: ['lab-admin'], operations: probe('c3') },
          ],
          credentials: { 'lab-admin': admin, other },
          timeoutMs: 1_000,
        },
        1,
      );
      expect(outcomes.c1).toMatchObject({
        status: 'answered',
        credential: 'lab-admin',
        results: [{ done: true }],
      });
      expect(outcomes.c2).toEqual({
        vm: 'c2',
        status: 'unknown',
        reason: 'PowerShell Direct: The credential is invalid.',
      });
      expect(outcomes.c3).toMatchObject({
        status: 'answered',
        credential: 'lab-admin',
        results: [{ done: true }],
      });
    },
    PWSH_TIMEOUTS.testTimeout,
  );

  it(
    'Invoke-Command -AsJob on a VM that is not running writes its error and no job',
    async () => {
      seed([{ name: 'off1', state: 'Off' }]);
      const seen = await session.invoke<{ job: boolean; error: string }>({
        command: 'Test-FakeJobOfStoppedVm',
        parameters: { VMName: 'off1', Credential: admin },
        safeToRetry: false,
        timeoutMs: 120_000,
        address: 'host.hv01',
      });
      expect(seen).toEqual({ job: false, error: 'The virtual machine off1 is not in running state.' });
    },
    PWSH_TIMEOUTS.testTimeout,
  );

  it(
    'hung guests holding every throttle slot are unknown; the guests waiting behind them still answer',
    async () => {
      seed([
        { name: 'h1', guest: { unresponsive: true } },
        { name: 'h2', guest: { unresponsive: true } },
        { name: 'a1' },
        { name: 'a2' },
        { name: 'a3' },
      ]);
      const outcomes = await probeBatch(
        batch(['h1', 'h2', 'a1', 'a2', 'a3'], (vm) => [
          { op: 'setComputerName', computerName: vm.toUpperCase() },
        ]),
        2,
      );
      expect(outcomes.h1).toEqual({ vm: 'h1', status: 'unknown', reason: 'no answer within 1 s' });
      expect(outcomes.h2).toEqual({ vm: 'h2', status: 'unknown', reason: 'no answer within 1 s' });
      for (const vm of ['a1', 'a2', 'a3']) {
        expect(outcomes[vm], vm).toMatchObject({
          status: 'answered',
          results: [{ done: true, detail: `computer name ${vm.toUpperCase()}` }],
        });
      }
    },
    PWSH_TIMEOUTS.testTimeout,
  );

  it(
    'at most ThrottleLimit sessions are open: the rest wait NotStarted and start as slots free',
    async () => {
      seed([
        { name: 'h1', guest: { unresponsive: true } },
        { name: 'h2', guest: { unresponsive: true } },
        { name: 'a1' },
        { name: 'h3', guest: { unresponsive: true } },
        { name: 'a2' },
      ]);
      const seen = await session.invoke<{ started: Snap; afterFirst: Snap; afterSecond: Snap }>({
        command: 'Test-FakeThrottle',
        parameters: { VMName: ['h1', 'h2', 'a1', 'h3', 'a2'], Credential: admin, ThrottleLimit: 2 },
        safeToRetry: false,
        timeoutMs: 120_000,
        address: 'host.hv01',
      });
      const states = (s: Snap) => s.children.map((c) => `${c.vm}:${c.state}`);
      // One child job per VM, in order; the two hung guests hold both slots.
      expect(states(seen.started)).toEqual([
        'h1:Running',
        'h2:Running',
        'a1:NotStarted',
        'h3:NotStarted',
        'a2:NotStarted',
      ]);
      expect(seen.started.parent).toBe('Running');
      // Stopping h1 frees a slot: a1 runs and completes, h3 takes the slot and hangs.
      expect(states(seen.afterFirst)).toEqual([
        'h1:Stopped',
        'h2:Running',
        'a1:Completed',
        'h3:Running',
        'a2:NotStarted',
      ]);
      // Stopping h2 lets a2 through; h3 still holds its slot, so the parent still runs.
      expect(states(seen.afterSecond)).toEqual([
        'h1:Stopped',
        'h2:Stopped',
        'a1:Completed',
        'h3:Running',
        'a2:Completed',
      ]);
      expect(seen.afterSecond.parent).toBe('Running');
      // Each completed child carries its own guest's answer, marked with its VM's name.
      const outputs = Object.fromEntries(seen.afterSecond.children.map((c) => [c.vm, c.output]));
      expect(outputs.a1).toEqual(['A1@a1']);
      expect(outputs.a2).toEqual(['A2@a2']);
      expect(outputs.h1).toEqual([]);
    },
    PWSH_TIMEOUTS.testTimeout,
  );

  it(
    "inside one request, a guest's reads see what its own cmdlets and its own runspaces wrote; the next request sees the file",
    async () => {
      seed([{ name: 'w1' }]);
      const first = await session.invoke<{ before: boolean; after: boolean }>({
        command: 'Test-FakeWriteThenRead',
        parameters: { VMName: 'w1', Credential: admin },
        safeToRetry: false,
        timeoutMs: 120_000,
        address: 'host.hv01',
      });
      expect(first).toEqual({ before: false, after: true });
      expect(JSON.parse(readFileSync(statePath, 'utf8')).vms[0].guest.features).toEqual(['Web-Server']);
      // Someone else changes the host between requests (here: the test): the next request reads it.
      const state = JSON.parse(readFileSync(statePath, 'utf8'));
      state.vms[0].guest.features = [];
      writeFileSync(statePath, JSON.stringify(state));
      const second = await session.invoke<{ before: boolean; after: boolean }>({
        command: 'Test-FakeWriteThenRead',
        parameters: { VMName: 'w1', Credential: admin },
        safeToRetry: false,
        timeoutMs: 120_000,
        address: 'host.hv01',
      });
      expect(second).toEqual({ before: false, after: true });
      const nested = await session.invoke<{ before: boolean; after: boolean }>({
        command: 'Test-FakeRunspaceWriteThenRead',
        parameters: { VMName: 'w1', Credential: admin },
        safeToRetry: false,
        timeoutMs: 120_000,
        address: 'host.hv01',
      });
      expect(nested).toEqual({ before: false, after: true });
    },
    PWSH_TIMEOUTS.testTimeout,
  );
});
