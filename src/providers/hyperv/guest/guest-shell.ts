import type { PowerShellSession } from '../../../powershell/session.js';
import type { GuestOutput } from '../../guest-shell.js';
import type { GuestShell } from '../../provider.js';
import type { GuestTarget } from '../../provider.js';
import { InternalError } from '../../../errors.js';

/** Windows guests take the credential (PowerShell Direct); Linux ones the user name (ssh keys). */
function who(target: GuestTarget): Record<string, unknown> {
  return target.os === 'linux' ? { UserName: target.credential.username } : { Credential: target.credential };
}

/**
 * `labform exec` and `labform cp` on real Hyper-V, through the host's session
 * (scripts/host-guest-shell.ps1). The command's output comes back when it ends: the session
 * answers each request once, so lines reach `onOutput` then, in the order the guest wrote them.
 */
export function createGuestShell(options: { sessionFor: (host: string) => Promise<PowerShellSession>; timeoutMs?: number }): GuestShell {
  const timeoutMs = options.timeoutMs ?? 60 * 60_000;
  return {
    async execGuest(target, command, context, onOutput) {
      const session = await options.sessionFor(target.host);
      const answer = await session.invoke<{ exitCode: number; output: GuestOutput[] | null }>({
        command: 'Invoke-LabformGuestExec',
        parameters: { VMName: target.vm, Os: target.os, Command: command, ...who(target) },
        timeoutMs,
        // A command may change the guest: never re-sent.
        safeToRetry: false,
        address: context.address,
      });
      for (const line of answer.output ?? []) onOutput({ stream: line.stream === 'stderr' ? 'stderr' : 'stdout', text: String(line.text ?? '') });
      if (typeof answer.exitCode !== 'number') throw new InternalError(`exec in ${target.vm} answered no exit code`);
      return { exitCode: answer.exitCode };
    },

    async copyToGuest(target, file, context) {
      const session = await options.sessionFor(target.host);
      return session.invoke<{ path: string }>({
        command: 'Copy-LabformToGuest',
        parameters: { VMName: target.vm, Os: target.os, FileName: file.fileName, Content: file.content.toString('base64'), Destination: file.destination, ...who(target) },
        timeoutMs,
        safeToRetry: true,
        address: context.address,
      });
    },

    async copyFromGuest(target, source, context) {
      const session = await options.sessionFor(target.host);
      const answer = await session.invoke<{ content: string }>({
        command: 'Copy-LabformFromGuest',
        parameters: { VMName: target.vm, Os: target.os, Source: source, ...who(target) },
        timeoutMs,
        safeToRetry: true,
        address: context.address,
      });
      return Buffer.from(answer.content ?? '', 'base64');
    },
  };
}
