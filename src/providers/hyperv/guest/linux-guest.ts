import type { GuestOperation, GuestProbeResult } from '../../../model/guest-operation.js';
import type { GuestTarget } from '../../call-context.js';
import { createHash } from 'node:crypto';
import { ProviderError } from '../../../errors.js';
import { roleRecordFile } from './guest-arguments.js';

/** Calls a function of the host's session (bound to the target's host by the runner). */
type Invoke = <T>(command: string, parameters: Record<string, unknown>) => Promise<T>;

/** A script id as a file name: nothing but letters, digits, dot, dash and underscore. */
function markerPath(id: string): string {
  return `/var/lib/labform/scripts/${id.replace(/[^A-Za-z0-9._-]/g, '_')}.done`;
}

/** A POSIX shell word: single quotes, a quote inside written '\''. */
function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The guest's role records (docs/roles.md, "What labform records in a guest"): one file per role,
 * as on Windows (%ProgramData%\labform\roles), owned by root and readable by root alone: a
 * record holds a script's text.
 */
export const LINUX_ROLES_FOLDER = '/var/lib/labform/roles';

function recordPath(address: string): string {
  return `${LINUX_ROLES_FOLDER}/${roleRecordFile(address)}`;
}

/**
 * Writes a role's record atomically: the text into a temporary file of the same folder, then
 * `mv` over the record (rename(2) replaces it in one step: a reader sees the old record or the
 * new one, never half of one; an interrupted write leaves only the `.tmp`, which the listing
 * ignores). umask 077 and chmod 700: the folder (and its parents, when this makes them) and the
 * file belong to root alone, whatever the image's default umask.
 */
export function recordRoleScript(address: string, record: string): string {
  const file = recordPath(address);
  return [
    'set -e',
    'umask 077',
    `mkdir -p ${LINUX_ROLES_FOLDER}`,
    `chmod 700 ${LINUX_ROLES_FOLDER}`,
    `printf '%s' ${shellWord(record)} > ${shellWord(`${file}.tmp`)}`,
    `mv -f ${shellWord(`${file}.tmp`)} ${shellWord(file)}`,
  ].join('\n');
}

/** Done when the record holds exactly this text (compared by SHA-256: the probe stays short). */
function recordProbeScript(address: string, record: string): string {
  const file = shellWord(recordPath(address));
  const hash = createHash('sha256').update(record, 'utf8').digest('hex');
  return `if [ -f ${file} ] && [ "$(sha256sum ${file} | cut -d ' ' -f 1)" = '${hash}' ]; then echo true; else echo false; fi`;
}

/**
 * Every record of the guest as one base64 line (the probe keeps only a test's last line): each
 * record's text and a newline (a record is JSON on one line). The host turns it into the JSON
 * array of texts a Windows guest answers with (ConvertFrom-LabformLinuxRoleListing,
 * LabformGuest.Linux.ps1). A listing that fails (no `find`, a file it cannot read) exits non-zero
 * (set -e, pipefail): the host then reports the guest unknown rather than a guest without records.
 */
export function roleListingScript(): string {
  return [
    'set -e -o pipefail',
    `roles=${LINUX_ROLES_FOLDER}`,
    '{',
    '  if [ -d "$roles" ]; then',
    '    find "$roles" -type f -name \'*.json\' | while IFS= read -r f; do',
    '      cat "$f"',
    '      echo',
    '    done',
    '  fi',
    '} | base64 -w 0',
    'echo',
  ].join('\n');
}

/**
 * The bash listing of a copy's target in a Linux guest, as one base64 line (the probe keeps only
 * a test's last line): `file`, `folder` or `none`, then `<size> <sha256> <relative path>` per file
 * (stat -c %s, sha256sum), the format of LabformGuestProbe-copyFiles for Windows guests. The host
 * compares it with its media (Resolve-LabformCopyProbes, LabformGuest.HostFiles.ps1).
 */
export function copyListingScript(to: string): string {
  return [
    `to=${shellWord(to.length > 1 ? to.replace(/\/+$/, '') : to)}`,
    '{',
    '  if [ -f "$to" ]; then',
    '    echo file',
    '    printf \'%s %s \\n\' "$(stat -c %s "$to")" "$(sha256sum "$to" | cut -d " " -f 1)"',
    '  elif [ -d "$to" ]; then',
    '    echo folder',
    '    cd "$to" && find . -type f -print0 | while IFS= read -r -d "" f; do',
    '      printf \'%s %s %s\\n\' "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d " " -f 1)" "${f#./}"',
    '    done',
    '  else',
    '    echo none',
    '  fi',
    '} | base64 -w 0',
    'echo',
  ].join('\n');
}

function onlyBashScripts(
  target: GuestTarget,
  operation: GuestOperation,
): Extract<GuestOperation, { op: 'runScript' }> {
  if (operation.op !== 'runScript' || operation.shell !== 'bash') {
    const what = operation.op === 'runScript' ? `a ${operation.shell} script` : operation.op;
    throw new ProviderError({
      message: `${target.vm} is a Linux guest: it takes bash scripts only, not ${what}`,
      address: target.vm,
      retryable: false,
      host: target.host,
    });
  }
  return operation;
}

