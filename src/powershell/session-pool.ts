import { InternalError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import type { InvokeRequest, PowerShellSession, StartableSession } from './session.js';

/**
 * The PowerShell sessions of every host, leased per request. A session is one PowerShell
 * pipeline and runs one request at a time, while the executor runs up to the lab's
 * perHostParallelism steps against a host at once: so each host gets up to that many sessions
 * for its steps, plus one kept for quick requests (`InvokeRequest.quick`: the waits' polls,
 * probes), which therefore never wait behind a long operation such as a forest creation.
 * Sessions start lazily, only when no started one is idle (a plan's one discovery request per
 * host starts one), and stay for the next request.
 *
 * A host may refuse a session (WinRM's MaxShellsPerUser quota, a process that cannot start).
 * When it refuses its first one, the request fails with that error, an environment problem. When
 * it already has a live session, the request waits for one to come free instead, and the host
 * keeps the sessions that worked for the rest of the run: one warning names the host, that
 * number and the error. With two or more, one of them stays kept for quick requests; with one,
 * quick requests take it before the ordinary ones waiting. A session held by a stream (`hold`)
 * is lent to a quick request no other session can serve (its own queue runs the request between
 * the stream's), so a stream's poll through the pool never waits for the stream to end.
 */
export interface SessionPool {
  /** A host's session: each request leases an idle session of the host (or starts one, or queues). */
  get(host: string): PowerShellSession;
  /**
   * Runs `use` with one session of the host held for it alone until it settles: for requests
   * that keep state in their PowerShell process (an exec stream's job and its follow-ups).
   * Requests of `use` through the pool must be quick ones: a host with one session could serve
   * an ordinary one only once `use` ends.
   */
  hold<T>(host: string, use: (session: PowerShellSession) => Promise<T>): Promise<T>;
  /** Closes every session started so far (errors of one do not stop the others). */
  closeAll(): Promise<void>;
}

export interface SessionPoolOptions {
  /** A new session to a host (called once per session the pool needs; the pool starts it). */
  sessionFor: (host: string) => StartableSession;
  /** Requests of the host that may run at once besides quick ones (the lab's perHostParallelism). */
  parallelism: number;
  /** Where the warning about a host that takes fewer sessions goes. */
  logger?: Logger;
}

type LeaseKind = 'ordinary' | 'quick';

/** A started session and who uses it. */
interface Slot {
  readonly session: StartableSession;
  /** The request or stream it is leased to, if any. */
  lease?: LeaseKind;
  /** Leased to a stream (`hold`): quick requests may share it when nothing else is free. */
  held: boolean;
  /** Quick requests sharing it with its stream. */
  sharing: number;
}

/** What a waiting request was given: a started session (maybe shared), or the right to start one. */
type Grant = { slot: Slot; shared: boolean } | { start: true };

interface Waiter {
  /** Arrival order: a request sent back to wait keeps its place. */
  seq: number;
  kind: LeaseKind;
  held: boolean;
  grant: (grant: Grant) => void;
  fail: (error: unknown) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The sessions of one host and the requests waiting for one. */
class HostSessions {
  readonly #host: string;
  readonly #newSession: () => StartableSession;
  readonly #logger: Logger;
  /** Sessions that started (and stay: a dead process restarts inside its session). */
  readonly #slots: Slot[] = [];
  /** Quick requests are served first, then ordinary ones; each in arrival order. */
  readonly #quickWaiting: Waiter[] = [];
  readonly #ordinaryWaiting: Waiter[] = [];
  /** The most sessions the host gets: perHostParallelism + 1, or what worked once one was refused. */
  #limit: number;
  readonly #wanted: number;
  /** Sessions being started now. */
  #starting = 0;
  /** Ordinary leases, those whose session is still starting included. */
  #ordinaryLeased = 0;
  /** The error of the first session the host refused while it had a live one. */
  #refusal?: unknown;
  #warned = false;
  #closed = false;
  #arrivals = 0;

  constructor(host: string, parallelism: number, newSession: () => StartableSession, logger: Logger) {
    this.#host = host;
    this.#newSession = newSession;
    this.#logger = logger;
    this.#wanted = Math.max(1, parallelism) + 1;
    this.#limit = this.#wanted;
  }

  async use<T>(use: (session: PowerShellSession) => Promise<T>, kind: LeaseKind, held = false): Promise<T> {
    const seq = this.#arrivals++;
    for (;;) {
      const grant = await this.#acquire(seq, kind, held);
      const slot = 'start' in grant ? await this.#start(kind, held) : grant.slot;
      // The host refused one more session while it has others: wait for one of them, in its place.
      if (!slot) continue;
      const shared = 'shared' in grant && grant.shared;
      try {
        return await use(slot.session);
      } finally {
        this.#release(slot, kind, shared);
      }
    }
  }

  #acquire(seq: number, kind: LeaseKind, held: boolean): Promise<Grant> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return new Promise<Grant>((grant, fail) => {
      const queue = kind === 'quick' ? this.#quickWaiting : this.#ordinaryWaiting;
      const later = queue.findIndex((waiter) => waiter.seq > seq);
      queue.splice(later === -1 ? queue.length : later, 0, { seq, kind, held, grant, fail });
      this.#dispatch();
    });
  }

  /** Hands out what is free to the requests waiting, quick ones first. */
  #dispatch(): void {
    for (;;) {
      const queue = this.#quickWaiting.length > 0 ? this.#quickWaiting : this.#ordinaryWaiting;
      const waiter = queue[0];
      if (!waiter) return;
      const grant = this.#grantFor(waiter.kind, waiter.held);
      // A quick request may take whatever an ordinary one may: when the first waiter gets nothing, no one does.
      if (!grant) return;
      queue.shift();
      waiter.grant(grant);
    }
  }

  #grantFor(kind: LeaseKind, held: boolean): Grant | undefined {
    // One session is kept for quick requests, unless the host has only one.
    if (kind === 'ordinary' && this.#ordinaryLeased >= Math.max(1, this.#limit - 1)) return undefined;
    const idle = this.#slots.find((slot) => !slot.lease && slot.sharing === 0);
    if (idle) {
      idle.lease = kind;
      idle.held = held;
      if (kind === 'ordinary') this.#ordinaryLeased++;
      return { slot: idle, shared: false };
    }
    // The first session starts alone: whether the host takes any is known before others start.
    const live = this.#slots.length;
    if (live + this.#starting < this.#limit && (live > 0 || this.#starting === 0)) {
      this.#starting++;
      if (kind === 'ordinary') this.#ordinaryLeased++;
      return { start: true };
    }
    if (kind === 'quick') {
      const streams = this.#slots.filter((slot) => slot.held);
      const lender = streams.sort((a, b) => a.sharing - b.sharing)[0];
      if (lender) {
        lender.sharing++;
        return { slot: lender, shared: true };
      }
    }
    return undefined;
  }

  /** Starts a session for a request: its slot, or undefined when the host refused it but has others. */
  async #start(kind: LeaseKind, held: boolean): Promise<Slot | undefined> {
    const unlease = () => {
      this.#starting--;
      if (kind === 'ordinary') this.#ordinaryLeased--;
    };
    let session: StartableSession | undefined;
    try {
      session = this.#newSession();
      await session.start();
    } catch (error) {
      unlease();
      void session?.close().catch(() => undefined);
      if (this.#closed) throw this.#closedError();
      if (this.#slots.length === 0) {
        // No session works: the host's (or this machine's) problem, reported as it is.
        this.#dispatch();
        throw error;
      }
      this.#limit = Math.min(this.#limit, this.#slots.length + this.#starting);
      this.#refusal ??= error;
      this.#warnOnceSettled();
      this.#dispatch();
      return undefined;
    }
    this.#starting--;
    if (this.#closed) {
      if (kind === 'ordinary') this.#ordinaryLeased--;
      await session.close().catch(() => undefined);
      throw this.#closedError();
    }
    const slot: Slot = { session, lease: kind, held, sharing: 0 };
    this.#slots.push(slot);
    this.#warnOnceSettled();
    this.#dispatch();
    return slot;
  }

  /** Once every start in flight has settled, the number of sessions the host takes is known. */
  #warnOnceSettled(): void {
    if (this.#refusal === undefined || this.#warned || this.#starting > 0) return;
    this.#warned = true;
    const sessions = this.#slots.length;
    this.#logger.warn(
      { host: this.#host, sessions, wanted: this.#wanted, error: messageOf(this.#refusal) },
      `host ${this.#host} refused a PowerShell session beyond ${sessions} (labform wanted up to ${this.#wanted}): its requests share those ${sessions} for the rest of the run, waiting for a free one; if WinRM's MaxShellsPerUser quota is reached (winrm get winrm/config/winrs), close this account's other shells or raise it. The error: ${messageOf(this.#refusal)}`,
    );
  }

  #release(slot: Slot, kind: LeaseKind, shared: boolean): void {
    if (this.#closed) return;
    if (shared) slot.sharing--;
    else {
      slot.lease = undefined;
      slot.held = false;
      if (kind === 'ordinary') this.#ordinaryLeased--;
    }
    this.#dispatch();
  }

  #closedError(): InternalError {
    return new InternalError(`the PowerShell sessions to ${this.#host} are closed`);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const waiting = [...this.#quickWaiting.splice(0), ...this.#ordinaryWaiting.splice(0)];
    for (const waiter of waiting) waiter.fail(this.#closedError());
    const slots = this.#slots.splice(0);
    await Promise.allSettled(slots.map((slot) => slot.session.close()));
  }
}

export function createSessionPool(options: SessionPoolOptions): SessionPool {
  const hosts = new Map<string, HostSessions>();
  const logger = options.logger ?? silentLogger;
  const sessionsOf = (host: string): HostSessions => {
    let sessions = hosts.get(host);
    if (!sessions) {
      sessions = new HostSessions(host, options.parallelism, () => options.sessionFor(host), logger);
      hosts.set(host, sessions);
    }
    return sessions;
  };
  return {
    get(host) {
      return {
        invoke: <T>(request: InvokeRequest) =>
          sessionsOf(host).use(
            (session) => session.invoke<T>(request),
            request.quick === true ? 'quick' : 'ordinary',
          ),
        close: async () => undefined,
      };
    },
    hold: (host, use) => sessionsOf(host).use(use, 'ordinary', true),
    async closeAll() {
      const all = [...hosts.values()];
      hosts.clear();
      await Promise.allSettled(all.map((sessions) => sessions.close()));
    },
  };
}
