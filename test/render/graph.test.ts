import { describe, expect, it } from 'vitest';
import { formatDot, formatMermaid, resourceGraph, stepGroup } from '../../src/render/graph.js';
import type { Plan, Step } from '../../src/plan/plan.js';

const step = (id: string, address: string, dependsOn: string[] = [], extra: Partial<Step> = {}): Step =>
  ({
    type: 'host',
    id,
    address,
    host: 'hv01',
    title: `do ${id}`,
    dependsOn,
    timeoutMs: 1,
    operation: { op: 'startVm', name: 'x' },
    ...extra,
  }) as Step;

const plan = {
  lab: 'demo',
  steps: [
    step('network.LabNet/create-switch', 'network.LabNet'),
    step('vm.dc01/create', 'vm.dc01', ['network.LabNet/create-switch']),
    {
      type: 'wait',
      id: 'vm.dc01/wait-heartbeat',
      address: 'vm.dc01',
      host: 'hv01',
      title: 'wait for "heartbeat"',
      dependsOn: ['vm.dc01/create'],
      timeoutMs: 1,
      wait: 'heartbeat',
      vm: 'dc01',
      os: 'windows',
    },
    {
      type: 'guest',
      id: 'role.dc01.domainController/forest',
      address: 'role.dc01.domainController',
      host: 'hv01',
      title: 'create forest',
      dependsOn: ['vm.dc01/wait-heartbeat'],
      timeoutMs: 1,
      vm: 'dc01',
      os: 'windows',
      credential: 'c',
      operation: { op: 'setComputerName', computerName: 'X' },
      probe: true,
    },
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
    // Real line breaks for Graphviz (\n inside the quoted label), never a doubled backslash.
    expect(dot).toContain('"vm.dc01/create" [label="vm.dc01/create\\ndo vm.dc01/create"];');
    expect(dot).not.toContain('\\\\n');
    // VMs nest inside their host's cluster.
    expect(dot).toMatch(
      /subgraph cluster_0 \{\n {4}label="host hv01";[\s\S]*\n {4}subgraph cluster_1 \{\n {6}label="vm dc01";/,
    );
  });

  it('writes Mermaid with subgraphs and safe node ids', () => {
    const m = formatMermaid(plan);
    expect(m.split('\n')[0]).toBe('flowchart LR');
    expect(m).toContain(
      '  subgraph h0["host hv01"]\n    s0["network.LabNet/create-switch<br/>do network.LabNet/create-switch"]\n    subgraph v0["vm dc01"]\n      s1[',
    );
    // The VM's subgraph closes before its host's.
    expect(m).toMatch(/ {6}s3\(\[[^\n]*\]\)\n {4}end\n {2}end\n/);
    expect(m).toContain('s0 --> s1');
    expect(m).toContain('s2 --> s3');
    expect(m).toContain('#quot;heartbeat#quot;');
    expect(m).not.toMatch(/\bvm\.dc01\/create\b --> /);
  });
});

describe('graph of a lab with nothing left to do', () => {
  it('draws the resources with their dependencies, nested by host and VM, with the note', () => {
    const resources = [
      { address: 'network.LabNet', kind: 'network', host: 'hv01', dependsOn: [] },
      { address: 'vm.dc01', kind: 'vm', host: 'hv01', dependsOn: ['network.LabNet', 'image.gone'] },
      {
        address: 'role.dc01.domainController',
        kind: 'role',
        host: 'hv01',
        vm: 'dc01',
        dependsOn: ['vm.dc01'],
      },
    ] as never;
    const doc = resourceGraph({ lab: 'demo', resources, note: 'lab demo is up to date' });
    const dot = formatDot(doc);
    expect(dot).toContain('label="lab demo is up to date";');
    expect(dot).toContain('"network.LabNet" -> "vm.dc01";');
    expect(dot).toContain('"vm.dc01" -> "role.dc01.domainController";');
    expect(dot).not.toContain('image.gone');
    const m = formatMermaid(doc);
    expect(m.split('\n').slice(0, 4)).toEqual([
      '---',
      'title: "lab demo is up to date"',
      '---',
      'flowchart LR',
    ]);
    expect(m).toContain(
      '    subgraph v0["vm dc01"]\n      s1("vm.dc01<br/>vm")\n      s2(["role.dc01.domainController<br/>role"])\n    end',
    );
  });
});
