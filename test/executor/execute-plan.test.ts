import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import type { ExecutorEvent } from '../../src/executor/events.js';
import { memoryJournal } from '../../src/executor/journal.js';
import type { Step } from '../../src/plan/plan.js';
import {
  FakeProvider,
  SECRET_VALUE,
  fakeCredentials,
  fatal,
  transient,
  type FakeScript,
} from '../support/fake-provider.js';
import { createVm, guestStep, hostStep, startVm, waitStep } from '../support/steps.js';
import { REBOOT_STABLE_POLLS } from '../../src/executor/run-step.js';

function run(
  steps: Step[],
  script: FakeScript = {},
  extra: { parallelism?: number; perHostParallelism?: number; signal?: AbortSignal } = {},
) {
  const clock = new VirtualClock();
  const provider = new FakeProvider(clock, script);
  const events: ExecutorEvent[] = [];
  const journal = memoryJournal();
  const promise = executePlan({
    plan: { lab: 'test', steps },
    provider,
    credentials: fakeCredentials(),
    clock,
    parallelism: extra.parallelism ?? 8,
    perHostParallelism: extra.perHostParallelism ?? 4,
    signal: extra.signal,
    journal,
    onEvent: (e) => events.push(e),
  });
  return { clock, provider, events, journal, promise };
}

const independentVms = (n: number, hosts: string[]) =>
  Array.from({ length: n }, (_, i) =>
    hostStep(`vm.vm${i}/create`, createVm(`vm${i}`), { host: hosts[i % hosts.length] }),
  );

describe('executePlan scheduling', () => {
  it('runs independent steps side by side up to the lab-wide limit', async () => {
    const { provider, promise } = run(
      independentVms(10, ['hv01', 'hv02', 'hv03']),
      { durations: { createVm: 10_000 } },
      { parallelism: 3, perHostParallelism: 4 },
    );
    const result = await promise;
    expect(provider.maxRunning).toBe(3);
    expect(result.counts.done).toBe(10);
    // 10 steps of 10s, 3 at a time: 4 rounds.
    expect(result.makespanMs).toBe(40_000);
    expect(result.sequentialMs).toBe(100_000);
  });

  it('respects the per-host limit', async () => {
    const { provider, promise } = run(
      independentVms(8, ['hv01', 'hv02']),
      { durations: { createVm: 5000 } },
      { parallelism: 8, perHostParallelism: 2 },
    );
    await promise;
    expect(provider.maxPerHost.get('hv01')).toBe(2);
    expect(provider.maxPerHost.get('hv02')).toBe(2);
    expect(provider.maxRunning).toBe(4);
  });

  it('lets waits poll side by side without taking the host slots that real work needs', async () => {
    const flap = ['NoContact', 'NoContact', 'NoContact', 'OK', 'OK', 'OK'] as const;
    const waits = (n: number) =>
      Array.from({ length: n }, (_, i) => waitStep(`vm.w${i}/wait-heartbeat`, 'heartbeat', `w${i}`));
    const heartbeats = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`w${i}`, [...flap]]));
    const one = await run(waits(1), { heartbeats: heartbeats(1) }, { parallelism: 1, perHostParallelism: 1 })
      .promise;
    const four = await run(waits(4), { heartbeats: heartbeats(4) }, { parallelism: 1, perHostParallelism: 1 })
      .promise;
    expect(four.counts.done).toBe(4);
    expect(four.makespanMs).toBe(one.makespanMs);
  });

  it('starts a step only after its dependencies finished', async () => {
    const steps = [
      hostStep('vm.a/create', createVm('a')),
      hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
      hostStep('vm.b/create', createVm('b')),
    ];
    const { provider, promise } = run(steps, { durations: { createVm: 3000, startVm: 1000 } });
    const result = await promise;
    const create = provider.calls.find((c) => c.key === 'createVm:a')!;
    const start = provider.calls.find((c) => c.key === 'startVm:a')!;
    expect(start.start).toBeGreaterThanOrEqual(create.end!);
    expect(result.makespanMs).toBe(4000);
    expect(result.criticalPath.steps).toEqual(['vm.a/create', 'vm.a/start']);
    expect(result.criticalPath.ms).toBe(4000);
  });

  it("hands a freed slot to the step on the longest remaining chain, the finishing step's own dependent included", async () => {
    // One slot on hv01. vm.a's chain (create, then a long start) is the critical one; two short
    // independent creates are ready from the start. When vm.a/create ends, its start (remaining
    // chain 31 s by the estimates) must get the slot before the short creates (1 s each) that
    // were already waiting for it.
    const steps = [
      { ...hostStep('vm.a/create', createVm('a')), estimateS: 2 },
      { ...hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }), estimateS: 30 },
      { ...hostStep('vm.b/create', createVm('b')), estimateS: 1 },
      { ...hostStep('vm.c/create', createVm('c')), estimateS: 1 },
    ];
    const { provider, promise } = run(
      steps,
      { durations: { 'createVm:a': 2000, startVm: 30_000, 'createVm:b': 1000, 'createVm:c': 1000 } },
      { parallelism: 8, perHostParallelism: 1 },
    );
    const result = await promise;
    expect(provider.calls.filter((c) => c.kind === 'run').map((c) => c.key)).toEqual([
      'createVm:a',
      'startVm:a',
      'createVm:b',
      'createVm:c',
    ]);
    expect(result.criticalPath.ms).toBe(32_000);
    expect(result.makespanMs).toBe(34_000);
  });

  it('breaks ties between equally ranked steps by plan order', async () => {
    const steps = ['c', 'a', 'b'].map((n) => ({ ...hostStep(`vm.${n}/create`, createVm(n)), estimateS: 5 }));
    const { provider, promise } = run(steps, {}, { parallelism: 1, perHostParallelism: 1 });
    await promise;
    expect(provider.calls.map((c) => c.key)).toEqual(['createVm:c', 'createVm:a', 'createVm:b']);
  });

  it('refuses a cycle', async () => {
    const steps = [
      hostStep('a/x', startVm('a'), { dependsOn: ['b/x'] }),
      hostStep('b/x', startVm('b'), { dependsOn: ['a/x'] }),
    ];
    await expect(run(steps).promise).rejects.toThrow(/cycle/);
  });
});

