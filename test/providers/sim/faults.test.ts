import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors.js';
import { ctx, GiB, MARK, newSim, refused, STORE, target, wait, windowsVm } from './sim-fixtures.js';
import { forest, FIRST_BOOT } from './guest-scenario.js';
import type { SimProvider } from '../../../src/providers/sim/sim-provider.js';

/** Try to create 40 switches once each; which ones failed transiently. */
async function failures(sim: SimProvider): Promise<number[]> {
  const failed: number[] = [];
  for (let i = 0; i < 40; i++) {
    try {
      await sim.run('hv01', { op: 'createSwitch', name: `s${i}`, type: 'private', notes: '' }, ctx());
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).retryable).toBe(true);
      failed.push(i);
    }
  }
  return failed;
}

describe('fault injection', () => {
  it('fails a seeded share of operations transiently, before changing anything, reproducibly', async () => {
    const a = await newSim({ faults: { transientRate: 0.3, seed: 42 } });
    const b = await newSim({ faults: { transientRate: 0.3, seed: 42 } });
    const c = await newSim({ faults: { transientRate: 0.3, seed: 7 } });
    const fa = await failures(a.sim);
    expect(fa.length).toBeGreaterThan(0);
    expect(fa.length).toBeLessThan(40);
    expect(await failures(b.sim)).toEqual(fa);
    expect(await failures(c.sim)).not.toEqual(fa);
    expect(a.sim.faultCounts().transient).toBe(fa.length);
    const switches = (await a.sim.discover('hv01', { paths: [], files: [] })).switches.map((s) =>
      Number(s.name.slice(1)),
    );
    expect(switches.sort((x, y) => x - y)).toEqual([...Array(40).keys()].filter((i) => !fa.includes(i)));
  });

  it('a retry after a transient fault succeeds eventually', async () => {
    const { sim } = await newSim({ faults: { transientRate: 0.5, seed: 3 } });
    let attempts = 0;
    for (;;) {
      attempts += 1;
      try {
        await sim.run(
          'hv01',
          { op: 'createVm', name: 'a', generation: 2, path: `${STORE}\\a`, memoryStartup: GiB, notes: MARK },
          ctx(),
        );
        break;
      } catch (error) {
        expect((error as ProviderError).retryable).toBe(true);
      }
    }
    expect(attempts).toBe(sim.faultCounts().transient + 1);
    expect((await sim.discover('hv01', { paths: [], files: [] })).vms).toHaveLength(1);
  });

  it('fails a named operation on a named resource permanently', async () => {
    const { sim, clock } = await newSim({
      faults: { permanent: ['createVm:dc01', 'runGuest:setComputerName:web01'] },
    });
    const e = await refused(
      sim.run(
        'hv01',
        {
          op: 'createVm',
          name: 'dc01',
          generation: 2,
          path: `${STORE}\\dc01`,
          memoryStartup: GiB,
          notes: MARK,
        },
        ctx(),
      ),
    );
    expect(e.message).toMatch(/createVm:dc01/);
    await sim.run(
      'hv01',
      {
        op: 'createVm',
        name: 'dc02',
        generation: 2,
        path: `${STORE}\\dc02`,
        memoryStartup: GiB,
        notes: MARK,
      },
      ctx(),
    );
    await windowsVm(sim, { name: 'web01' });
    await wait(clock, FIRST_BOOT);
    await refused(sim.runGuest(target('web01'), { op: 'setComputerName', computerName: 'X' }, ctx()));
    expect(sim.faultCounts().permanent).toBe(2);
    expect((await sim.discover('hv01', { paths: [], files: [] })).vms.map((v) => v.name)).toEqual([
      'dc02',
      'web01',
    ]);
  });

  it('heartbeat:<vm> keeps the heartbeat from ever turning OK; adReady:<vm> keeps AD silent', async () => {
    const { sim, clock } = await newSim({ faults: { permanent: ['heartbeat:dc01', 'adReady:dc01'] } });
    await forest(sim, clock);
    await wait(clock, 3_600_000);
    expect(await sim.heartbeat('hv01', 'dc01', ctx())).toBe('NoContact');
    expect(await sim.adReady(target('dc01', 'domain-admin'), ctx())).toBe(false);
    expect(sim.faultCounts()).toMatchObject({ heartbeat: 1, adReady: 1 });
  });
});
