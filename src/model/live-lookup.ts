import type { HostState, LiveVhd, LiveVm } from './live-state.js';
import { pathKey } from './windows-path.js';

/**
 * Constant-time lookups into a discovered host: a VM by name (case-insensitive, as Hyper-V
 * compares them) and a VHD by path (pathKey). Planning looks up every desired VM and disk, so
 * a linear search per lookup made planning quadratic in the lab's size. The index is built on
 * first use per HostState object and rebuilt when its lists change length (HostStates are
 * plain data, read once per plan; nothing edits them in place).
 */
interface HostIndex {
  vmCount: number;
  vhdCount: number;
  vms: Map<string, LiveVm>;
  vhds: Map<string, LiveVhd>;
}

const indexes = new WeakMap<HostState, HostIndex>();

function indexOf(state: HostState): HostIndex {
  const known = indexes.get(state);
  if (known && known.vmCount === state.vms.length && known.vhdCount === state.vhds.length) return known;
  const vms = new Map<string, LiveVm>();
  // The first of two same-named entries wins, as Array.find did.
  for (const vm of state.vms) if (!vms.has(vm.name.toLowerCase())) vms.set(vm.name.toLowerCase(), vm);
  const vhds = new Map<string, LiveVhd>();
  for (const vhd of state.vhds) if (!vhds.has(pathKey(vhd.path))) vhds.set(pathKey(vhd.path), vhd);
  const index = { vmCount: state.vms.length, vhdCount: state.vhds.length, vms, vhds };
  indexes.set(state, index);
  return index;
}

/** The VM of this name on the host (names compare case-insensitively). */
export function liveVmNamed(state: HostState | undefined, name: string): LiveVm | undefined {
  return state ? indexOf(state).vms.get(name.toLowerCase()) : undefined;
}

/** The VHD at this path on the host (paths compare case-insensitively, either slash). */
export function liveVhdAt(
  state: HostState | undefined,
  path: string | null | undefined,
): LiveVhd | undefined {
  return state && path ? indexOf(state).vhds.get(pathKey(path)) : undefined;
}
