/**
 * Images built from an ISO (`images[].from`) on the simulator: built once per host before the
 * OS disks that need them, recorded, not built again while the record matches (a second lab
 * with the same image entry builds nothing), built again when the key changes only while no
 * differencing disk depends on the image, and refused at plan time for a missing ISO, edition
 * or update.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { silentLogger } from '../../src/log/logger.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan, planErrors } from '../../src/app/make-plan.js';
import { createSim, type SimProvider } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore, type SimStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import type { HostOperation } from '../../src/model/host-operation.js';

const ENV = 'LABFORM_TEST_IMAGE_PASSWORD';
const ISO = 'D:\\ISO\\WS2016.iso';

function manifest(o: {
  lab?: string;
  edition?: string;
  updates?: string[];
  iso?: string;
  vms?: string[];
}): string {
  const vms = o.vms ?? ['dc01'];
  return `apiVersion: labform/v1
kind: Lab
name: ${o.lab ?? 'built'}
settings:
  storagePath: D:\\Labs\\${o.lab ?? 'built'}
hosts:
  - name: hv01
images:
  - name: ws2016
    path: D:\\Images\\WS2016-Core.vhdx
    from:
      iso: ${o.iso ?? ISO}
      edition: ${o.edition ?? '"Windows Server 2016 Datacenter"'}
      size: 30GB
      updates: [${(o.updates ?? []).join(', ')}]
credentials:
  - name: admin
    username: Administrator
    password: { fromEnv: ${ENV} }
vms:
${vms.map((name) => `  - name: ${name}\n    image: ws2016\n    credential: admin\n`).join('')}`;
}

function labOf(text: string): Lab {
  const { lab, diagnostics } = loadLabFromText({ text, file: 'built.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

interface Run {
  lab: Lab;
  provider: SimProvider;
}

const operations = (p: { steps: { type: string }[] }): HostOperation[] =>
  p.steps.flatMap((s) =>
    s.type === 'host' ? [(s as unknown as { operation: HostOperation }).operation] : [],
  );

describe('images built from an ISO, on the simulator', () => {
  let store: SimStore;
  let clock: VirtualClock;
  const runs: Run[] = [];
  beforeEach(() => {
    process.env[ENV] = 'Image-Test-P@ss1';
    store = createMemoryStore();
    clock = new VirtualClock();
  });
  afterEach(async () => {
    for (const r of runs.splice(0)) await r.provider.close();
    delete process.env[ENV];
  });
  const start = async (text: string): Promise<Run> => {
    const lab = labOf(text);
    const run = { lab, provider: await createSim({ lab, clock, store }) };
    runs.push(run);
    return run;
  };
  const plan = async (run: Run, mode: 'apply' | 'destroy' = 'apply') =>
    (
      await makePlan({
        lab: run.lab,
        provider: run.provider,
        credentials: createCredentialResolver({ lab: run.lab }),
        logger: silentLogger,
        mode,
      })
    ).plan;
  const apply = async (run: Run, mode: 'apply' | 'destroy' = 'apply') => {
    const p = await plan(run, mode);
    expect(planErrors(p)).toEqual([]);
    const result = await executePlan({
      plan: p,
      provider: run.provider,
      credentials: createCredentialResolver({ lab: run.lab }),
      clock,
      parallelism: 8,
      perHostParallelism: 4,
      journal: memoryJournal(),
    });
    expect(result.rootCauses).toEqual([]);
    return p;
  };
  const imageOnHost = async (run: Run) =>
    (await run.provider.rawState('hv01')).vhds.find((v) => v.path === 'D:\\Images\\WS2016-Core.vhdx');

  it('builds the image before the OS disks that need it, records what it was built from, and plans nothing next', async () => {
    const run = await start(manifest({ vms: ['dc01', 'srv01'], updates: ['D:\\Updates\\kb4013429.msu'] }));
    const first = await plan(run);
    const change = first.changes.find((c) => c.address === 'image.ws2016')!;
    expect(change.action).toBe('create');
    expect(change.reason).toBe(
      'not found on hv01; built from WS2016.iso, edition "Windows Server 2016 Datacenter", 30GB, 1 update',
    );
    const build = first.steps.find((s) => s.id === 'image.ws2016/build')!;
    expect(build).toMatchObject({
      type: 'host',
      host: 'hv01',
      operation: {
        op: 'buildImage',
        path: 'D:\\Images\\WS2016-Core.vhdx',
        generation: 2,
        iso: ISO,
        edition: 'Windows Server 2016 Datacenter',
        size: 30 * 1024 ** 3,
        updates: ['D:\\Updates\\kb4013429.msu'],
      },
    });
    for (const vm of ['dc01', 'srv01'])
      expect(first.steps.find((s) => s.id === `vm.${vm}/create-os-disk`)!.dependsOn).toContain(
        'image.ws2016/build',
      );
    expect(operations(first).filter((o) => o.op === 'buildImage')).toHaveLength(1);
    await apply(run);
    expect(await imageOnHost(run)).toMatchObject({
      size: 30 * 1024 ** 3,
      readOnly: true,
      image: { os: 'windows', generation: 2 },
      record: {
        iso: { path: ISO },
        edition: { index: 3, name: 'Windows Server 2016 Datacenter' },
        updates: ['D:\\Updates\\kb4013429.msu'],
      },
    });
    expect((await plan(run)).steps).toEqual([]);
  });

  it('a second lab with the same image entry builds nothing; naming the edition by its index is the same edition', async () => {
    await apply(await start(manifest({})));
    const second = await start(manifest({ lab: 'other', vms: ['web01'], edition: '3' }));
    const p = await plan(second);
    expect(p.changes.find((c) => c.address === 'image.ws2016')?.action).toBe('noop');
    expect(operations(p).some((o) => o.op === 'buildImage')).toBe(false);
    await apply(second);
  });

  it('changing the updates plans a rebuild only when no differencing disk depends on the image', async () => {
    const run = await start(manifest({}));
    await apply(run);
    const changed = await start(manifest({ updates: ['D:\\Updates\\kb4013429.msu'] }));
    await changed.provider.seed('hv01', (t) => t.file({ path: 'D:\\Updates\\kb4013429.msu' }));
    const refused = await plan(changed);
    expect(planErrors(refused)).toEqual([
      expect.objectContaining({
        rule: 'image-in-use',
        message:
          'image ws2016 (D:\\Images\\WS2016-Core.vhdx) on hv01 must be built again, but differencing disks depend on it: D:\\Labs\\built\\dc01\\dc01-os.vhdx',
        pointer: '/images/0/from',
        line: 11,
      }),
    ]);
    // The lab destroyed, nothing depends on the image: the rebuild is planned and runs.
    await apply(run, 'destroy');
    const p = await plan(changed);
    expect(planErrors(p)).toEqual([]);
    const change = p.changes.find((c) => c.address === 'image.ws2016')!;
    expect(change).toMatchObject({ action: 'replace' });
    expect(change.diff).toEqual([
      { path: 'from.updates', before: [], after: ['D:\\Updates\\kb4013429.msu'], forcesReplace: true },
    ]);
    expect(p.steps.find((s) => s.id === 'image.ws2016/build')?.title).toMatch(/^build image again ws2016/);
    await apply(changed);
    expect((await imageOnHost(changed))?.record?.updates).toEqual(['D:\\Updates\\kb4013429.msu']);
    expect((await plan(changed)).steps).toEqual([]);
  });

  it('refuses at plan time an edition the ISO does not have, listing the ones it has, and a missing ISO or update', async () => {
    const wrong = await start(manifest({ edition: '"Windows Server 2016 Enterprise"' }));
    expect(planErrors(await plan(wrong))).toEqual([
      expect.objectContaining({
        rule: 'image-edition-missing',
        message:
          'D:\\ISO\\WS2016.iso on hv01 has no edition "Windows Server 2016 Enterprise"; it has 1: Windows Server 2016 Standard, 2: Windows Server 2016 Standard (Desktop Experience), 3: Windows Server 2016 Datacenter, 4: Windows Server 2016 Datacenter (Desktop Experience)',
        pointer: '/images/0/from/edition',
        line: 13,
      }),
    ]);
    const missing = await start(manifest({ lab: 'iso', updates: ['D:\\Updates\\kb1.msu'] }));
    await missing.provider.seed('hv01', (t) => {
      t.removeFile(ISO);
      t.removeFile('D:\\Updates\\kb1.msu');
    });
    expect(planErrors(await plan(missing)).map((d) => [d.rule, d.message, d.pointer])).toEqual([
      [
        'image-iso-missing',
        'ISO D:\\ISO\\WS2016.iso of image ws2016 does not exist on hv01',
        '/images/0/from/iso',
      ],
      [
        'image-update-missing',
        'update D:\\Updates\\kb1.msu of image ws2016 does not exist on hv01',
        '/images/0/from/updates/0',
      ],
    ]);
  });

  it('refuses the build itself the same way when the media went missing after the plan', async () => {
    const run = await start(manifest({}));
    const p = await plan(run);
    await run.provider.seed('hv01', (t) => t.removeFile(ISO));
    const result = await executePlan({
      plan: p,
      provider: run.provider,
      credentials: createCredentialResolver({ lab: run.lab }),
      clock,
      parallelism: 8,
      perHostParallelism: 4,
      journal: memoryJournal(),
    });
    expect(result.rootCauses.map((r) => r.error?.message)).toEqual([
      'Mount-DiskImage: The system cannot find the file specified.',
    ]);
  });
});
