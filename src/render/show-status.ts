import type { Lab } from '../manifest/lab.js';
import type { HostState } from '../model/live-state.js';
import { natName, ownerOf } from '../ownership/mark.js';
import type { RoleState } from '../diff/diff-roles.js';

export interface VmStatus {
  name: string;
  host: string;
  /** False when the VM does not exist on its host. */
  present: boolean;
  /** True when the VM exists but is not marked for this lab. */
  foreign: boolean;
  state: string;
  heartbeat: string;
  uptimeSeconds: number;
  addresses: string[];
  checkpoints: string[];
  roles: { address: string; state: RoleState }[];
}

export interface LabStatus {
  lab: string;
  vms: VmStatus[];
  networks: { name: string; type: string; hosts: { host: string; present: boolean; hostAddress: string | null }[] }[];
  nats: { network: string; name: string; host: string; present: boolean; internalPrefix: string | null }[];
  portMappings: { address: string; host: string; present: boolean; target: string; internalAddress: string; internalPort: number }[];
}

/** PURE: the lab's live state as `show` presents it. */
export function labStatus(options: { lab: Lab; live: Map<string, HostState>; roleState: Map<string, RoleState>; roleAddresses: Map<string, string[]> }): LabStatus {
  const { lab, live } = options;
  const vms: VmStatus[] = lab.vms.map((spec) => {
    const vm = live.get(spec.host)?.vms.find((v) => v.name.toLowerCase() === spec.name.toLowerCase());
    const roles = (options.roleAddresses.get(spec.name) ?? []).map((address) => ({ address, state: options.roleState.get(address) ?? 'unknown' }));
    return {
      name: spec.name,
      host: spec.host,
      present: Boolean(vm),
      foreign: Boolean(vm) && ownerOf(vm!.notes) !== lab.name,
      state: vm?.state ?? 'absent',
      heartbeat: vm?.heartbeat ?? '-',
      uptimeSeconds: vm?.uptimeSeconds ?? 0,
      addresses: vm ? vm.adapters.flatMap((a) => a.addresses) : [],
      checkpoints: vm?.checkpoints ?? [],
      roles,
    };
  });
  const networks = lab.networks.map((n) => ({
    name: n.name,
    type: n.type,
    hosts: n.hosts.map((host) => {
      const state = live.get(host);
      const present = Boolean(state?.switches.some((s) => s.name.toLowerCase() === n.name.toLowerCase()));
      const alias = `vEthernet (${n.name})`.toLowerCase();
      const addr = state?.hostAddresses.find((a) => a.interfaceAlias.toLowerCase() === alias);
      return { host, present, hostAddress: addr ? `${addr.address}/${addr.prefixLength}` : null };
    }),
  }));
  const nats = lab.networks
    .filter((n) => n.type === 'nat')
    .map((n) => {
      const host = n.hosts[0] ?? '';
      const name = natName(lab.name, n.name);
      const nat = live.get(host)?.nats.find((x) => x.name === name);
      return { network: n.name, name, host, present: Boolean(nat), internalPrefix: nat?.internalPrefix ?? null };
    });
  const portMappings = lab.networks.flatMap((n) =>
    n.portMappings.map((m) => {
      const host = n.hosts[0] ?? '';
      const present = Boolean(live.get(host)?.natMappings.some((x) => x.nat === natName(lab.name, n.name) && x.protocol === m.protocol && x.externalPort === m.externalPort));
      return { address: `portMapping.${n.name}.${m.protocol}.${m.externalPort}`, host, present, target: m.vm, internalAddress: m.internalAddress, internalPort: m.internalPort };
    }),
  );
  return { lab: lab.name, vms, networks, nats, portMappings };
}
