import { UserError } from '../errors.js';
import type { Lab, VmSpec } from '../manifest/lab.js';
import { didYouMean } from '../manifest/suggest.js';
import { discoverLab } from '../app/discover-lab.js';
import type { HostState } from '../model/live-state.js';
import type { GuestTarget } from '../providers/call-context.js';
import { guestCredential, ownedLabVms, type LabVm } from '../plan/checkpoint-steps.js';
import type { CommandContext } from '../app/command-context.js';

/** The manifest's VM of this name (exit 1 with the closest name when there is none). */
export function vmSpecNamed(lab: Lab, name: string): VmSpec {
  const spec = lab.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
  if (!spec) {
    const names = lab.vms.map((v) => v.name);
    throw new UserError(
      `lab ${lab.name} has no VM named ${name}${didYouMean(name, names)}`,
      [],
      `its VMs: ${names.join(', ')}`,
    );
  }
  return spec;
}

/** The VM as it lives on its host (a cluster VM wherever it runs), with the live state it was found in. */
export async function liveLabVm(
  ctx: CommandContext,
  name: string,
): Promise<{ vm: LabVm; live: Map<string, HostState> }> {
  const spec = vmSpecNamed(ctx.lab, name);
  const live = await discoverLab({ lab: ctx.lab, provider: ctx.provider });
  const vm = ownedLabVms({ lab: ctx.lab, live }).find((v) => v.spec.name === spec.name);
  if (!vm)
    throw new UserError(`VM ${spec.name} does not exist yet on ${spec.host}`, [], 'run: labform apply FILE');
  return { vm, live };
}

/**
 * Where a guest command runs: the VM must be running, and a credential must reach it: the one
 * named with --credential, else the one labform uses after the VM's roles ran (a DC's domain
 * administrator, otherwise the VM's own credential).
 */
export function guestTargetFor(
  ctx: CommandContext,
  vm: LabVm,
  credentialName: string | undefined,
): GuestTarget {
  if (vm.live.state !== 'Running') {
    throw new UserError(
      `VM ${vm.spec.name} is ${vm.live.state}, not running`,
      [],
      `start it with: labform start FILE ${vm.spec.name}`,
    );
  }
  if (credentialName !== undefined && !ctx.lab.credentials.some((c) => c.name === credentialName)) {
    const names = ctx.lab.credentials.map((c) => c.name);
    throw new UserError(
      `lab ${ctx.lab.name} has no credential named ${credentialName}${didYouMean(credentialName, names)}`,
      [],
      `its credentials: ${names.join(', ') || '(none)'}`,
    );
  }
  const name = credentialName ?? guestCredential(vm.spec);
  if (!name)
    throw new UserError(
      `VM ${vm.spec.name} has no credential in the manifest`,
      [],
      "pass --credential NAME (one of the lab's credentials)",
    );
  return { host: vm.host, vm: vm.spec.name, os: vm.spec.os, credential: ctx.credentials.get(name) };
}
