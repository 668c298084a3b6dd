import { describe, expect, it } from 'vitest';
import { buildSteps } from '../../src/plan/build-steps.js';
import { diffLab } from '../../src/diff/diff-lab.js';
import { diffRoles } from '../../src/diff/diff-roles.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { requiresStopPath } from '../../src/model/vm-settings.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import type { HostStep, Step } from '../../src/plan/plan.js';
import { appliedLive, cloneLive, demoLab } from '../support/lab-builder.js';

function plan(lab: Lab, live: Map<string, HostState>, mode: 'apply' | 'destroy' = 'apply') {
  const desired = desiredState({ lab });
  const { changes } = diffLab({ lab, desired, live, requiresStop: requiresStopPath, mode });
  const roles = diffRoles({ desired, state: new Map(), mode });
  const steps: Step[] = buildSteps({ lab, changes: [...changes, ...roles], tasks: [], live });
  return { changes: new Map(changes.map((pc) => [pc.change.address, pc.change])), steps };
}

const hostSteps = (steps: Step[]) => steps.filter((s): s is HostStep => s.type === 'host');

// Hyper-V adapters are told apart by MAC: names repeat (New-VM's own adapter and every
// Add-VMNetworkAdapter without -Name are "Network Adapter"; HyperVDsc DSC_VMHyperV.psm1), and
// Get-VMNetworkAdapter's order is no promise.
describe('VM network adapters are identified by MAC, never by position or name', () => {
  const lab = demoLab();
  const applied = appliedLive(lab);

  it('finds nothing to do when the host lists the adapters in another order', () => {
    const live = cloneLive(applied);
    const web = live.get('hv01')!.vms.find((v) => v.name === 'web01')!;
    expect(web.adapters.length).toBe(2);
    web.adapters.reverse();
    expect(plan(lab, live).changes.get('vm.web01')!.action).toBe('noop');
  });

  it("removes New-VM's own unconnected adapter (MAC 000000000000 until first start) by name, and nothing else", () => {
    const live = cloneLive(applied);
    const web = live.get('hv01')!.vms.find((v) => v.name === 'web01')!;
    web.adapters.unshift({
      name: 'Network Adapter',
      switchName: null,
      mac: '000000000000',
      staticMac: false,
      macAddressSpoofing: false,
      vlan: null,
      addresses: [],
    });
    const { changes, steps } = plan(lab, live);
    expect(changes.get('vm.web01')).toMatchObject({
      action: 'update',
      diff: [{ path: 'network[2]', before: 'Network Adapter (not connected)', after: null }],
    });
    const adapterOps = hostSteps(steps)
      .filter((s) => s.address === 'vm.web01')
      .map((s) => s.operation);
    expect(adapterOps).toEqual([{ op: 'removeAdapter', vm: 'web01', name: 'Network Adapter' }]);
  });

  it('changes and removes an adapter by its MAC, even when another adapter has the same name', () => {
    const live = cloneLive(applied);
    const web = live.get('hv01')!.vms.find((v) => v.name === 'web01')!;
    const [first, second] = web.adapters;
    second!.name = first!.name;
    second!.macAddressSpoofing = !second!.macAddressSpoofing;
    web.adapters.push({ ...first!, mac: '00155D999999', switchName: 'LabNet' });
    const { steps } = plan(lab, live);
    const ops = hostSteps(steps)
      .filter((s) => s.address === 'vm.web01')
      .map((s) => s.operation);
    expect(ops).toContainEqual(
      expect.objectContaining({ op: 'setAdapter', vm: 'web01', name: first!.name, mac: second!.mac }),
    );
    expect(ops).toContainEqual({ op: 'removeAdapter', vm: 'web01', name: first!.name, mac: '00155D999999' });
    expect(ops.filter((o) => o.op === 'removeAdapter')).toHaveLength(1);
  });
});

describe('destroy gives assigned devices back to the host', () => {
  it('plans Remove-VMAssignableDevice + mount + enable before the VM goes, and says so', () => {
    const lab = demoLab();
    const live = cloneLive(appliedLive(lab));
    const dc = live.get('hv01')!.vms.find((v) => v.name === 'dc01')!;
    dc.assignedDevices = ['PCIROOT(40)#PCI(0200)#PCI(0000)'];
    const { changes, steps } = plan(lab, live, 'destroy');
    expect(changes.get('vm.dc01')!.reason).toContain(
      'PCIROOT(40)#PCI(0200)#PCI(0000) goes back to host hv01',
    );
    const release = hostSteps(steps).find((s) => s.id === 'vm.dc01/release-device-1')!;
    expect(release.operation).toEqual({
      op: 'removeDevice',
      vm: 'dc01',
      locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)',
    });
    expect(release.dependsOn).toContain('vm.dc01/stop');
    expect(hostSteps(steps).find((s) => s.id === 'vm.dc01/remove')!.dependsOn).toContain(
      'vm.dc01/release-device-1',
    );
  });
});