describe('executePlan failures', () => {
  const chain = () => [
    hostStep('vm.a/create', createVm('a')),
    hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
    waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/start'] }),
    hostStep('vm.b/create', createVm('b')),
    hostStep('vm.b/start', startVm('b'), { dependsOn: ['vm.b/create'] }),
  ];

  it('skips the dependents of a failed step, finishes independent branches, names only root causes', async () => {
    const { promise, provider } = run(chain(), {
      failures: { 'createVm:a': [fatal('the VM folder is not writable')] },
    });
    const result = await promise;
    const outcome = Object.fromEntries(result.steps.map((s) => [s.id, s.outcome]));
    expect(outcome).toEqual({
      'vm.a/create': 'failed',
      'vm.a/start': 'skipped-dependency',
      'vm.a/wait-heartbeat': 'skipped-dependency',
      'vm.b/create': 'done',
      'vm.b/start': 'done',
    });
    expect(result.rootCauses.map((r) => r.id)).toEqual(['vm.a/create']);
    expect(result.steps.find((s) => s.id === 'vm.a/wait-heartbeat')!.blockedBy).toEqual(['vm.a/create']);
    expect(provider.runKeys()).not.toContain('startVm:a');
  });

  it('retries a retryable provider error with backoff and records the attempts', async () => {
    const { promise, events } = run(chain(), {
      failures: { 'createVm:a': [transient(), transient()] },
      durations: { createVm: 1000 },
    });
    const result = await promise;
    const create = result.steps.find((s) => s.id === 'vm.a/create')!;
    expect(create.outcome).toBe('done');
    expect(create.attempts).toBe(3);
    expect(result.retries).toBe(2);
    const retries = events.filter((e) => e.type === 'step-retry');
    expect(retries.map((e) => (e.type === 'step-retry' ? e.delayMs : 0))).toEqual([2000, 4000]);
    // 3 attempts of 1s plus 2s and 4s of backoff.
    expect(create.durationMs).toBe(9000);
  });

  it('fails a step at once on a fatal error (no retry)', async () => {
    const { promise, provider } = run(chain(), { failures: { 'createVm:a': [fatal()] } });
    const result = await promise;
    expect(result.steps.find((s) => s.id === 'vm.a/create')!.attempts).toBe(1);
    expect(provider.calls.filter((c) => c.key === 'createVm:a')).toHaveLength(1);
  });

  it('gives up after the retry cap', async () => {
    const { promise } = run(chain(), {
      failures: { 'createVm:a': Array.from({ length: 10 }, () => transient()) },
    });
    const result = await promise;
    const create = result.steps.find((s) => s.id === 'vm.a/create')!;
    expect(create.outcome).toBe('failed');
    expect(create.attempts).toBe(5);
    expect(create.error?.retryable).toBe(true);
  });

  it('bounds a step by its timeout', async () => {
    const steps = [hostStep('vm.a/create', createVm('a'), { timeoutMs: 60_000 })];
    const { promise } = run(steps, { durations: { createVm: 3_600_000 } });
    const result = await promise;
    expect(result.steps[0]!.outcome).toBe('failed');
    expect(result.steps[0]!.error?.message).toBe('gave up waiting for "vm.a/create" to finish after 1m');
    expect(result.steps[0]!.durationMs).toBe(60_000);
  });

  it('keeps secrets out of error messages', async () => {
    const { promise } = run([hostStep('vm.a/create', createVm('a'))], {
      failures: { 'createVm:a': [fatal(`bad password ${SECRET_VALUE}`)] },
    });
    const result = await promise;
    expect(result.steps[0]!.error?.message).toBe('bad password (sensitive)');
  });
});

