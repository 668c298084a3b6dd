/**
 * A network renamed (or replaced by another with an overlapping prefix) in one plan: the old
 * switch, which the plan removes, still holds its host address on `vEthernet (<old>)` when the
 * new network wants the same prefix. WinNAT refuses a NAT whose prefix overlaps a host address,
 * and two interfaces cannot hold one address, so the old address is removed first and the new
 * network's host address and NAT wait for that. (The old switch itself goes later, after the
 * VMs' adapters moved to the new one.)
 */
import type { PlannedChange } from '../diff/planned-change.js';
import type { DesiredNetwork } from '../desired/desired-resource.js';
import type { HostState } from '../model/live-state.js';
import { inPrefix } from '../model/ipv4.js';
import type { StepGraph } from './step-graph.js';

export function handOverHostAddresses(
  g: StepGraph,
  changes: PlannedChange[],
  live: Map<string, HostState>,
): void {
  const leaving = changes.filter(
    (pc) => pc.change.kind === 'network' && pc.change.action === 'delete' && pc.live?.kind === 'switch',
  );
  if (leaving.length === 0) return;
  for (const pc of changes) {
    if (pc.change.kind !== 'network' || pc.change.action === 'delete' || pc.change.action === 'noop')
      continue;
    const d = pc.desired as DesiredNetwork | undefined;
    if (!d?.hostAddress) continue;
    const prefix = `${d.hostAddress.address}/${d.hostAddress.prefixLength}`;
    const state = live.get(d.host);
    const waiting = g.steps
      .filter(
        (s) =>
          s.host === d.host &&
          s.type === 'host' &&
          ((s.operation.op === 'setHostAddress' &&
            s.operation.switchName.toLowerCase() === d.name.toLowerCase()) ||
            s.operation.op === 'createNat'),
      )
      .map((s) => s.id);
    for (const old of leaving) {
      if (old.live?.kind !== 'switch' || !old.live.hosts.includes(d.host)) continue;
      const name = old.live.switch.name;
      const alias = `vEthernet (${name})`.toLowerCase();
      for (const a of state?.hostAddresses ?? []) {
        if (
          a.interfaceAlias.toLowerCase() !== alias ||
          a.address.includes(':') ||
          !inPrefix(a.address, prefix)
        )
          continue;
        const id = `${old.change.address}/remove-host-address-${a.address}`;
        if (!g.has(id))
          g.host({
            id,
            address: old.change.address,
            host: d.host,
            title: `remove ${a.address} from vEthernet (${name}) (it moves to ${d.name})`,
            operation: { op: 'removeHostAddress', switchName: name, address: a.address },
          });
        for (const w of waiting) g.addDeps(w, [id]);
      }
    }
  }
}
