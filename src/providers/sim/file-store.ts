import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { Mutex, type SimStore, type StoreTx } from './sim-store.js';

/** How long a lock whose holder stopped refreshing it (killed process) is respected. */
const STALE_MS = 5000;

function fileOf(root: string, key: string): string {
  return path.join(root, `${key}.json`);
}

/**
 * Documents as JSON files under `<stateDir>/sim` (`hosts/<name>.json`, `shared.json`).
 * Each file is replaced atomically (write-file-atomic: temp file, fsync, rename), so a process
 * killed at any moment leaves the previous or the next version. Transactions hold a
 * cross-process lock on the `sim` folder (proper-lockfile; a killed holder's lock goes stale
 * after 5 s and is taken over).
 */
export function createFileStore(options: { stateDir: string }): SimStore {
  const root = path.join(options.stateDir, 'sim');
  fs.mkdirSync(path.join(root, 'hosts'), { recursive: true });
  const mutex = new Mutex();
  return {
    transact<T>(fn: (tx: StoreTx) => T): Promise<T> {
      return mutex.run(async () => {
        const release = await lockfile.lock(root, {
          stale: STALE_MS,
          realpath: false,
          retries: { retries: 400, factor: 1.2, minTimeout: 5, maxTimeout: 50 },
          // A compromised lock (clock jump, lost mtime updates) must not crash the process.
          onCompromised: () => undefined,
        });
        try {
          const pending = new Map<string, string>();
          const result = fn({
            read(key) {
              if (pending.has(key)) return pending.get(key);
              try {
                return fs.readFileSync(fileOf(root, key), 'utf8');
              } catch (error) {
                if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
                throw error;
              }
            },
            write: (key, text) => void pending.set(key, text),
            keys(prefix) {
              const slash = prefix.lastIndexOf('/');
              const folder = slash >= 0 ? prefix.slice(0, slash) : '';
              const start = prefix.slice(slash + 1);
              let names: string[] = [];
              try {
                names = fs.readdirSync(path.join(root, folder)).filter((n) => n.endsWith('.json') && n.startsWith(start));
              } catch {
                names = [];
              }
              const found = names.map((n) => (folder ? `${folder}/` : '') + n.slice(0, -'.json'.length));
              return [...new Set([...found, ...[...pending.keys()].filter((k) => k.startsWith(prefix))])].sort();
            },
          });
          for (const [key, text] of pending) {
            fs.mkdirSync(path.dirname(fileOf(root, key)), { recursive: true });
            await writeFileAtomic(fileOf(root, key), text);
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
