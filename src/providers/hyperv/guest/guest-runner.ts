import type { GuestOperation, GuestProbeResult, GuestRunResult } from '../../../model/guest-operation.js';
import { credentialRefused } from '../../credential-refused.js';
import type { Logger } from '../../../log/logger.js';
import type { PowerShellSession } from '../../../powershell/session.js';
import type { CallContext, GuestTarget } from '../../call-context.js';
import type { Provider } from '../../provider.js';
import { InternalError, ProviderError } from '../../../errors.js';
import { Secret } from '../../../secrets/secret.js';
import { guestArguments, probeArguments } from './guest-arguments.js';
import { linuxProbe, linuxRun, linuxReachable } from './linux-guest.js';
import { abortableSleep } from '../../../clock/abortable-sleep.js';

export type GuestRunner = Pick<Provider, 'guestReachable' | 'adReady' | 'probeGuest' | 'runGuest'>;

export interface GuestRunnerOptions {
  /** The long-lived session of a host (its library includes guestLibraryScripts()). */
  sessionFor: (host: string) => Promise<PowerShellSession>;
  logger: Logger;
  /** Per-request timeouts (ms). Runs are bounded by the executor's step timeout as well. */
  timeouts?: { run?: number; probe?: number; reachable?: number };
  /** Waits between polls while a guest restarts inside one operation (joinHgs). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long joinHgs waits for the guest to come back between its two phases. */
  restartWaitMs?: number;
}

interface Answer {
  rebooted?: boolean;
  detail?: string;
  phase?: string;
}

/**
 * Guest operations on real Hyper-V: each one a library function of the host's session that
 * runs a fixed guest scriptblock through PowerShell Direct, its values passed as data.
 */
