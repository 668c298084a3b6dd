import type { Lab, VmSpec } from '../manifest/lab.js';
import type { LiveVm } from '../model/live-state.js';

/** An address a client reaches the guest at: what the guest reports (KVP), else its static address from the manifest. */
export function guestAddress(spec: VmSpec, live: LiveVm | undefined): string | undefined {
  const reported = live?.adapters
    .flatMap((a) => a.addresses)
    .find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('169.254.'));
  if (reported) return reported;
  for (const adapter of spec.network) if (adapter.ip.kind === 'static') return adapter.ip.address;
  return undefined;
}

/** The host's name as a client on this machine reaches it (ssh/winrm target), or undefined for the local host. */
export function hostAddress(lab: Lab, host: string): string | undefined {
  const connect = lab.hosts.find((h) => h.name === host)?.connect;
  return connect && connect.kind !== 'local' ? connect.host : undefined;
}
