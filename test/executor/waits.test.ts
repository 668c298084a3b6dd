import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { waitUntil, type WaitRequest } from '../../src/executor/waits.js';
import { WaitTimeoutError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import {
  FakeProvider,
  fakeCredentials,
  fatal,
  transient,
  type FakeScript,
} from '../support/fake-provider.js';

function wait(request: Partial<WaitRequest> & Pick<WaitRequest, 'wait'>, script: FakeScript) {
  const clock = new VirtualClock();
  const provider = new FakeProvider(clock, script);
  const promise = waitUntil(
    {
      host: 'hv01',
      vm: 'dc01',
      os: 'windows',
      address: 'vm.dc01',
      credential: 'lab-admin',
      timeoutMs: 600_000,
      ...request,
    },
    { provider, clock, credentials: fakeCredentials(), logger: silentLogger },
  );
  return { clock, provider, promise };
}

async function timeoutOf(promise: Promise<unknown>): Promise<WaitTimeoutError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WaitTimeoutError);
  return error as WaitTimeoutError;
}

describe('waits', () => {
  it('heartbeat: says what it waited for, what it last saw and for how long', async () => {
    const { promise } = wait({ wait: 'heartbeat' }, { heartbeats: { dc01: ['NoContact'] } });
    const error = await timeoutOf(promise);
    expect(error.message).toBe(
      'gave up waiting for the heartbeat of dc01 on hv01 after 10m: last status NoContact (OK 0 of 3 polls)',
    );
    expect(error.waitedMs).toBe(600_000);
    expect(error.address).toBe('vm.dc01');
  });

  it('heartbeat: a flap resets the stable count', async () => {
    const { promise, provider } = wait(
      { wait: 'heartbeat', stablePolls: 3 },
      { heartbeats: { dc01: ['OK', 'OK', 'NoContact', 'OK', 'OK', 'OK'] } },
    );
    await promise;
    expect(provider.calls.filter((c) => c.kind === 'heartbeat')).toHaveLength(6);
  });

  it('heartbeat: a timeout while counting reports the partial count', async () => {
    const { promise } = wait(
      { wait: 'heartbeat', timeoutMs: 60_000 },
      { heartbeats: { dc01: Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 'NoContact' : 'OK')) } },
    );
    const error = await timeoutOf(promise);
    expect(error.message).toMatch(
      /^gave up waiting for the heartbeat of dc01 on hv01 after 1m: last status (OK \(OK [12]|NoContact \(OK 0) of 3 polls\)$/,
    );
  });

  it('PowerShell Direct: names the credential', async () => {
    const { promise } = wait(
      { wait: 'powershellDirect', timeoutMs: 300_000 },
      { reachable: { dc01: [false] } },
    );
    const error = await timeoutOf(promise);
    expect(error.message).toBe(
      'gave up waiting for PowerShell Direct into dc01 on hv01 as lab-admin after 5m: last attempt: not answering',
    );
  });

  it('Active Directory', async () => {
    const { promise } = wait({ wait: 'adReady', timeoutMs: 1_200_000 }, { adReady: { dc01: [false] } });
    const error = await timeoutOf(promise);
    expect(error.message).toBe(
      'gave up waiting for Active Directory on dc01 on hv01 after 20m: last check: not answering yet',
    );
  });

  it('SSH for a Linux guest', async () => {
    const { promise } = wait(
      { wait: 'powershellDirect', os: 'linux', timeoutMs: 90_000 },
      { reachable: { dc01: [false] } },
    );
    const error = await timeoutOf(promise);
    expect(error.message).toBe(
      'gave up waiting for SSH into dc01 on hv01 as lab-admin after 1m30s: last attempt: not answering',
    );
  });

  it('polls with backoff', async () => {
    const { promise, provider } = wait(
      { wait: 'adReady', timeoutMs: 120_000 },
      { adReady: { dc01: [false] } },
    );
    await timeoutOf(promise);
    const times = provider.calls.map((c) => c.start);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.slice(0, 4)).toEqual([2000, 3000, 4500, 6750]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10_000);
    expect(times.at(-1)).toBe(120_000);
  });

  it('treats a retryable poll failure as not yet, a fatal one as an error', async () => {
    const ok = wait(
      { wait: 'heartbeat', stablePolls: 1 },
      { failures: { 'heartbeat:dc01': [transient('WMI busy')] } },
    );
    await expect(ok.promise).resolves.toContain('OK 1 of 1');
    const bad = wait({ wait: 'heartbeat' }, { failures: { 'heartbeat:dc01': [fatal('VM dc01 not found')] } });
    await expect(bad.promise).rejects.toThrow('VM dc01 not found');
  });
});
