import PQueue from 'p-queue';
import { InternalError } from '../errors.js';
import type { InvokeRequest, PowerShellSession } from './session.js';

/**
 * The PowerShell sessions of every host, leased per request. A session is one PowerShell
 * pipeline and runs one request at a time, while the executor runs up to the lab's
 * perHostParallelism steps against a host at once: so each host gets up to that many sessions
 * for its steps, plus one kept for quick requests (`InvokeRequest.quick`: the waits' polls,
 * probes), which therefore never wait behind a long operation such as a forest creation.
 * Sessions start lazily, only when no started one is idle (a plan's one discovery request per
 * host starts one), and stay for the next request.
 */
export interface SessionPool {
  /** A host's session: each request leases an idle session of the host (or starts one, or queues). */
  get(host: string): PowerShellSession;
  /**
   * Runs `use` with one session of the host held for it alone until it settles: for requests
   * that keep state in their PowerShell process (an exec stream's job and its follow-ups).
   */
  hold<T>(host: string, use: (session: PowerShellSession) => Promise<T>): Promise<T>;
  /** Closes every session started so far (errors of one do not stop the others). */
  closeAll(): Promise<void>;
}

export interface SessionPoolOptions {
  /** Starts a new session to a host (called once per session the pool needs). */
  sessionFor: (host: string) => PowerShellSession;
  /** Requests of the host that may run at once besides quick ones (the lab's perHostParallelism). */
  parallelism: number;
}

/** The sessions of one host and the two queues that lease them. */
class HostSessions {
  readonly #host: string;
  readonly #start: () => PowerShellSession;
  /** Every session started, idle or busy. */
  readonly #all: PowerShellSession[] = [];
  readonly #idle: PowerShellSession[] = [];
  /** One task per session at most: a task always finds an idle session or room for a new one. */
  readonly #sessions: PQueue;
  /** Ordinary requests: they leave one session to quick ones. */
  readonly #ordinary: PQueue;
  #closed = false;

  constructor(host: string, parallelism: number, start: () => PowerShellSession) {
    this.#host = host;
    this.#start = start;
    const ordinary = Math.max(1, parallelism);
    this.#ordinary = new PQueue({ concurrency: ordinary });
    this.#sessions = new PQueue({ concurrency: ordinary + 1 });
  }

  hold<T>(use: (session: PowerShellSession) => Promise<T>, quick = false): Promise<T> {
    const lease = () => this.#sessions.add(() => this.#lease(use), { throwOnTimeout: true });
    return (quick ? lease() : this.#ordinary.add(lease, { throwOnTimeout: true })) as Promise<T>;
  }

  async #lease<T>(use: (session: PowerShellSession) => Promise<T>): Promise<T> {
    if (this.#closed) throw new InternalError(`the PowerShell sessions to ${this.#host} are closed`);
    let session = this.#idle.pop();
    if (!session) {
      session = this.#start();
      this.#all.push(session);
    }
    try {
      return await use(session);
    } finally {
      // A session whose process died starts a new process on its next request (create-session.ts).
      if (!this.#closed) this.#idle.push(session);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = this.#all.splice(0);
    this.#idle.length = 0;
    await Promise.allSettled(all.map((session) => session.close()));
  }
}

export function createSessionPool(options: SessionPoolOptions): SessionPool {
  const hosts = new Map<string, HostSessions>();
  const sessionsOf = (host: string): HostSessions => {
    let sessions = hosts.get(host);
    if (!sessions) {
      sessions = new HostSessions(host, options.parallelism, () => options.sessionFor(host));
      hosts.set(host, sessions);
    }
    return sessions;
  };
  return {
    get(host) {
      return {
        invoke: <T>(request: InvokeRequest) =>
          sessionsOf(host).hold((session) => session.invoke<T>(request), request.quick === true),
        close: async () => undefined,
      };
    },
    hold: (host, use) => sessionsOf(host).hold(use),
    async closeAll() {
      const all = [...hosts.values()];
      hosts.clear();
      await Promise.allSettled(all.map((sessions) => sessions.close()));
    },
  };
}
