import type { WaitKind } from '../model/wait.js';

/**
 * The one home of the wording of steps that several commands share (apply, destroy,
 * checkpoint, restore): progress lines, summaries, graphs and wait errors all read these, so
 * a VM's start or heartbeat wait is titled the same whichever command runs it.
 */

/** What a wait waits for, without the host: "the heartbeat of dc01", "SSH into lnx1". */
export function waitSubject(kind: WaitKind, vm: string, os: 'windows' | 'linux'): string {
  switch (kind) {
    case 'heartbeat':
      return `the heartbeat of ${vm}`;
    case 'powershellDirect':
      return `${os === 'linux' ? 'SSH' : 'PowerShell Direct'} into ${vm}`;
    case 'adReady':
      return `Active Directory on ${vm}`;
  }
}

/** The id of a VM's wait step under its address: `wait-heartbeat`, `wait-powershell-direct` (Linux: `wait-ssh`), `wait-ad-ready`. */
export function waitStepId(address: string, kind: WaitKind, os: 'windows' | 'linux'): string {
  const name =
    kind === 'heartbeat'
      ? 'heartbeat'
      : kind === 'adReady'
        ? 'ad-ready'
        : os === 'linux'
          ? 'ssh'
          : 'powershell-direct';
  return `${address}/wait-${name}`;
}

export const stepTitle = {
  wait: (kind: WaitKind, vm: string, os: 'windows' | 'linux') => `wait for ${waitSubject(kind, vm, os)}`,
  startVm: (vm: string) => `start VM ${vm}`,
  /** `why`: when the stop is part of a change, e.g. "settings change only while off". */
  stopVm: (vm: string, why?: string) => `stop VM ${vm}${why ? ` (${why})` : ''}`,
  removeVm: (vm: string) => `remove VM ${vm}`,
  checkpointVm: (vm: string, checkpoint: string) => `checkpoint VM ${vm} as "${checkpoint}"`,
  restoreVm: (vm: string, checkpoint: string) => `restore VM ${vm} to "${checkpoint}"`,
  deleteCheckpoint: (vm: string, checkpoint: string) => `delete checkpoint "${checkpoint}" of VM ${vm}`,
};
