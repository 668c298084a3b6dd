import type { CredentialResolver } from './secret.js';
import type { Lab } from '../manifest/lab.js';
import { InternalError } from '../errors.js';

/**
 * Resolves the lab's credentials from the environment and files (relative to the manifest).
 * A missing variable or unreadable file is a UserError (exit 1) naming the credential, never
 * the value.
 */
export function createCredentialResolver(options: { lab: Lab; env?: NodeJS.ProcessEnv }): CredentialResolver {
  throw new InternalError(`credential resolver is not built yet (${options.lab.name})`);
}
