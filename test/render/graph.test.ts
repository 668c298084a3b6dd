import { describe, expect, it } from 'vitest';
import { formatDot, formatMermaid, stepGroup } from '../../src/render/graph.js';
import type { Plan, Step } from '../../src/plan/plan.js';

const step = (id: string, address: string, dependsOn: string[] = [], extra: Partial<Step> = {}): Step =>
  ({ type: 'host', id, address, host: 'hv01', title: `do ${id}`, dependsOn, timeoutMs: 1, operation: { op: 'startVm', name: 'x' }, ...extra }) as Step;

const plan = {
  lab: 'demo',
  steps: [
    step('network.LabNet/create-switch', 'network.LabNet'),
    step('vm.dc01/create', 'vm.dc01', ['network.LabNet/create-switch']),
    { type: 'wait', id: 'vm.dc01/wait-heartbeat', address: 'vm.dc01', host: 'hv01', title: 'wait for "heartbeat"', dependsOn: ['vm.dc01/create'], timeoutMs: 1, wait: 'heartbeat', vm: 'dc01', os: 'windows' },
    { type: 'guest', id: 'role.dc01.domainController/forest', address: 'role.dc01.domainController', host: 'hv01', title: 'create forest', dependsOn: ['vm.dc01/wait-heartbeat'], timeoutMs: 1, vm: 'dc01', os: 'windows', credential: 'c', operation: { op: 'setComputerName', computerName: 'X' }, probe: true },
  ],
} as unknown as Plan;

describe('graph renderers', () => {
  it('groups steps by VM, lab-wide ones by host', () => {
    expect(plan.steps.map(stepGroup)).toEqual(['host hv01', 'vm dc01', 'vm dc01', 'vm dc01']);
  });

  it('writes Graphviz with a cluster per VM and every edge', () => {
    const dot = formatDot(plan);
    expect(dot).toMatch(/^digraph "labform demo" \{/);
    expect(dot).toContain('label="vm dc01";');
    expect(dot).toContain('"network.LabNet/create-switch" -> "vm.dc01/create";');
    expect(dot).toContain('"vm.dc01/wait-heartbeat" -> "role.dc01.domainController/forest";');
    expect(dot).toContain('wait for \\"heartbeat\\"');
    expect(dot.match(/->/g)).toHaveLength(3);
  });

  it('writes Mermaid with subgraphs and safe node ids', () => {
    const m = formatMermaid(plan);
    expect(m.split('\n')[0]).toBe('flowchart LR');
    expect(m).toContain('subgraph g1["vm dc01"]');
    expect(m).toContain('s0 --> s1');
    expect(m).toContain('s2 --> s3');
    expect(m).toContain('#quot;heartbeat#quot;');
    expect(m).not.toMatch(/\bvm\.dc01\/create\b --> /);
  });
});
