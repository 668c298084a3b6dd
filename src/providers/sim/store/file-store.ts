import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { environmentErrorOf } from '../../../errors.js';
import { Mutex, type SimStore, type StoreTx } from './sim-store.js';
import { acquireSimLock } from './sim-lock.js';

const SIM_DIR_HINT =
  'the simulator keeps its hosts under <state-dir>/sim: it must be a folder labform can write; fix it or choose another --state-dir';

function fileOf(root: string, key: string): string {
  return path.join(root, `${key}.json`);
}

function readDocument(root: string, key: string): string | undefined {
  try {
    return fs.readFileSync(fileOf(root, key), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function listDocuments(root: string, prefix: string): string[] {
  const slash = prefix.lastIndexOf('/');
  const folder = slash >= 0 ? prefix.slice(0, slash) : '';
  const start = prefix.slice(slash + 1);
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(root, folder)).filter((n) => n.endsWith('.json') && n.startsWith(start));
  } catch {
    names = [];
  }
  return names.map((n) => (folder ? `${folder}/` : '') + n.slice(0, -'.json'.length)).sort();
}

/** A transaction that only reads. */
function reader(root: string): StoreTx {
  return {
    read: (key) => readDocument(root, key),
    write: (key) => {
      throw new Error(`simulator store: write of ${key} in a read-only transaction`);
    },
    keys: (prefix) => listDocuments(root, prefix),
    where: (key) => fileOf(root, key),
  };
}

/**
 * Documents as JSON files under `<stateDir>/sim` (`hosts/<name>.json`, `shared.json`).
 * Each file is replaced atomically (write-file-atomic: temp file, rename; fsync with `durable`),
 * so a process killed at any moment leaves the previous or the next version. Transactions hold a
 * cross-process lock on the `sim` folder (sim-lock.ts: a killed holder's lock is taken over at
 * once; one without an owner record after 5 s).
 */
export function createFileStore(options: { stateDir: string; durable?: boolean }): SimStore {
  // Atomic rename is what survives kill -9; fsync only adds power-loss durability, at a cost that
  // a fast --sim-speed turns into simulated hours. Off unless asked for.
  const durable = options.durable ?? false;
  const root = path.join(options.stateDir, 'sim');
  try {
    fs.mkdirSync(path.join(root, 'hosts'), { recursive: true });
  } catch (error) {
    throw environmentErrorOf(error, root, 'keep the simulated hosts here', SIM_DIR_HINT) ?? error;
  }
  const mutex = new Mutex();
  return {
    transact<T>(fn: (tx: StoreTx) => T, options?: { readOnly?: boolean }): Promise<T> {
      // Readers need no lock: files are only ever replaced whole (rename).
      if (options?.readOnly) return Promise.resolve().then(() => fn(reader(root)));
      return mutex.run(async () => {
        const release = await acquireSimLock(root).catch((error: unknown) => {
          throw environmentErrorOf(error, root, 'lock the simulated hosts', SIM_DIR_HINT) ?? error;
        });
        try {
          const pending = new Map<string, string>();
          const lazy = new Set<string>();
          const base = reader(root);
          const result = fn({
            read: (key) => (pending.has(key) ? pending.get(key) : base.read(key)),
            write(key, text, options) {
              pending.set(key, text);
              if (options?.durable === false) lazy.add(key);
              else lazy.delete(key);
            },
            keys: (prefix) =>
              [
                ...new Set([
                  ...base.keys(prefix),
                  ...[...pending.keys()].filter((k) => k.startsWith(prefix)),
                ]),
              ].sort(),
            where: base.where,
          });
          for (const [key, text] of pending) {
            try {
              fs.mkdirSync(path.dirname(fileOf(root, key)), { recursive: true });
              writeFileAtomic.sync(fileOf(root, key), text, { fsync: durable && !lazy.has(key) });
            } catch (error) {
              throw (
                environmentErrorOf(error, fileOf(root, key), 'write the simulated host', SIM_DIR_HINT) ??
                error
              );
            }
          }
          return result;
        } finally {
          await release().catch(() => undefined);
        }
      });
    },
    close: async () => undefined,
  };
}
