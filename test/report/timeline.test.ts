import { describe, expect, it } from 'vitest';
import type { JournalLine } from '../../src/executor/journal.js';
import { timelineOf } from '../../src/render/report/journal-run.js';
import { timelineSvg } from '../../src/render/report/timeline-svg.js';
import { reportHtml } from '../../src/render/report/report-html.js';

const meta = (run: string, command: string) => ({ t: '2026-01-01T10:00:00.000Z', run, command, pid: 1 });

function lines(): JournalLine[] {
  const a = meta('r2', 'apply');
  return [
    { ...meta('r1', 'apply'), event: 'run-start', total: 1, at: 0 },
    { ...meta('r1', 'apply'), event: 'run-end', counts: {}, interrupted: false, at: 10 },
    { ...a, event: 'run-start', total: 4, at: 1000 },
    {
      ...a,
      event: 'step-start',
      id: 'vm.a/create',
      address: 'vm.a',
      host: 'hv01',
      title: 'create VM a',
      at: 1000,
      kind: 'host',
      dependsOn: [],
    },
    { ...a, event: 'step-end', id: 'vm.a/create', outcome: 'done', durationMs: 5000, attempts: 3, at: 6000 },
    {
      ...a,
      event: 'step-start',
      id: 'vm.a/wait-heartbeat',
      address: 'vm.a',
      host: 'hv01',
      title: 'wait for the heartbeat of a <b>',
      at: 6000,
      kind: 'wait',
      dependsOn: ['vm.a/create'],
    },
    {
      ...a,
      event: 'step-end',
      id: 'vm.a/wait-heartbeat',
      outcome: 'failed',
      durationMs: 60000,
      attempts: 1,
      error: 'gave up waiting',
      at: 66000,
    },
    {
      ...a,
      event: 'run-end',
      counts: { failed: 1 },
      interrupted: false,
      at: 66000,
      criticalPath: ['vm.a/create', 'vm.a/wait-heartbeat'],
      skipped: ['role.a.script/run'],
    },
    { ...meta('r3', 'checkpoint'), event: 'run-start', total: 1, at: 70000 },
  ];
}

describe('the timeline of the last apply', () => {
  it('takes the last apply run (not a later checkpoint), times from its start', () => {
    const run = timelineOf(lines(), 'apply')!;
    expect(run.run).toBe('r2');
    expect(run.spanMs).toBe(65000);
    expect(run.steps.map((s) => [s.id, s.kind, s.start, s.end, s.outcome, s.attempts])).toEqual([
      ['vm.a/create', 'host', 0, 5000, 'done', 3],
      ['vm.a/wait-heartbeat', 'wait', 5000, 65000, 'failed', 1],
    ]);
    expect(run.skipped).toEqual(['role.a.script/run']);
    expect(timelineOf(lines(), 'destroy')).toBeUndefined();
  });

  it('marks retries, failures (with the error), waits and the critical path; escapes titles', () => {
    const svg = timelineSvg(timelineOf(lines(), 'apply')!);
    expect(svg).toContain('class="step host critical retried" data-step-id="vm.a/create"');
    expect(svg).toContain('↻3');
    expect(svg).toContain(
      'class="step wait critical failed" data-step-id="vm.a/wait-heartbeat" data-outcome="failed"',
    );
    expect(svg).toContain('✕ failed');
    expect(svg).toContain('gave up waiting');
    expect(svg).toContain('wait for the heartbeat of a &lt;b&gt;');
    expect(svg).not.toContain('<b>');
  });

  it('names the skipped steps in the page; without an apply, says so', () => {
    const run = timelineOf(lines(), 'apply');
    const status = {
      lab: 'x',
      vms: [],
      networks: [],
      nats: [],
      portMappings: [],
      sharedDisks: [],
      hostClusters: [],
      guestClusters: [],
    };
    const lab = { name: 'x', hosts: [], vms: [], networks: [], clusters: [], guestClusters: [] } as never;
    expect(reportHtml({ lab, status, run, simulated: false, generatedAt: 'now' })).toContain(
      'Skipped because a step they needed failed: role.a.script/run',
    );
    expect(reportHtml({ lab, status, run: undefined, simulated: false, generatedAt: 'now' })).toContain(
      'No apply is recorded in this state directory yet.',
    );
  });
});
