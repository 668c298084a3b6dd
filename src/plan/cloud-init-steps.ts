/**
 * The plan steps of a Linux guest's cloud-init seed: write the seed disk (when the host does not
 * hold this seed yet) and attach it at its slot, after the OS disk (generation 2 firmware tries
 * the disks in the order they were added; the seed has no boot loader either way).
 */
import type { DesiredVm } from '../desired/desired-resource.js';
import type { HostState } from '../model/live-state.js';
import type { StepGraph } from './step-graph.js';
import { desiredSeed, liveSeedInstanceId } from '../diff/diff-cloud-init.js';
import { liveVhdAt } from '../model/live-lookup.js';
import { attachStep } from './vm-step-parts.js';
import { counted } from '../model/plural.js';

/** The step name of the seed disk's attach (`vm.<name>/attach-cloud-init-seed`). */
export const SEED_ATTACH = 'cloud-init-seed';

/** Write the seed when the host does not hold it; undefined when it does (or the host's key is unknown). */
export function writeSeedStep(
  g: StepGraph,
  d: DesiredVm,
  live: HostState | undefined,
  o: { deps: string[]; rewrite: boolean },
): string | undefined {
  const seed = desiredSeed(d, live);
  if (!seed || !d.cloudInit) return undefined;
  const path = d.cloudInit.disk.path;
  if (liveSeedInstanceId(d, live) === seed.instanceId && liveVhdAt(live, path)) return undefined;
  const { hostname, adapters } = d.cloudInit.seed;
  const what = [
    `host name ${hostname}`,
    ...(adapters.length ? [counted(adapters.length, 'adapter')] : []),
    'host key',
  ].join(', ');
  return g.host({
    id: `${d.address}/write-cloud-init-seed`,
    address: d.address,
    host: d.host,
    title: o.rewrite
      ? `rewrite the cloud-init seed of ${d.name} (${what}); cloud-init applies it at the VM's next boot`
      : `write the cloud-init seed of ${d.name} (${what})`,
    operation: {
      op: 'writeCloudInitSeed',
      vm: d.name,
      path,
      instanceId: seed.instanceId,
      files: { ...seed.files },
      summary: seed.summary,
    },
    dependsOn: o.deps,
  });
}

/**
 * A new VM's seed: written beside the other disks (the write makes the VM's folder), then attached
 * once the VM is configured and its OS disk attached; returns the attach step.
 */
export function createSeedSteps(
  g: StepGraph,
  d: DesiredVm,
  live: HostState | undefined,
  o: { writeAfter: string[]; attachAfter: string[] },
): string[] {
  // Without the host account's key there is no seed to attach (plan-time rule host-ssh-key-missing).
  if (!d.cloudInit || !desiredSeed(d, live)) return [];
  const write = writeSeedStep(g, d, live, { deps: o.writeAfter, rewrite: false });
  return [attachStep(g, d, d.cloudInit.disk, SEED_ATTACH, [...o.attachAfter, ...(write ? [write] : [])])];
}
