/**
 * An oracle independent of the diff: after a successful apply, read the simulator's raw state
 * and check that the lab is what the manifest says. Plan and apply can agree with each other
 * and both ignore a field; this catches that ("No changes" while the manifest asks for more).
 */
import type { Lab } from '../../../src/manifest/lab.js';
import { desiredState } from '../../../src/desired/desired-state.js';
import type { DesiredVm } from '../../../src/desired/desired-resource.js';
import type { SimProvider } from '../../../src/providers/sim/sim-provider.js';
import type { SimHost } from '../../../src/providers/sim/sim-state.js';
import { scriptId } from '../../../src/roles/service-tasks.js';
import { indexLab } from '../../../src/roles/lab-index.js';
import { isUnder, pathKey } from '../../../src/model/windows-path.js';
import { simulatedFileHash } from '../../../src/providers/sim/host/host-files.js';
import { sameAccounts } from '../../../src/model/share-access.js';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export async function realityGaps(lab: Lab, sim: SimProvider): Promise<string[]> {
  const out: string[] = [];
  const hosts = new Map<string, SimHost>();
  for (const h of lab.hosts) hosts.set(h.name, await sim.rawState(h.name));
  const desired = desiredState({ lab }).filter((d): d is DesiredVm => d.kind === 'vm');
  for (const spec of lab.vms) {
    const host = hosts.get(spec.host)!;
    const vm = host.vms.find((v) => same(v.name, spec.name));
    if (!vm) {
      out.push(`reality: VM ${spec.name} is not on ${spec.host}`);
      continue;
    }
    const d = desired.find((x) => x.name === spec.name)!;
    if (vm.memory.startup !== spec.memory.startup)
      out.push(
        `reality: ${spec.name} has ${vm.memory.startup} bytes of memory, the manifest says ${spec.memory.startup}`,
      );
    if (vm.processors !== spec.processors)
      out.push(`reality: ${spec.name} has ${vm.processors} processors, the manifest says ${spec.processors}`);
    for (const disk of d.dataDisks) {
      const vhd = host.vhds.find((v) => same(v.path, disk.path));
      if (!vhd) out.push(`reality: ${spec.name}'s data disk ${disk.path} is missing`);
      else if (disk.create && vhd.size !== disk.create.size)
        out.push(`reality: ${disk.path} is ${vhd.size} bytes, the manifest says ${disk.create.size}`);
    }
    const guest = vm.guest;
    if (!guest || !spec.image) continue;
    // files: every host file of an entry is in the guest under its `to`, same size and content.
    for (const entry of spec.files) {
      for (const file of (host.files ?? []).filter((f) => isUnder(f.path, entry.from))) {
        const target = pathKey(entry.to) + pathKey(file.path).slice(pathKey(entry.from).length);
        const copy = (guest.files ?? []).find((g) => pathKey(g.path) === target);
        if (!copy || copy.size !== file.size || copy.sha256 !== simulatedFileHash(file))
          out.push(
            `reality: ${spec.name} lacks ${target} as on the host (${copy ? `${copy.size} bytes` : 'missing'}, the host has ${file.size})`,
          );
      }
    }
    const addresses = Object.values(guest.networks).flatMap((n) =>
      n.addresses.map((a) => `${a.address}/${a.prefixLength}`),
    );
    for (const a of spec.network) {
      if (a.ip.kind === 'static' && !addresses.includes(`${a.ip.address}/${a.ip.prefixLength}`))
        out.push(
          `reality: ${spec.name} lacks ${a.ip.address}/${a.ip.prefixLength} (it has ${addresses.join(', ') || 'none'})`,
        );
    }
    for (const role of spec.roles) {
      if (role.kind === 'domainMember' && !same(guest.domain ?? '', role.domain))
        out.push(
          `reality: ${spec.name} is in ${guest.domain ?? 'no domain'}, the manifest says ${role.domain}`,
        );
      if (role.kind === 'domainController' && !same(guest.dc?.domain ?? '', role.domain))
        out.push(
          `reality: ${spec.name} is a DC of ${guest.dc?.domain ?? 'no domain'}, the manifest says ${role.domain}`,
        );
      if (role.kind === 'script' && !guest.scripts.includes(scriptId(role)))
        out.push(`reality: ${spec.name} never ran its script ${role.run}`);
      if (role.kind === 'domainMember' && role.ou) {
        const dcGuest = [...hosts.values()]
          .flatMap((h) => h.vms)
          .find((v) => v.guest?.dc && same(v.guest.dc.domain, role.domain))?.guest?.dc;
        const placed = dcGuest?.computerOus?.[guest.computerName.toUpperCase()];
        if (!placed || !same(placed, role.ou))
          out.push(
            `reality: ${spec.name}'s computer object is in ${placed ?? 'Computers'}, the manifest says ${role.ou}`,
          );
      }
    }
    // Shares and DHCP scopes: exactly the manifest's (a removed role's are gone).
    const shares = spec.roles.flatMap((r) => (r.kind === 'fileServer' ? r.shares.map((s) => s.name) : []));
    const held = guest.shares.map((s) => s.name);
    if (shares.sort().join(',').toLowerCase() !== held.sort().join(',').toLowerCase())
      out.push(
        `reality: ${spec.name} shares ${held.join(', ') || 'nothing'}, the manifest says ${shares.join(', ') || 'nothing'}`,
      );
    // Each share at the manifest's path, with exactly its Full access (docs/roles.md, fileServer).
    for (const share of spec.roles.flatMap((r) => (r.kind === 'fileServer' ? r.shares : []))) {
      const live = guest.shares.find((s) => same(s.name, share.name));
      if (live && !same(live.path, share.path))
        out.push(
          `reality: ${spec.name}'s share ${share.name} is at ${live.path}, the manifest says ${share.path}`,
        );
      if (live && !sameAccounts(live.fullAccess, share.fullAccess))
        out.push(
          `reality: ${spec.name}'s share ${share.name} gives Full access to ${live.fullAccess.join(', ') || 'nobody'}, the manifest says ${share.fullAccess.join(', ') || 'nobody'}`,
        );
      if (live && live.fullAccess.length + (live.readAccess ?? []).length === 0)
        out.push(`reality: ${spec.name}'s share ${share.name} lets nobody in`);
    }
    const scopes = spec.roles.flatMap((r) => (r.kind === 'dhcpServer' ? r.scopes.map((x) => x.start) : []));
    const served = guest.dhcpScopes.map((x) => x.start);
    if (scopes.sort().join(',') !== served.sort().join(','))
      out.push(
        `reality: ${spec.name} serves DHCP scopes ${served.join(', ') || 'none'}, the manifest says ${scopes.join(', ') || 'none'}`,
      );
    if (spec.roles.some((r) => r.kind === 'dhcpServer') !== guest.features.some((f) => same(f, 'DHCP')))
      out.push(
        `reality: ${spec.name} has the DHCP feature ${guest.features.some((f) => same(f, 'DHCP')) ? 'installed' : 'missing'}`,
      );
    // The guest's role records (Windows and Linux guests): none of a role the manifest no longer gives it.
    const recorded = Object.keys(guest.roleRecords ?? {}).sort();
    const roles = indexLab(lab)
      .rolePrefixes(spec)
      .map((prefix) => `role.${spec.name}.${prefix}`);
    for (const address of recorded)
      if (!roles.includes(address)) out.push(`reality: ${spec.name} still records ${address}`);
  }
  return out;
}
