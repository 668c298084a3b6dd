/**
 * Stable automatic addresses. `ip: auto` is first assigned in manifest order (expansion, so
 * `validate` can check it without a host); once the lab's VMs exist, each keeps the address
 * its guest reports on that network for its whole life, whatever VMs are inserted or removed
 * around it. An address that another VM still holds (one the same plan removes, or one
 * labform does not manage) is not handed out: it is free again on the apply after that VM is
 * gone. Only what is left goes to the lowest free address, in manifest order.
 */
import type { Lab } from '../lab.js';
import { intToIp, ipToInt, parsePrefix, prefixContains, usableRange } from '../../model/ipv4.js';
import { takenOn } from './assign-addresses.js';

/** One live VM adapter's IPv4 addresses, as the guest reports them (KVP). */
export interface LiveAdapterAddresses {
  vm: string;
  /** Position among the VM's adapters (labform adds them in manifest order). */
  index: number;
  switchName: string | null;
  addresses: string[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** In place: every `ip: auto` adapter of `lab` gets its VM's live address back when it still fits. Idempotent. */
export function keepAutoAddresses(lab: Lab, live: LiveAdapterAddresses[]): void {
  for (const network of lab.networks) {
    if (network.prefix === undefined) continue;
    const prefix = parsePrefix(network.prefix);
    const [first, last] = usableRange(prefix);
    const { used, ranges } = takenOn({ lab, network, prefix });
    const free = (n: number) =>
      n >= first && n <= last && !used.has(n) && !ranges.some(([lo, hi]) => n >= lo && n <= hi);
    const autos = lab.vms
      .flatMap((vm) => vm.network.map((adapter, index) => ({ vm, adapter, index })))
      .filter(
        (a) => a.adapter.network === network.name && a.adapter.ip.kind === 'static' && a.adapter.ip.auto,
      );
    if (autos.length === 0) continue;
    const onNetwork = live.filter((l) => l.switchName?.toLowerCase() === network.name.toLowerCase());
    const inPrefix = (l: LiveAdapterAddresses) =>
      l.addresses.filter((a) => IPV4.test(a) && prefixContains(prefix, ipToInt(a))).map(ipToInt);
    const kept = new Map<(typeof autos)[number], number>();
    const keptBy = new Set<LiveAdapterAddresses>();
    for (const auto of autos) {
      const mine = onNetwork.filter(
        (l) => l.vm.toLowerCase() === auto.vm.name.toLowerCase() && !keptBy.has(l),
      );
      // The adapter at the same position first, then any other of the VM's adapters on this network.
      const ordered = [
        ...mine.filter((l) => l.index === auto.index),
        ...mine.filter((l) => l.index !== auto.index),
      ];
      for (const l of ordered) {
        const address = inPrefix(l).find(free);
        if (address === undefined) continue;
        kept.set(auto, address);
        keptBy.add(l);
        used.add(address);
        break;
      }
    }
    // Addresses other adapters still hold are not handed out in this plan.
    for (const l of onNetwork) if (!keptBy.has(l)) for (const address of inPrefix(l)) used.add(address);
    let cursor = first;
    for (const auto of autos) {
      let address = kept.get(auto);
      if (address === undefined) {
        while (cursor <= last && !free(cursor)) cursor++;
        // Nothing left: keep the expansion's address (validate reported exhaustion if it had to).
        if (cursor > last) continue;
        address = cursor;
        used.add(address);
      }
      const ip = auto.adapter.ip as { kind: 'static'; address: string; prefixLength: number; auto: boolean };
      auto.adapter.ip = { ...ip, address: intToIp(address), prefixLength: prefix.length };
    }
  }
}
