/**
 * `storagePath` is optional: without it, a host keeps the lab's files in a folder named after
 * the lab under its Hyper-V default virtual hard disk folder (`Get-VMHost` ->
 * `VirtualHardDiskPath`, set with `Set-VMHost -VirtualHardDiskPath`:
 * https://learn.microsoft.com/powershell/module/hyper-v/set-vmhost). That folder is only known
 * once the host is discovered, so expansion writes this placeholder where the folder goes, and
 * `resolveDefaultStorage` puts the discovered folder in its place.
 */
import type { Lab } from './lab.js';

/** Stands for the host's default virtual hard disk folder until discovery reads it. */
export const HOST_DEFAULT_FOLDER = '%VirtualHardDiskPath%';

/** `path` with a leading placeholder replaced by `folder` (unchanged when it has none). */
export function withHostFolder(path: string, folder: string): string {
  if (!path.startsWith(HOST_DEFAULT_FOLDER)) return path;
  return `${folder.replace(/[\\/]+$/, '')}${path.slice(HOST_DEFAULT_FOLDER.length)}`;
}

/**
 * In place: every path of the lab on a host without a `storagePath` (the host's folder, its VMs'
 * folders, OS disks and new data disks) made concrete with the folder that host reported. A host that
 * reported none (unreachable) keeps the placeholder. Idempotent.
 */
export function resolveDefaultStorage(lab: Lab, defaultFolderOf: (host: string) => string | undefined): void {
  for (const host of lab.hosts) {
    if (!host.storagePath.startsWith(HOST_DEFAULT_FOLDER)) continue;
    const folder = defaultFolderOf(host.name);
    if (!folder) continue;
    host.storagePath = withHostFolder(host.storagePath, folder);
    for (const vm of lab.vms) {
      if (vm.host !== host.name || !vm.path.startsWith(HOST_DEFAULT_FOLDER)) continue;
      vm.path = withHostFolder(vm.path, folder);
      if (vm.osDiskPath) vm.osDiskPath = withHostFolder(vm.osDiskPath, folder);
      for (const disk of vm.disks) if (disk.kind === 'new') disk.path = withHostFolder(disk.path, folder);
    }
  }
}
