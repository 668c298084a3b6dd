import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The guest runner's PowerShell library, loaded into every host session (add these to the
 * session's `libraryScripts`). The guest-side files come first: the host file, last, moves
 * their functions into a table so that no guest script can be called as a host command.
 */
export const GUEST_SCRIPT_FILES = [
  'LabformGuest.Base.ps1',
  'LabformGuest.Domain.ps1',
  'LabformGuest.Services.ps1',
  'LabformGuest.Linux.ps1',
  'LabformGuest.Files.ps1',
  'LabformGuest.Host.ps1',
  'LabformGuest.HostFiles.ps1',
  'LabformGuest.Probes.ps1',
] as const;

/**
 * The scripts folder, found from this module's own file: `src/providers/hyperv/guest/` under
 * vitest and `dist/providers/hyperv/guest/` when built, both four levels below the package.
 */
export function guestScriptsFolder(): string {
  return fileURLToPath(new URL('../../../../src/providers/hyperv/guest/scripts/', import.meta.url));
}

/** Absolute paths of the library files, in load order. */
export function guestScriptPaths(): string[] {
  const folder = guestScriptsFolder();
  return GUEST_SCRIPT_FILES.map((name) => folder + name);
}

/** The texts of the library files, in load order. */
export function guestLibraryScripts(): string[] {
  return guestScriptPaths().map((path) => readFileSync(path, 'utf8'));
}
