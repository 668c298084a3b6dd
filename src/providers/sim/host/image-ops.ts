/**
 * Images built from an ISO on a simulated host (src/model/image-build.ts): what discovery
 * reports about them, and the build, with the refusals the Hyper-V provider meets on the fake
 * module (src/providers/hyperv/scripts/host-image.ps1 over test/fake-hyperv/host/windows-image.ps1).
 * A simulated build is one transaction: it cannot be interrupted halfway, so it never leaves a
 * mounted ISO or a partial disk behind (`leftover` is always false here).
 */
import type { HostOperation } from '../../../model/host-operation.js';
import type { DiscoveryScope, LiveVhd } from '../../../model/live-state.js';
import {
  findEdition,
  listEditions,
  type ImageRecord,
  type IsoIdentity,
  type LiveImageBuild,
} from '../../../model/image-build.js';
import { pathKey, samePath } from '../../../model/windows-path.js';
import type { SimFile, SimHost, SimVhd } from '../sim-state.js';
import type { World } from '../world.js';
import { refusal } from '../sim-errors.js';
import type { OpContext } from './op-context.js';
import { findHostFile, simulatedFileModified } from './host-files.js';

type Op<K extends HostOperation['op']> = Extract<HostOperation, { op: K }>;

function isoIdentity(path: string, file: SimFile): IsoIdentity {
  return { path, size: file.size, modified: file.modified ?? simulatedFileModified(file.path) };
}

/**
 * Differencing disks whose parent is `path`: among the disks attached to the host's VMs and the
 * disks this discovery lists (the lab's folders), as the Hyper-V provider finds them.
 */
function dependentsOf(world: World, host: SimHost, listed: LiveVhd[], path: string): string[] {
  const candidates = new Map<string, string>();
  for (const v of listed) candidates.set(pathKey(v.path), v.path);
  for (const vm of host.vms) for (const d of vm.disks) candidates.set(pathKey(d.path), d.path);
  const out: string[] = [];
  for (const candidate of candidates.values()) {
    const vhd = world.findVhd(host.host, candidate);
    if (vhd?.parentPath && samePath(vhd.parentPath, path)) out.push(vhd.path);
  }
  return out.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

/** Discovery's answer for the images of the scope. */
export function discoverImages(options: {
  world: World;
  host: SimHost;
  scope: DiscoveryScope;
  listed: LiveVhd[];
}): LiveImageBuild[] {
  const { world, host, scope, listed } = options;
  return (scope.images ?? []).map((wanted) => {
    const vhd = world.findVhd(host.host, wanted.path);
    const record = vhd?.record ?? null;
    const file = findHostFile(host, wanted.iso);
    const iso = file ? isoIdentity(wanted.iso, file) : null;
    // The ISO is read (mounted) only when a build may be needed; otherwise the record's list stands.
    const read =
      iso !== null &&
      (!vhd ||
        !record ||
        !samePath(record.iso.path, iso.path) ||
        record.iso.size !== iso.size ||
        record.iso.modified !== iso.modified);
    return {
      path: wanted.path,
      exists: Boolean(vhd),
      record: record ? structuredClone(record) : null,
      iso,
      editions: read
        ? (file!.editions ?? []).map((e) => ({ ...e }))
        : record
          ? record.editions.map((e) => ({ ...e }))
          : null,
      missingUpdates: wanted.updates.filter((u) => !findHostFile(host, u)),
      dependents: dependentsOf(world, host, listed, wanted.path),
      leftover: false,
    };
  });
}

const BUILD = 'Build-LabformImage';

/** Mount-DiskImage, Get-WindowsImage, New-VHD ... as one operation (host-image.ps1 does the same, in the same order). */
export function buildImage(ctx: OpContext, op: Op<'buildImage'>): void {
  const { world } = ctx;
  const host = world.host(ctx.host);
  const fail = (
    message: string,
    errorId: string,
    category: 'ObjectNotFound' | 'InvalidOperation',
    target: string,
  ) =>
    refusal(ctx.site, {
      cmdlet: BUILD,
      message,
      category,
      errorId,
      target,
      exceptionType: 'System.InvalidOperationException',
    });
  const existing = world.findVhd(ctx.host, op.path);
  if (existing) {
    // Never under its children: a parent changed under a differencing disk corrupts it.
    const users = host.vms.flatMap((vm) =>
      vm.disks
        .filter((d) => samePath(world.findVhd(ctx.host, d.path)?.parentPath ?? '', op.path))
        .map((d) => d.path),
    );
    if (users.length > 0)
      throw fail(
        `The image ${op.path} cannot be built again: differencing disks depend on it: ${users.join(', ')}.`,
        `ImageInUse,${BUILD}`,
        'InvalidOperation',
        op.path,
      );
  }
  for (const update of op.updates)
    if (!findHostFile(host, update))
      throw fail(
        `The update package ${update} does not exist.`,
        `ImageUpdateNotFound,${BUILD}`,
        'ObjectNotFound',
        update,
      );
  const file = findHostFile(host, op.iso);
  if (!file)
    // Mount-DiskImage of a file that is not there (a CDXML cmdlet: the HRESULT is the error id).
    throw refusal(ctx.site, {
      cmdlet: 'Mount-DiskImage',
      message: 'The system cannot find the file specified.',
      category: 'ObjectNotFound',
      errorId: 'HRESULT 0x80070002,Mount-DiskImage',
      target: op.iso,
      exceptionType: 'Microsoft.Management.Infrastructure.CimException',
    });
  const editions = file.editions ?? [];
  if (editions.length === 0)
    throw fail(
      `${op.iso} is not Windows installation media: it has no sources\\install.wim or sources\\install.esd.`,
      `ImageSourceNotFound,${BUILD}`,
      'ObjectNotFound',
      op.iso,
    );
  const edition = findEdition(editions, op.edition);
  if (!edition)
    throw fail(
      `${op.iso} has no edition ${typeof op.edition === 'number' ? op.edition : `"${op.edition}"`}; it has ${listEditions(editions)}.`,
      `ImageEditionNotFound,${BUILD}`,
      'ObjectNotFound',
      op.iso,
    );
  const record: ImageRecord = {
    format: 'labform-image/1',
    iso: isoIdentity(op.iso, file),
    edition: { ...edition },
    editions: editions.map((e) => ({ ...e })),
    size: op.size,
    generation: op.generation,
    updates: [...op.updates],
  };
  if (existing) world.removeVhd(ctx.host, op.path);
  const image: SimVhd = {
    path: op.path,
    format: /\.vhd$/i.test(op.path) ? 'vhd' : 'vhdx',
    type: 'dynamic',
    parentPath: null,
    size: op.size,
    image: { os: 'windows', generation: op.generation },
    record,
    readOnly: true,
  };
  world.addVhd(ctx.host, image);
}
