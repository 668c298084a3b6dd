import type { PowerShellSession } from '../../../powershell/session.js';
import type { GuestOutput } from '../../guest-shell.js';
import type { GuestShell } from '../../provider.js';
import type { GuestTarget } from '../../call-context.js';
import { InternalError, ProviderError } from '../../../errors.js';
import { abortableSleep } from '../../../clock/abortable-sleep.js';

/** Polls of a running command: soon at first (short commands answer at once), then every second. */
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1_000;
const POLL_TIMEOUT_MS = 2 * 60_000;

/** Windows guests take the credential (PowerShell Direct); Linux ones the user name (ssh keys). */
function who(target: GuestTarget): Record<string, unknown> {
  return target.os === 'linux' ? { UserName: target.credential.username } : { Credential: target.credential };
}

/**
 * `labform exec` and `labform cp` on real Hyper-V, through the host's sessions
 * (scripts/host-guest-shell.ps1). A command runs as a job of one PowerShell process of the host
 * (the job table, $script:LabformExecJobs, is that process's own): the stream holds that session
 * from the start to the last poll, so every follow-up reaches the job, and labform passes each
 * batch of lines to `onOutput` as it arrives, in the order the guest wrote them.
 */
export function createGuestShell(options: {
  sessionFor: (host: string) => Promise<PowerShellSession>;
  /** Runs `use` with one session of the host held for it alone (session-pool.ts). */
  holdSession: <T>(host: string, use: (session: PowerShellSession) => Promise<T>) => Promise<T>;
  timeoutMs?: number;
}): GuestShell {
  const timeoutMs = options.timeoutMs ?? 60 * 60_000;
  return {
    execGuest: (target, command, context, onOutput) =>
      options.holdSession(target.host, async (session) => {
        const request = (name: string, parameters: Record<string, unknown>, timeoutMs: number) =>
          // Never re-sent: a start would run the command twice, a receive would lose what it took.
          session.invoke<unknown>({
            command: name,
            parameters,
            timeoutMs,
            safeToRetry: false,
            address: context.address,
          });
        const started = (await request(
          'Start-LabformGuestExec',
          { VMName: target.vm, Os: target.os, Command: command, ...who(target) },
          POLL_TIMEOUT_MS,
        )) as { id: number };
        const deadline = Date.now() + timeoutMs;
        let pause = FIRST_POLL_MS;
        try {
          for (;;) {
            const answer = (await request(
              'Receive-LabformGuestExec',
              { Id: started.id },
              POLL_TIMEOUT_MS,
            )) as {
              done: boolean;
              output: GuestOutput[] | null;
              exitCode?: number;
            };
            for (const line of answer.output ?? [])
              onOutput({
                stream: line.stream === 'stderr' ? 'stderr' : 'stdout',
                text: String(line.text ?? ''),
              });
            if (answer.done) {
              if (typeof answer.exitCode !== 'number')
                throw new InternalError(`exec in ${target.vm} answered no exit code`);
              return { exitCode: answer.exitCode };
            }
            if (Date.now() > deadline) {
              throw new ProviderError({
                message: `the command in ${target.vm} did not end within ${Math.round(timeoutMs / 60_000)} minutes; it was stopped`,
                address: context.address,
                host: target.host,
                retryable: false,
              });
            }
            await abortableSleep(pause, context.signal);
            pause = Math.min(MAX_POLL_MS, pause * 2);
          }
        } catch (error) {
          // Ctrl-C or a timeout: stop the job so nothing keeps running under the session.
          await request('Stop-LabformGuestExec', { Id: started.id }, POLL_TIMEOUT_MS).catch(() => undefined);
          throw error;
        }
      }),

    async copyToGuest(target, file, context) {
      const session = await options.sessionFor(target.host);
      return session.invoke<{ path: string }>({
        command: 'Copy-LabformToGuest',
        parameters: {
          VMName: target.vm,
          Os: target.os,
          FileName: file.fileName,
          Content: file.content.toString('base64'),
          Destination: file.destination,
          ...who(target),
        },
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
