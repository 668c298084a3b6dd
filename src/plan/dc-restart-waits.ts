/**
 * A domain controller that the plan stops and starts again (a setting that changes only while
 * the VM is off) serves its domain again only once Active Directory answers, minutes after
 * PowerShell Direct does. The plan waits for that, and the guest work of the domain's other
 * VMs waits for the wait.
 */
import type { Lab } from '../manifest/lab.js';
import type { Step } from './plan.js';
import type { StepGraph } from './step-graph.js';
import { vmAddress } from '../model/address.js';

export function waitForRestartedDcs(g: StepGraph, lab: Lab): void {
  for (const vm of lab.vms) {
    const dc = vm.roles.find((r) => r.kind === 'domainController');
    if (!dc || dc.kind !== 'domainController') continue;
    const address = vmAddress(vm.name);
    if (!g.has(`${address}/stop`) || !g.has(`${address}/start`)) continue;
    const ready = g.has(`${address}/wait-powershell-direct`)
      ? `${address}/wait-powershell-direct`
      : `${address}/start`;
    const id = `${address}/wait-ad-ready`;
    if (!g.has(id))
      g.wait({
        id,
        address,
        host: vm.host,
        vm: vm.name,
        os: vm.os,
        wait: 'adReady',
        credential: dc.domainAdmin,
        dependsOn: [ready],
      });
    const domain = dc.domain.toLowerCase();
    const sameDomain = new Set(
      lab.vms
        .filter(
          (v) =>
            v.name !== vm.name &&
            v.roles.some(
              (r) =>
                (r.kind === 'domainMember' || r.kind === 'domainController') &&
                r.domain.toLowerCase() === domain,
            ),
        )
        .map((v) => v.name),
    );
    for (const s of g.steps as Step[]) if (s.type === 'guest' && sameDomain.has(s.vm)) g.addDeps(s.id, [id]);
  }
}
