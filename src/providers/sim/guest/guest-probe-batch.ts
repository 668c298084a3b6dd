/**
 * The simulator's answer to the guest probes carried by discovery (providers/guest-probes.ts):
 * what the Hyper-V host's batched PowerShell Direct / SSH probing answers, from the same guest
 * model and access rules as a single probe. Only VMs on this host that run and carry the lab's
 * mark are probed; credentials are tried in order and a refused one passes to the next.
 */
import type { GuestProbeOutcome } from '../../../model/guest-probes.js';
import type { GuestProbeBatch } from '../../provider.js';
import type { TimingProfile } from '../time/timing-profile.js';
import type { World } from '../world.js';
import { ownerOf } from '../../../ownership/mark.js';
import { reachProblem } from './guest-access.js';
import { probeGuestOperation } from './guest-ops.js';

/** Problems a further credential may solve: the guest refused this one. */
const REFUSED = new Set(['InvalidCredential', 'SshPermissionDenied']);

export function probeGuestsOfHost(options: {
  world: World;
  host: string;
  batch: GuestProbeBatch;
  timing: TimingProfile;
  /** A guest held silent by an injected fault (`probe:<vm>`): it answers no probe in time. */
  silent: (vm: string) => boolean;
  adBlocked: (vm: string) => boolean;
}): GuestProbeOutcome[] {
  const { world, host, batch } = options;
  const here = new Map(world.host(host).vms.map((vm) => [vm.name.toLowerCase(), vm]));
  const call = { address: `host.${host}`, credentials: { get: (name: string) => batch.credentials[name]! } };
  const env = { world, timing: options.timing, call, adBlocked: options.adBlocked };
  const out: GuestProbeOutcome[] = [];
  for (const request of batch.requests) {
    const vm = here.get(request.vm.toLowerCase());
    if (!vm || vm.power.state !== 'Running' || ownerOf(vm.notes) !== batch.lab) continue;
    if (options.silent(vm.name)) {
      out.push({
        vm: request.vm,
        status: 'unknown',
        reason: `no answer within ${Math.round(batch.timeoutMs / 1000)} s`,
      });
      continue;
    }
    const refused: string[] = [];
    let outcome: GuestProbeOutcome | undefined;
    for (const name of request.credentials) {
      const credential = batch.credentials[name];
      if (!credential) continue;
      const problem = reachProblem(env, { host, vm: vm.name, os: request.os, credential });
      if (!problem) {
        outcome = {
          vm: request.vm,
          status: 'answered',
          credential: name,
          results: request.operations.map((op) => probeGuestOperation(vm.guest!, op, world.host(host))),
        };
        break;
      }
      if (REFUSED.has(problem.id)) {
        refused.push(name);
        continue;
      }
      outcome = { vm: request.vm, status: 'unknown', reason: problem.message };
      break;
    }
    out.push(
      outcome ?? {
        vm: request.vm,
        status: 'unknown',
        reason: `the guest refused every credential (${refused.join(', ')})`,
      },
    );
  }
  return out;
}
