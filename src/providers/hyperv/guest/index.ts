export { createGuestRunner } from './guest-runner.js';
export type { GuestRunner, GuestRunnerOptions } from './guest-runner.js';
export { guestLibraryScripts, guestScriptPaths, guestScriptsFolder, GUEST_SCRIPT_FILES } from './guest-library.js';
export { guestArguments, probeArguments, qualifiedCredential, scopeOf } from './guest-arguments.js';
