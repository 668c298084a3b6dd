import { describe, expect, it } from 'vitest';
import { formatPlanText, formatValue, planSummaryLine } from '../../src/render/plan-text.js';
import { formatPlanJson, planJson } from '../../src/render/plan-json.js';
import { Secret } from '../../src/secrets/secret.js';
import type { Plan } from '../../src/plan/plan.js';

function samplePlan(extra: Partial<Plan> = {}): Plan {
  return {
    format: 'labform-plan/1',
    lab: 'demo',
    manifest: { file: '/labs/demo.yaml', sha256: 'abc' },
    createdAt: '2026-01-01T00:00:00.000Z',
    liveFingerprint: 'sha256:x',
    changes: [
      {
        address: 'vm.dc01',
        kind: 'vm',
        action: 'create',
        requiresStop: false,
        diff: [],
        reason: 'not found on hv01',
        host: 'hv01',
      },
      {
        address: 'vm.hgs01',
        kind: 'vm',
        action: 'update',
        requiresStop: true,
        diff: [{ path: 'memory.startup', before: 2147483648, after: 4294967296, requiresStop: true }],
        host: 'hv01',
      },
      {
        address: 'vm.web01',
        kind: 'vm',
        action: 'replace',
        requiresStop: false,
        diff: [{ path: 'generation', before: 1, after: 2, forcesReplace: true }],
        reason: 'generation 1 -> 2 forces replacement',
        host: 'hv01',
      },
      {
        address: 'network.Old',
        kind: 'network',
        action: 'delete',
        requiresStop: false,
        diff: [],
        reason: 'removed from the manifest',
        host: 'hv01',
      },
      { address: 'nat.LabNet', kind: 'nat', action: 'noop', requiresStop: false, diff: [], host: 'hv01' },
    ],
    summary: { create: 1, update: 1, replace: 1, delete: 1, noop: 1 },
    conflicts: [
      {
        address: 'vm.sql01',
        host: 'hv01',
        message: 'VM sql01 already exists on hv01 and is not managed by labform',
        hint: 'rename it',
      },
    ],
    warnings: [
      {
        severity: 'warning',
        rule: 'host-memory',
        message: 'not enough memory',
        file: '/labs/demo.yaml',
        line: 3,
        column: 5,
        pointer: '/vms/0',
      },
    ],
    steps: [],
    ...extra,
  };
}

describe('formatPlanText', () => {
  it('groups by resource with + ~ -/+ - marks, before -> after, (requires stop), what forces a replace, then the summary', () => {
    const text = formatPlanText(samplePlan());
    expect(text).toContain('  + vm.dc01 will be created on hv01');
    expect(text).toContain('  ~ vm.hgs01 will be updated in place on hv01 (requires stop)');
    expect(text).toContain('memory.startup: 2GB -> 4GB (requires stop)');
    expect(text).toContain('  -/+ vm.web01 will be replaced on hv01');
    expect(text).toContain('generation: 1 -> 2 (forces replacement)');
    expect(text).toContain('# generation 1 -> 2 forces replacement');
    expect(text).toContain('  - network.Old will be destroyed on hv01');
    expect(text).not.toContain('nat.LabNet');
    expect(text).toContain(
      '! vm.sql01 on hv01: VM sql01 already exists on hv01 and is not managed by labform',
    );
    expect(text).toContain('/labs/demo.yaml:3:5: warning[host-memory]: not enough memory');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy.',
    );
    expect(text).not.toContain('\u001b[');
  });

  it('says there is nothing to do when nothing changes', () => {
    const p = samplePlan({
      changes: [],
      summary: { create: 0, update: 0, replace: 0, delete: 0, noop: 4 },
      conflicts: [],
      warnings: [],
    });
    expect(formatPlanText(p)).toBe('No changes. The lab matches the manifest.\n');
    expect(planSummaryLine(p)).toBe('No changes. The lab matches the manifest.');
  });

  it('shows Windows paths as typed', () => {
    expect(formatValue('D:\\Images\\ws2022.vhdx')).toBe('"D:\\Images\\ws2022.vhdx"');
  });

  it('uses colour only when asked', () => {
    expect(formatPlanText(samplePlan(), { color: true })).toContain('\u001b[32m');
  });

  it('shows secrets as (sensitive)', () => {
    expect(formatValue(new Secret('hunter2'))).toBe('(sensitive)');
    expect(formatValue({ password: new Secret('hunter2') })).toBe('{"password":"(sensitive)"}');
    const p = samplePlan({
      changes: [
        {
          address: 'vm.x',
          kind: 'vm',
          action: 'update',
          requiresStop: false,
          diff: [{ path: 'p', before: new Secret('hunter2'), after: 'b' }],
        },
      ],
    });
    expect(formatPlanText(p)).not.toContain('hunter2');
    expect(formatPlanJson(p)).not.toContain('hunter2');
  });
});

describe('planJson', () => {
  it('has the docs/contract.md section 5 shape', () => {
    const json = planJson(samplePlan()) as Record<string, unknown> & { changes: Record<string, unknown>[] };
    expect(json.format).toBe('labform-plan/1');
    expect(json.lab).toBe('demo');
    expect(json.summary).toEqual({ create: 1, update: 1, replace: 1, delete: 1, noop: 1 });
    expect(json.changes[1]).toMatchObject({
      address: 'vm.hgs01',
      kind: 'vm',
      action: 'update',
      requiresStop: true,
      diff: [{ path: 'memory.startup', before: 2147483648, after: 4294967296 }],
    });
    for (const c of json.changes)
      expect(Object.keys(c).slice(0, 5)).toEqual(['address', 'kind', 'action', 'requiresStop', 'diff']);
    expect(JSON.parse(formatPlanJson(samplePlan()))).toEqual(JSON.parse(JSON.stringify(json)));
  });
});
