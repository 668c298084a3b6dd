import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../../src/providers/sim/store/sim-store.js';
import { ownershipMark } from '../../../src/ownership/mark.js';
import { ctx, GiB, IMAGE, newSim, refused, STORE, testLab, MARK } from './sim-fixtures.js';

const CSV = 'C:\\ClusterStorage\\Volume1';
const scope = { paths: [STORE, CSV], files: [IMAGE] };

describe('hosts, clusters and discovery', () => {
  it('a fresh host has the lab images, an Ethernet address, memory, devices and its cluster, nothing else', async () => {
    const { sim } = await newSim();
    const hv01 = await sim.discover('hv01', scope);
    expect(hv01).toMatchObject({
      host: 'hv01',
      vms: [],
      switches: [],
      nats: [],
      natMappings: [],
      hostAddresses: [{ interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 }],
      // Asked-for files are reported with their VHD details.
      vhds: [
        { path: IMAGE, format: 'vhdx', type: 'dynamic', parentPath: null, size: 40 * GiB, attached: false },
      ],
      files: [{ path: IMAGE, exists: true }],
      freeMemory: 64 * GiB,
      totalMemory: 128 * GiB,
      cluster: null,
    });
    expect(hv01.assignableDevices).toHaveLength(1);
    const hv02 = await sim.discover('hv02', scope);
    expect(hv02.hostAddresses[0]!.address).toBe('10.254.0.11');
    expect(hv02.cluster).toEqual({ name: 'hvclu', nodes: ['hv02', 'hv03'], sharedVolumes: [CSV] });
    expect(hv02.assignableDevices).toEqual([]);
  });

  it('one discover is one round trip, whatever the number of VMs', async () => {
    const { sim } = await newSim();
    for (let i = 0; i < 20; i++)
      await sim.run(
        'hv01',
        {
          op: 'createVm',
          name: `vm${i}`,
          generation: 2,
          path: `${STORE}\\vm${i}`,
          memoryStartup: GiB,
          notes: MARK,
        },
        ctx(),
      );
    const before = sim.roundTrips('hv01');
    const state = await sim.discover('hv01', scope);
    expect(state.vms).toHaveLength(20);
    expect(sim.roundTrips('hv01') - before).toBe(1);
    expect(sim.discoverCalls('hv01')).toBe(1);
    expect(sim.roundTrips('hv02')).toBe(0);
  });

  it('a clustered VM is found through any node of its cluster, and listed by the node it runs on', async () => {
    const { sim } = await newSim();
    await sim.run(
      'hv02',
      {
        op: 'createVhd',
        path: `${CSV}\\c1\\c1.vhdx`,
        size: 0,
        format: 'vhdx',
        type: 'differencing',
        parentPath: IMAGE,
      },
      ctx(),
    );
    await sim.run(
      'hv02',
      { op: 'createVm', name: 'c1', generation: 2, path: `${CSV}\\c1`, memoryStartup: GiB, notes: MARK },
      ctx(),
    );
    await sim.run(
      'hv02',
      {
        op: 'attachDisk',
        vm: 'c1',
        path: `${CSV}\\c1\\c1.vhdx`,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
        supportPersistentReservations: false,
      },
      ctx(),
    );
    // Not yet a clustered role: only its node lists it.
    expect((await sim.discover('hv03', scope)).vms).toEqual([]);
    const wrong = await refused(sim.run('hv02', { op: 'addClusterRole', vm: 'c1', cluster: 'other' }, ctx()));
    expect(wrong.record?.category).toBe('ObjectNotFound');
    await sim.run('hv02', { op: 'addClusterRole', vm: 'c1', cluster: 'hvclu' }, ctx());
    // Get-VM semantics: listed by the node it runs on; its files are visible from every node.
    expect((await sim.discover('hv02', scope)).vms.map((v) => [v.name, v.clustered])).toEqual([['c1', true]]);
    const fromHv03 = await sim.discover('hv03', scope);
    expect(fromHv03.vms).toEqual([]);
    expect(fromHv03.vhds.map((v) => v.path)).toEqual([IMAGE, `${CSV}\\c1\\c1.vhdx`]);
    // Operations through the other node reach it; the name stays taken cluster-wide.
    await sim.run('hv03', { op: 'startVm', name: 'c1' }, ctx());
    expect(await sim.heartbeat('hv03', 'c1', ctx())).toBe('NoContact');
    await refused(
      sim.run(
        'hv03',
        { op: 'createVm', name: 'c1', generation: 2, path: `${CSV}\\c1b`, memoryStartup: GiB, notes: MARK },
        ctx(),
      ),
    );
    // Memory is used on the node it runs on.
    expect((await sim.discover('hv02', scope)).freeMemory).toBe(63 * GiB);
    expect((await sim.discover('hv03', scope)).freeMemory).toBe(64 * GiB);
    // A host outside the cluster does not see it.
    expect((await sim.discover('hv01', scope)).vms).toEqual([]);
  });

  it('refuses a clustered role for a VM with files off shared storage', async () => {
    const { sim } = await newSim();
    await sim.run(
      'hv02',
      {
        op: 'createVm',
        name: 'local',
        generation: 2,
        path: `${STORE}\\local`,
        memoryStartup: GiB,
        notes: MARK,
      },
      ctx(),
    );
    const e = await refused(sim.run('hv02', { op: 'addClusterRole', vm: 'local', cluster: 'hvclu' }, ctx()));
    expect(e.message).toMatch(/not on cluster shared storage/);
  });

  it('seeds unmarked and foreign resources, and two simulators share one injected store', async () => {
    const store = createMemoryStore();
    const a = await createSim({ lab: testLab(), clock: new VirtualClock(), store });
    await a.seed('hv01', (t) => {
      t.vm({ name: 'dc01' });
      t.vm({ name: 'theirs', notes: ownershipMark('other'), state: 'Running' });
      t.switch({ name: 'LabNet' });
      t.nat({ name: 'DockerNAT', internalPrefix: '172.16.0.0/12' });
      t.freeMemory(4 * GiB);
    });
    const b = await createSim({ lab: testLab(), clock: new VirtualClock(), store });
    const state = await b.discover('hv01', scope);
    expect(state.vms.map((v) => [v.name, v.notes, v.state])).toEqual([
      ['dc01', '', 'Off'],
      ['theirs', ownershipMark('other'), 'Running'],
    ]);
    expect(state.switches.map((s) => s.name)).toEqual(['LabNet']);
    expect(state.nats).toEqual([{ name: 'DockerNAT', internalPrefix: '172.16.0.0/12' }]);
    expect(state.freeMemory).toBe(3 * GiB);
    await refused(
      b.run('hv01', { op: 'createNat', name: 'labform-t.LabNet', internalPrefix: '192.168.50.0/24' }, ctx()),
    );
  });

  it('answers requiresStop from the VM settings table', async () => {
    const { sim } = await newSim();
    for (const p of [
      'processors',
      'memory.startup',
      'memory.dynamic',
      'mmio.low',
      'mmio.high',
      'guestControlledCacheTypes',
      'nestedVirtualization',
      'tpm',
      'firmware.secureBoot',
      'firmware.secureBootTemplate',
      'assignDevices',
      'assignDevices[0]',
    ]) {
      expect(sim.requiresStop(p)).toBe(true);
    }
    for (const p of [
      'notes',
      'memory.minimum',
      'memory.maximum',
      'network[0].vlan',
      'automaticStopAction',
      'checkpointType',
    ])
      expect(sim.requiresStop(p)).toBe(false);
  });
});
