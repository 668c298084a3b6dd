/**
 * Static MACs for lab adapters. The guest's network settings find an adapter by MAC (adapter
 * order inside a guest is not reliable), so every adapter of a configured guest needs a MAC
 * known before the VM exists: the manifest's, else one derived from lab + VM + adapter index.
 */
import { createHash } from 'node:crypto';
import type { Lab, VmSpec } from '../manifest/lab.js';

/** Microsoft's OUI, the range Hyper-V itself assigns from. */
const HYPERV_OUI = '00155D';

/**
 * A stable MAC (`00155DXXXXXX`, upper case, no separators) for adapter `index` (0-based) of
 * `vm` in `lab`. `attempt` > 0 gives another candidate, used only to step around a collision.
 */
export function adapterMac(lab: string, vm: string, index: number, attempt = 0): string {
  const seed = attempt === 0 ? `${lab}/${vm}/${index}` : `${lab}/${vm}/${index}/${attempt}`;
  const digest = createHash('sha256').update(seed).digest('hex').slice(0, 6).toUpperCase();
  return `${HYPERV_OUI}${digest}`;
}

/**
 * Every VM's adapter MACs, in adapter order: the manifest's MAC when given, else
 * `adapterMac(lab, vm, index)`, stepping to the next attempt in the (rare) case it collides
 * with a MAC already taken in the lab. Deterministic: VMs and adapters in manifest order.
 * The plan sets exactly these as static MACs (`addAdapter.mac`); the guest tasks use them.
 */
export function labAdapterMacs(lab: Lab): Map<string, string[]> {
  const taken = new Set<string>();
  for (const vm of lab.vms) for (const a of vm.network) if (a.mac) taken.add(a.mac.toUpperCase());
  const out = new Map<string, string[]>();
  for (const vm of lab.vms) {
    out.set(
      vm.name,
      vm.network.map((a, index) => {
        if (a.mac) return a.mac.toUpperCase();
        let attempt = 0;
        let mac = adapterMac(lab.name, vm.name, index);
        while (taken.has(mac)) mac = adapterMac(lab.name, vm.name, index, ++attempt);
        taken.add(mac);
        return mac;
      }),
    );
  }
  return out;
}

/** The MAC of one adapter of a VM (see labAdapterMacs). */
export function vmAdapterMac(options: { lab: Lab; vm: VmSpec; index: number }): string {
  const macs = labAdapterMacs(options.lab).get(options.vm.name);
  const mac = macs?.[options.index];
  if (!mac) throw new RangeError(`VM ${options.vm.name} has no adapter ${options.index}`);
  return mac;
}
