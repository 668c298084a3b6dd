/**
 * `labform exec` and `labform cp` against the simulated guest: the session opens as PowerShell
 * Direct (or SSH) would (same refusals as every other guest call), then the command model
 * (guest-commands.ts) or the file model (guest-files.ts) does the work.
 */
import type { GuestTarget } from '../../call-context.js';
import type { GuestEnv } from './guest-access.js';
import { reachGuest } from './guest-access.js';
import type { ErrorSite } from '../sim-errors.js';
import { refusal } from '../sim-errors.js';
import { runGuestCommand, type GuestCommandRun } from './guest-commands.js';
import { GuestFileSystem, SIM_MAX_GUEST_FILE } from './guest-files.js';

const COPY_ITEM = 'Copy-Item';

function copyRefusal(
  site: ErrorSite,
  target: GuestTarget,
  message: string,
  errorId: string,
  category: 'ObjectNotFound' | 'InvalidArgument' | 'ResourceUnavailable',
): Error {
  if (target.os === 'linux') {
    return refusal(site, {
      cmdlet: 'scp',
      message,
      category,
      errorId: `${errorId},scp`,
      target: target.vm,
      exceptionType: 'System.IO.IOException',
    });
  }
  return refusal(site, {
    cmdlet: COPY_ITEM,
    message,
    category,
    errorId: `${errorId},Microsoft.PowerShell.Commands.CopyItemCommand`,
    target: target.vm,
    exceptionType: 'System.IO.IOException',
  });
}

export function simExec(
  env: GuestEnv,
  site: ErrorSite,
  target: GuestTarget,
  command: string,
): GuestCommandRun {
  const { guest } = reachGuest(env, site, target);
  return runGuestCommand({ guest, user: target.credential.username, command, now: env.world.now });
}

export function simCopyTo(
  env: GuestEnv,
  site: ErrorSite,
  target: GuestTarget,
  file: { fileName: string; content: Buffer; destination: string },
): { path: string } {
  const { guest } = reachGuest(env, site, target);
  const fs = new GuestFileSystem(guest, target.credential.username);
  if (file.content.length > SIM_MAX_GUEST_FILE) {
    throw copyRefusal(
      site,
      target,
      `the simulator keeps guest files up to ${SIM_MAX_GUEST_FILE / 1024 / 1024} MiB; ${file.fileName} has ${file.content.length} bytes`,
      'SimFileTooLarge',
      'InvalidArgument',
    );
  }
  const intoFolder = /[\\/]$/.test(file.destination) || fs.folderExists(file.destination);
  const destination = intoFolder
    ? fs.paths.join(fs.resolve(file.destination), file.fileName)
    : fs.resolve(file.destination);
  if (!fs.folderExists(fs.paths.parent(destination))) {
    const message =
      target.os === 'linux'
        ? `scp: ${destination}: No such file or directory`
        : `Could not find a part of the path '${destination}'.`;
    throw copyRefusal(
      site,
      target,
      message,
      target.os === 'linux' ? 'ScpNoSuchFile' : 'System.IO.DirectoryNotFoundException',
      'ObjectNotFound',
    );
  }
  return { path: fs.write(destination, file.content, env.world.now).path };
}

export function simCopyFrom(env: GuestEnv, site: ErrorSite, target: GuestTarget, source: string): Buffer {
  const { guest } = reachGuest(env, site, target);
  const fs = new GuestFileSystem(guest, target.credential.username);
  const file = fs.file(source);
  if (!file) {
    const resolved = fs.resolve(source);
    const message =
      target.os === 'linux'
        ? `scp: ${resolved}: No such file or directory`
        : `Cannot find path '${resolved}' because it does not exist.`;
    throw copyRefusal(
      site,
      target,
      message,
      target.os === 'linux' ? 'ScpNoSuchFile' : 'PathNotFound',
      'ObjectNotFound',
    );
  }
  return Buffer.from(file.content, 'base64');
}
