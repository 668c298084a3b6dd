import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { RealClock, type Clock } from '../../src/clock/clock.js';
import type { CommandContext } from '../../src/app/command-context.js';
import { silentLogger } from '../../src/log/logger.js';
import type { Plan, Step } from '../../src/plan/plan.js';
import { acquireLabLock } from '../../src/executor/lock.js';
import { journalPath } from '../../src/executor/journal.js';
import { FakeProvider, fakeCredentials, fatal, type FakeScript } from '../support/fake-provider.js';
import { domainLab, hostWith, liveVm } from '../support/lab-builder.js';
import { createVm, hostStep, startVm } from '../support/steps.js';
import { captureIo, tempDir } from '../support/cli-harness.js';
import { main as runMain } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/io.js';

// The command layer is tested with a scripted provider and a hand-built plan, injected as the
// command context (src/app/command-context.ts); the simulator and the real planner are exercised
// end to end in apply-sim.test.ts.
const state: { ctx?: CommandContext } = {};
const main = (argv: string[], io: CommandIo) => runMain(argv, io, { openContext: async () => state.ctx! });

function plan(steps: Step[], extra: Partial<Plan> = {}): Plan {
  return {
    format: 'labform-plan/1',
    lab: 'demo',
    manifest: { file: '/tmp/demo.yaml', sha256: 'x' },
    createdAt: '2026-01-01T00:00:00Z',
    liveFingerprint: 'x',
    changes: [{ address: 'vm.a', kind: 'vm', action: 'create', requiresStop: false, diff: [] }],
    summary: { create: 1, update: 0, replace: 0, delete: 0, noop: 0 },
    conflicts: [],
    warnings: [],
    steps,
    ...extra,
  };
}

async function setup(
  steps: Step[],
  script: FakeScript = {},
  extra: Partial<Plan> = {},
  clock: Clock = new VirtualClock(),
) {
  const stateDir = await tempDir('labform-apply-');
  // What discovery finds: two of the lab's VMs, and sql01 marked as another lab's.
  const hv01 = hostWith([liveVm('dc01'), liveVm('web01'), liveVm('sql01', { notes: 'labform:lab=other' })]);
  const provider = new FakeProvider(clock, { hosts: { hv01 }, ...script });
  const hand = plan(steps, extra);
  state.ctx = {
    lab: domainLab(),
    stateDir,
    credentials: fakeCredentials(),
    provider,
    clock,
    logger: silentLogger,
    makePlan: async () => ({ plan: hand, live: new Map() }),
  };
  return { stateDir, provider };
}

const twoVms = () => [
  hostStep('vm.a/create', createVm('a')),
  hostStep('vm.a/start', startVm('a'), { dependsOn: ['vm.a/create'] }),
  hostStep('vm.b/create', createVm('b')),
];

beforeEach(() => {
  state.ctx = undefined;
});

