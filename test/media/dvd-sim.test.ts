/**
 * ISOs in DVD drives on the simulator: placed on the slots labform plans (IDE 1:0 on generation 1,
 * SCSI after the disks on generation 2), diffed like any setting, media swapped without stopping
 * the VM, a new drive only while it is off, a missing ISO reported at plan time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan, planErrors } from '../../src/app/make-plan.js';
import { discoverLab } from '../../src/app/discover-lab.js';
import { createSim, type SimProvider } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore, type SimStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import type { HostOperation } from '../../src/model/host-operation.js';

const ENV = 'LABFORM_TEST_DVD_PASSWORD';

function manifest(o: { sqlDvd: string[]; oldDvd?: string[]; sqlProcessors?: number }): string {
  const list = (items: string[]) => `[${items.join(', ')}]`;
  return `apiVersion: labform/v1
kind: Lab
name: media
settings:
  storagePath: D:\\Labs\\media
hosts:
  - name: hv01
images:
  - name: ws
    path: D:\\Images\\ws2016.vhdx
  - name: ws-g1
    path: D:\\Images\\ws2016-g1.vhdx
    generation: 1
credentials:
  - name: admin
    username: Administrator
    password: { fromEnv: ${ENV} }
vms:
  - name: sql01
    image: ws
    credential: admin
    processors: ${o.sqlProcessors ?? 2}
    disks: [{ size: 20GB }]
    dvd: ${list(o.sqlDvd)}
  - name: old01
    image: ws-g1
    credential: admin
    dvd: ${list(o.oldDvd ?? ['D:\\ISO\\tools.iso'])}
`;
}

function labOf(text: string): Lab {
  const { lab, diagnostics } = loadLabFromText({ text, file: 'media.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

interface Run {
  lab: Lab;
  provider: SimProvider;
  clock: VirtualClock;
}

async function open(text: string, store: SimStore, clock: VirtualClock): Promise<Run> {
  const lab = labOf(text);
  return { lab, clock, provider: await createSim({ lab, clock, store }) };
}

async function plan(run: Run) {
  return (
    await makePlan({
      lab: run.lab,
      provider: run.provider,
      credentials: createCredentialResolver({ lab: run.lab }),
      logger: silentLogger,
      mode: 'apply',
    })
  ).plan;
}

async function apply(run: Run) {
  const p = await plan(run);
  expect(planErrors(p)).toEqual([]);
  const credentials = createCredentialResolver({ lab: run.lab });
  const result = await executePlan({
    plan: p,
    provider: run.provider,
    credentials,
    clock: run.clock,
    parallelism: 8,
    perHostParallelism: 4,
    journal: memoryJournal(),
  });
  expect(result.rootCauses).toEqual([]);
  return p;
}

const operations = (p: Awaited<ReturnType<typeof plan>>): HostOperation[] =>
  p.steps.flatMap((s) => (s.type === 'host' ? [s.operation] : []));

async function drives(run: Run, vm: string) {
  const live = (await discoverLab({ lab: run.lab, provider: run.provider })).get('hv01')!;
  return live.vms.find((v) => v.name === vm)!.dvdDrives;
}

describe('dvd: ISOs in DVD drives on the simulator', () => {
  let store: SimStore;
  let clock: VirtualClock;
  const runs: Run[] = [];
  beforeEach(() => {
    process.env[ENV] = 'Dvd-Test-P@ss1';
    store = createMemoryStore();
    clock = new VirtualClock();
  });
  afterEach(async () => {
    for (const r of runs.splice(0)) await r.provider.close();
    delete process.env[ENV];
  });
  const start = async (text: string) => {
    const run = await open(text, store, clock);
    runs.push(run);
    return run;
  };

  it('puts each ISO on its slot when the VM is built; the next plan is empty', async () => {
    const run = await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso', 'D:\\ISO\\SSMS.iso'] }));
    const first = await apply(run);
    const adds = operations(first).filter((o) => o.op === 'addDvdDrive');
    expect(adds).toHaveLength(3);
    // Generation 2: after the OS disk (SCSI 0:0) and the data disk (0:1); generation 1: IDE 1:0.
    expect(await drives(run, 'sql01')).toEqual([
      { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 2, path: 'D:\\ISO\\SQL2016.iso' },
      { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 3, path: 'D:\\ISO\\SSMS.iso' },
    ]);
    expect(await drives(run, 'old01')).toEqual([
      { controllerType: 'IDE', controllerNumber: 1, controllerLocation: 0, path: 'D:\\ISO\\tools.iso' },
    ]);
    expect((await plan(run)).steps).toEqual([]);
  });

  it('swaps the ISO of a running VM without stopping it, and takes an unwanted one out', async () => {
    await apply(await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso', 'D:\\ISO\\SSMS.iso'] })));
    const changed = await start(manifest({ sqlDvd: ['D:\\ISO\\VMM2016.iso'] }));
    await changed.provider.seed('hv01', (t) => t.file({ path: 'D:\\ISO\\VMM2016.iso' }));
    const p = await plan(changed);
    const vm = p.changes.find((c) => c.address === 'vm.sql01')!;
    expect(vm.action).toBe('update');
    expect(vm.requiresStop).toBe(false);
    expect(vm.diff).toEqual([
      { path: 'dvd.SCSI.0.2', before: 'D:\\ISO\\SQL2016.iso', after: 'D:\\ISO\\VMM2016.iso' },
      { path: 'dvd.SCSI.0.3', before: 'D:\\ISO\\SSMS.iso', after: null },
    ]);
    const ops = operations(p);
    expect(ops.some((o) => o.op === 'stopVm')).toBe(false);
    expect(ops).toEqual([
      {
        op: 'setDvdDrive',
        vm: 'sql01',
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 2,
        path: 'D:\\ISO\\VMM2016.iso',
      },
      {
        op: 'setDvdDrive',
        vm: 'sql01',
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 3,
        path: null,
      },
    ]);
    await apply(changed);
    // The emptied drive stays (a drive is removed only while the VM is off); nobody asks for it, so no diff.
    expect((await drives(changed, 'sql01')).map((d) => d.path)).toEqual(['D:\\ISO\\VMM2016.iso', null]);
    expect((await plan(changed)).steps).toEqual([]);
  });

  it('a new drive on a running VM stops it, adds the drive, starts it again', async () => {
    await apply(await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso'] })));
    const more = await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso', 'D:\\ISO\\SSMS.iso'] }));
    await more.provider.seed('hv01', (t) => t.file({ path: 'D:\\ISO\\SSMS.iso' }));
    const p = await plan(more);
    const vm = p.changes.find((c) => c.address === 'vm.sql01')!;
    expect(vm.diff).toEqual([
      { path: 'dvd.SCSI.0.3', before: null, after: 'D:\\ISO\\SSMS.iso', requiresStop: true },
    ]);
    expect(vm.requiresStop).toBe(true);
    const sql = p.steps.filter((s) => s.address === 'vm.sql01' && s.type === 'host');
    expect(sql.map((s) => (s.type === 'host' ? s.operation.op : ''))).toEqual([
      'stopVm',
      'addDvdDrive',
      'startVm',
    ]);
    await apply(more);
    expect((await drives(more, 'sql01')).map((d) => d.path)).toEqual([
      'D:\\ISO\\SQL2016.iso',
      'D:\\ISO\\SSMS.iso',
    ]);
    expect((await plan(more)).steps).toEqual([]);
  });

  it('a VM stopped for another change has its unwanted drive removed, not just emptied', async () => {
    await apply(await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso', 'D:\\ISO\\SSMS.iso'] })));
    const fewer = await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso'], sqlProcessors: 4 }));
    const p = await plan(fewer);
    const sql = p.steps.filter((s) => s.address === 'vm.sql01' && s.type === 'host');
    expect(sql.map((s) => (s.type === 'host' ? s.operation.op : ''))).toEqual([
      'stopVm',
      'configureVm',
      'removeDvdDrive',
      'startVm',
    ]);
    await apply(fewer);
    expect(await drives(fewer, 'sql01')).toEqual([
      { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 2, path: 'D:\\ISO\\SQL2016.iso' },
    ]);
    expect((await plan(fewer)).steps).toEqual([]);
  });

  it('an ISO missing on the host is a plan-time error naming the manifest line, and apply is refused', async () => {
    const run = await start(manifest({ sqlDvd: ['D:\\ISO\\SQL2016.iso'] }));
    await run.provider.seed('hv01', (t) => t.removeFile('D:\\ISO\\SQL2016.iso'));
    const p = await plan(run);
    expect(planErrors(p)).toEqual([
      expect.objectContaining({
        rule: 'dvd-iso-missing',
        pointer: '/vms/0/dvd/0',
        line: 24,
        message: 'ISO D:\\ISO\\SQL2016.iso of vm sql01 does not exist on hv01',
      }),
    ]);
  });
});
