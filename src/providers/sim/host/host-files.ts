/**
 * Files on a simulated host other than VHDs: the installation media a lab names (the ISOs of
 * `dvd:`, the Windows ISOs and updates images are built from). A simulated host has the media of every lab that touches it, as an administrator would
 * have copied them there before running labform, each with a size derived from its path (stable
 * across runs). Tests take a file away (or add one) with `sim.seed(host, (t) => t.file(...))` /
 * `t.removeFile(...)`.
 */
import type { Lab } from '../../../manifest/lab.js';
import type { SimFile, SimHost } from '../sim-state.js';
import { samePath } from '../../../model/windows-path.js';
import { createHash } from 'node:crypto';
import type { ImageEdition } from '../../../model/image-build.js';

const MiB = 1024 ** 2;

/** A deterministic size between 100 MiB and about 4.1 GiB, a believable ISO. */
export function simulatedFileSize(path: string): number {
  return (
    (100 +
      (Number.parseInt(createHash('sha256').update(path.toLowerCase()).digest('hex').slice(0, 6), 16) %
        4000)) *
    MiB
  );
}

/**
 * LastWriteTimeUtc of a simulated file, as Get-Item's `.LastWriteTimeUtc.ToString('o')` prints
 * it: a date in 2016-2019 derived from the path (stable across runs).
 */
export function simulatedFileModified(path: string): string {
  const days =
    Number.parseInt(
      createHash('sha256').update(`modified:${path.toLowerCase()}`).digest('hex').slice(0, 6),
      16,
    ) % 1200;
  return new Date(Date.UTC(2016, 8, 26) + days * 86_400_000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/**
 * The editions of a simulated Windows Server ISO, as Get-WindowsImage lists those of its
 * install.wim: the four of Windows Server 2016 and later media (Standard and Datacenter, each
 * as Server Core and with the Desktop Experience; MSLab's CreateParentDisks picks index 4 for
 * Datacenter with the desktop, 3 for Server Core). The version comes from the file name (2016,
 * 2019, 2022, 2025), else 2022.
 */
export function simulatedEditions(isoPath: string): ImageEdition[] {
  const year = /20(16|19|22|25)/.exec(isoPath)?.[0] ?? '2022';
  return [
    `Windows Server ${year} Standard`,
    `Windows Server ${year} Standard (Desktop Experience)`,
    `Windows Server ${year} Datacenter`,
    `Windows Server ${year} Datacenter (Desktop Experience)`,
  ].map((name, i) => ({ index: i + 1, name }));
}

/**
 * The media the lab names on `host`: the ISOs of its VMs' DVD drives, and the ISO and update
 * packages of each image built from media (`images[].from`) that a VM on the host uses.
 */
export function labMediaFiles(lab: Lab, host: string): SimFile[] {
  const out: SimFile[] = [];
  const add = (file: SimFile) => {
    if (!out.some((f) => samePath(f.path, file.path))) out.push(file);
  };
  const vms = lab.vms.filter((v) => v.host === host);
  for (const vm of vms) for (const path of vm.dvd) add({ path, size: simulatedFileSize(path) });
  for (const image of lab.images) {
    if (!image.from || !vms.some((v) => v.image === image.name)) continue;
    const iso = image.from.iso;
    add({
      path: iso,
      size: simulatedFileSize(iso),
      modified: simulatedFileModified(iso),
      editions: simulatedEditions(iso),
    });
    for (const update of image.from.updates) add({ path: update, size: simulatedFileSize(update) });
  }
  return out;
}

export function findHostFile(host: SimHost, path: string): SimFile | undefined {
  return (host.files ?? []).find((f) => samePath(f.path, path));
}
