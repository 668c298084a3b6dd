import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { installInterruptHandlers } from '../../src/executor/interrupt.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { FakeProvider, fakeCredentials } from '../support/fake-provider.js';
import { createVm, hostStep, startVm } from '../support/steps.js';

describe('Ctrl-C', () => {
  it('first signal stops new steps, second aborts running ones', async () => {
    const target = new EventEmitter();
    const seen: boolean[] = [];
    const handle = installInterruptHandlers({ target, onInterrupt: (hard) => seen.push(hard) });
    const clock = new VirtualClock();
    const provider = new FakeProvider(clock, { durations: { createVm: 600_000 } });
    const journal = memoryJournal();
    const steps = [
      hostStep('vm.a/create', createVm('a')),
      hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
    ];
    const promise = executePlan({
      plan: { lab: 'demo', steps },
      provider,
      credentials: fakeCredentials(),
      clock,
      parallelism: 4,
      perHostParallelism: 4,
      signal: handle.signal,
      hardSignal: handle.hardSignal,
      journal,
    });
    await clock.sleep(10_000);
    target.emit('SIGINT');
    await clock.sleep(10_000);
    // Still running after the first Ctrl-C: the VM creation is left to finish.
    expect(provider.running).toBe(1);
    target.emit('SIGTERM');
    const result = await promise;
    handle.dispose();
    expect(seen).toEqual([false, true]);
    expect(result.interrupted).toBe(true);
    expect(result.steps.map((s) => s.outcome)).toEqual(['cancelled', 'cancelled']);
    expect(result.steps[0]!.durationMs).toBe(20_000);
    expect(journal.lines.map((l) => l.event)).toEqual(['run-start', 'step-start', 'step-end', 'run-end']);
    expect(target.listenerCount('SIGINT')).toBe(0);
  });
});
