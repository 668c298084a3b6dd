import type { DesiredImage } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import { imageSourceSummary } from '../diff/diff-image.js';
import type { StepGraph } from './step-graph.js';
import { imageOnHostAddress } from '../model/address.js';

/** One build step per host that needs the image (missing there, or built from something else). */
export function imageSteps(g: StepGraph, pc: PlannedChange): void {
  const d = pc.desired as DesiredImage;
  if (pc.change.action === 'noop') return;
  const multi = d.hosts.length > 1;
  for (const host of pc.buildHosts ?? []) {
    // Two builds from one ISO on one host take turns: a mounted ISO cannot be mounted again.
    // Their order is set once the plan is whole (media-turns.ts).
    const media = `${host}|${d.from.iso.toLowerCase()}`;
    const id = g.host({
      id: multi ? `${d.address}/build@${host}` : `${d.address}/build`,
      address: d.address,
      host,
      title: `${pc.change.action === 'replace' ? 'build image again' : 'build image'} ${d.name} at ${d.path} on ${host} (${imageSourceSummary(d)})`,
      operation: {
        op: 'buildImage',
        path: d.path,
        generation: d.generation,
        iso: d.from.iso,
        edition: d.from.edition,
        size: d.from.size,
        updates: [...d.from.updates],
      },
    });
    const turns = g.mediaTurns.get(media);
    if (turns) turns.push(id);
    else g.mediaTurns.set(media, [id]);
    // A VM's OS disk waits for the build on its own host (dependency-edges.ts).
    g.ready.set(imageOnHostAddress(d.name, host), [id]);
  }
}
