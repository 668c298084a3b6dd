/**
 * What apply would be refused for and discovery can see is a plan-time error with a rule id, the
 * manifest line and a hint: an external switch's adapter the host lacks or another switch holds,
 * a device to assign that is not on the host or is another lab's VM's, a clustered VM on a host
 * that is not a node of its cluster. Checked on the simulator and on the Hyper-V provider over the
 * fake module (whose discovery reports the physical adapters, Get-NetAdapter -Physical).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { makePlan, planErrors } from '../../src/app/make-plan.js';
import { discoverLab } from '../../src/app/discover-lab.js';
import { planTimeRules } from '../../src/diff/plan-time-rules.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { Provider } from '../../src/providers/provider.js';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { load, manifest } from '../manifest/helpers.js';
import { callContext } from '../contract/contract-harness.js';

process.env.PW ??= 'Host-Resource-Rules-Pa55';

const UPLINK = `networks:
  - { name: Uplink, type: external, host: hv01, adapter: Ethernet 2 }`;
const labWith = (
  extra: string,
  vms = '  - { name: a, image: ws, credential: admin, network: [{ network: Uplink, ip: dhcp }] }',
) => {
  const { lab, diagnostics } = load(manifest({ extra, vms }));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return lab!;
};

async function planOn(lab: Lab, provider: Provider) {
  return (
    await makePlan({
      lab,
      provider,
      credentials: createCredentialResolver({ lab }),
      logger: silentLogger,
      mode: 'apply',
    })
  ).plan;
}

describe('host resources at plan time (simulator)', () => {
  it('an external adapter the host lacks: external-adapter-missing on the adapter line, listing what the host has', async () => {
    const lab = labWith(UPLINK);
    const sim = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    // The simulator gives a host the adapters a manifest names; take this one away, as a host without it.
    await sim.seed('hv01', (t) => t.removeNetAdapter('Ethernet 2'));
    const errors = planErrors(await planOn(lab, sim));
    expect(errors).toEqual([
      expect.objectContaining({
        rule: 'external-adapter-missing',
        pointer: '/networks/0/adapter',
        line: lab.positions['/networks/0/adapter']!.line,
        message: 'adapter "Ethernet 2" of external network Uplink does not exist on host hv01',
        hint: 'host hv01 has: Ethernet (Microsoft Hyper-V Network Adapter); did you mean `Ethernet`? (Get-NetAdapter -Physical lists them)',
      }),
    ]);
  });

  it('an adapter another switch holds: external-adapter-bound; the same switch of the lab is fine', async () => {
    const lab = labWith(UPLINK);
    const sim = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    await sim.seed('hv01', (t) => t.switch({ name: 'Corp', type: 'external', adapter: 'Ethernet 2' }));
    expect(planErrors(await planOn(lab, sim))).toEqual([
      expect.objectContaining({
        rule: 'external-adapter-bound',
        pointer: '/networks/0/adapter',
        message:
          'adapter "Ethernet 2" of external network Uplink on host hv01 is already bound to switch Corp; an adapter serves one external switch',
      }),
    ]);
    // A switch of this lab that the plan removes (the network renamed to another type) does not hold it.
    const mine = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    await mine.seed('hv01', (t) =>
      t.switch({ name: 'OldUplink', type: 'external', adapter: 'Ethernet 2', notes: 'labform:lab=t' }),
    );
    expect(planErrors(await planOn(lab, mine)).map((d) => d.rule)).toEqual([]);
  });

  it('a device not on the host, or held by a VM of no lab; a clustered VM on a host outside its cluster', async () => {
    const lab = labWith(
      `clusters:
  - { name: hvclu, nodes: [hv01], sharedVolume: 'C:\\ClusterStorage\\Volume1' }`,
      `  - { name: a, image: ws, credential: admin, memory: 2GB, automaticStopAction: turnOff, assignDevices: [{ locationPath: 'PCIROOT(0)#PCI(0100)' }] }
  - { name: c, cluster: hvclu, image: ws, credential: admin }`,
    );
    const sim = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    await sim.seed('hv01', (t) => t.vm({ name: 'stranger' }));
    const live = await discoverLab({ lab, provider: sim });
    // The simulator gave the host the device and the cluster the manifest names: nothing to say.
    expect(planTimeRules({ lab, live }).filter((d) => d.severity === 'error')).toEqual([]);
    const host = live.get('hv01')!;
    host.assignableDevices = [];
    host.cluster = null;
    expect(
      planTimeRules({ lab, live })
        .filter((d) => d.severity === 'error')
        .map((d) => [d.rule, d.pointer, d.message]),
    ).toEqual([
      [
        'assign-device-missing',
        '/vms/0/assignDevices/0',
        'device PCIROOT(0)#PCI(0100) of vm a is not on host hv01',
      ],
      [
        'host-cluster-missing',
        '/clusters/0/name',
        'host hv01 is not a node of cluster hvclu (it is in no failover cluster); vm c is to be a role of that cluster',
      ],
    ]);
    host.assignableDevices = [
      { locationPath: 'PCIROOT(0)#PCI(0100)', instanceId: 'x', dismounted: true, assignedTo: 'stranger' },
    ];
    expect(planTimeRules({ lab, live }).map((d) => d.rule)).toContain('assign-device-taken');
  });
});

describe('processors against the host (simulator)', () => {
  const wide = (processors: number) =>
    labWith('', `  - { name: wide, image: ws, credential: admin, processors: ${processors} }`);

  it('more processors than the host has logical processors: host-processors on the processors line', async () => {
    const lab = wide(24);
    const sim = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    expect((await discoverLab({ lab, provider: sim })).get('hv01')!.logicalProcessors).toBe(16);
    expect(planErrors(await planOn(lab, sim))).toEqual([
      expect.objectContaining({
        rule: 'host-processors',
        pointer: '/vms/0/processors',
        line: lab.positions['/vms/0/processors']!.line,
        message:
          'vm wide: 24 virtual processors are more than the 16 logical processors of the host hv01 (Get-VMHost LogicalProcessorCount)',
        hint: 'give it at most 16 processors, or place it on a host with more logical processors',
      }),
    ]);
    // As many as the host has are fine; a larger host takes more.
    expect(planErrors(await planOn(wide(16), sim))).toEqual([]);
    await sim.seed('hv01', (t) => t.logicalProcessors(32));
    expect(planErrors(await planOn(lab, sim))).toEqual([]);
  });

  it('the simulator refuses Set-VMProcessor above the host, as the plan does', async () => {
    const lab = wide(2);
    const sim = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    await sim.seed('hv01', (t) => t.vm({ name: 'wide', notes: '' }));
    const ctx = callContext('vm.wide');
    await expect(
      sim.run('hv01', { op: 'configureVm', name: 'wide', settings: { processors: 17 } }, ctx),
    ).rejects.toThrow(/Invalid processor count: 17/);
    await sim.run('hv01', { op: 'configureVm', name: 'wide', settings: { processors: 16 } }, ctx);
    expect((await sim.rawState('hv01')).vms.find((v) => v.name === 'wide')!.processors).toBe(16);
  });
});

describe('cluster shared volumes at plan time', () => {
  it('a disk on a cluster shared volume needs its VM host to be a live node of the cluster with that volume', async () => {
    const lab = labWith(
      `clusters:
  - { name: hvclu, nodes: [hv01], sharedVolume: 'C:\\ClusterStorage\\Volume1' }
disks:
  - { name: data, path: 'C:\\ClusterStorage\\Volume1\\t\\data.vhdx', size: 10GB }`,
      '  - { name: a, host: hv01, image: ws, credential: admin, disks: [{ disk: data }] }',
    );
    const sim = await createSim({ lab, clock: new VirtualClock(), store: createMemoryStore() });
    const live = await discoverLab({ lab, provider: sim });
    expect(planTimeRules({ lab, live }).filter((d) => d.severity === 'error')).toEqual([]);
    live.get('hv01')!.cluster = null;
    expect(planTimeRules({ lab, live }).map((d) => [d.rule, d.pointer, d.message])).toEqual([
      [
        'host-cluster-missing',
        '/disks/0/path',
        'host hv01 is not a node of cluster hvclu (it is in no failover cluster); vm a uses disk data on its shared volume',
      ],
    ]);
    live.get('hv01')!.cluster = {
      name: 'hvclu',
      nodes: ['hv01'],
      sharedVolumes: ['C:\\ClusterStorage\\Volume2'],
    };
    expect(planTimeRules({ lab, live })[0]).toMatchObject({
      rule: 'host-cluster-missing',
      pointer: '/clusters/0/sharedVolume',
    });
  });
});

describePwsh('host resources at plan time (Hyper-V provider on the fake module)', () => {
  let fake: FakeHyperV;
  const lab = labWith(UPLINK);
  beforeAll(async () => {
    fake = await createFakeHyperV({
      lab,
      seeds: { hv01: { images: [{ path: 'D:\\Images\\ws.vhdx', os: 'windows' }] } },
    });
  }, 60_000);
  afterAll(async () => fake?.dispose());

  it('discovery reports the physical adapters, and the plan refuses an adapter the host lacks', async () => {
    const live = await discoverLab({ lab, provider: fake.provider });
    expect(live.get('hv01')!.physicalAdapters).toEqual([
      { name: 'Ethernet', interfaceDescription: 'Microsoft Hyper-V Network Adapter' },
    ]);
    expect(planErrors(await planOn(lab, fake.provider)).map((d) => [d.rule, d.pointer])).toEqual([
      ['external-adapter-missing', '/networks/0/adapter'],
    ]);
  }, 120_000);

  it('discovery reports the logical processors (Get-VMHost LogicalProcessorCount), and the plan refuses a VM with more', async () => {
    const wide = labWith(UPLINK, '  - { name: wide, image: ws, credential: admin, processors: 24 }');
    expect((await discoverLab({ lab: wide, provider: fake.provider })).get('hv01')!.logicalProcessors).toBe(
      16,
    );
    expect(planErrors(await planOn(wide, fake.provider)).map((d) => [d.rule, d.pointer])).toEqual([
      ['host-processors', '/vms/0/processors'],
      ['external-adapter-missing', '/networks/0/adapter'],
    ]);
  }, 120_000);
});
