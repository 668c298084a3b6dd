import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { createLineProgress } from '../../src/render/progress-lines.js';
import { createLiveProgress } from '../../src/render/progress-live.js';
import { FakeProvider, fakeCredentials, fatal } from '../support/fake-provider.js';
import { createVm, hostStep, startVm, waitStep } from '../support/steps.js';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
}

/** Clock seconds of an `(elapsed)` suffix like `(1m5s)`. */
function seconds(text: string): number {
  const m = /\((?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?\)$/.exec(text)!;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

describe('progress people can follow', () => {
  it('without a terminal, a long wait says what it still waits for, at least every 30 s of the run clock', async () => {
    const clock = new VirtualClock();
    const { out, text } = capture();
    // The heartbeat stays away for a while: about 40 polls of NoContact, then OK.
    const heartbeats = { a: [...Array<'NoContact'>(40).fill('NoContact'), 'OK' as const] };
    const steps = [
      hostStep('vm.a/start', startVm('a')),
      waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/start'] }),
    ];
    const result = await executePlan({
      plan: { lab: 'demo', steps },
      provider: new FakeProvider(clock, { heartbeats }),
      credentials: fakeCredentials(),
      clock,
      parallelism: 2,
      perHostParallelism: 2,
      onEvent: createLineProgress({ out, wallTime: () => new Date('2026-01-01T12:00:00Z') }),
    });
    expect(result.rootCauses).toEqual([]);
    const still = text()
      .split('\n')
      .filter((l) => l.includes('still waiting'));
    expect(still.length).toBeGreaterThan(5);
    expect(still[0]).toMatch(
      /^12:00:00 still waiting for the heartbeat of a on hv01: last saw status NoContact \(OK 0 of 3 polls\) \(\d+s\)$/,
    );
    const times = [0, ...still.map(seconds)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(30);
  });

  it('after a failure, each skipped step is named with the step it needed', async () => {
    const clock = new VirtualClock();
    const { out, text } = capture();
    const steps = [
      hostStep('vm.a/create', createVm('a')),
      hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
      waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/start'] }),
    ];
    await executePlan({
      plan: { lab: 'demo', steps },
      provider: new FakeProvider(clock, { failures: { 'createVm:a': [fatal('no room')] } }),
      credentials: fakeCredentials(),
      clock,
      parallelism: 2,
      perHostParallelism: 2,
      onEvent: createLineProgress({ out }),
    });
    expect(text()).toMatch(/skipped vm\.a\/start: it needs vm\.a\/create, which failed\n/);
    expect(text()).toMatch(/skipped vm\.a\/wait-heartbeat: it needs vm\.a\/create, which failed\n/);
  });

  it('the live view shows what is blocked on each running step, and what is queued for a slot', async () => {
    const clock = new VirtualClock();
    const { out, text } = capture();
    const live = createLiveProgress({ out, clock, color: false, columns: 200, intervalMs: 1_000_000 });
    const steps = [
      hostStep('vm.a/create', createVm('a')),
      hostStep('vm.b/create', createVm('b')),
      hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
      waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/start'] }),
    ];
    await executePlan({
      plan: { lab: 'demo', steps },
      provider: new FakeProvider(clock, { durations: { createVm: 30_000 } }),
      credentials: fakeCredentials(),
      clock,
      parallelism: 1,
      perHostParallelism: 1,
      onEvent: live.listener,
    });
    live.stop();
    expect(text()).toMatch(/⠋ vm\.a\/create \[hv01\] 0ms · 1 step blocked on it/);
    expect(text()).toContain('2 blocked on steps not finished yet, 1 ready and queued for a host slot');
  });
});
