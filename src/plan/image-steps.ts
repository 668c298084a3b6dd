import type { DesiredImage } from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import { imageSourceSummary } from '../diff/diff-image.js';
import type { StepGraph } from './step-graph.js';

/** The `g.ready` key of an image on one host: a VM's OS disk waits for the build on its own host. */
export function imageReadyKey(image: string, host: string): string {
  return `image.${image}@${host}`;
}

/** One build step per host that needs the image (missing there, or built from something else). */
export function imageSteps(g: StepGraph, pc: PlannedChange): void {
  const d = pc.desired as DesiredImage;
  if (pc.change.action === 'noop') return;
  const multi = d.hosts.length > 1;
  for (const host of pc.buildHosts ?? []) {
    // Two builds from one ISO on one host take turns: a mounted ISO cannot be mounted again.
    const media = `iso:${host}|${d.from.iso.toLowerCase()}`;
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
      dependsOn: g.ready.get(media) ?? [],
    });
    g.ready.set(media, [id]);
    g.ready.set(imageReadyKey(d.name, host), [id]);
  }
}
