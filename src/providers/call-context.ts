import type { Credential } from '../secrets/secret.js';

/** Where a guest operation runs: a VM on a host, reached with a credential. */
export interface GuestTarget {
  host: string;
  vm: string;
  os: 'windows' | 'linux';
  credential: Credential;
}

/** Everything a provider call may need besides its own arguments. */
export interface CallContext {
  /** Resource address for error messages, e.g. `vm.dc01`. */
  address: string;
  /** Resolves credentials named in operations (answer files, joins, HGS registration). */
  credentials: { get(name: string): Credential };
  /** Aborted on Ctrl-C or timeout. */
  signal?: AbortSignal;
}
