/**
 * The one scripted in-memory Provider of the tests (executor, plan, CLI): serves given live
 * states, answers probes, waits and guest operations as scripted, on an injected clock, and
 * records every call and the concurrency it saw.
 */
import type { Clock } from '../../src/clock/clock.js';
import type { DiscoveryScope, HeartbeatStatus, HostState } from '../../src/model/live-state.js';
import type { HostOperation } from '../../src/model/host-operation.js';
import type { CallContext, GuestTarget } from '../../src/providers/call-context.js';
import type { GuestProbeBatch, Provider } from '../../src/providers/provider.js';
import type { GuestOperation, GuestProbeResult, GuestRunResult } from '../../src/model/guest-operation.js';
import { ProviderError } from '../../src/errors.js';
import { ownerOf } from '../../src/ownership/mark.js';
import { requiresStopPath } from '../../src/model/vm-settings.js';
import { Secret, type Credential, type CredentialResolver } from '../../src/secrets/secret.js';
import { emptyHost } from './lab-builder.js';

export { emptyHost };

/** A provider call the fake saw. */
export interface Call {
  kind: 'discover' | 'run' | 'heartbeat' | 'guestReachable' | 'adReady' | 'probeGuest' | 'runGuest';
  host: string;
  key: string;
  start: number;
  end?: number;
  credential?: string;
}

/** `createVm:dc01`, `startVm:dc01`, `runGuest:createForest:dc01`: how scripts address calls. */
export function operationKey(op: HostOperation): string {
  const o = op as Record<string, unknown>;
  const name = (o.name ?? o.vm ?? o.path ?? o.nat ?? o.switchName) as string | undefined;
  return `${op.op}:${name ?? ''}`;
}

export interface FakeScript {
  /** Clock ms a host operation takes, by key (`createVm:dc01`) or op name (`createVm`); default 1000. */
  durations?: Record<string, number>;
  /** Errors thrown by successive calls of a key, in order; afterwards the call succeeds. */
  failures?: Record<string, Error[]>;
  /** Heartbeat statuses per VM, one per poll; the last repeats. Default always OK. */
  heartbeats?: Record<string, HeartbeatStatus[]>;
  /**
   * guestReachable answers per `vm` or `vm:credential`, one per poll; the last repeats. Default
   * `defaultReachable`. A guest that does not answer has its discovery probes `unknown`.
   */
  reachable?: Record<string, boolean[]>;
  /** Whether a guest not named in `reachable` answers; default true. */
  defaultReachable?: boolean;
  /** adReady answers per VM; the last repeats. Default true. */
  adReady?: Record<string, boolean[]>;
  /** Guest operations already done: a list of `op:vm`, or a predicate. */
  guestDone?: string[] | ((vm: string, operation: GuestOperation) => boolean);
  /** Guest operations that reboot, as `op:vm`. */
  guestReboots?: string[];
  /** Clock ms a guest operation takes, by `op:vm` or op; default 1000. */
  guestDurations?: Record<string, number>;
  /** What discover() returns per host; default an empty host. */
  hosts?: Record<string, HostState> | Map<string, HostState>;
  /** Concurrency check: called with the number of discover() calls in flight at once. */
  onDiscover?: (inFlight: number) => void;
}

/** A scripted Provider on an injected clock: records every call and the concurrency it saw. */
export class FakeProvider implements Provider {
  readonly kind = 'sim' as const;
  readonly calls: Call[] = [];
  running = 0;
  maxRunning = 0;
  readonly runningPerHost = new Map<string, number>();
  readonly maxPerHost = new Map<string, number>();
  readonly #counters = new Map<string, number>();
  /** Every discover() call with the scope it asked for. */
  readonly discoverCalls: { host: string; scope: DiscoveryScope }[] = [];
  /** Every guest probe batch answered, by probeGuest() or inside a discovery. */
  readonly probeCalls: { target: GuestTarget; operations: GuestOperation[] }[] = [];
  #discovering = 0;
  closed = false;

  constructor(
    readonly clock: Clock,
    readonly script: FakeScript = {},
  ) {}

