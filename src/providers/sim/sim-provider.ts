/**
 * The built-in Hyper-V simulator: a Provider whose hosts are JSON documents (files under
 * `<stateDir>/sim`, or memory), whose rules are Hyper-V's, and whose time is the injected
 * clock's. See docs in timing-profile.ts (durations), faults.ts (fault keys), world.ts
 * (clusters and shared storage).
 */
import type { GuestProbeBatch, Provider } from '../provider.js';
import type { CallContext, GuestTarget } from '../call-context.js';
import type { ProviderOptions, FaultOptions } from '../provider-options.js';
import type { DiscoveryScope, HeartbeatStatus, HostState } from '../../model/live-state.js';
import type { HostOperation } from '../../model/host-operation.js';
import type { GuestOperation, GuestProbeResult, GuestRunResult } from '../../model/guest-operation.js';
import type { Lab } from '../../manifest/lab.js';
import type { Clock } from '../../clock/clock.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import { requiresStopPath } from '../../model/vm-settings.js';
import { createMemoryStore, type SimStore } from './store/sim-store.js';
import { createFileStore } from './store/file-store.js';
import { World } from './world.js';
import { provisionHostForLab, DEFAULT_HOST, freshHost, type HostDefaults } from './host/fresh-host.js';
import { DEFAULT_TIMING, type TimingProfile } from './time/timing-profile.js';
import { FaultInjector, type FaultCounts } from './faults.js';
import type { OpContext } from './host/op-context.js';
import { applyHostOperation, hostOperationDuration, hostOperationResource } from './host/host-ops.js';
import { discoverHost } from './host/discover.js';
import { probeGuestsOfHost } from './guest/guest-probe-batch.js';
import { credentialRefused } from '../credential-refused.js';
import { guardedTarget, guardScope, ownershipError, ownershipRefusal } from '../../ownership/guard.js';
import { heartbeatAt, scheduleReboots } from './time/power-model.js';
import { adAnswers, reachGuest, reachProblem, type GuestEnv } from './guest/guest-access.js';
import { applyGuestOperation, guestOperationDuration, probeGuestOperation } from './guest/guest-ops.js';
import type { GuestOpContext } from './guest/guest-op-context.js';
import { refusal, type ErrorSite } from './sim-errors.js';
import { parseHost, type SimHost, type SimShared } from './sim-state.js';
import { seedTools, type SeedTools } from './host/seed.js';
import { simCopyFrom, simCopyTo, simExec } from './guest/guest-shell-ops.js';
import type { GuestExecResult, GuestOutput } from '../guest-shell.js';

export interface SimOptions {
  lab: Lab;
  clock: Clock;
  /** Where `sim/hosts/<host>.json` live (file mode). */
  stateDir?: string;
  /** Keep hosts in memory (fast tests); ignored when `store` is given. */
  memory?: boolean;
  /** File mode: fsync every write (power-loss durability; kill -9 safety needs only the atomic rename). */
  durable?: boolean;
  /** An injected store (e.g. a shared memory store for two simulators in one test). */
  store?: SimStore;
  logger?: Logger;
  faults?: FaultOptions;
  timing?: TimingProfile;
  /** Defaults for every fresh host, and per host. */
  hostDefaults?: Partial<HostDefaults>;
  hosts?: Record<string, Partial<HostDefaults>>;
}

export interface SimProvider extends Provider {
  readonly kind: 'sim';
  readonly timing: TimingProfile;
  /** Provider calls made for this host (every method call is one round trip). */
  roundTrips(host: string): number;
  /** discover() calls made for this host. */
  discoverCalls(host: string): number;
  faultCounts(): FaultCounts;
  /** The current simulated time (milliseconds), as the simulator sees it. */
  simNow(): Promise<number>;
  /** A copy of a host's raw state (a fresh host when never touched). */
  rawState(host: string): Promise<SimHost>;
  rawShared(): Promise<SimShared>;
  /** Change a host's raw state directly: unmarked resources, another lab's, memory... */
  seed(host: string, mutate: (tools: SeedTools, state: SimHost) => void): Promise<void>;
}