describe('executePlan guest steps', () => {
  const op = { op: 'setComputerName', computerName: 'DC01' } as const;

  it('skips a guest operation the probe says is done', async () => {
    const { promise, provider } = run([guestStep('vm.dc01/rename', 'dc01', op)], {
      guestDone: ['setComputerName:dc01'],
    });
    const result = await promise;
    expect(result.steps[0]!.outcome).toBe('skipped-done');
    expect(provider.calls.some((c) => c.kind === 'runGuest')).toBe(false);
  });

  it('waits for a stable heartbeat and PowerShell Direct (with the reboot credential) after a reboot', async () => {
    const { promise, provider } = run(
      [
        guestStep('role.dc01.domainController/createForest', 'dc01', op, {
          rebootCredential: 'domain-admin',
        }),
      ],
      {
        guestReboots: ['setComputerName:dc01'],
        heartbeats: { dc01: ['NoContact', 'OK', 'NoContact', 'OK', 'OK', 'OK'] },
        reachable: { 'dc01:domain-admin': [false, true] },
      },
    );
    const result = await promise;
    expect(result.steps[0]!.outcome).toBe('done');
    const after = provider.calls.filter((c) => c.kind === 'heartbeat' || c.kind === 'guestReachable');
    // NoContact, OK (a flap resets the count), NoContact, then REBOOT_STABLE_POLLS OKs in a row.
    expect(after.filter((c) => c.kind === 'heartbeat')).toHaveLength(3 + REBOOT_STABLE_POLLS);
    expect(after.filter((c) => c.kind === 'guestReachable').map((c) => c.credential)).toEqual([
      'domain-admin',
      'domain-admin',
    ]);
    // PowerShell Direct is tried only after the heartbeat is stable.
    expect(after.findIndex((c) => c.kind === 'guestReachable')).toBe(3 + REBOOT_STABLE_POLLS);
  });

  it('runs an operation that does not reboot without waits', async () => {
    const { promise, provider } = run([guestStep('vm.dc01/rename', 'dc01', op, { probe: false })]);
    await promise;
    expect(provider.calls.map((c) => c.kind)).toEqual(['runGuest']);
  });
});

describe('executePlan journal and events', () => {
  it('journals every start and end, failures included, with no secrets', async () => {
    const steps = [
      hostStep('vm.a/create', createVm('a')),
      hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
      hostStep('vm.b/create', createVm('b')),
    ];
    const { promise, journal } = run(steps, { failures: { 'createVm:b': [fatal(`no ${SECRET_VALUE}`)] } });
    await promise;
    const lines = journal.lines.map(
      (l) => `${l.event}${'id' in l ? ` ${l.id}` : ''}${'outcome' in l ? ` ${l.outcome}` : ''}`,
    );
    expect(lines[0]).toBe('run-start');
    expect(lines.at(-1)).toBe('run-end');
    expect(lines).toContain('step-start vm.a/create');
    expect(lines).toContain('step-end vm.a/create done');
    expect(lines).toContain('step-end vm.b/create failed');
    expect(lines.indexOf('step-start vm.a/start')).toBeGreaterThan(
      lines.indexOf('step-end vm.a/create done'),
    );
    expect(JSON.stringify(journal.lines)).not.toContain(SECRET_VALUE);
  });

  it('emits start, progress and end events', async () => {
    const { promise, events } = run([waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { stablePolls: 2 })], {
      heartbeats: { a: ['NoContact', 'OK', 'OK'] },
    });
    await promise;
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-start');
    expect(types.filter((t) => t === 'step-progress')).toHaveLength(3);
    expect(types.at(-1)).toBe('run-end');
    const progress = events.find((e) => e.type === 'step-progress');
    expect(progress && progress.type === 'step-progress' && progress.waitingFor).toBe(
      'the heartbeat of a on hv01',
    );
  });
});

describe('executePlan interruption', () => {
  it('stops starting new steps, lets running ones finish, and keeps the journal consistent', async () => {
    const controller = new AbortController();
    const steps = [
      hostStep('vm.a/create', createVm('a')),
      hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
      waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/start'] }),
    ];
    const { promise, clock, journal } = run(
      steps,
      { durations: { createVm: 10_000 } },
      { signal: controller.signal },
    );
    await clock.sleep(5000);
    controller.abort();
    const result = await promise;
    expect(result.interrupted).toBe(true);
    expect(result.steps.map((s) => s.outcome)).toEqual(['done', 'cancelled', 'cancelled']);
    const started = journal.lines.filter((l) => l.event === 'step-start').map((l) => ('id' in l ? l.id : ''));
    const ended = journal.lines.filter((l) => l.event === 'step-end').map((l) => ('id' in l ? l.id : ''));
    expect(started).toEqual(['vm.a/create']);
    expect(ended).toEqual(['vm.a/create']);
    expect(journal.lines.at(-1)).toMatchObject({ event: 'run-end', interrupted: true });
  });

  it('aborts a running wait', async () => {
    const controller = new AbortController();
    const { promise, clock } = run(
      [waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a')],
      { heartbeats: { a: ['NoContact'] } },
      { signal: controller.signal },
    );
    await clock.sleep(30_000);
    controller.abort();
    const result = await promise;
    expect(result.steps[0]!.outcome).toBe('cancelled');
    expect(result.rootCauses).toEqual([]);
  });
});
