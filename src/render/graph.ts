import type { Plan, Step } from '../plan/plan.js';
import type { DesiredResource } from '../desired/desired-resource.js';
import { vmOfAddress } from '../model/address.js';

/** The VM a step belongs to (`vm.dc01`, `role.dc01.x`), for grouping; undefined for lab-wide resources. */
export function stepGroup(step: Step): string {
  if (step.type !== 'host') return `vm ${step.vm}`;
  const m = /^(vm|role)\.([^./@]+)/.exec(step.address);
  if (m) return `vm ${m[2]}`;
  return `host ${step.host}`;
}

/** One node of a drawn graph: a plan step or a desired resource. */
export interface GraphNode {
  id: string;
  /** Lines of its label. */
  lines: string[];
  shape: 'box' | 'wait' | 'guest' | 'resource';
  host: string;
  /** The VM it belongs to, if any: drawn inside the VM's box, inside its host's. */
  vm?: string;
  dependsOn: string[];
}

export interface GraphDocument {
  lab: string;
  nodes: GraphNode[];
  /** Shown above the graph (and as a comment). */
  note?: string;
}

export function planGraph(plan: Plan): GraphDocument {
  return {
    lab: plan.lab,
    nodes: plan.steps.map((s) => {
      const group = stepGroup(s);
      return {
        id: s.id,
        lines: [s.id, s.title],
        shape: s.type === 'wait' ? 'wait' : s.type === 'guest' ? 'guest' : 'box',
        host: s.host,
        vm: group.startsWith('vm ') ? group.slice(3) : undefined,
        dependsOn: s.dependsOn,
      };
    }),
  };
}

/** The lab's resources and what each needs: the graph shown when no step is left to run. */
export function resourceGraph(options: {
  lab: string;
  resources: DesiredResource[];
  note: string;
}): GraphDocument {
  const known = new Set(options.resources.map((r) => r.address));
  return {
    lab: options.lab,
    note: options.note,
    nodes: options.resources.map((r) => {
      const vm = r.kind === 'vm' ? vmOfAddress(r.address) : r.kind === 'role' ? r.vm : undefined;
      return {
        id: r.address,
        lines: [r.address, r.kind],
        shape: r.kind === 'role' ? 'guest' : 'resource',
        host: r.host,
        vm,
        dependsOn: r.dependsOn.filter((d) => known.has(d)),
      };
    }),
  };
}

/** Hosts in first-seen order, each with its lab-wide nodes and its VMs' nodes. */
function nest(nodes: GraphNode[]): Map<string, { own: GraphNode[]; vms: Map<string, GraphNode[]> }> {
  const vmHost = new Map<string, string>();
  for (const n of nodes) if (n.vm && !vmHost.has(n.vm)) vmHost.set(n.vm, n.host);
  const out = new Map<string, { own: GraphNode[]; vms: Map<string, GraphNode[]> }>();
  for (const n of nodes) {
    const host = n.vm ? vmHost.get(n.vm)! : n.host;
    let entry = out.get(host);
    if (!entry) out.set(host, (entry = { own: [], vms: new Map() }));
    if (n.vm) entry.vms.set(n.vm, [...(entry.vms.get(n.vm) ?? []), n]);
    else entry.own.push(n);
  }
  return out;
}

/** A Graphviz string: backslashes and quotes escaped, line breaks as Graphviz's `\n`. */
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

const DOT_SHAPES: Record<GraphNode['shape'], string> = {
  box: '',
  wait: ', style=dashed',
  guest: ', shape=ellipse',
  resource: ', style=rounded',
};

/** Graphviz: a cluster per host holding its lab-wide nodes and a cluster per VM; edges point from a node to what follows it. */
export function formatDot(input: Plan | GraphDocument): string {
  const doc = 'steps' in input ? planGraph(input) : input;
  const lines = [
    `digraph ${quote(`labform ${doc.lab}`)} {`,
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica", fontsize=10];',
  ];
  if (doc.note)
    lines.splice(
      1,
      0,
      `  // ${doc.note.replace(/\r?\n/g, ' ')}`,
      `  label=${quote(doc.note)};`,
      '  labelloc=t;',
    );
  let n = 0;
  const node = (indent: string, g: GraphNode) =>
    `${indent}${quote(g.id)} [label=${quote(g.lines.join('\n'))}${DOT_SHAPES[g.shape]}];`;
  for (const [host, group] of nest(doc.nodes)) {
    lines.push(`  subgraph cluster_${n++} {`, `    label=${quote(`host ${host}`)};`, '    style=rounded;');
    for (const g of group.own) lines.push(node('    ', g));
    for (const [vm, members] of group.vms) {
      lines.push(
        `    subgraph cluster_${n++} {`,
        `      label=${quote(`vm ${vm}`)};`,
        '      style="rounded,filled";',
        '      fillcolor="#f5f7fa";',
      );
      for (const g of members) lines.push(node('      ', g));
      lines.push('    }');
    }
    lines.push('  }');
  }
  for (const g of doc.nodes) for (const d of g.dependsOn) lines.push(`  ${quote(d)} -> ${quote(g.id)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart: a subgraph per host with its VMs' subgraphs inside. Node ids are sanitised; labels keep the ids. */
export function formatMermaid(input: Plan | GraphDocument): string {
  const doc = 'steps' in input ? planGraph(input) : input;
  const ids = new Map<string, string>();
  doc.nodes.forEach((g, i) => ids.set(g.id, `s${i}`));
  const text = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
  const label = (g: GraphNode) => text(g.lines.join('<br/>'));
  const shape = (g: GraphNode) => {
    const id = ids.get(g.id)!;
    if (g.shape === 'wait') return `${id}{{${label(g)}}}`;
    if (g.shape === 'guest') return `${id}([${label(g)}])`;
    if (g.shape === 'resource') return `${id}(${label(g)})`;
    return `${id}[${label(g)}]`;
  };
  const lines = doc.note
    ? ['---', `title: ${text(doc.note)}`, '---', 'flowchart LR', `  %% ${doc.note.replace(/\r?\n/g, ' ')}`]
    : ['flowchart LR'];
  let h = 0;
  let v = 0;
  for (const [host, group] of nest(doc.nodes)) {
    lines.push(`  subgraph h${h++}[${text(`host ${host}`)}]`);
    for (const g of group.own) lines.push(`    ${shape(g)}`);
    for (const [vm, members] of group.vms) {
      lines.push(`    subgraph v${v++}[${text(`vm ${vm}`)}]`);
      for (const g of members) lines.push(`      ${shape(g)}`);
      lines.push('    end');
    }
    lines.push('  end');
  }
  for (const g of doc.nodes)
    for (const d of g.dependsOn) if (ids.has(d)) lines.push(`  ${ids.get(d)} --> ${ids.get(g.id)}`);
  return `${lines.join('\n')}\n`;
}