/** Simulated time a read may run ahead of the saved time before it saves it. */
const CLOCK_SAVE_EVERY_MS = 30_000;

export async function createSimProvider(options: ProviderOptions): Promise<Provider> {
  return createSim({
    lab: options.lab,
    clock: options.clock,
    stateDir: options.stateDir,
    logger: options.logger,
    faults: options.faults,
  });
}

/** The simulator with its test controls. */
export async function createSim(options: SimOptions): Promise<SimProvider> {
  const store =
    options.store ??
    (options.memory || !options.stateDir
      ? createMemoryStore()
      : createFileStore({ stateDir: options.stateDir, durable: options.durable }));
  const timing = options.timing ?? DEFAULT_TIMING;
  const logger = (options.logger ?? silentLogger).child({ provider: 'sim' });
  const faults = new FaultInjector(options.faults);
  const clock = options.clock;
  const knownHosts = options.lab.hosts.map((h) => h.name);
  const trips = new Map<string, number>();
  const discovers = new Map<string, number>();
  // Keeps simulated time monotonic across processes (each RealClock has its own origin).
  let offset = 0;

  /** One round trip to a host: counted, and logged at debug as the Hyper-V provider logs each PowerShell request. */
  const count = (host: string, request: string) => {
    trips.set(host, (trips.get(host) ?? 0) + 1);
    logger.debug({ host, request }, 'sim request');
  };
  const fresh = (host: string) =>
    freshHost({
      lab: options.lab,
      host,
      defaults: { ...DEFAULT_HOST, ...options.hostDefaults, ...options.hosts?.[host] },
    });
  const adopt = (host: SimHost) =>
    provisionHostForLab({ host, fresh: fresh(host.host), lab: options.lab.name });

  // Parsed host documents for pure reads (polls, probes, discovery): parsing dominates their cost.
  const parsed = new Map<string, { text: string; value: SimHost }>();

  /**
   * `commit`: change and write back (locked). `validate`: a dry run that may change the objects
   * but never writes (no lock). `read`: nothing changes (no lock, parsed documents reused).
   */
  async function withWorld<T>(fn: (world: World) => T, mode: 'commit' | 'validate' | 'read'): Promise<T> {
    let behind = 0;
    const result = await store.transact(
      (tx) => {
        const world = new World({ tx, fresh, adopt, knownHosts, ...(mode === 'read' ? { parsed } : {}) });
        const stored = world.shared().simTime;
        let now = clock.now() + offset;
        if (now < stored) {
          offset += stored - now;
          now = stored;
        }
        world.now = now;
        behind = now - stored;
        const out = fn(world);
        if (mode === 'commit') world.commit();
        return out;
      },
      { readOnly: mode !== 'commit' },
    );
    // Polls only read: save the time they saw now and then, so a process killed during a long wait
    // does not send the next one back in simulated time (AD would be "unready" again).
    if (mode !== 'commit' && behind > CLOCK_SAVE_EVERY_MS)
      await store.transact(
        (tx) => {
          const world = new World({ tx, fresh, adopt, knownHosts });
          world.now = Math.max(world.shared().simTime, clock.now() + offset);
          world.commitClock();
        },
        { readOnly: false },
      );
    return result;
  }

  const env = (world: World, call: CallContext): GuestEnv => ({
    world,
    timing,
    call,
    adBlocked: (vm) => faults.isAdBlocked(vm),
  });
  const opContext = (world: World, host: string, site: ErrorSite, call: CallContext): OpContext => ({
    world,
    host,
    site,
    timing,
    call,
  });

  function guestContext(
    world: World,
    target: GuestTarget,
    site: ErrorSite,
    call: CallContext,
  ): GuestOpContext {
    const e = env(world, call);
    return { env: e, site, target, at: reachGuest(e, site, target) };
  }

  const provider: SimProvider = {
    kind: 'sim',
    timing,
    roundTrips: (host) => trips.get(host) ?? 0,
    discoverCalls: (host) => discovers.get(host) ?? 0,
    faultCounts: () => ({ ...faults.counts }),
    simNow: () => withWorld((w) => w.now, 'read'),
    rawState: (host) => withWorld((w) => parseHost(JSON.stringify(w.host(host))), 'read'),
    rawShared: () => withWorld((w) => JSON.parse(JSON.stringify(w.shared())) as SimShared, 'read'),
    async seed(host, mutate) {
      await withWorld((w) => mutate(seedTools(w.host(host), w.now), w.host(host)), 'commit');
    },

    async discover(host: string, scope: DiscoveryScope, probes?: GuestProbeBatch): Promise<HostState> {
      count(host, 'discover');
      discovers.set(host, (discovers.get(host) ?? 0) + 1);
      return withWorld((world) => {
        const state = discoverHost({ world, host, scope, timing });
        if (!probes) return state;
        // The guest probes of the host travel in the same request (one round trip).
        const guestProbes = probeGuestsOfHost({
          world,
          host,
          batch: probes,
          timing,
          silent: (vm) => faults.probeSilent(vm),
          adBlocked: (vm) => faults.isAdBlocked(vm),
        });
        return { ...state, guestProbes };
      }, 'read');
    },

    async run(host: string, op: HostOperation, call: CallContext): Promise<void> {
      count(host, 'run');
      const site = { address: call.address, host };
      const resource = hostOperationResource(op);
      faults.check(site, [`${op.op}:${resource}`]);
      // Validate first (cmdlets fail fast), then take the operation's time, then apply.
      // Ownership, from the marks in the same transaction that acts (src/ownership/guard.ts).
      const guard = (world: World) => {
        if (!call.ownership || !guardedTarget(op)) return;
        const refusal = ownershipRefusal(
          call.ownership,
          op,
          discoverHost({ world, host, scope: guardScope(op), timing }),
        );
        if (refusal) throw ownershipError(refusal, site);
      };
      const duration = await withWorld((world) => {
        guard(world);
        const ctx = opContext(world, host, site, call);
        const ms = hostOperationDuration(ctx, op);
        applyHostOperation(ctx, op);
        return ms;
      }, 'validate');
      await clock.sleep(duration, call.signal);
      await withWorld((world) => {
        guard(world);
        applyHostOperation(opContext(world, host, site, call), op);
      }, 'commit');
      logger.debug({ host, op: op.op, resource, ms: duration }, 'sim host operation');
    },

    async heartbeat(host: string, vm: string, call: CallContext): Promise<HeartbeatStatus> {
      count(host, 'heartbeat');
      const site = { address: call.address, host };
      return withWorld((world) => {
        const found = world.findVm(host, vm);
        if (!found) {
          throw refusal(site, {
            cmdlet: 'Get-VMIntegrationService',
            message: `Hyper-V was unable to find a virtual machine with name "${vm}".`,
            category: 'InvalidArgument',
            errorId: 'InvalidParameter',
            target: vm,
          });
        }
        const status = heartbeatAt(found.vm, world.now, timing);
        if (status === 'OK' && faults.heartbeatBlocked(vm)) return 'NoContact';
        return status;
      }, 'read');
    },

    async guestReachable(target: GuestTarget, call: CallContext): Promise<boolean> {
      count(target.host, 'guestReachable');
      return withWorld((world) => {
        const problem = reachProblem(env(world, call), target);
        // A refused credential is an answer, not "not yet": reported at once (credential-refused.ts).
        if (problem?.refusedCredential)
          throw credentialRefused({
            address: call.address,
            host: target.host,
            vm: target.vm,
            os: target.os,
            username: target.credential.username,
            message: problem.message,
          });
        return problem === undefined;
      }, 'read');
    },

    async adReady(target: GuestTarget, call: CallContext): Promise<boolean> {
      count(target.host, 'adReady');
      return withWorld((world) => {
        const e = env(world, call);
        if (reachProblem(e, target) !== undefined) return false;
        const { vm } = world.findVm(target.host, target.vm)!;
        if (!vm.guest?.dc) return false;
        if (faults.adBlocked(vm.name)) return false;
        return adAnswers(e, vm);
      }, 'read');
    },

    async probeGuest(
      target: GuestTarget,
      operations: GuestOperation[],
      call: CallContext,
    ): Promise<GuestProbeResult[]> {
      count(target.host, 'probeGuest');
      const site = { address: call.address, host: target.host };
      return withWorld((world) => {
        const problem = reachProblem(env(world, call), target);
        // A wrong credential is an error (the session never opens); an unreachable guest is simply not done.
        if (
          problem &&
          !problem.retryable &&
          problem.id !== 'InvalidVMState' &&
          problem.id !== 'InvalidVMNameNotSingle'
        )
          reachGuest(env(world, call), site, target);
        if (problem)
          return operations.map(() => ({ done: false, detail: `guest not reachable: ${problem.message}` }));
        const { vm } = world.findVm(target.host, target.vm)!;
        return operations.map((op) => probeGuestOperation(vm.guest!, op));
      }, 'read');
    },

    async runGuest(target: GuestTarget, op: GuestOperation, call: CallContext): Promise<GuestRunResult> {
      count(target.host, 'runGuest');
      const site = { address: call.address, host: target.host };
      faults.check(site, [`runGuest:${op.op}:${target.vm}`, `${op.op}:${target.vm}`]);
      const duration = await withWorld((world) => {
        const g = guestContext(world, target, site, call);
        const ms = guestOperationDuration(op, g.at.guest, timing);
        applyGuestOperation(g, op);
        return ms;
      }, 'validate');
      await clock.sleep(duration, call.signal);
      const effect = await withWorld((world) => {
        const g = guestContext(world, target, site, call);
        const result = applyGuestOperation(g, op);
        if (result.reboots > 0)
          scheduleReboots(g.at.vm, {
            now: world.now,
            count: result.reboots,
            promotion: result.promotion,
            timing,
          });
        return result;
      }, 'commit');
      logger.debug(
        { host: target.host, vm: target.vm, op: op.op, ms: duration, reboots: effect.reboots },
        'sim guest operation',
      );
      return { rebooted: effect.reboots > 0, ...(effect.detail ? { detail: effect.detail } : {}) };
    },

    async execGuest(
      target: GuestTarget,
      command: string,
      call: CallContext,
      onOutput: (output: GuestOutput) => void,
    ): Promise<GuestExecResult> {
      count(target.host, 'execGuest');
      const site = { address: call.address, host: target.host };
      faults.check(site, [`execGuest:${target.vm}`]);
      await withWorld((world) => simExec(env(world, call), site, target, command), 'validate');
      await clock.sleep(timing.guest.small, call.signal);
      const run = await withWorld((world) => simExec(env(world, call), site, target, command), 'commit');
      for (const output of run.output) onOutput(output);
      return { exitCode: run.exitCode };
    },

    async copyToGuest(target, file, call) {
      count(target.host, 'copyToGuest');
      const site = { address: call.address, host: target.host };
      faults.check(site, [`copyToGuest:${target.vm}`]);
      await withWorld((world) => simCopyTo(env(world, call), site, target, file), 'validate');
      await clock.sleep(timing.guest.small, call.signal);
      return withWorld((world) => simCopyTo(env(world, call), site, target, file), 'commit');
    },

    async copyFromGuest(target, source, call) {
      count(target.host, 'copyFromGuest');
      const site = { address: call.address, host: target.host };
      faults.check(site, [`copyFromGuest:${target.vm}`]);
      const content = await withWorld((world) => simCopyFrom(env(world, call), site, target, source), 'read');
      await clock.sleep(timing.guest.small, call.signal);
      return content;
    },

    requiresStop: (path: string) => requiresStopPath(path),

    async close(): Promise<void> {
      // Polls persist nothing: leave the latest simulated time for the next process.
      await withWorld((world) => world.commitClock(), 'commit');
      await store.close();
    },
  };
  return provider;
}
