import type { CallContext, GuestTarget } from '../call-context.js';
import type { GuestProbeBatch, Provider } from '../provider.js';
import type { ProviderOptions } from '../provider-options.js';
import type { DiscoveryScope, HeartbeatStatus, HostState } from '../../model/live-state.js';
import type { HostOperation } from '../../model/host-operation.js';
import type { GuestOperation } from '../../model/guest-operation.js';
import type { PowerShellSession, StartableSession } from '../../powershell/session.js';
import { createSession } from '../../powershell/create-session.js';
import { createSessionPool } from '../../powershell/session-pool.js';
import { transportFor } from '../../powershell/transport.js';
import { InternalError } from '../../errors.js';
import { guardedTarget, guardScope, ownershipError, ownershipRefusal } from '../../ownership/guard.js';
import { requiresStopPath, SIMPLE_SETTING_PROPERTIES } from '../../model/vm-settings.js';
import { hostLibraryScripts } from './host-library.js';
import {
  hostStateFromJson,
  heartbeatFrom,
  type RawHeartbeat,
  type RawHostState,
} from './host-state-from-json.js';
import { operationRequest, toInvokeRequest } from './host-operation-request.js';
import { createGuestRunner } from './guest/guest-runner.js';
import { guestLibraryScripts } from './guest/guest-library.js';
import {
  probeBatchBudgetMs,
  probeBatchParameters,
  probeOutcomesFromJson,
} from './guest/probe-batch-request.js';
import { createGuestShell } from './guest/guest-shell.js';

/** What tests (and unusual setups) change about the sessions; production passes nothing. */
export interface HyperVSessionOptions {
  /** Local PowerShell executable (tests: pwsh); default LABFORM_PWSH or the shell's own. */
  executable?: string;
  /** Modules imported before the library (tests: the fake Hyper-V module). */
  modules?: string[];
  /** Extra environment of a host's local PowerShell process (tests: the fake's state file). */
  env?: (host: string) => Record<string, string>;
  /** Replaces the manifest's shell for every host (tests: `pwsh`). */
  shell?: 'powershell' | 'pwsh';
  /** Per-request default timeout. */
  defaultTimeoutMs?: number;
  /** Timeouts of discovery and heartbeat requests. */
  discoverTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
}

const DISCOVER_TIMEOUT_MS = 5 * 60_000;
const HEARTBEAT_TIMEOUT_MS = 60_000;

/**
 * Real Hyper-V through long-lived PowerShell sessions, up to the lab's perHostParallelism + 1 per
 * host (fewer when the host refuses more), leased per request (session-pool.ts; started when
 * needed, closed by `close()`), so steps against one host run at once as the executor schedules
 * them. Host operations are library functions called with their values as data; guest
 * operations go to the guest runner over the same sessions.
 */
