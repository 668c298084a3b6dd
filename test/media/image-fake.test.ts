/**
 * Images built from an ISO through the Hyper-V provider on the fake module: the plan from
 * discovery (the ISO's editions read from the mounted media), Build-LabformImage applied before
 * the OS disk, a second plan that is empty, a second lab with the same image entry that builds
 * nothing, and the plan-time refusals (a changed update list while a VM depends on the image,
 * an edition the ISO does not have).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan, planErrors } from '../../src/app/make-plan.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { RealClock } from '../../src/clock/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import {
  simulatedEditions,
  simulatedFileModified,
  simulatedFileSize,
} from '../../src/providers/sim/host/host-files.js';

const ENV = 'LABFORM_TEST_IMAGE_FAKE_PASSWORD';
const ISO = 'D:\\ISO\\WS2016.iso';
const KB = 'D:\\Updates\\kb4013429.msu';

function labOf(o: { name?: string; edition?: string; updates?: string[] } = {}): Lab {
  const name = o.name ?? 'media';
  const text = `apiVersion: labform/v1
kind: Lab
name: ${name}
settings:
  storagePath: D:\\Labs\\${name}
hosts:
  - name: hv01
images:
  - name: ws2016
    path: D:\\Images\\WS2016.vhdx
    from:
      iso: ${ISO}
      edition: ${o.edition ?? 'Windows Server 2016 Datacenter'}
      size: 30GB
      updates: [${(o.updates ?? []).join(', ')}]
credentials:
  - name: admin
    username: Administrator
    password: { fromEnv: ${ENV} }
vms:
  - name: ${name}-vm
    image: ws2016
    credential: admin
`;
  const { lab, diagnostics } = loadLabFromText({ text, file: `${name}.yaml` });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describePwsh('images from an ISO: the Hyper-V provider on the fake module', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    process.env[ENV] = 'Image-Fake-P@ss1';
    fake = await createFakeHyperV({
      lab: labOf(),
      seeds: {
        hv01: {
          files: [KB],
          isos: [
            {
              path: ISO,
              size: simulatedFileSize(ISO),
              modified: simulatedFileModified(ISO),
              editions: simulatedEditions(ISO),
            },
          ],
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await fake?.dispose();
    delete process.env[ENV];
  });

  const plan = async (lab: Lab) =>
    (
      await makePlan({
        lab,
        provider: fake.provider,
        credentials: createCredentialResolver({ lab }),
        logger: silentLogger,
        mode: 'apply',
      })
    ).plan;
  const apply = async (lab: Lab) => {
    const p = await plan(lab);
    expect(planErrors(p)).toEqual([]);
    const result = await executePlan({
      plan: p,
      provider: fake.provider,
      credentials: createCredentialResolver({ lab }),
      clock: new RealClock(),
      parallelism: 4,
      perHostParallelism: 4,
      journal: memoryJournal(),
    });
    expect(result.rootCauses).toEqual([]);
    return p;
  };

  it('builds the image before the OS disk, converges, and a second lab builds nothing', async () => {
    const first = await apply(labOf());
    const ops = first.steps.flatMap((s) => (s.type === 'host' ? [s.operation.op] : []));
    expect(ops.indexOf('buildImage')).toBeGreaterThanOrEqual(0);
    expect(ops.indexOf('buildImage')).toBeLessThan(ops.indexOf('createVhd'));
    expect((await plan(labOf())).steps).toEqual([]);
    const second = await plan(labOf({ name: 'second' }));
    expect(second.changes.find((c) => c.address === 'image.ws2016')?.action).toBe('noop');
    expect(second.steps.some((s) => s.type === 'host' && s.operation.op === 'buildImage')).toBe(false);
  }, 240_000);

  it('refuses a rebuild under the VM that depends on the image, and an edition the ISO does not have', async () => {
    const changed = await plan(labOf({ updates: [KB] }));
    expect(planErrors(changed).map((d) => [d.rule, d.pointer])).toEqual([['image-in-use', '/images/0/from']]);
    expect(planErrors(changed)[0]!.message).toContain('D:\\Labs\\media\\media-vm\\media-vm-os.vhdx');
    const wrong = await plan(labOf({ name: 'wrong', edition: '"Windows Server 2016 Essentials"' }));
    // The image exists (with its record): a wrong edition is a rebuild, refused for both reasons.
    expect(
      planErrors(wrong)
        .map((d) => d.rule)
        .sort(),
    ).toEqual(['image-edition-missing', 'image-in-use']);
    expect(planErrors(wrong).find((d) => d.rule === 'image-edition-missing')!.message).toContain(
      '3: Windows Server 2016 Datacenter, 4: Windows Server 2016 Datacenter (Desktop Experience)',
    );
  }, 120_000);
});
