import { describe, expect, it } from 'vitest';
import { criticalPath, estimatedCriticalPath } from '../../src/executor/figures.js';
import type { StepResult } from '../../src/executor/events.js';
import { createVm, hostStep, startVm } from '../support/steps.js';

const steps = () => [
  { ...hostStep('a/1', createVm('a')), estimateS: 10 },
  { ...hostStep('a/2', startVm('a'), { dependsOn: ['a/1'] }), estimateS: 5 },
  { ...hostStep('b/1', createVm('b')), estimateS: 12 },
  { ...hostStep('c/1', startVm('c'), { dependsOn: ['a/2', 'b/1'] }), estimateS: 1 },
];

describe('figures', () => {
  it('finds the longest chain by estimates', () => {
    expect(estimatedCriticalPath(steps())).toEqual({ steps: ['a/1', 'a/2', 'c/1'], ms: 16_000 });
  });

  it('finds the longest chain by actual durations', () => {
    const r = (id: string, durationMs: number): [string, StepResult] => [
      id,
      { id, title: id, address: id, host: 'hv01', outcome: 'done', durationMs, attempts: 1 },
    ];
    const results = new Map([r('a/1', 1000), r('a/2', 1000), r('b/1', 9000), r('c/1', 500)]);
    expect(criticalPath(steps(), results)).toEqual({ steps: ['b/1', 'c/1'], ms: 9500 });
  });
});
