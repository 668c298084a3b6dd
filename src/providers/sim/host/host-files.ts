/**
 * Files on a simulated host other than VHDs: the installation media a lab names (the ISOs of
 * `dvd:`, the Windows ISOs and updates images are built from, the sources of `files:`). A
 * simulated host has the media of every lab that touches it, as an administrator would have
 * copied them there before running labform, each with a size (and content hash) derived from its
 * path, stable across runs. A `files:` source whose last part has an extension
 * (`D:\Media\setup.exe`) is one file; any other (`D:\Media\SQL2016`) is a folder holding a few
 * files in subfolders, like unpacked installation media. Tests take a file away (or add one, or
 * change one's size and hash) with `sim.seed(host, (t) => t.file(...))` / `t.removeFile(...)`.
 */
import type { Lab } from '../../../manifest/lab.js';
import type { SimFile, SimHost } from '../sim-state.js';
import { isUnder, pathKey, samePath } from '../../../model/windows-path.js';
import type { CopiedFile } from '../../../model/file-copy.js';
import { createHash } from 'node:crypto';
import type { ImageEdition } from '../../../model/image-build.js';

const KiB = 1024;
const MiB = 1024 ** 2;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

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

/** The content hash a simulated file has unless a test gave it one: from its path and size. */
export function simulatedFileHash(file: SimFile): string {
  return file.sha256 ?? digest(`${pathKey(file.path)}|${file.size}`);
}

/** A `files:` source that names one file rather than a folder (its last part has an extension). */
export function looksLikeFile(path: string): boolean {
  return /\.[A-Za-z0-9]{1,5}$/.test(
    path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '',
  );
}

/**
 * The unpacked media a simulated folder holds: setup.exe and a handful of packages under
 * `x64\Setup`, `1033_ENU_LP` and `redist`, between 1 KiB and 300 MiB each (a few hundred MB to
 * about 2 GB in all), derived from the folder's path.
 */
export function simulatedFolderFiles(folder: string): SimFile[] {
  const root = folder.replace(/[\\/]+$/, '');
  const seed = digest(root.toLowerCase());
  const count = 3 + (Number.parseInt(seed.slice(0, 2), 16) % 8);
  const names = [
    'setup.exe',
    'autorun.inf',
    'x64\\Setup\\sql_engine_core_inst.msi',
    'x64\\Setup\\sql_common_core.cab',
    '1033_ENU_LP\\x64\\Setup\\sql_engine_core_inst_loc.msi',
    'redist\\VisualStudioShell\\VS2015\\vs_isoshell.exe',
    'x64\\Setup\\sql_tools.cab',
    'resources\\1033\\setup.rll',
    'x64\\Setup\\sql_dreplay_client.msi',
    'x64\\Setup\\sql_polybase_core_inst.cab',
  ];
  return names.slice(0, count).map((name, i) => {
    const n = Number.parseInt(seed.slice(2 + i * 5, 7 + i * 5), 16);
    const size = name.endsWith('.inf')
      ? 1 * KiB
      : name.endsWith('.exe') && i === 0
        ? 2 * MiB
        : (1 + (n % 300)) * MiB;
    return { path: `${root}\\${name}`, size };
  });
}

/**
 * The media the lab names on `host`: the ISOs of its VMs' DVD drives, the sources of their
 * `files:`, and the ISO and update packages of each image built from media (`images[].from`)
 * that a VM on the host uses.
 */
export function labMediaFiles(lab: Lab, host: string): SimFile[] {
  const out: SimFile[] = [];
  const add = (file: SimFile) => {
    if (!out.some((f) => samePath(f.path, file.path))) out.push(file);
  };
  const vms = lab.vms.filter((v) => v.host === host);
  for (const vm of vms) for (const path of vm.dvd) add({ path, size: simulatedFileSize(path) });
  for (const vm of vms)
    for (const entry of vm.files) {
      const files = looksLikeFile(entry.from)
        ? [{ path: entry.from, size: simulatedFileSize(entry.from) }]
        : simulatedFolderFiles(entry.from);
      for (const f of files) add(f);
    }
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

/** A file or a folder holding files: what `Test-Path` says of a `files:` source. */
export function hostPathExists(host: SimHost, path: string): boolean {
  return (host.files ?? []).some((f) => isUnder(f.path, path));
}

/**
 * What a copy of `from` holds, as Get-ChildItem -Recurse -File and Get-FileHash list it: the file
 * itself (relative path '') or every file under the folder (relative, `/`-separated); undefined
 * when there is no such file or folder on the host.
 */
export function hostCopySource(host: SimHost, from: string): CopiedFile[] | undefined {
  const exact = findHostFile(host, from);
  if (exact) return [{ path: '', size: exact.size, sha256: simulatedFileHash(exact) }];
  const root = pathKey(from);
  const under = (host.files ?? []).filter((f) => pathKey(f.path).startsWith(`${root}\\`));
  if (under.length === 0) return undefined;
  return under.map((f) => ({
    path: f.path
      .replace(/\//g, '\\')
      .slice(root.length + 1)
      .replace(/\\/g, '/'),
    size: f.size,
    sha256: simulatedFileHash(f),
  }));
}
