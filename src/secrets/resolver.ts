import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Secret, type Credential, type CredentialResolver } from './secret.js';
import type { Lab } from '../manifest/lab.js';
import { UserError } from '../errors.js';
import { describeFsError } from '../fs-error.js';

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
        throw new UserError(`credential ${name}: environment variable ${source.fromEnv} is not set`, [], `set ${source.fromEnv} to the password of ${spec.username} before running labform`);
      }
      return new Secret(value);
    }
    const file = path.resolve(baseDir, source.fromFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UserError(`credential ${name}: cannot read password file ${source.fromFile} (${describeFsError(error)})`, [], `create ${file} holding the password of ${spec.username}`);
    }
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