export async function createHyperVProvider(
  options: ProviderOptions,
  sessions: HyperVSessionOptions = {},
): Promise<Provider> {
  const { lab, logger } = options;
  const library = [...hostLibraryScripts(), ...guestLibraryScripts()];
  const pool = createSessionPool({
    parallelism: lab.settings.perHostParallelism,
    logger,
    sessionFor: (host: string): StartableSession => {
      const spec = lab.hosts.find((h) => h.name === host);
      if (!spec) throw new InternalError(`host ${host} is not in lab ${lab.name}`);
      return createSession({
        host,
        transport: transportFor({
          connect: spec.connect,
          shell: sessions.shell ?? spec.shell,
          credential:
            spec.connect.kind === 'winrm' && spec.connect.credential
              ? options.credentials?.get(spec.connect.credential)
              : undefined,
        }),
        libraryScripts: library,
        modules: sessions.modules,
        env: sessions.env?.(host),
        defaultTimeoutMs: sessions.defaultTimeoutMs,
        logger,
        executable: sessions.executable,
      });
    },
  });
  let closed = false;
  // After close() a request would silently start a new PowerShell process nobody closes.
  const refuseWhenClosed = (host: string) => {
    if (closed)
      throw new InternalError(`the Hyper-V provider of lab ${lab.name} is closed (request for ${host})`);
  };
  const sessionFor = async (host: string): Promise<PowerShellSession> => {
    refuseWhenClosed(host);
    return pool.get(host);
  };
  const holdSession = async <T>(
    host: string,
    use: (session: PowerShellSession) => Promise<T>,
  ): Promise<T> => {
    refuseWhenClosed(host);
    return pool.hold(host, use);
  };
  const guest = createGuestRunner({ sessionFor, logger });
  const shell = createGuestShell({ sessionFor, holdSession });

  const discover = async (
    host: string,
    scope: DiscoveryScope,
    probes?: GuestProbeBatch,
  ): Promise<HostState> => {
    const session = await sessionFor(host);
    const discovery = {
      Paths: [...scope.paths],
      Files: [...scope.files],
      Devices: [...(scope.devices ?? [])],
      Sources: [...(scope.sources ?? [])],
      VmProperties: [...SIMPLE_SETTING_PROPERTIES],
      ...(scope.images?.length
        ? { Images: scope.images.map((i) => ({ ...i, updates: [...i.updates] })) }
        : {}),
      ...(scope.seeds?.length ? { Seeds: [...scope.seeds] } : {}),
    };
    const timeoutMs = sessions.discoverTimeoutMs ?? DISCOVER_TIMEOUT_MS;
    // With guest probes: discovery and the probes of every running lab VM in the same request.
    const raw = await session.invoke<RawHostState & { guestProbes?: unknown }>({
      command: probes ? 'Get-LabformHostStateWithProbes' : 'Get-LabformHostState',
      parameters: probes ? { ...discovery, ...probeBatchParameters(probes) } : discovery,
      timeoutMs: probes ? timeoutMs + probeBatchBudgetMs(probes) : timeoutMs,
      safeToRetry: true,
      address: `host.${host}`,
    });
    const state = hostStateFromJson(host, raw);
    return probes ? { ...state, guestProbes: probeOutcomesFromJson(probes, raw.guestProbes) } : state;
  };

  return {
    kind: 'hyperv',

    discover,

    async run(host: string, operation: HostOperation, context: CallContext): Promise<void> {
      // Ownership right before the request is sent, with the marks read from the host now
      // (one read of the host's VMs, switches and NATs; only for destructive operations).
      if (context.ownership && guardedTarget(operation)) {
        const refusal = ownershipRefusal(
          context.ownership,
          operation,
          await discover(host, guardScope(operation)),
        );
        if (refusal) throw ownershipError(refusal, { address: context.address, host });
      }
      const request = operationRequest(operation, (name) => context.credentials.get(name));
      logger.debug(
        { host, op: operation.op, command: request.command, address: context.address },
        'host operation',
      );
      const session = await sessionFor(host);
      await session.invoke(toInvokeRequest(request, context.address));
    },

    async heartbeat(host: string, vm: string, context: CallContext): Promise<HeartbeatStatus> {
      const session = await sessionFor(host);
      const raw = await session.invoke<RawHeartbeat>({
        command: 'Get-LabformHeartbeat',
        parameters: { VMName: vm },
        timeoutMs: sessions.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS,
        safeToRetry: true,
        quick: true,
        address: context.address,
      });
      return heartbeatFrom(raw);
    },

    guestReachable: (target: GuestTarget, context: CallContext) => guest.guestReachable(target, context),
    adReady: (target: GuestTarget, context: CallContext) => guest.adReady(target, context),
    probeGuest: (target: GuestTarget, operations: GuestOperation[], context: CallContext) =>
      guest.probeGuest(target, operations, context),
    runGuest: (target: GuestTarget, operation: GuestOperation, context: CallContext) =>
      guest.runGuest(target, operation, context),

    execGuest: (target, command, context, onOutput) => shell.execGuest(target, command, context, onOutput),
    copyToGuest: (target, file, context) => shell.copyToGuest(target, file, context),
    copyFromGuest: (target, source, context) => shell.copyFromGuest(target, source, context),

    requiresStop: (path: string) => requiresStopPath(path),

    async close(): Promise<void> {
      closed = true;
      await pool.closeAll();
    },
  };
}
