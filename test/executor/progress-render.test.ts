import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import type { ExecuteResult } from '../../src/executor/events.js';
import { createLineProgress } from '../../src/render/progress-lines.js';
import { createLiveProgress } from '../../src/render/progress-live.js';
import { formatSummary } from '../../src/render/summary.js';
import { FakeProvider, SECRET_VALUE, fakeCredentials, fatal } from '../support/fake-provider.js';
import { createVm, hostStep, startVm, waitStep } from '../support/steps.js';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
}

const steps = () => [
  hostStep('vm.a/create', createVm('a')),
  hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
  waitStep('vm.a/wait-heartbeat', 'heartbeat', 'a', { dependsOn: ['vm.a/start'] }),
  hostStep('vm.b/create', createVm('b')),
  hostStep('vm.b/start', startVm('b'), { dependsOn: ['vm.b/create'] }),
];

async function runWith(
  onEvent: Parameters<typeof executePlan>[0]['onEvent'],
  failures: Record<string, Error[]> = {},
): Promise<ExecuteResult> {
  const clock = new VirtualClock();
  return executePlan({
    plan: { lab: 'demo', steps: steps() },
    provider: new FakeProvider(clock, { failures, durations: { createVm: 30_000 } }),
    credentials: fakeCredentials(),
    clock,
    parallelism: 4,
    perHostParallelism: 4,
    onEvent,
  });
}

describe('line progress (no terminal)', () => {
  it('writes one timestamped line per step start and end', async () => {
    const { out, text } = capture();
    await runWith(createLineProgress({ out, wallTime: () => new Date('2026-01-01T12:34:56Z') }));
    const lines = text().trim().split('\n');
    expect(lines[0]).toBe('12:34:56 starting 5 steps');
    expect(lines).toContain('12:34:56 start   vm.a/create [hv01]');
    expect(lines).toContain('12:34:56 done    vm.a/create in 30s (1/5)');
    expect(lines.filter((l) => / start /.test(l))).toHaveLength(5);
    expect(lines.filter((l) => / done /.test(l))).toHaveLength(5);
  });
});

describe('live progress (terminal)', () => {
  it('shows finished steps, a count and the slowest steps, and erases its block at the end', async () => {
    const { out, text } = capture();
    const clock = new VirtualClock();
    const live = createLiveProgress({ out, clock, color: false, columns: 200, intervalMs: 1_000_000 });
    await executePlan({
      plan: { lab: 'demo', steps: steps() },
      provider: new FakeProvider(clock, { durations: { createVm: 30_000 } }),
      credentials: fakeCredentials(),
      clock,
      parallelism: 4,
      perHostParallelism: 4,
      onEvent: live.listener,
    });
    live.stop();
    const t = text();
    expect(t).toContain('✓ vm.a/create 30s');
    expect(t).toMatch(/5\/5 steps finished, 0 running · slowest: vm\.a\/create 30s/);
    expect(t).toContain('⠋ vm.a/create [hv01]');
    expect(t).toContain('\u001b[');
  });
});

describe('summary', () => {
  it('names root causes, then the steps skipped because of them', async () => {
    const result = await runWith(undefined, {
      'createVm:a': [fatal(`cannot create VM a (password ${SECRET_VALUE})`)],
    });
    const text = formatSummary(result, { verb: 'Apply', command: 'apply' });
    expect(text).toContain('Apply failed after 31s: 2 done, 1 failed, 2 skipped because of a failure.');
    expect(text).toContain('Root cause:\n  vm.a/create [hv01]: cannot create VM a (password (sensitive))');
    expect(text).toContain('\nSkipped because of it: vm.a/start; vm.a/wait-heartbeat.\n');
    expect(text).not.toContain(SECRET_VALUE);
  });

  it('reports total time and the critical path on success', async () => {
    const result = await runWith(undefined);
    const text = formatSummary(result, { verb: 'Apply', command: 'apply' });
    expect(text.split('\n')[0]).toBe(`Apply complete in ${result.makespanMs / 1000}s: 5 done.`);
    expect(text).toMatch(/Critical path 41s \(3 steps\); 1m12s of step time in all\./);
    expect(formatSummary(result, { verb: 'Apply', command: 'apply', simulated: true }).split('\n')[0]).toBe(
      `Apply complete in ${result.makespanMs / 1000}s of simulated time: 5 done.`,
    );
  });
});

describe('live progress clipping', () => {
  it('clips long lines by visible width without cutting colour codes', async () => {
    const { out, text } = capture();
    const clock = new VirtualClock();
    const live = createLiveProgress({ out, clock, color: true, columns: 30, intervalMs: 1_000_000 });
    await executePlan({
      plan: { lab: 'demo', steps: [hostStep('vm.a-very-long-virtual-machine-name/create', createVm('a'))] },
      provider: new FakeProvider(clock),
      credentials: fakeCredentials(),
      clock,
      parallelism: 1,
      perHostParallelism: 1,
      onEvent: live.listener,
    });
    live.stop();
    for (const line of text().split('\n')) {
      const plain = line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
      expect(plain.length).toBeLessThanOrEqual(29);
    }
    expect(text()).toContain('✓ vm.a-very-long-virtual-mac…');
  });
});
