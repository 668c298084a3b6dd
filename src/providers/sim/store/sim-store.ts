/**
 * Where simulated hosts live. A store runs read-modify-write transactions over named text
 * documents (`hosts/<name>`, `shared`): one at a time in this process, and (file store) one at
 * a time across processes. Transactions are synchronous so no lock is held across simulated
 * time; documents written in a transaction become visible together when it commits.
 */
export interface StoreTx {
  read(key: string): string | undefined;
  /** `durable: false` skips the fsync (for data whose loss on power failure is harmless). */
  write(key: string, text: string, options?: { durable: boolean }): void;
  /** Keys starting with `prefix`. */
  keys(prefix: string): string[];
  /** Where a document lives, for messages (the file of the file store). */
  where?(key: string): string;
}

export interface SimStore {
  /**
   * `readOnly`: no lock (every document is replaced atomically, so a reader sees a whole
   * version); writes are refused. Polls and validation passes use it.
   */
  transact<T>(fn: (tx: StoreTx) => T, options?: { readOnly?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Runs async jobs one after another (this process's half of the lock). */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(job, job);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

/** In-memory documents, for fast tests; documents are copied as text so no object is shared. */
export function createMemoryStore(
  initial: Record<string, string> = {},
): SimStore & { documents: Map<string, string> } {
  const documents = new Map(Object.entries(initial));
  const mutex = new Mutex();
  return {
    documents,
    transact<T>(fn: (tx: StoreTx) => T, options?: { readOnly?: boolean }): Promise<T> {
      return mutex.run(async () => {
        const pending = new Map<string, string>();
        const result = fn({
          read: (key) => pending.get(key) ?? documents.get(key),
          write: (key, text) => {
            if (options?.readOnly)
              throw new Error(`simulator store: write of ${key} in a read-only transaction`);
            pending.set(key, text);
          },
          keys: (prefix) =>
            [...new Set([...documents.keys(), ...pending.keys()])].filter((k) => k.startsWith(prefix)).sort(),
        });
        for (const [key, text] of pending) documents.set(key, text);
        return result;
      });
    },
    close: async () => undefined,
  };
}