  #next<T>(table: Record<string, T[]> | undefined, key: string, fallback: T): T {
    const list = table?.[key];
    if (!list || list.length === 0) return fallback;
    const n = this.#counters.get(`${key}`) ?? 0;
    this.#counters.set(key, n + 1);
    return list[Math.min(n, list.length - 1)]!;
  }

  #failure(key: string): Error | undefined {
    const list = this.script.failures?.[key];
    const n = this.#counters.get(`fail:${key}`) ?? 0;
    this.#counters.set(`fail:${key}`, n + 1);
    return list?.[n];
  }

  async #work<T>(
    host: string,
    call: Call,
    ms: number,
    signal: AbortSignal | undefined,
    body: () => T,
  ): Promise<T> {
    this.calls.push(call);
    this.running++;
    this.runningPerHost.set(host, (this.runningPerHost.get(host) ?? 0) + 1);
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.maxPerHost.set(host, Math.max(this.maxPerHost.get(host) ?? 0, this.runningPerHost.get(host)!));
    try {
      await this.clock.sleep(ms, signal);
      const error = this.#failure(call.key);
      if (error) throw error;
      return body();
    } finally {
      call.end = this.clock.now();
      this.running--;
      this.runningPerHost.set(host, this.runningPerHost.get(host)! - 1);
    }
  }

  #hostState(host: string): HostState {
    const hosts = this.script.hosts;
    const state = hosts instanceof Map ? hosts.get(host) : hosts?.[host];
    if (!state && hosts instanceof Map) throw new Error(`no host ${host}`);
    return structuredClone(state ?? emptyHost(host));
  }

  #answers(vm: string, credential?: string): boolean {
    const fallback = this.script.defaultReachable ?? true;
    const specific = `${vm}:${credential}`;
    if (credential && this.script.reachable?.[specific])
      return this.#next(this.script.reachable, specific, fallback);
    return this.#next(this.script.reachable, vm, fallback);
  }

  #done(vm: string, operation: GuestOperation): boolean {
    const done = this.script.guestDone ?? [];
    return typeof done === 'function' ? done(vm, operation) : done.includes(`${operation.op}:${vm}`);
  }

  async discover(host: string, scope: DiscoveryScope, probes?: GuestProbeBatch): Promise<HostState> {
    this.calls.push({ kind: 'discover', host, key: host, start: this.clock.now() });
    this.discoverCalls.push({ host, scope });
    if (this.script.onDiscover) {
      this.script.onDiscover(++this.#discovering);
      await new Promise((r) => setImmediate(r));
      this.#discovering--;
    }
    const state = this.#hostState(host);
    if (!probes) return state;
    // Like both real providers: the probes of every running VM of the lab ride in the discovery.
    state.guestProbes = [];
    for (const request of probes.requests) {
      const vm = state.vms.find((v) => v.name.toLowerCase() === request.vm.toLowerCase());
      if (!vm || vm.state !== 'Running' || ownerOf(vm.notes) !== probes.lab) continue;
      const credential = request.credentials[0]!;
      if (!this.#answers(request.vm, credential)) {
        state.guestProbes.push({
          vm: request.vm,
          status: 'unknown',
          reason: `PowerShell Direct to ${request.vm} failed: the virtual machine is not reachable`,
        });
        continue;
      }
      this.probeCalls.push({
        target: { host, vm: request.vm, os: request.os, credential: probes.credentials[credential]! },
        operations: request.operations,
      });
      state.guestProbes.push({
        vm: request.vm,
        status: 'answered',
        credential,
        results: request.operations.map((op) => ({ done: this.#done(request.vm, op) })),
      });
    }
    return state;
  }

  async run(host: string, operation: HostOperation, context: CallContext): Promise<void> {
    const key = operationKey(operation);
    const ms = this.script.durations?.[key] ?? this.script.durations?.[operation.op] ?? 1000;
    await this.#work(
      host,
      { kind: 'run', host, key, start: this.clock.now() },
      ms,
      context.signal,
      () => undefined,
    );
  }

  async heartbeat(host: string, vm: string): Promise<HeartbeatStatus> {
    this.calls.push({ kind: 'heartbeat', host, key: vm, start: this.clock.now() });
    const error = this.#failure(`heartbeat:${vm}`);
    if (error) throw error;
    return this.#next(this.script.heartbeats, vm, 'OK');
  }

  async guestReachable(target: GuestTarget): Promise<boolean> {
    this.calls.push({
      kind: 'guestReachable',
      host: target.host,
      key: target.vm,
      start: this.clock.now(),
      credential: target.credential.name,
    });
    return this.#answers(target.vm, target.credential.name);
  }

  async adReady(target: GuestTarget): Promise<boolean> {
    this.calls.push({
      kind: 'adReady',
      host: target.host,
      key: target.vm,
      start: this.clock.now(),
      credential: target.credential.name,
    });
    return this.#next(this.script.adReady, target.vm, true);
  }

  async probeGuest(target: GuestTarget, operations: GuestOperation[]): Promise<GuestProbeResult[]> {
    this.calls.push({
      kind: 'probeGuest',
      host: target.host,
      key: operations.map((o) => `${o.op}:${target.vm}`).join(','),
      start: this.clock.now(),
    });
    this.probeCalls.push({ target, operations });
    return operations.map((o) => ({ done: this.#done(target.vm, o) }));
  }

  async runGuest(
    target: GuestTarget,
    operation: GuestOperation,
    context: CallContext,
  ): Promise<GuestRunResult> {
    const key = `${operation.op}:${target.vm}`;
    const ms = this.script.guestDurations?.[key] ?? this.script.guestDurations?.[operation.op] ?? 1000;
    return this.#work(
      target.host,
      {
        kind: 'runGuest',
        host: target.host,
        key: `runGuest:${key}`,
        start: this.clock.now(),
        credential: target.credential.name,
      },
      ms,
      context.signal,
      () => ({
        rebooted: (this.script.guestReboots ?? []).includes(key),
      }),
    );
  }

  async execGuest(): Promise<never> {
    throw new Error('the fake provider runs no guest commands');
  }

  async copyToGuest(): Promise<never> {
    throw new Error('the fake provider copies no files');
  }

  async copyFromGuest(): Promise<never> {
    throw new Error('the fake provider copies no files');
  }

  /** The VM settings table's answer, as both real providers give it. */
  requiresStop(path: string): boolean {
    return requiresStopPath(path);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Host operation keys in the order they started. */
  runKeys(): string[] {
    return this.calls.filter((c) => c.kind === 'run' || c.kind === 'runGuest').map((c) => c.key);
  }
}

export function transient(message = 'the operation timed out; try again'): ProviderError {
  return new ProviderError({ message, address: 'test', retryable: true });
}

export function fatal(message = 'access denied'): ProviderError {
  return new ProviderError({ message, address: 'test', retryable: false });
}

/** Credentials named anything, with a known secret value for leak checks. */
export const SECRET_VALUE = 'Pa55w0rd-very-secret';
export function fakeCredentials(): CredentialResolver {
  return {
    get: (name: string): Credential => ({
      name,
      username: `LAB\\${name}`,
      password: new Secret(SECRET_VALUE),
    }),
    secretValues: () => [SECRET_VALUE],
  };
}
