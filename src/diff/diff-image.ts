/**
 * PURE: an image built from an ISO (`images[].from`) against what each host reports
 * (`HostState.images`, src/model/image-build.ts). Built where it is missing, built again where
 * its record says it came from something else, used as found where it has no record (a disk
 * the user made); refused at plan time when the ISO, the edition or an update is missing, or
 * when a differencing disk still depends on the image to rebuild.
 */
import type { DesiredImage } from '../desired/desired-resource.js';
import type { PropertyDiff } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { findEdition, listEditions, recordDifferences, type LiveImageBuild } from '../model/image-build.js';
import { formatSize } from '../manifest/units.js';
import { samePath } from '../model/windows-path.js';
import { make, type Ctx } from './diff-context.js';
import type { PlannedChange } from './planned-change.js';

function editionText(edition: string | number): string {
  return typeof edition === 'number' ? `edition ${edition}` : `edition "${edition}"`;
}

/** `WS2016.iso, edition "Windows Server 2016 Datacenter", 40GB, 1 update`. */
export function imageSourceSummary(d: DesiredImage): string {
  const iso = d.from.iso.slice(d.from.iso.lastIndexOf('\\') + 1);
  const parts = [`built from ${iso}`, editionText(d.from.edition), formatSize(d.from.size)];
  if (d.from.updates.length)
    parts.push(`${d.from.updates.length} update${d.from.updates.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function report(
  ctx: Ctx,
  d: Omit<Diagnostic, 'file' | 'line' | 'column' | 'severity'>,
  fallback: string,
): void {
  const at = ctx.lab.positions[d.pointer] ?? ctx.lab.positions[fallback];
  ctx.diagnostics.push({
    severity: 'error',
    ...d,
    file: ctx.lab.file,
    line: at?.line ?? 0,
    column: at?.column ?? 0,
  });
}

/** The refusals that stop a build on `host` before it starts; true when the build can run. */
function checkBuild(ctx: Ctx, d: DesiredImage, host: string, live: LiveImageBuild, rebuild: boolean): void {
  const from = `${d.pointer}/from`;
  if (!live.iso) {
    report(
      ctx,
      {
        rule: 'image-iso-missing',
        message: `ISO ${d.from.iso} of image ${d.name} does not exist on ${host}`,
        pointer: `${from}/iso`,
        hint: `copy the Windows installation ISO to ${d.from.iso} on ${host}, or fix the path`,
      },
      from,
    );
  } else if (live.editions && !findEdition(live.editions, d.from.edition)) {
    report(
      ctx,
      {
        rule: 'image-edition-missing',
        message: `${d.from.iso} on ${host} has no ${editionText(d.from.edition)}; it has ${listEditions(live.editions) || 'no Windows image'}`,
        pointer: `${from}/edition`,
        hint: 'name one of the editions listed, by name or by index',
      },
      from,
    );
  }
  for (const update of live.missingUpdates) {
    const j = d.from.updates.findIndex((u) => samePath(u, update));
    report(
      ctx,
      {
        rule: 'image-update-missing',
        message: `update ${update} of image ${d.name} does not exist on ${host}`,
        pointer: j >= 0 ? `${from}/updates/${j}` : `${from}/updates`,
        hint: `copy the package to ${update} on ${host}, or take it off the list`,
      },
      from,
    );
  }
  if (rebuild && live.dependents.length > 0) {
    const shown = live.dependents.slice(0, 5).join(', ');
    const more = live.dependents.length > 5 ? ` and ${live.dependents.length - 5} more` : '';
    report(
      ctx,
      {
        rule: 'image-in-use',
        message: `image ${d.name} (${d.path}) on ${host} must be built again, but differencing disks depend on it: ${shown}${more}`,
        pointer: from,
        hint: 'destroy the labs (or remove the VMs) whose disks depend on it first; a parent disk changed under its children corrupts them',
      },
      d.pointer,
    );
  }
}

export function diffImage(d: DesiredImage, ctx: Ctx): PlannedChange {
  const missing: string[] = [];
  const stale: string[] = [];
  let diff: PropertyDiff[] = [];
  for (const host of d.hosts) {
    const live = ctx.live.get(host)?.images?.find((i) => samePath(i.path, d.path));
    if (!live) continue;
    if (!live.exists) {
      missing.push(host);
      checkBuild(ctx, d, host, live, false);
      continue;
    }
    // A disk at the path that labform did not build: used as found, never overwritten.
    if (!live.record) continue;
    const differences = recordDifferences(live.record, { ...d.from, generation: d.generation }, live.iso);
    if (differences.length === 0) continue;
    stale.push(host);
    if (diff.length === 0) diff = differences.map((x) => ({ ...x, forcesReplace: true }));
    checkBuild(ctx, d, host, live, true);
  }
  const buildHosts = [...missing, ...stale];
  if (buildHosts.length === 0) return { change: make(d.address, 'image', 'noop', d.host, []), desired: d };
  const reasons: string[] = [];
  if (missing.length) reasons.push(`not found on ${missing.join(', ')}`);
  if (stale.length)
    reasons.push(`${diff.map((x) => x.path).join(', ')} changed since it was built on ${stale.join(', ')}`);
  return {
    change: make(
      d.address,
      'image',
      stale.length ? 'replace' : 'create',
      d.host,
      diff,
      `${reasons.join('; ')}; ${imageSourceSummary(d)}`,
    ),
    desired: d,
    buildHosts,
  };
}
