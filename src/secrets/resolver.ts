import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { Secret, type Credential, type CredentialResolver } from './secret.js';
import type { Lab } from '../manifest/lab.js';
import { UserError } from '../errors.js';

/** A password file is a few bytes; anything larger is the wrong file (or /dev/zero behind a link). */
export const MAX_PASSWORD_FILE_BYTES = 4096;

/**
 * Read a password file without ever blocking: opened non-blocking (a FIFO would otherwise wait
 * for a writer forever, deaf to Ctrl-C), then refused unless it is a regular file (FIFOs,
 * devices such as /dev/zero, sockets and folders), refused when larger than the limit, and
 * read to at most the limit.
 */
function readPasswordFile(o: { credential: string; file: string; shown: string; username: string }): string {
  const refuse = (
    what: string,
    hint = `point fromFile at a regular file holding only the password of ${o.username}`,
  ) => new UserError(`credential ${o.credential}: password file ${o.shown} ${what}`, [], hint);
  let fd: number;
  try {
    fd = openSync(o.file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw refuse('cannot be read (no such file)', `create ${o.file} holding the password of ${o.username}`);
    if (code === 'EISDIR') throw refuse('is a folder, not a file');
    throw refuse(
      `cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'unreadable')})`,
    );
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw refuse('is a folder, not a file');
    if (info.isFIFO()) throw refuse('is a named pipe (FIFO); reading it would wait for a writer');
    if (info.isCharacterDevice() || info.isBlockDevice()) throw refuse('is a device, not a file');
    if (!info.isFile()) throw refuse('is not a regular file');
    if (info.size > MAX_PASSWORD_FILE_BYTES)
      throw refuse(`is ${info.size} bytes; a password file may hold at most ${MAX_PASSWORD_FILE_BYTES}`);
    const buffer = Buffer.alloc(MAX_PASSWORD_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    // It may have grown since fstat.
    if (length > MAX_PASSWORD_FILE_BYTES)
      throw refuse(`is larger than ${MAX_PASSWORD_FILE_BYTES} bytes; a password file may hold at most that`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Resolves the lab's credentials from the environment and files (relative to the manifest).
 * A missing variable or unreadable file is a UserError (exit 1) naming the credential, never
 * the value. Secrets are read on first use and cached.
 */
export function createCredentialResolver(options: { lab: Lab; env?: NodeJS.ProcessEnv }): CredentialResolver {
  const env = options.env ?? process.env;
  const specs = new Map(options.lab.credentials.map((c) => [c.name, c]));
  const resolved = new Map<string, Credential>();
  const baseDir = path.dirname(options.lab.file);

  const read = (name: string): Secret => {
    const spec = specs.get(name)!;
    const source = spec.password;
    if ('fromEnv' in source) {
      const value = env[source.fromEnv];
      if (value === undefined || value === '') {
        throw new UserError(
          `credential ${name}: environment variable ${source.fromEnv} is not set`,
          [],
          `set ${source.fromEnv} to the password of ${spec.username} before running labform`,
        );
      }
      return new Secret(value);
    }
    const file = path.resolve(baseDir, source.fromFile);
    const text = readPasswordFile({
      credential: name,
      file,
      shown: source.fromFile,
      username: spec.username,
    });
    // Editors end files with a newline; the password does not include it.
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new UserError(`credential ${name}: password file ${source.fromFile} is empty`);
    return new Secret(value);
  };

  return {
    get(name: string): Credential {
      const cached = resolved.get(name);
      if (cached) return cached;
      const spec = specs.get(name);
      if (!spec) throw new UserError(`no credential named ${name} in lab ${options.lab.name}`);
      const credential: Credential = { name, username: spec.username, password: read(name) };
      resolved.set(name, credential);
      return credential;
    },
    secretValues(): string[] {
      // Every secret that can be resolved, so output can be scrubbed even before first use.
      const values: string[] = [];
      for (const name of specs.keys()) {
        try {
          values.push(this.get(name).password.reveal());
        } catch {
          // A missing secret cannot leak.
        }
      }
      return values;
    },
  };
}
