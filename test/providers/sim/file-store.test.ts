import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { createSimProvider } from '../../../src/providers/sim/sim-provider.js';
import { silentLogger } from '../../../src/log/logger.js';
import { parseHost } from '../../../src/providers/sim/sim-state.js';
import { ctx, testLab, GiB, MARK } from './sim-fixtures.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-sim-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('file store', () => {
  it('keeps one JSON file per host under <stateDir>/sim/hosts, read back by a second simulator', async () => {
    const stateDir = tempDir();
    const sim = await createSim({ lab: testLab(), clock: new VirtualClock(), stateDir });
    await sim.run(
      'hv01',
      {
        op: 'createVm',
        name: 'web01',
        generation: 2,
        path: 'D:\\Labs\\t\\web01',
        memoryStartup: 2 * GiB,
        notes: MARK,
      },
      ctx(),
    );
    const file = path.join(stateDir, 'sim', 'hosts', 'hv01.json');
    expect(parseHost(fs.readFileSync(file, 'utf8')).vms.map((v) => v.name)).toEqual(['web01']);
    const other = await createSimProvider({
      lab: testLab(),
      sim: true,
      stateDir,
      clock: new VirtualClock(),
      logger: silentLogger,
    });
    const state = await other.discover('hv01', { paths: [], files: [] });
    expect(state.vms.map((v) => v.name)).toEqual(['web01']);
    expect(fs.readdirSync(path.join(stateDir, 'sim')).filter((n) => n.endsWith('.lock'))).toEqual([]);
  });

  it('never goes back in simulated time across processes with their own clock origin', async () => {
    const stateDir = tempDir();
    const first = await createSim({ lab: testLab(), clock: new VirtualClock({ start: 500_000 }), stateDir });
    await first.run('hv01', { op: 'createSwitch', name: 'A', type: 'private', notes: '' }, ctx());
    const reached = await first.simNow();
    const second = await createSim({ lab: testLab(), clock: new VirtualClock({ start: 0 }), stateDir });
    expect(await second.simNow()).toBeGreaterThanOrEqual(reached);
  });
});

describe('simulated time persistence', () => {
  it('a later process does not see a time earlier than what an earlier (closed) one read', async () => {
    const stateDir = tempDir();
    const clock = new VirtualClock({ start: 1_000_000 });
    const first = await createSim({ lab: testLab(), clock, stateDir });
    await first.run('hv01', { op: 'createSwitch', name: 'A', type: 'private', notes: '' }, ctx());
    await clock.sleep(600_000);
    const seen = (await first.discover('hv01', { paths: [], files: [] })) && (await first.simNow());
    await first.close();
    const second = await createSim({ lab: testLab(), clock: new VirtualClock(), stateDir });
    expect(await second.simNow()).toBeGreaterThanOrEqual(seen);
  });

  it("the validation pass before an operation's time leaks nothing into shared storage", async () => {
    const stateDir = tempDir();
    // Time already advanced: the validation pass persists the clock, and must persist only that.
    const sim = await createSim({ lab: testLab(), clock: new VirtualClock({ start: 5000 }), stateDir });
    const path1 = 'C:\\ClusterStorage\\Volume1\\x.vhdx';
    await sim.run(
      'hv02',
      { op: 'createVhd', path: path1, size: GiB, format: 'vhdx', type: 'dynamic' },
      ctx(),
    );
    await expect(
      sim.run(
        'hv02',
        {
          op: 'createVhd',
          path: 'C:\\ClusterStorage\\Volume1\\y.vhdx',
          size: 1,
          format: 'vhdx',
          type: 'dynamic',
        },
        ctx(),
      ),
    ).rejects.toThrow();
    expect((await sim.rawShared()).vhds.map((v) => v.path)).toEqual([path1]);
  });
});

describe('store listing', () => {
  it('lists every host document of the state directory, including hosts of other labs', async () => {
    const { createFileStore } = await import('../../../src/providers/sim/store/file-store.js');
    const stateDir = tempDir();
    const store = createFileStore({ stateDir });
    await store.transact((tx) => {
      tx.write('hosts/hv01', '{}');
      tx.write('hosts/elsewhere', '{}');
      tx.write('shared', '{}');
    });
    expect(await store.transact((tx) => tx.keys('hosts/'))).toEqual(['hosts/elsewhere', 'hosts/hv01']);
    expect(await store.transact((tx) => tx.keys('sha'))).toEqual(['shared']);
  });
});
