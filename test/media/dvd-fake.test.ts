/**
 * ISOs in DVD drives through the Hyper-V provider on the fake module: discovery (Get-VMDvdDrive),
 * the plan built from it, Add-/Set-VMDvdDrive applied, and a second plan that is empty.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan, planErrors } from '../../src/app/make-plan.js';
import { discoverLab } from '../../src/app/discover-lab.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { RealClock } from '../../src/clock/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';

const SQL = 'D:\\ISO\\SQL2016.iso';
const VMM = 'D:\\ISO\\VMM2016.iso';
const TOOLS = 'D:\\ISO\\tools.iso';

function labOf(sqlDvd: string[]): Lab {
  const text = `apiVersion: labform/v1
kind: Lab
name: media
settings:
  storagePath: D:\\Labs\\media
hosts:
  - name: hv01
vms:
  - name: sql01
    dvd: [${sqlDvd.join(', ')}]
  - name: old01
    generation: 1
    dvd: [${TOOLS}]
`;
  const { lab, diagnostics } = loadLabFromText({ text, file: 'media.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describePwsh('dvd: the Hyper-V provider on the fake module', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    fake = await createFakeHyperV({ lab: labOf([SQL]), seeds: { hv01: { files: [SQL, VMM, TOOLS] } } });
  }, 60_000);
  afterAll(async () => fake?.dispose());

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
  const drives = async (lab: Lab, vm: string) =>
    (await discoverLab({ lab, provider: fake.provider })).get('hv01')!.vms.find((v) => v.name === vm)!
      .dvdDrives;

  it('builds the drives, finds them again, swaps media while running, and converges', async () => {
    const first = labOf([SQL]);
    await apply(first);
    expect(await drives(first, 'sql01')).toEqual([
      { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 0, path: SQL },
    ]);
    expect(await drives(first, 'old01')).toEqual([
      { controllerType: 'IDE', controllerNumber: 1, controllerLocation: 0, path: TOOLS },
    ]);
    expect((await plan(first)).steps).toEqual([]);

    const swapped = labOf([VMM]);
    const p = await apply(swapped);
    expect(p.steps.map((s) => (s.type === 'host' ? s.operation.op : s.type))).toEqual(['setDvdDrive']);
    expect(await drives(swapped, 'sql01')).toEqual([
      { controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 0, path: VMM },
    ]);
    expect((await plan(swapped)).steps).toEqual([]);
  }, 180_000);

  it('reports an ISO that is not on the host at plan time', async () => {
    const p = await plan(labOf(['D:\\ISO\\missing.iso']));
    expect(planErrors(p).map((d) => [d.rule, d.pointer])).toEqual([['dvd-iso-missing', '/vms/0/dvd/0']]);
  }, 60_000);
});
