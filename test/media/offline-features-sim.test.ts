/**
 * Windows features installed into a new OS disk before its first boot
 * (`settings.featureInstall`), on the simulator: the plan's host step, the guest finding them
 * installed (no install, no restart), nothing planned afterwards; `online` keeps them in the
 * guest; `auto` picks offline only where the estimated critical path is shorter.
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
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { chooseFeatureMode } from '../../src/roles/lab-guest-tasks.js';

const ENV = 'LABFORM_TEST_FEATURES_PASSWORD';

function manifest(featureInstall: string): string {
  return `apiVersion: labform/v1
kind: Lab
name: features
settings:
  storagePath: D:\\Labs\\features
  featureInstall: ${featureInstall}
hosts:
  - name: hv01
images:
  - name: ws
    path: D:\\Images\\ws2016.vhdx
credentials:
  - name: admin
    username: Administrator
    password: { fromEnv: ${ENV} }
  - name: corp-admin
    username: CORP\\Administrator
    password: { fromEnv: ${ENV} }
networks:
  - name: LabNet
    type: internal
    host: hv01
    prefix: 192.168.60.0/24
vms:
  - name: dc01
    image: ws
    credential: admin
    network: [{ network: LabNet, ip: 192.168.60.10/24 }]
    roles:
      - domainController: { domain: corp.lab, netbios: CORP, safeModePassword: admin, domainAdmin: corp-admin }
  - name: hv02
    image: ws
    credential: admin
    memory: 4GB
    nestedVirtualization: true
    network: [{ network: LabNet, ip: 192.168.60.20/24 }]
    roles:
      - domainMember: { domain: corp.lab, joinCredential: corp-admin }
      - hyperV: {}
`;
}

function labOf(text: string): Lab {
  const { lab, diagnostics } = loadLabFromText({ text, file: 'features.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describe('offline features on the simulator', () => {
  const providers: SimProvider[] = [];
  beforeEach(() => {
    process.env[ENV] = 'Features-Test-P@ss1';
  });
  afterEach(async () => {
    for (const p of providers.splice(0)) await p.close();
    delete process.env[ENV];
  });
  const run = async (featureInstall: string) => {
    const lab = labOf(manifest(featureInstall));
    const clock = new VirtualClock();
    const provider = await createSim({ lab, clock, store: createMemoryStore() });
    providers.push(provider);
    const credentials = createCredentialResolver({ lab });
    const plan = async () =>
      (await makePlan({ lab, provider, credentials, logger: silentLogger, mode: 'apply' })).plan;
    const first = await plan();
    expect(planErrors(first)).toEqual([]);
    const result = await executePlan({
      plan: first,
      provider,
      credentials,
      clock,
      parallelism: 8,
      perHostParallelism: 4,
      journal: memoryJournal(),
    });
    expect(result.rootCauses).toEqual([]);
    return { lab, first, result, next: await plan(), provider };
  };

  it('offline: each VM gets its features in its new disk before the answer file, and its guest finds them installed', async () => {
    const { first, result, next } = await run('offline');
    const step = first.steps.find((s) => s.id === 'vm.hv02/install-features-offline')!;
    expect(step).toMatchObject({
      type: 'host',
      operation: {
        op: 'installFeaturesOffline',
        vm: 'hv02',
        vhdPath: 'D:\\Labs\\features\\hv02\\hv02-os.vhdx',
        features: ['Hyper-V'],
      },
      dependsOn: ['vm.hv02/create-os-disk'],
    });
    expect(first.steps.find((s) => s.id === 'vm.hv02/inject-answer-file')!.dependsOn).toContain(
      'vm.hv02/install-features-offline',
    );
    expect(first.steps.find((s) => s.id === 'vm.dc01/install-features-offline')).toMatchObject({
      operation: { features: ['AD-Domain-Services', 'DNS'] },
    });
    // The guest step found Hyper-V installed: it did not install it again, nor restart the guest.
    const features = result.steps.find((s) => s.id === 'role.hv02.hyperV/features');
    expect(features?.outcome).toBe('skipped-done');
    expect(next.steps).toEqual([]);
  });

  it('online: no host step, the guest installs them; auto takes offline here, where it is shorter', async () => {
    const online = await run('online');
    expect(
      online.first.steps.some((s) => s.type === 'host' && s.operation.op === 'installFeaturesOffline'),
    ).toBe(false);
    expect(online.result.steps.find((s) => s.id === 'role.hv02.hyperV/features')?.outcome).toBe('done');
    const offline = await run('offline');
    expect(offline.result.criticalPath.ms).toBeLessThan(online.result.criticalPath.ms);
    const choice = chooseFeatureMode({ lab: labOf(manifest('auto')) });
    expect(choice.mode).toBe('offline');
    expect(choice.offlineS).toBeLessThan(choice.onlineS);
    const auto = await run('auto');
    expect(
      auto.first.steps.filter((s) => s.type === 'host' && s.operation.op === 'installFeaturesOffline'),
    ).toHaveLength(2);
  });
});
