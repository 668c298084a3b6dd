/**
 * Where a WinNAT static mapping delivers on a simulated host: a connection to the host's external
 * port goes to the mapping's internal address and port (Add-NetNatStaticMapping,
 * learn.microsoft.com/powershell/module/netnat/add-netnatstaticmapping), which answers when a
 * running guest on the NAT's internal switch reports that address (through KVP: its static
 * address, its cloud-init seed's, or a DHCP lease). Of the services behind it the simulator models
 * sshd: tcp/22 of a Linux guest answers once ssh is up (the same moment ssh from the host does).
 */
import type { SimHost } from '../sim-state.js';
import type { TimingProfile } from '../time/timing-profile.js';
import { heartbeatAt, sessionUpAt } from '../time/power-model.js';
import { reportedAddresses } from '../guest/guest-model.js';
import { inPrefix } from '../../../model/ipv4.js';

export type NatMappingReach =
  | { reached: true; vm: string; address: string; port: number; sshAnswers: boolean }
  | { reached: false; reason: string };

export function natMappingReach(options: {
  host: SimHost;
  protocol: 'tcp' | 'udp';
  externalPort: number;
  now: number;
  timing: TimingProfile;
}): NatMappingReach {
  const { host, now, timing } = options;
  const mapping = host.natMappings.find(
    (m) => m.protocol === options.protocol && m.externalPort === options.externalPort,
  );
  if (!mapping)
    return {
      reached: false,
      reason: `no ${options.protocol}/${options.externalPort} mapping on ${host.host}`,
    };
  const nat = host.nats.find((n) => n.name === mapping.nat);
  if (!nat) return { reached: false, reason: `the mapping's NAT ${mapping.nat} does not exist` };
  // The NAT's internal switch: the one whose host adapter (vEthernet) has an address in its prefix.
  const switches = new Set(
    host.hostAddresses
      .filter((a) => a.interfaceAlias.startsWith('vEthernet (') && inPrefix(a.address, nat.internalPrefix))
      .map((a) => a.interfaceAlias.slice('vEthernet ('.length, -1).toLowerCase()),
  );
  for (const vm of host.vms) {
    if (vm.power.state !== 'Running' || !vm.guest) continue;
    const kvpUp = heartbeatAt(vm, now, timing) === 'OK';
    const holds = vm.adapters.some(
      (a) =>
        a.switchName !== null &&
        switches.has(a.switchName.toLowerCase()) &&
        reportedAddresses({ host, vm, mac: a.mac, switchName: a.switchName, kvpUp }).includes(
          mapping.internalAddress,
        ),
    );
    if (!holds) continue;
    const ssh = options.protocol === 'tcp' && mapping.internalPort === 22 && vm.guest.os === 'linux';
    return {
      reached: true,
      vm: vm.name,
      address: mapping.internalAddress,
      port: mapping.internalPort,
      sshAnswers: ssh && sessionUpAt(vm, now, timing),
    };
  }
  return { reached: false, reason: `no running guest on the NAT's network has ${mapping.internalAddress}` };
}
