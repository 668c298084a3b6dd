import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The host library, in load order: helpers first, then discovery and operations. */
export const HOST_SCRIPT_FILES = [
  'host-common.ps1',
  'host-state.ps1',
  'host-network.ps1',
  'host-storage.ps1',
  'host-vm.ps1',
  'host-vm-devices.ps1',
  'host-guest-shell.ps1',
  'host-media.ps1',
  'host-image.ps1',
  'host-offline-features.ps1',
  'host-cloud-init.ps1',
] as const;

/**
 * The scripts folder, found from this module's own file: `src/providers/hyperv/` under vitest
 * and `dist/providers/hyperv/` when built, both three levels below the package root.
 */
export function hostScriptsFolder(): string {
  return fileURLToPath(new URL('../../../src/providers/hyperv/scripts/', import.meta.url));
}

/** Absolute paths of the host library files, in load order. */
export function hostScriptPaths(): string[] {
  const folder = hostScriptsFolder();
  return HOST_SCRIPT_FILES.map((name) => folder + name);
}

/** The host library's script texts, for a session's `libraryScripts`. */
export function hostLibraryScripts(): string[] {
  return hostScriptPaths().map((path) => readFileSync(path, 'utf8'));
}
