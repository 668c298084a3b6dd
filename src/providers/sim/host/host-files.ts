/**
 * Files on a simulated host other than VHDs: the installation media a lab names (the ISOs of
 * `dvd:`). A simulated host has the media of every lab that touches it, as an administrator would
 * have copied them there before running labform, each with a size derived from its path (stable
 * across runs). Tests take a file away (or add one) with `sim.seed(host, (t) => t.file(...))` /
 * `t.removeFile(...)`.
 */
import type { Lab } from '../../../manifest/lab.js';
import type { SimFile, SimHost } from '../sim-state.js';
import { samePath } from '../../../model/windows-path.js';
import { createHash } from 'node:crypto';

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

/** The media the lab names on `host`: the ISOs of its VMs' DVD drives. */
export function labMediaFiles(lab: Lab, host: string): SimFile[] {
  const out: SimFile[] = [];
  for (const vm of lab.vms.filter((v) => v.host === host)) {
    for (const path of vm.dvd)
      if (!out.some((f) => samePath(f.path, path))) out.push({ path, size: simulatedFileSize(path) });
  }
  return out;
}

export function findHostFile(host: SimHost, path: string): SimFile | undefined {
  return (host.files ?? []).find((f) => samePath(f.path, path));
}
