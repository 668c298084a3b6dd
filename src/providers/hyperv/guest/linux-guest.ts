import type { GuestOperation, GuestProbeResult } from '../../../model/guest-operation.js';
import type { GuestTarget } from '../../call-context.js';
import { ProviderError } from '../../../errors.js';

/** Calls a function of the host's session (bound to the target's host by the runner). */
type Invoke = <T>(command: string, parameters: Record<string, unknown>) => Promise<T>;

/** A script id as a file name: nothing but letters, digits, dot, dash and underscore. */
function markerPath(id: string): string {
  return `/var/lib/labform/scripts/${id.replace(/[^A-Za-z0-9._-]/g, '_')}.done`;
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
  if (operation.op !== 'runScript' || operation.shell !== 'bash') return undefined;
  return operation.test ?? `if [ -f '${markerPath(operation.id)}' ]; then echo true; else echo false; fi`;
}

export async function linuxProbe(options: {
  invoke: Invoke;
  target: GuestTarget;
  operation: GuestOperation;
}): Promise<GuestProbeResult> {
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
  const op = onlyBashScripts(options.target, options.operation);
  const base = { VMName: options.target.vm, UserName: options.target.credential.username };
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
