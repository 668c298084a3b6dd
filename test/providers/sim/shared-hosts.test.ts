import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../../src/providers/sim/store/sim-store.js';
import { IMAGE, testLab } from './sim-lab.js';

const OTHER_IMAGE = 'E:\\Golden\\Other.vhdx';
const scope = { paths: [], files: [IMAGE, OTHER_IMAGE] };

function otherLab() {
  const lab = testLab();
  return {
    ...lab,
    name: 'other',
    images: [{ name: 'other', path: OTHER_IMAGE, os: 'windows' as const, generation: 2 as const }],
    vms: [],
  };
}

describe('several labs on one simulated host', () => {
  it("gives a host the images of a lab that first sees it after another lab made it, and keeps that lab's later removals", async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const first = await createSim({ lab: testLab(), clock, store });
    await first.seed('hv01', (tools) => tools.freeMemory(32 * 1024 ** 3));
    expect((await first.discover('hv01', scope)).files.find((f) => f.path === OTHER_IMAGE)?.exists).toBe(
      false,
    );

    const second = await createSim({ lab: otherLab(), clock, store });
    const seen = await second.discover('hv01', scope);
    expect(seen.files.find((f) => f.path === OTHER_IMAGE)?.exists).toBe(true);
    expect(seen.files.find((f) => f.path === IMAGE)?.exists).toBe(true);

    await second.seed('hv01', (_tools, raw) => {
      raw.vhds = raw.vhds.filter((v) => v.path !== OTHER_IMAGE);
    });
    const again = await createSim({ lab: otherLab(), clock, store });
    expect((await again.discover('hv01', scope)).files.find((f) => f.path === OTHER_IMAGE)?.exists).toBe(
      false,
    );
  });
});