/**
 * Linux guests are reached over SSH from the Hyper-V host with key authentication: only the
 * credential's user name is used (a password is never typed into ssh).
 */
export async function linuxReachable(options: {
  invoke: Invoke;
  target: GuestTarget;
}): Promise<{ reachable: boolean; detail: string }> {
  return options.invoke('Test-LabformLinuxReachable', {
    VMName: options.target.vm,
    UserName: options.target.credential.username,
  });
}

/** The bash test of a probe (undefined for what a Linux guest cannot run). Without a test, the run-once marker says done. */
export function linuxProbeTest(operation: GuestOperation): string | undefined {
  if (operation.op === 'copyFiles') return copyListingScript(operation.to);
  if (operation.op === 'recordRole') return recordProbeScript(operation.address, operation.record);
  if (operation.op === 'forgetRole')
    return `if [ -e ${shellWord(recordPath(operation.address))} ]; then echo false; else echo true; fi`;
  if (operation.op === 'readRoles') return roleListingScript();
  if (operation.op !== 'runScript' || operation.shell !== 'bash') return undefined;
  return operation.test ?? `if [ -f '${markerPath(operation.id)}' ]; then echo true; else echo false; fi`;
}

export async function linuxProbe(options: {
  invoke: Invoke;
  target: GuestTarget;
  operation: GuestOperation;
}): Promise<GuestProbeResult> {
  if (options.operation.op === 'copyFiles') {
    // The guest's listing, compared on the host with its media (one request: the host does both).
    const answer = await options.invoke<{ done: boolean; detail: string }>('Test-LabformLinuxCopy', {
      VMName: options.target.vm,
      UserName: options.target.credential.username,
      From: options.operation.from,
      ListingScript: copyListingScript(options.operation.to),
    });
    return { done: Boolean(answer.done), detail: answer.detail || undefined };
  }
  if (options.operation.op === 'readRoles') {
    const answer = await options.invoke<{ done: boolean; detail: string }>('Read-LabformLinuxRoles', {
      VMName: options.target.vm,
      UserName: options.target.credential.username,
      ListingScript: roleListingScript(),
    });
    return { done: Boolean(answer.done), detail: answer.detail || undefined };
  }
  if (options.operation.op !== 'recordRole' && options.operation.op !== 'forgetRole')
    onlyBashScripts(options.target, options.operation);
  const script = linuxProbeTest(options.operation)!;
  const answer = await options.invoke<{ done: boolean; detail: string }>('Invoke-LabformLinuxScript', {
    VMName: options.target.vm,
    UserName: options.target.credential.username,
    Script: script,
    Probe: true,
  });
  return { done: Boolean(answer.done), detail: answer.detail || undefined };
}

export async function linuxRun(options: {
  invoke: Invoke;
  target: GuestTarget;
  operation: GuestOperation;
}): Promise<{ rebooted: boolean; detail?: string }> {
  if (options.operation.op === 'copyFiles')
    return options.invoke<{ rebooted: boolean; detail?: string }>('Copy-LabformFilesToGuest', {
      VMName: options.target.vm,
      Os: 'linux',
      From: options.operation.from,
      To: options.operation.to,
      UserName: options.target.credential.username,
      ListingScript: copyListingScript(options.operation.to),
    });
  const base = { VMName: options.target.vm, UserName: options.target.credential.username };
  const record = recordOperationScript(options.operation);
  if (record !== undefined) {
    if (record) await options.invoke('Invoke-LabformLinuxScript', { ...base, Script: record });
    return { rebooted: false, detail: `${options.operation.op} in ${options.target.vm}` };
  }
  const op = onlyBashScripts(options.target, options.operation);
  const answer = await options.invoke<{ detail: string }>('Invoke-LabformLinuxScript', {
    ...base,
    Script: op.run,
  });
  if (!op.test) {
    const marker = markerPath(op.id);
    await options.invoke('Invoke-LabformLinuxScript', {
      ...base,
      Script: `mkdir -p /var/lib/labform/scripts && touch '${marker}'`,
    });
  }
  if (op.reboots)
    await options.invoke('Invoke-LabformLinuxScript', {
      ...base,
      Script: 'nohup sh -c "sleep 2; reboot" >/dev/null 2>&1 &',
    });
  return { rebooted: op.reboots, detail: answer.detail };
}

/** The script of a role-record operation ('' for readRoles, which changes nothing); undefined for others. */
function recordOperationScript(operation: GuestOperation): string | undefined {
  switch (operation.op) {
    case 'recordRole':
      return recordRoleScript(operation.address, operation.record);
    case 'forgetRole':
      return `rm -f ${shellWord(recordPath(operation.address))}`;
    case 'readRoles':
      return '';
    default:
      return undefined;
  }
}
