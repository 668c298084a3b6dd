/**
 * storagePath is optional: a host without one keeps the lab's files under its Hyper-V default
 * virtual hard disk folder (Get-VMHost VirtualHardDiskPath), in a folder named after the lab,
 * read at discovery and shown in the plan.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { HOST_DEFAULT_FOLDER } from '../../src/manifest/default-storage.js';
import { silentLogger } from '../../src/log/logger.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { formatPlanText } from '../../src/render/plan-text.js';
import { planJson } from '../../src/render/plan-json.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { load, manifest } from '../manifest/helpers.js';

const withoutStorage = (text: string) => text.replace('settings:\n  storagePath: D:\\Labs\\{lab}\n', '');

describe('storagePath defaults to the host default virtual hard disk folder', () => {
  it('is valid without any storagePath; paths wait for discovery', () => {
    const { lab, diagnostics } = load(
      withoutStorage(
        manifest({ vms: '  - { name: a, image: ws, credential: admin, disks: [{ size: 5GB }] }' }),
      ),
    );
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lab!.hosts[0]).toMatchObject({
      storagePath: `${HOST_DEFAULT_FOLDER}\\t`,
      storagePathDefault: true,
    });
    expect(lab!.vms[0]!.path).toBe(`${HOST_DEFAULT_FOLDER}\\t\\a`);
  });

  it('a host storagePath or settings.storagePath still wins', () => {
    const { lab } = load(manifest());
    expect(lab!.hosts[0]!.storagePath).toBe('D:\\Labs\\t');
    expect(lab!.hosts[0]!.storagePathDefault).toBeUndefined();
  });

  it('the plan resolves the folder from the host, shows it, and a re-plan after apply finds the lab there', async () => {
    process.env.PW ??= 'Default-Storage-Pa55';
    const { lab } = load(
      withoutStorage(
        manifest({ vms: '  - { name: a, image: ws, credential: admin, disks: [{ size: 5GB }] }' }),
      ),
    );
    const clock = new VirtualClock();
    const store = createMemoryStore();
    const hosts = { hv01: { virtualHardDiskPath: 'E:\\Hyper-V\\Disks\\' } };
    const provider = await createSim({ lab: lab!, clock, store, hosts });
    const credentials = createCredentialResolver({ lab: lab! });
    const { plan } = await makePlan({
      lab: lab!,
      provider,
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    expect(plan.storage).toEqual([{ host: 'hv01', path: 'E:\\Hyper-V\\Disks\\t', hostDefault: true }]);
    expect(formatPlanText(plan)).toContain(
      "storage on hv01: E:\\Hyper-V\\Disks\\t (the host's Hyper-V default virtual hard disk folder",
    );
    expect(planJson(plan).storage).toEqual(plan.storage);
    const paths = JSON.stringify(plan.steps);
    expect(paths).not.toContain(HOST_DEFAULT_FOLDER);
    expect(paths).toContain('E:\\\\Hyper-V\\\\Disks\\\\t\\\\a\\\\a-data1.vhdx');
    const result = await executePlan({
      plan,
      provider,
      credentials,
      clock,
      parallelism: 4,
      perHostParallelism: 4,
    });
    expect(result.rootCauses).toEqual([]);
    // A fresh load (placeholders again) against the same host: everything is found where it was put.
    const again = load(
      withoutStorage(
        manifest({ vms: '  - { name: a, image: ws, credential: admin, disks: [{ size: 5GB }] }' }),
      ),
    ).lab!;
    const next = await makePlan({
      lab: again,
      provider: await createSim({ lab: again, clock, store, hosts }),
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    expect(next.plan.steps).toEqual([]);
    expect((await provider.rawState('hv01')).vhds.map((v) => v.path)).toContain(
      'E:\\Hyper-V\\Disks\\t\\a\\a-data1.vhdx',
    );
  });

  it('a fresh simulated host has Hyper-V own default folder', async () => {
    const { lab } = load(withoutStorage(manifest()));
    const provider = await createSim({ lab: lab!, clock: new VirtualClock(), store: createMemoryStore() });
    const live = await provider.discover('hv01', { paths: [], files: [] });
    expect(live.virtualHardDiskPath).toBe('C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks');
  });
});
