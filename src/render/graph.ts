import type { Plan, Step } from '../plan/plan.js';

/** The VM a step belongs to (`vm.dc01`, `role.dc01.x`), for grouping; undefined for lab-wide resources. */
export function stepGroup(step: Step): string {
  if (step.type !== 'host') return `vm ${step.vm}`;
  const m = /^(vm|role)\.([^./@]+)/.exec(step.address);
  if (m) return `vm ${m[2]}`;
  return `host ${step.host}`;
}

function groups(plan: Plan): Map<string, Step[]> {
  const out = new Map<string, Step[]>();
  for (const s of plan.steps) out.set(stepGroup(s), [...(out.get(stepGroup(s)) ?? []), s]);
  return out;
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graphviz: one cluster per VM (and one per host for networks and disks); edges point from a step to what follows it. */
export function formatDot(plan: Plan): string {
  const lines = [`digraph ${quote(`labform ${plan.lab}`)} {`, '  rankdir=LR;', '  node [shape=box, fontname="Helvetica", fontsize=10];'];
  let n = 0;
  for (const [group, steps] of groups(plan)) {
    lines.push(`  subgraph cluster_${n++} {`, `    label=${quote(group)};`, '    style=rounded;');
    for (const s of steps) lines.push(`    ${quote(s.id)} [label=${quote(`${s.id}\\n${s.title}`)}${s.type === 'wait' ? ', style=dashed' : s.type === 'guest' ? ', shape=ellipse' : ''}];`);
    lines.push('  }');
  }
  for (const s of plan.steps) for (const d of s.dependsOn) lines.push(`  ${quote(d)} -> ${quote(s.id)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid flowchart with a subgraph per VM. Node ids are sanitised; labels keep the step ids. */
export function formatMermaid(plan: Plan): string {
  const ids = new Map<string, string>();
  plan.steps.forEach((s, i) => ids.set(s.id, `s${i}`));
  const label = (s: Step) => `"${`${s.id}<br/>${s.title}`.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  let n = 0;
  for (const [group, steps] of groups(plan)) {
    lines.push(`  subgraph g${n++}["${group}"]`);
    for (const s of steps) {
      const id = ids.get(s.id)!;
      lines.push(s.type === 'wait' ? `    ${id}{{${label(s)}}}` : s.type === 'guest' ? `    ${id}([${label(s)}])` : `    ${id}[${label(s)}]`);
    }
    lines.push('  end');
  }
  for (const s of plan.steps) for (const d of s.dependsOn) lines.push(`  ${ids.get(d)} --> ${ids.get(s.id)}`);
  return `${lines.join('\n')}\n`;
}
