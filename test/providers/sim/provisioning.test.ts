/**
 * The simulator is not frozen at a host's first touch: images, media, devices, physical adapters
 * and cluster membership that a later manifest names are on the simulated host when that plan
 * runs (as an administrator would have put them there). Each is given once: what a test takes
 * away stays away, and an older host document without the record is topped up too.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../../src/providers/sim/store/sim-store.js';
import { discoverLab } from '../../../src/app/discover-lab.js';
import { load, manifest } from '../../manifest/helpers.js';

const first = manifest({ vms: '  - { name: a, image: ws, credential: admin }' });
const later = manifest({
  extra: `networks:
  - { name: Uplink, type: external, host: hv01, adapter: Ethernet 2 }
clusters:
  - { name: hvclu, nodes: [hv01], sharedVolume: 'C:\\ClusterStorage\\Volume1' }`,
  vms: `  - { name: a, image: ws, credential: admin, network: [{ network: Uplink, ip: dhcp }] }
  - name: b
    image: ws2
    credential: admin
    automaticStopAction: turnOff
    dvd: ['D:\\ISO\\tools.iso']
    assignDevices: [{ locationPath: 'PCIROOT(0)#PCI(0200)' }]
  - { name: c, cluster: hvclu, image: ws, credential: admin }`,
}).replace(
  'images:\n  - { name: ws, path: D:\\Images\\ws.vhdx }',
  'images:\n  - { name: ws, path: D:\\Images\\ws.vhdx }\n  - { name: ws2, path: D:\\Images\\ws2.vhdx }',
);

describe('simulated hosts follow what later manifests name', () => {
  it('a host first touched by a smaller manifest has what a later one names', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const one = load(first).lab!;
    const sim1 = await createSim({ lab: one, clock, store });
    // A change: the host document is written with what the first manifest named.
    await sim1.run(
      'hv01',
      { op: 'createSwitch', name: 'S', type: 'private', notes: '' },
      {
        address: 'x',
        credentials: {
          get: () => {
            throw new Error('none');
          },
        },
      },
    );
    expect((await sim1.rawState('hv01')).netAdapters?.map((a) => a.name)).toEqual(['Ethernet']);

    const { lab: two, diagnostics } = load(later);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const sim2 = await createSim({ lab: two!, clock, store });
    const live = (await discoverLab({ lab: two!, provider: sim2 })).get('hv01')!;
    expect(live.physicalAdapters!.map((a) => a.name)).toEqual(['Ethernet', 'Ethernet 2']);
    expect(live.files.filter((f) => f.exists).map((f) => f.path)).toEqual(
      expect.arrayContaining(['D:\\Images\\ws2.vhdx', 'D:\\ISO\\tools.iso']),
    );
    expect(live.assignableDevices.map((d) => d.locationPath)).toEqual(['PCIROOT(0)#PCI(0200)']);
    expect(live.cluster).toEqual({
      name: 'hvclu',
      nodes: ['hv01'],
      sharedVolumes: ['C:\\ClusterStorage\\Volume1'],
    });
    // The switch made under the first manifest is still there: nothing else was reset.
    expect(live.switches.map((s) => s.name)).toEqual(['S']);
  });

  it('gives each thing once: what a test takes away stays away on later plans', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const { lab } = load(later);
    const sim = await createSim({ lab: lab!, clock, store });
    await sim.seed('hv01', (t) => {
      t.removeNetAdapter('Ethernet 2');
      t.removeFile('D:\\ISO\\tools.iso');
    });
    const again = await createSim({ lab: lab!, clock, store });
    const live = (await discoverLab({ lab: lab!, provider: again })).get('hv01')!;
    expect(live.physicalAdapters!.map((a) => a.name)).toEqual(['Ethernet']);
    expect(live.files.find((f) => f.path === 'D:\\ISO\\tools.iso')?.exists).toBe(false);
  });

  it('tops up a host saved before the simulator recorded what it gave', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const sim1 = await createSim({ lab: load(first).lab!, clock, store });
    await sim1.seed('hv01', (_t, state) => {
      delete state.provided;
      delete state.netAdapters;
    });
    const { lab } = load(later);
    const live = (
      await discoverLab({ lab: lab!, provider: await createSim({ lab: lab!, clock, store }) })
    ).get('hv01')!;
    expect(live.physicalAdapters!.map((a) => a.name)).toEqual(['Ethernet', 'Ethernet 2']);
    expect(live.files.find((f) => f.path === 'D:\\Images\\ws2.vhdx')?.exists).toBe(true);
  });
});
