import type { Clock } from '../clock/clock.js';
import { isCredentialRefusal } from '../providers/credential-refused.js';
import { InternalError, WaitTimeoutError } from '../errors.js';
import type { WaitKind } from '../model/wait.js';
import type { CallContext, GuestTarget } from '../providers/call-context.js';
import type { Provider } from '../providers/provider.js';
import type { CredentialResolver } from '../secrets/secret.js';
import type { Logger } from '../log/logger.js';
import { isRetryable } from './retry.js';
import { formatDuration } from './duration.js';
import { waitSubject } from '../plan/step-titles.js';

export interface WaitPolling {
  /** First pause between polls (clock ms). */
  initialDelayMs: number;
  /** Backoff cap. */
  maxDelayMs: number;
  factor: number;
  /** Pause between polls while counting a stable heartbeat. */
  stableIntervalMs: number;
}

export const DEFAULT_POLLING: WaitPolling = {
  initialDelayMs: 2000,
  maxDelayMs: 10_000,
  factor: 1.5,
  stableIntervalMs: 5000,
};
export const DEFAULT_STABLE_POLLS = 3;

export interface WaitRequest {
  wait: WaitKind;
  host: string;
  vm: string;
  os: 'windows' | 'linux';
  address: string;
  credential?: string;
  /** Tried when the guest refuses `credential` (a re-run on a DC whose local accounts are gone). */
  alternateCredential?: string;
  stablePolls?: number;
  timeoutMs: number;
}

export interface WaitEnv {
  provider: Provider;
  clock: Clock;
  credentials: CredentialResolver;
  logger: Logger;
  signal?: AbortSignal;
  polling?: Partial<WaitPolling>;
  onProgress?: (waitingFor: string, lastSeen: string) => void;
}

/** "the heartbeat of dc01 on hv01": what a wait waits for, for progress lines and errors. */
export function describeWait(
  request: Pick<WaitRequest, 'wait' | 'vm' | 'host' | 'os' | 'credential'>,
): string {
  const as = request.wait === 'powershellDirect' && request.credential ? ` as ${request.credential}` : '';
  return `${waitSubject(request.wait, request.vm, request.os)} on ${request.host}${as}`;
}

/**
 * Polls until the condition holds, with backoff, or throws WaitTimeoutError saying what it
 * waited for, what it last saw and for how long. Heartbeat counts only when OK for
 * `stablePolls` polls in a row, because role installs reboot and flap it.
 */
export async function waitUntil(request: WaitRequest, env: WaitEnv): Promise<string> {
  const polling = { ...DEFAULT_POLLING, ...env.polling };
  const stablePolls = request.stablePolls ?? DEFAULT_STABLE_POLLS;
  const waitingFor = describeWait(request);
  const context: CallContext = { address: request.address, credentials: env.credentials, signal: env.signal };
  const target = (): GuestTarget => {
    if (!request.credential)
      throw new InternalError(`the ${request.wait} wait for ${request.vm} names no credential`);
    return {
      host: request.host,
      vm: request.vm,
      os: request.os,
      credential: env.credentials.get(request.credential),
    };
  };
  const start = env.clock.now();
  let delay = polling.initialDelayMs;
  let okCount = 0;
  let lastSeen = 'nothing yet';
  let polls = 0;
  for (;;) {
    let satisfied = false;
    polls++;
    try {
      if (request.wait === 'heartbeat') {
        const status = await env.provider.heartbeat(request.host, request.vm, context);
        okCount = status === 'OK' ? okCount + 1 : 0;
        lastSeen = `last status ${status} (OK ${okCount} of ${stablePolls} polls)`;
        satisfied = okCount >= stablePolls;
      } else if (request.wait === 'powershellDirect') {
        try {
          satisfied = await env.provider.guestReachable(target(), context);
        } catch (error) {
          // A refused credential ends the wait at once (not retryable), unless another may be tried.
          if (!isCredentialRefusal(error) || !request.alternateCredential) throw error;
          satisfied = await env.provider.guestReachable(
            { ...target(), credential: env.credentials.get(request.alternateCredential) },
            context,
          );
        }
        lastSeen = satisfied ? 'answering' : 'last attempt: not answering';
      } else {
        satisfied = await env.provider.adReady(target(), context);
        lastSeen = satisfied ? 'answering' : 'last check: not answering yet';
      }
    } catch (error) {
      // A retryable failure of a poll is just another "not yet"; anything else is a real error.
      if (!isRetryable(error)) throw error;
      okCount = 0;
      lastSeen = `last poll failed: ${(error as Error).message}`;
    }
    env.logger.debug(
      { wait: request.wait, vm: request.vm, host: request.host, poll: polls, lastSeen, satisfied },
      'wait poll',
    );
    env.onProgress?.(waitingFor, lastSeen);
    if (satisfied) return lastSeen;
    const elapsed = env.clock.now() - start;
    if (elapsed >= request.timeoutMs) {
      throw new WaitTimeoutError(
        `gave up waiting for ${waitingFor} after ${formatDuration(elapsed)}: ${lastSeen}`,
        request.address,
        waitingFor,
        lastSeen,
        elapsed,
      );
    }
    const pause = okCount > 0 ? polling.stableIntervalMs : delay;
    await env.clock.sleep(Math.min(pause, request.timeoutMs - elapsed), env.signal);
    if (okCount === 0) delay = Math.min(polling.maxDelayMs, delay * polling.factor);
  }
}
