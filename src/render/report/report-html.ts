/**
 * `labform report`: one self-contained HTML page (no scripts, no external resources): the
 * topology, the live state in brief, and the last apply as a timeline.
 */
import type { Lab } from '../../manifest/lab.js';
import type { LabStatus } from '../show-status.js';
import { formatDuration } from '../../executor/duration.js';
import type { TimelineRun } from './journal-run.js';
import { esc } from './escape.js';
import { NETWORK_COLOURS, topologySvg } from './topology-svg.js';
import { timelineSvg } from './timeline-svg.js';
import { counted } from '../../model/plural.js';
import { parseAddress } from '../../model/address.js';

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "Segoe UI", "DejaVu Sans", system-ui, sans-serif; color: #0f172a; background: #eef2f7; }
header { background: linear-gradient(90deg, #0f172a, #1e3a8a); color: #fff; padding: 22px 32px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 600; }
header p { margin: 0; opacity: .85; }
main { padding: 20px 32px 40px; }
section { background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(15,23,42,.12); padding: 18px 22px; margin-bottom: 22px; overflow-x: auto; }
h2 { font-size: 17px; margin: 0 0 12px; }
.facts { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 12px; }
.fact { background: #f1f5f9; border-radius: 8px; padding: 6px 12px; }
.fact b { font-size: 16px; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 12.5px; color: #334155; margin-top: 10px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.sw { display: inline-block; width: 22px; height: 11px; border-radius: 3px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid #e2e8f0; white-space: nowrap; }
th { color: #475569; font-weight: 600; }
.state-Running { color: #15803d; font-weight: 600; }
.state-Off, .state-absent { color: #64748b; }
.note { color: #475569; font-size: 13px; }
.skipped { color: #b91c1c; }
svg .label { font-family: "Segoe UI", "DejaVu Sans", system-ui, sans-serif; font-size: 12px; fill: #0f172a; }
svg .label.small { font-size: 10.5px; fill: #475569; }
svg .label.host { font-size: 14px; font-weight: 700; }
svg .label.vm { font-size: 13px; font-weight: 700; }
svg .label.address { font-size: 12px; fill: #1e3a8a; font-family: "DejaVu Sans Mono", Consolas, monospace; }
svg .label.switch { fill: #fff; font-weight: 700; }
svg .label.switch-detail { fill: #fff; font-size: 11px; }
svg .label.mapping { fill: #fff; font-size: 10.5px; }
svg .label.cluster { font-size: 12px; font-weight: 700; fill: #854d0e; }
svg .label.guest-cluster { font-size: 10.5px; fill: #7c2d12; font-weight: 600; }
svg .label.disk { font-size: 11.5px; font-weight: 600; }
svg .label.step-title { font-size: 11.5px; }
svg .label.critical-text { font-weight: 700; fill: #9a3412; }
svg .label.mark { font-size: 11px; font-weight: 700; fill: #475569; }
svg .label.mark.fail { fill: #b91c1c; }
`;

/** `domainController`, or `script.2` for a VM's second script role. */
function roleLabel(address: string): string {
  const role = parseAddress(address);
  if (role?.kind !== 'role') return address;
  return role.n > 1 ? `${role.role}.${role.n}` : role.role;
}

function vmTable(status: LabStatus): string {
  const rows = status.vms.map((vm) => {
    const roles = vm.roles.map((r) => `${roleLabel(r.address)}: ${r.state}`).join(', ');
    return `<tr data-vm="${esc(vm.name)}"><td>${esc(vm.name)}</td><td>${esc(vm.host)}</td><td class="state-${esc(vm.state)}">${esc(vm.state)}</td><td>${esc(vm.heartbeat)}</td><td>${esc(vm.addresses.join(', ') || '-')}</td><td>${esc(roles || '-')}</td><td>${esc(vm.checkpoints.join(', ') || '-')}</td></tr>`;
  });
  return `<table><thead><tr><th>VM</th><th>Host</th><th>State</th><th>Heartbeat</th><th>Addresses</th><th>Roles</th><th>Checkpoints</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function timelineSection(run: TimelineRun | undefined, simulated: boolean): string {
  if (!run)
    return '<section id="timeline"><h2>Last apply</h2><p class="note">No apply is recorded in this state directory yet.</p></section>';
  const failed = run.steps.filter((s) => s.outcome === 'failed');
  const retried = run.steps.filter((s) => s.attempts > 1);
  const waits = run.steps.filter((s) => s.kind === 'wait');
  const facts = [
    `<div class="fact">started <b>${esc(run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</b></div>`,
    `<div class="fact">took <b>${esc(formatDuration(run.spanMs))}</b>${simulated ? ' of simulated time' : ''}</div>`,
    `<div class="fact"><b>${run.steps.length}</b> steps, <b>${waits.length}</b> waits</div>`,
    run.criticalPath.length > 0
      ? `<div class="fact">critical path <b>${run.criticalPath.length}</b> steps</div>`
      : '<div class="fact">critical path not recorded (journal from an older labform)</div>',
    failed.length > 0 ? `<div class="fact skipped"><b>${failed.length}</b> failed</div>` : '',
    retried.length > 0 ? `<div class="fact"><b>${retried.length}</b> retried</div>` : '',
    !run.finished ? '<div class="fact skipped">did not finish (interrupted or killed)</div>' : '',
  ].join('');
  const skipped =
    run.skipped.length > 0
      ? `<p class="note skipped">Skipped because a step they needed failed: ${esc(run.skipped.join(', '))}</p>`
      : '';
  const legend = `<div class="legend"><span><i class="sw" style="background:#64748b"></i>host step</span><span><i class="sw" style="background:#14b8a6"></i>guest step</span><span><i class="sw" style="background:repeating-linear-gradient(45deg,#e0f2fe 0 3px,#38bdf8 3px 6px)"></i>wait (polling)</span><span><i class="sw" style="background:#f97316"></i>critical path</span><span><i class="sw" style="background:#dc2626"></i>failed</span><span>↻N retried N times</span></div>`;
  return `<section id="timeline"><h2>Last ${esc(run.command)}</h2><div class="facts">${facts}</div>${skipped}${timelineSvg(run)}${legend}</section>`;
}

export function reportHtml(options: {
  lab: Lab;
  status: LabStatus;
  run: TimelineRun | undefined;
  simulated: boolean;
  generatedAt: string;
}): string {
  const { lab, status } = options;
  const running = status.vms.filter((v) => v.state === 'Running').length;
  const legend = Object.entries(NETWORK_COLOURS)
    .filter(([type]) => lab.networks.some((n) => n.type === type))
    .map(
      ([type, colour]) => `<span><i class="sw" style="background:${colour}"></i>${esc(type)} switch</span>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="labform">
<title>Lab ${esc(lab.name)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Lab ${esc(lab.name)}</h1><p>${esc(lab.description ?? '')}${lab.description ? ' · ' : ''}${counted(status.vms.length, 'VM')} (${running} running) on ${counted(new Set(status.vms.map((v) => v.host)).size, 'host')} · ${counted(lab.networks.length, 'network')}${options.simulated ? ' · simulator' : ''} · generated ${esc(options.generatedAt)}</p></header>
<main>
<section id="topology"><h2>Topology</h2>${topologySvg({ lab, status })}<div class="legend">${legend}<span><i class="sw" style="background:#16a34a;border-radius:50%;width:11px"></i>running</span><span><i class="sw" style="background:#94a3b8;border-radius:50%;width:11px"></i>off</span><span><i class="sw" style="border:1px dashed #64748b"></i>not created</span></div></section>
<section id="vms"><h2>Virtual machines</h2>${vmTable(status)}</section>
${timelineSection(options.run, options.simulated)}
</main>
</body>
</html>
`;
}
