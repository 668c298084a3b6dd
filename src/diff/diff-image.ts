/**
 * PURE: an image built from an ISO (`images[].from`) against what each host reports
 * (`HostState.images`, src/model/image-build.ts). Built where it is missing, built again where
 * its record says it came from something else, used as found where it has no record (a disk
 * the user made); refused at plan time when the ISO, the edition or an update is missing, or
 * when a differencing disk still depends on the image to rebuild.
 */
import { counted } from '../model/plural.js';
import type { DesiredImage } from '../desired/desired-resource.js';
import type { PropertyDiff } from '../model/change.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { findEdition, listEditions, recordDifferences, type LiveImageBuild } from '../model/image-build.js';
import { formatSize } from '../model/units.js';
import { samePath } from '../model/windows-path.js';
import { make, type Ctx } from './diff-context.js';
import type { Lab } from '../manifest/lab.js';
import type { HostState } from '../model/live-state.js';
import { imageResources } from '../desired/desired-state.js';
import type { PlannedChange } from './planned-change.js';

function editionText(edition: string | number): string {
  return typeof edition === 'number' ? `edition ${edition}` : `edition "${edition}"`;
}

/** `WS2016.iso, edition "Windows Server 2016 Datacenter", 40GB, 1 update`. */
export function imageSourceSummary(d: DesiredImage): string {
  const iso = d.from.iso.slice(d.from.iso.lastIndexOf('\\') + 1);
  const parts = [`built from ${iso}`, editionText(d.from.edition), formatSize(d.from.size)];
  if (d.from.updates.length) parts.push(counted(d.from.updates.length, 'update'));
  return parts.join(', ');
}

type Report = (d: Omit<Diagnostic, 'file' | 'line' | 'column' | 'severity'>, fallback: string) => void;

/** The image on one host against what the manifest wants: to build (missing), to build again (its record differs), or neither. */
export function imageNeeds(
  d: DesiredImage,
  live: LiveImageBuild,
): { build: boolean; rebuild: boolean; differences: PropertyDiff[] } {
  if (!live.exists) return { build: true, rebuild: false, differences: [] };
  // A disk at the path that labform did not build: used as found, never overwritten.
  if (!live.record) return { build: false, rebuild: false, differences: [] };
  const differences = recordDifferences(live.record, { ...d.from, generation: d.generation }, live.iso).map(
    (x) => ({ ...x, forcesReplace: true }),
  );
  return { build: differences.length > 0, rebuild: differences.length > 0, differences };
}

/** The refusals that stop a build on `host` before it starts. */
function checkBuild(
  report: Report,
  d: DesiredImage,
  host: string,
  live: LiveImageBuild,
  rebuild: boolean,
): void {
  const from = `${d.pointer}/from`;
  if (!live.iso) {
    report(
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

/**
 * PURE, plan-time (docs/contract.md section 4, with planTimeRules): an image to build, or to
 * build again, on a host where its ISO, edition or an update is missing, or (to build again)
 * where differencing disks depend on it.
 */
export function imagePlanTimeRules(
  lab: Lab,
  live: Map<string, HostState>,
  diagnostic: (d: Omit<Diagnostic, 'file' | 'line' | 'column'>, pointers: string[]) => Diagnostic,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report: Report = (d, fallback) =>
    out.push(diagnostic({ severity: 'error', ...d }, [d.pointer, fallback]));
  for (const d of imageResources(lab)) {
    for (const host of d.hosts) {
      const state = live.get(host)?.images?.find((i) => samePath(i.path, d.path));
      if (!state) continue;
      const needs = imageNeeds(d, state);
      if (needs.build) checkBuild(report, d, host, state, needs.rebuild);
    }
  }
  return out;
}

export function diffImage(d: DesiredImage, ctx: Ctx): PlannedChange {
  const missing: string[] = [];
  const stale: string[] = [];
  const leftovers: string[] = [];
  let diff: PropertyDiff[] = [];
  for (const host of d.hosts) {
    const live = ctx.live.get(host)?.images?.find((i) => samePath(i.path, d.path));
    if (!live) continue;
    const needs = imageNeeds(d, live);
    if (!needs.build) continue;
    if (live.leftover) leftovers.push(host);
    if (needs.rebuild) {
      stale.push(host);
      if (diff.length === 0) diff = needs.differences;
    } else missing.push(host);
  }
  const buildHosts = [...missing, ...stale];
  if (buildHosts.length === 0) return { change: make(d.address, 'image', 'noop', d.host, []), desired: d };
  const reasons: string[] = [];
  if (missing.length) reasons.push(`not found on ${missing.join(', ')}`);
  if (stale.length)
    reasons.push(`${diff.map((x) => x.path).join(', ')} changed since it was built on ${stale.join(', ')}`);
  if (leftovers.length)
    reasons.push(`what an interrupted build left on ${leftovers.join(', ')} is dismounted and removed first`);
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