export function createGuestRunner(options: GuestRunnerOptions): GuestRunner {
  const run = options.timeouts?.run ?? 60 * 60_000;
  const probe = options.timeouts?.probe ?? 5 * 60_000;
  const reachable = options.timeouts?.reachable ?? 2 * 60_000;
  const sleep = options.sleep ?? abortableSleep;
  const log = options.logger.child({ component: 'guest' });

  async function invoke<T>(
    host: string,
    command: string,
    parameters: Record<string, unknown>,
    extra: { address: string; timeoutMs: number; safeToRetry: boolean; quick?: boolean },
  ): Promise<T> {
    const session = await options.sessionFor(host);
    return session.invoke<T>({ command, parameters, ...extra });
  }

  async function readFrom(
    from: { host: string; vm: string; credential: string },
    operation: string,
    name: string,
    context: CallContext,
  ): Promise<string> {
    const answer = await invoke<{ value: string }>(
      from.host,
      'Invoke-LabformGuestRead',
      {
        VMName: from.vm,
        Credential: context.credentials.get(from.credential),
        Operation: operation,
        Arguments: { name },
      },
      { address: context.address, timeoutMs: probe, safeToRetry: true },
    );
    return answer.value;
  }

  async function runWindows(
    target: GuestTarget,
    operation: GuestOperation,
    context: CallContext,
  ): Promise<Answer> {
    const base = { VMName: target.vm, Credential: target.credential };
    const extra = { address: context.address, timeoutMs: run, safeToRetry: false };
    if (operation.op === 'offlineDomainJoin') return offlineJoin(target, operation, context);
    // Host media into the guest: the host's session copies over a PowerShell Direct session.
    if (operation.op === 'copyFiles')
      return invoke<Answer>(
        target.host,
        'Copy-LabformFilesToGuest',
        { ...base, Os: 'windows', From: operation.from, To: operation.to },
        extra,
      );
    const args = guestArguments(operation, context.credentials);
    if (operation.op === 'addAttestationTpmHost')
      args.identifier = await readFrom(operation.from, 'readPlatformIdentifier', operation.name, context);
    if (operation.op === 'addAttestationHostKey')
      args.hostKey = await readFrom(operation.from, 'readHostKey', operation.name, context);
    if (operation.op === 'addAttestationHostGroup')
      args.identifier = await readFrom(operation.from, 'readGroupSid', operation.groupName, context);
    let answer = await invoke<Answer>(
      target.host,
      'Invoke-LabformGuest',
      { ...base, Operation: operation.op, Arguments: args },
      extra,
    );
    // Operations in phases across restarts: the HGS role installed and restarted before
    // Install-HgsServer (phase 'feature'), an extra HGS node promoted and restarted before it is
    // initialised (phase 'install'). Each call does the phase that is missing: wait, call again.
    const details = [answer.detail ?? ''];
    let rebooted = answer.rebooted;
    for (
      let calls = 1;
      calls < 3 && (answer.phase === 'feature' || (operation.op === 'joinHgs' && answer.phase === 'install'));
      calls++
    ) {
      await waitForGuest(target, context);
      answer = await invoke<Answer>(
        target.host,
        'Invoke-LabformGuest',
        { ...base, Operation: operation.op, Arguments: args },
        extra,
      );
      details.push(answer.detail ?? '');
      rebooted = true;
    }
    return details.length === 1
      ? answer
      : { rebooted: rebooted || answer.rebooted, detail: details.join('; ') };
  }

  async function waitForGuest(target: GuestTarget, context: CallContext): Promise<void> {
    const deadline = Date.now() + (options.restartWaitMs ?? 20 * 60_000);
    let last = '';
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await sleep(Math.min(2_000 * attempt, 15_000), context.signal);
      const state = await reachableDetail(target, context);
      if (state.reachable) return;
      last = state.detail;
      if (Date.now() > deadline) {
        throw new ProviderError({
          message: `${target.vm} did not come back after restarting: ${last}`,
          address: context.address,
          retryable: true,
          host: target.host,
        });
      }
    }
  }

  async function offlineJoin(
    target: GuestTarget,
    operation: Extract<GuestOperation, { op: 'offlineDomainJoin' }>,
    context: CallContext,
  ): Promise<Answer> {
    const dcCredential = context.credentials.get(operation.dc.credential);
    const args = guestArguments(operation, context.credentials);
    const extra = { address: context.address, timeoutMs: run, safeToRetry: false };
    if (operation.dc.host === target.host) {
      // The blob never leaves the host's PowerShell session.
      return invoke<Answer>(
        target.host,
        'Invoke-LabformOfflineJoin',
        {
          VMName: target.vm,
          Credential: target.credential,
          DcVMName: operation.dc.vm,
          DcCredential: dcCredential,
          Arguments: args,
        },
        extra,
      );
    }
    // DC on another host: the blob passes through labform, wrapped as a Secret at once.
    const name = await invoke<{ value: string }>(
      target.host,
      'Invoke-LabformGuestRead',
      {
        VMName: target.vm,
        Credential: target.credential,
        Operation: 'readComputerName',
        Arguments: {},
      },
      { ...extra, safeToRetry: true },
    );
    const provision: Record<string, unknown> = { domain: operation.domain, machine: name.value };
    if (operation.ou) provision.ou = operation.ou;
    const blob = await invoke<{ blob: string }>(
      operation.dc.host,
      'Get-LabformOfflineJoinBlob',
      {
        VMName: operation.dc.vm,
        Credential: dcCredential,
        Arguments: provision,
      },
      extra,
    );
    const secret = new Secret(blob.blob);
    return invoke<Answer>(
      target.host,
      'Invoke-LabformGuest',
      {
        VMName: target.vm,
        Credential: target.credential,
        Operation: 'applyOfflineJoin',
        Arguments: {
          domain: operation.domain,
          dns: [...operation.dns],
          blob: secret,
          __restartsItself: true,
        },
      },
      extra,
    );
  }

  async function reachableDetail(
    target: GuestTarget,
    context: CallContext,
  ): Promise<{ reachable: boolean; detail: string }> {
    if (target.os === 'linux') {
      return linuxReachable({
        invoke: (command, parameters) =>
          invoke(target.host, command, parameters, {
            address: context.address,
            timeoutMs: reachable,
            safeToRetry: true,
            quick: true,
          }),
        target,
      });
    }
    return invoke(
      target.host,
      'Test-LabformGuestReachable',
      { VMName: target.vm, Credential: target.credential },
      { address: context.address, timeoutMs: reachable, safeToRetry: true, quick: true },
    );
  }

  return {
    async guestReachable(target, context) {
      const state = await reachableDetail(target, context);
      log.debug(
        { host: target.host, vm: target.vm, reachable: state.reachable, detail: state.detail },
        'guest reachable?',
      );
      // Test-LabformGuestReachable reports a refused credential as its detail: an answer, not "not yet".
      const refused = /^the guest refused the credential: (.*)$/s.exec(state.detail ?? '');
      if (!state.reachable && refused)
        throw credentialRefused({
          address: context.address,
          host: target.host,
          vm: target.vm,
          os: target.os,
          username: target.credential.username,
          message: refused[1]!.trim(),
        });
      return state.reachable;
    },

    async adReady(target, context) {
      const state = await invoke<{ ready: boolean; detail: string }>(
        target.host,
        'Test-LabformAdReady',
        { VMName: target.vm, Credential: target.credential },
        { address: context.address, timeoutMs: reachable, safeToRetry: true, quick: true },
      );
      log.debug(
        { host: target.host, vm: target.vm, ready: state.ready, detail: state.detail },
        'Active Directory ready?',
      );
      return state.ready;
    },

    async probeGuest(target, operations, context) {
      if (operations.length === 0) return [];
      if (target.os === 'linux') {
        const results: GuestProbeResult[] = [];
        for (const operation of operations) {
          results.push(
            await linuxProbe({
              invoke: (command, parameters) =>
                invoke(target.host, command, parameters, {
                  address: context.address,
                  timeoutMs: probe,
                  safeToRetry: true,
                  quick: true,
                }),
              target,
              operation,
            }),
          );
        }
        return results;
      }
      const probes = operations.map((operation) => ({
        operation: operation.op,
        arguments: probeArguments(operation),
      }));
      const answers = await invoke<GuestProbeResult[]>(
        target.host,
        'Invoke-LabformGuestProbe',
        { VMName: target.vm, Credential: target.credential, Probes: probes },
        { address: context.address, timeoutMs: probe, safeToRetry: true, quick: true },
      );
      if (!Array.isArray(answers) || answers.length !== operations.length) {
        throw new InternalError(
          `probes of ${target.vm} answered ${Array.isArray(answers) ? answers.length : typeof answers} results for ${operations.length} probes`,
        );
      }
      return answers.map((a) => ({
        done: Boolean(a.done),
        detail: a.detail || undefined,
        ...(a.replace ? { replace: String(a.replace) } : {}),
      }));
    },

    async runGuest(target, operation, context): Promise<GuestRunResult> {
      log.info({ host: target.host, vm: target.vm, op: operation.op }, 'guest operation');
      // A bash script would otherwise run as PowerShell text in a Windows guest.
      if (target.os === 'windows' && operation.op === 'runScript' && operation.shell === 'bash') {
        throw new ProviderError({
          message: `${target.vm} is a Windows guest: it takes PowerShell scripts, not a bash script`,
          address: context.address,
          retryable: false,
          host: target.host,
        });
      }
      const answer =
        target.os === 'linux'
          ? await linuxRun({
              invoke: (command, parameters) =>
                invoke(target.host, command, parameters, {
                  address: context.address,
                  timeoutMs: run,
                  safeToRetry: false,
                }),
              target,
              operation,
            })
          : await runWindows(target, operation, context);
      log.debug(
        {
          host: target.host,
          vm: target.vm,
          op: operation.op,
          rebooted: Boolean(answer.rebooted),
          detail: answer.detail,
        },
        'guest operation done',
      );
      return { rebooted: Boolean(answer.rebooted), detail: answer.detail || undefined };
    },
  };
}
