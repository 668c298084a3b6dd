import type { PowerShellSession } from './session.js';

export interface SessionPool {
  /** The session for a host, created on first use; one per host. */
  get(host: string): PowerShellSession;
  /** Closes every session created so far (errors of one do not stop the others). */
  closeAll(): Promise<void>;
}

/** One lazily created session per host name. */
export function createSessionPool(options: { sessionFor: (host: string) => PowerShellSession }): SessionPool {
  const sessions = new Map<string, PowerShellSession>();
  return {
    get(host) {
      let session = sessions.get(host);
      if (!session) {
        session = options.sessionFor(host);
        sessions.set(host, session);
      }
      return session;
    },
    async closeAll() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.allSettled(all.map((session) => session.close()));
    },
  };
}
