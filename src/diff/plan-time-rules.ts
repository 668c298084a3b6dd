import type { Diagnostic } from '../model/diagnostic.js';
import { hasCloudInitSeed, type Lab } from '../manifest/lab.js';
import type { HostState } from '../model/live-state.js';
import { ownerOf, parseNatName } from '../ownership/mark.js';
import { hostAddressBlocksNatPrefix, hostProcessorsProblem, winNatHasRoom } from '../model/hyperv-rules.js';
import { liveVhdAt, liveVmNamed } from '../model/live-lookup.js';
import { samePath } from '../model/windows-path.js';
import { imagePlanTimeRules } from './diff-image.js';
import { hostResourceRules, labDiagnostic } from './host-resource-rules.js';
import { formatSize, formatSizeAbout } from '../model/units.js';

const diagnostic = labDiagnostic;

/**
 * PURE: the rules of docs/contract.md section 4 that need live state (nat prefix vs host
 * addresses, foreign NAT, host memory, missing images and ISOs), and what the hosts must have
 * (host-resource-rules.ts: external adapters, devices, cluster membership).
 */
export function planTimeRules(options: { lab: Lab; live: Map<string, HostState> }): Diagnostic[] {
  const { lab, live } = options;
  const out: Diagnostic[] = [];
  lab.networks.forEach((n, i) => {
    if (n.type !== 'nat' || !n.prefix) return;
    const host = n.hosts[0];
    const state = host ? live.get(host) : undefined;
    if (!state) return;
    const pointer = `/networks/${i}`;
    const prefix = n.prefix;
    // The NAT's own switch is internal (where its gateway lives), as are the live internal switches.
    const internalAliases = new Set(
      [n.name, ...state.switches.filter((s) => s.type === 'internal').map((s) => s.name)].map((s) =>
        `vEthernet (${s})`.toLowerCase(),
      ),
    );
    // Switches of this lab the plan removes (a renamed network's old switch): their addresses go first.
    const leaving = new Set(
      state.switches
        .filter(
          (s) =>
            ownerOf(s.notes) === lab.name &&
            !lab.networks.some(
              (w) => w.name.toLowerCase() === s.name.toLowerCase() && w.hosts.includes(host),
            ),
        )
        .map((s) => `vEthernet (${s.name})`.toLowerCase()),
    );
    for (const a of state.hostAddresses) {
      if (leaving.has(a.interfaceAlias.toLowerCase())) continue;
      const onInternalSwitch = internalAliases.has(a.interfaceAlias.toLowerCase());
      if (!hostAddressBlocksNatPrefix(prefix, { ...a, onInternalSwitch })) continue;
      out.push(
        diagnostic(
          lab,
          {
            severity: 'error',
            rule: 'nat-prefix-host-address',
            message: `NAT prefix ${n.prefix} of ${n.name} overlaps ${a.address} on ${a.interfaceAlias} of host ${host}`,
            pointer: `${pointer}/prefix`,
            hint: 'choose a prefix the host does not use',
          },
          [`${pointer}/prefix`, pointer],
        ),
      );
    }
    // This lab's NATs on the host are replaced or kept; the others hold WinNAT's room.
    const foreign = state.nats.filter((nat) => parseNatName(nat.name)?.lab !== lab.name);
    if (winNatHasRoom(foreign.length)) return;
    for (const nat of foreign) {
      const owner = parseNatName(nat.name)?.lab;
      out.push(
        diagnostic(
          lab,
          {
            severity: 'error',
            rule: 'nat-foreign',
            message: `host ${host} already has NAT ${nat.name} (${nat.internalPrefix})${owner ? `, owned by lab ${owner}` : ', not created by labform'}; WinNAT allows one NAT per host`,
            pointer,
            hint: owner
              ? `destroy lab ${owner} first, or use an internal network`
              : 'remove it with Remove-NetNat if it is unused, or use an internal network',
          },
          [`${pointer}/type`, pointer],
        ),
      );
    }
  });
  const vmsByHost = new Map<string, Lab['vms']>();
  for (const v of lab.vms) {
    const list = vmsByHost.get(v.host) ?? [];
    list.push(v);
    vmsByHost.set(v.host, list);
  }
  for (const [host, state] of live) {
    const vms = vmsByHost.get(host) ?? [];
    // Running VMs already hold their memory; only the others need free memory.
    const starting = vms.filter((v) => liveVmNamed(state, v.name)?.state !== 'Running');
    const needed = starting.reduce((sum, v) => sum + v.memory.startup, 0);
    if (needed > state.freeMemory && vms[0]) {
      // Sizes as the manifest writes them; the VMs that need them, the largest first.
      const each = [...starting]
        .sort((a, b) => b.memory.startup - a.memory.startup)
        .map((v) => `${v.name} ${formatSize(v.memory.startup)}`);
      const listed = each.length > 6 ? [...each.slice(0, 6), `${each.length - 6} more`] : each;
      out.push(
        diagnostic(
          lab,
          {
            severity: 'warning',
            rule: 'host-memory',
            message: `the VMs to start on ${host} need ${formatSize(needed)} startup memory (${listed.join(', ')}); the host has ${formatSizeAbout(state.freeMemory)} free`,
            pointer: vms[0].pointer,
            hint: 'lower memory, use dynamic memory, or place VMs on another host',
          },
          [`${vms[0].pointer}/memory`, vms[0].pointer],
        ),
      );
    }
    // Linux guests get the host account's public key through their cloud-init seed, and ssh from the host logs in with it.
    const seeded = vms.find((v) => hasCloudInitSeed(lab, v));
    if (seeded && state.sshPublicKey === null)
      out.push(
        diagnostic(
          lab,
          {
            severity: 'error',
            rule: 'host-ssh-key-missing',
            message: `the account labform runs as on ${host} has no SSH key (.ssh\\id_ed25519.pub or .ssh\\id_rsa.pub in its profile); Linux vm ${seeded.name} gets that key through its cloud-init seed`,
            pointer: `${seeded.pointer}/image`,
            hint: `on ${host}, as that account: ssh-keygen -t ed25519 -f $env:USERPROFILE\\.ssh\\id_ed25519, and press Enter at both passphrase prompts (labform's ssh runs unattended)`,
          },
          [`${seeded.pointer}/image`, seeded.pointer],
        ),
      );
    for (const vm of vms) {
      // More than the host has in all can never start (Start-VM: not enough memory), whatever else stops.
      if (state.totalMemory > 0 && vm.memory.startup > state.totalMemory)
        out.push(
          diagnostic(
            lab,
            {
              severity: 'error',
              rule: 'host-memory-total',
              message: `vm ${vm.name} needs ${formatSize(vm.memory.startup)} startup memory; host ${host} has ${formatSizeAbout(state.totalMemory)} in all`,
              pointer: `${vm.pointer}/memory`,
              hint: 'lower its startup memory (with dynamic memory it can grow later), or place it on a larger host',
            },
            [`${vm.pointer}/memory`, vm.pointer],
          ),
        );
      // More virtual processors than the host has logical ones: Set-VMProcessor -Count refuses them.
      const processors = hostProcessorsProblem(vm.processors, state.logicalProcessors);
      if (processors)
        out.push(
          diagnostic(
            lab,
            {
              severity: 'error',
              rule: 'host-processors',
              message: `vm ${vm.name}: ${processors} ${host} (Get-VMHost LogicalProcessorCount)`,
              pointer: `${vm.pointer}/processors`,
              hint: `give it at most ${state.logicalProcessors} processors, or place it on a host with more logical processors`,
            },
            [`${vm.pointer}/processors`, vm.pointer],
          ),
        );
      vm.dvd.forEach((iso, j) => {
        if (state.files.find((f) => samePath(f.path, iso))?.exists !== false) return;
        const pointer = `${vm.pointer}/dvd/${j}`;
        out.push(
          diagnostic(
            lab,
            {
              severity: 'error',
              rule: 'dvd-iso-missing',
              message: `ISO ${iso} of vm ${vm.name} does not exist on ${host}`,
              pointer,
              hint: `copy the ISO to ${iso} on ${host}, or fix the path`,
            },
            [pointer, `${vm.pointer}/dvd`, vm.pointer],
          ),
        );
      });
    }
    for (const vm of vms) {
      vm.files.forEach((entry, j) => {
        if (state.sources?.find((f) => samePath(f.path, entry.from))?.exists !== false) return;
        const pointer = `${vm.pointer}/files/${j}/from`;
        out.push(
          diagnostic(
            lab,
            {
              severity: 'error',
              rule: 'files-source-missing',
              message: `files[${j}] of vm ${vm.name}: ${entry.from} does not exist on ${host}`,
              pointer,
              hint: `put the media at ${entry.from} on ${host} (a folder or a file), or fix the path`,
            },
            [pointer, `${vm.pointer}/files/${j}`, `${vm.pointer}/files`, vm.pointer],
          ),
        );
      });
    }
    lab.images.forEach((image, i) => {
      // An image built from an ISO is checked by its diff (src/diff/diff-image.ts): ISO, edition, updates.
      if (image.from || !vms.some((v) => v.image === image.name)) return;
      const file = state.files.find((f) => samePath(f.path, image.path));
      const exists = file ? file.exists : Boolean(liveVhdAt(state, image.path));
      if (exists) return;
      out.push(
        diagnostic(
          lab,
          {
            severity: 'error',
            rule: 'image-missing',
            message: `image ${image.name} (${image.path}) does not exist on ${host}`,
            pointer: `/images/${i}/path`,
            hint: `copy the sysprepped disk to ${image.path} on ${host}`,
          },
          [`/images/${i}/path`, `/images/${i}`],
        ),
      );
    });
  }
  // Images built from an ISO: media and updates on the host, nothing depending on one to rebuild.
  out.push(...imagePlanTimeRules(lab, live, (d, pointers) => diagnostic(lab, d, pointers)));
  out.push(...hostResourceRules({ lab, live }));
  return out;
}