describe('labform apply (command layer)', () => {
  it('applies with -y, prints the plan, progress lines and a summary, journals, and closes the provider', async () => {
    const { stateDir, provider } = await setup(twoVms());
    const { io, out } = captureIo();
    expect(await main(['apply', 'demo.yaml', '-y'], io)).toBe(0);
    expect(out.stdout).toContain('+ vm.a');
    expect(out.stdout).toMatch(/start {3}vm\.a\/create \[hv01\]/);
    expect(out.stdout).toContain('Apply complete in');
    expect(provider.runKeys()).toEqual(['createVm:a', 'createVm:b', 'startVm:a']);
    expect(provider.closed).toBe(true);
    const journal = (await readFile(journalPath({ stateDir, lab: 'demo' }), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(journal[0]).toMatchObject({ event: 'run-start', command: 'apply', total: 3 });
    expect(journal.at(-1)).toMatchObject({ event: 'run-end', interrupted: false });
  });

  it('refuses without a terminal and without -y, touching nothing (exit 1)', async () => {
    const { provider } = await setup(twoVms());
    const { io, out } = captureIo();
    expect(await main(['apply', 'demo.yaml'], io)).toBe(1);
    expect(out.stderr).toContain('refusing to apply without confirmation: stdin is not a terminal');
    expect(provider.runKeys()).toEqual([]);
  });

  it('says "No changes." and exits 0 without asking when there is nothing to do', async () => {
    await setup([]);
    const { io, out } = captureIo();
    expect(await main(['apply', 'demo.yaml'], io)).toBe(0);
    expect(out.stdout).toContain('No changes.');
  });

  it('exits 1 before touching anything when the plan has conflicts', async () => {
    const { provider } = await setup(
      twoVms(),
      {},
      {
        conflicts: [
          { address: 'vm.a', host: 'hv01', message: "a VM named a exists and is not marked as this lab's" },
        ],
      },
    );
    const { io, out } = captureIo();
    expect(await main(['apply', 'demo.yaml', '-y'], io)).toBe(1);
    expect(out.stderr).toContain(
      "conflict: vm.a on hv01: a VM named a exists and is not marked as this lab's",
    );
    expect(provider.runKeys()).toEqual([]);
  });

  it('exits 3 when a step fails and names the root cause only', async () => {
    await setup(twoVms(), { failures: { 'createVm:a': [fatal('out of disk space')] } });
    const { io, out } = captureIo();
    expect(await main(['apply', 'demo.yaml', '-y'], io)).toBe(3);
    expect(out.stdout).toContain('Root cause:\n  vm.a/create [hv01]: out of disk space');
  });

  it('exits 4 at once when another command holds the lab, naming it', async () => {
    const { stateDir, provider } = await setup(twoVms());
    const lock = await acquireLabLock({ stateDir, lab: 'demo', command: 'destroy' });
    try {
      const { io, out } = captureIo();
      expect(await main(['apply', 'demo.yaml', '-y'], io)).toBe(4);
      expect(out.stderr).toMatch(
        new RegExp(`error: lab demo is locked by destroy \\(pid ${process.pid} on `),
      );
      expect(provider.runKeys()).toEqual([]);
      expect(provider.closed).toBe(true);
    } finally {
      await lock.release();
    }
  });

  it('rejects a bad --parallelism (exit 1) and honours a good one', async () => {
    const steps = Array.from({ length: 6 }, (_, i) => hostStep(`vm.v${i}/create`, createVm(`v${i}`)));
    // Real (short) time: the file journal's fsyncs are real I/O, which virtual time does not wait for.
    const { provider } = await setup(steps, { durations: { createVm: 40 } }, {}, new RealClock());
    const { io } = captureIo();
    expect(await main(['apply', 'demo.yaml', '-y', '--parallelism', '0'], io)).toBe(1);
    expect(await main(['apply', 'demo.yaml', '-y', '--parallelism', '2'], io)).toBe(0);
    expect(provider.maxRunning).toBe(2);
  });

  it('reports resuming after an interrupted apply', async () => {
    const { stateDir } = await setup(twoVms());
    const { appendFile, mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(journalPath({ stateDir, lab: 'demo' })), { recursive: true });
    const line = (o: object) => `${JSON.stringify({ t: '', run: 'r1', command: 'apply', pid: 1, ...o })}\n`;
    await appendFile(
      journalPath({ stateDir, lab: 'demo' }),
      line({ event: 'run-start', total: 9, at: 0 }) +
        line({ event: 'step-start', id: 's1', at: 0 }) +
        line({ event: 'step-end', id: 's1', outcome: 'done', at: 1 }),
    );
    const { io, out } = captureIo();
    expect(await main(['apply', 'demo.yaml', '-y'], io)).toBe(0);
    expect(out.stderr).toContain('resuming after an interrupted apply (1 step had finished)');
  });
});

describe('labform destroy / checkpoint / restore (command layer)', () => {
  it('destroy asks unless -y', async () => {
    const { provider } = await setup([hostStep('vm.a/remove', { op: 'removeVm', name: 'a' })]);
    const { io, out } = captureIo();
    expect(await main(['destroy', 'demo.yaml'], io)).toBe(1);
    expect(out.stderr).toContain('refusing to destroy without confirmation');
    expect(await main(['destroy', 'demo.yaml', '-y'], io)).toBe(0);
    expect(provider.runKeys()).toEqual(['removeVm:a']);
  });

  it('checkpoint touches only the lab VMs that are ours, in order', async () => {
    const { provider } = await setup([]);
    const { io, out } = captureIo();
    expect(await main(['checkpoint', 'demo.yaml', 'clean'], io)).toBe(1);
    expect(out.stderr).toContain('refusing to stop the lab for a checkpoint without confirmation');
    expect(provider.runKeys()).toEqual([]);
    expect(await main(['checkpoint', 'demo.yaml', 'clean', '-y'], io)).toBe(0);
    const keys = provider.runKeys();
    expect(keys.slice(0, 2)).toEqual(['stopVm:web01', 'stopVm:dc01']);
    expect(keys).toContain('checkpointVm:dc01');
    expect(keys).not.toContain('checkpointVm:sql01');
    expect(keys.indexOf('startVm:dc01')).toBeLessThan(keys.indexOf('startVm:web01'));
    expect(out.stdout).toContain('Checkpoint "clean" complete');
  });

  it('restore refuses a checkpoint that does not exist (exit 1)', async () => {
    await setup([]);
    const { io, out } = captureIo();
    expect(await main(['restore', 'demo.yaml', 'nope', '-y'], io)).toBe(1);
    expect(out.stderr).toContain('checkpoint "nope" does not exist on dc01, web01');
  });
});
