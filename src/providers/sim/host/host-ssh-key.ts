/**
 * The SSH key pair of the account labform runs as on a simulated host. A host has one unless a
 * test (or its state file) says `sshPublicKey: null`; the simulator keeps no private key, only
 * what `id_ed25519.pub` would hold: `ssh-ed25519 <base64 key blob> <user>@<host>`.
 */
import { createHash } from 'node:crypto';
import type { SimHost } from '../sim-state.js';

/** An ed25519 public key line, its 32-byte key derived from the host name (stable across runs). */
function derivedKey(host: string): string {
  const name = Buffer.from('ssh-ed25519');
  const key = createHash('sha256').update(`labform-sim-host-key/${host}`).digest();
  const length = (n: number) => Buffer.from([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const blob = Buffer.concat([length(name.length), name, length(key.length), key]);
  return `ssh-ed25519 ${blob.toString('base64')} labform@${host.toLowerCase()}`;
}

/** The host account's public key, or null when it has none. */
export function hostSshPublicKey(host: SimHost): string | null {
  if (host.sshPublicKey === null) return null;
  return host.sshPublicKey ?? derivedKey(host.host);
}
