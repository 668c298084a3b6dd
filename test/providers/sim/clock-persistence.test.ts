import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../../src/providers/sim/store/sim-store.js';
import { testLab } from './sim-lab.js';

describe('simulated time across processes', () => {
  it('is saved by polls that only read, so a process killed during a long wait does not send the next one back in time', async () => {
    const store = createMemoryStore();
    const clock = new VirtualClock();
    const first = await createSim({ lab: testLab(), clock, store });
    await first.discover('hv01', { paths: [], files: [] });
    await clock.sleep(20 * 60_000);
    await first.discover('hv01', { paths: [], files: [] });
    // No close(): the first process is killed here.
    const next = await createSim({ lab: testLab(), clock: new VirtualClock(), store });
    expect(await next.simNow()).toBeGreaterThanOrEqual(20 * 60_000);
  });
});
