/**
 * `files:` through the Hyper-V provider on the fake module, with real media files on the fake
 * host: the plan-time probe (inside discovery) lists and hashes both sides, apply copies with
 * New-PSSession -VMName and Copy-Item -ToSession (-Recurse for a new target), a second plan is
 * empty, a changed file is the only one copied again, a missing source is a plan-time error.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planAndApply } from '../support/plan-apply.js';
import { describePwsh } from '../support/pwsh.js';
import { captureLogger } from '../support/capture-logger.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { planErrors } from '../../src/app/make-plan.js';
import type { Plan } from '../../src/plan/plan.js';

const ENV = 'LABFORM_TEST_FILES_FAKE_PASSWORD';
const IMAGE = 'D:\\Images\\ws2016.vhdx';

function labOf(from = 'D:\\Media\\SQL2016'): Lab {
  const text = `apiVersion: labform/v1
kind: Lab
name: media
settings:
  storagePath: D:\\Labs\\media
hosts:
  - name: hv01
images:
  - name: ws
    path: ${IMAGE}
credentials:
  - name: admin
    username: Administrator
    password: { fromEnv: ${ENV} }
vms:
  - name: sql01
    image: ws
    credential: admin
    files:
      - { from: ${from}, to: C:\\Media\\SQL2016 }
      - { from: D:\\Media\\Tools\\ssms.exe, to: C:\\Tools\\ssms.exe }
`;
  const { lab, diagnostics } = loadLabFromText({ text, file: 'media.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describePwsh('files: the Hyper-V provider on the fake module', () => {
  let fake: FakeHyperV;
  const capture = captureLogger();
  const requestLines = () =>
    capture
      .text()
      .split('\n')
      .filter((l) => l.includes('"msg":"powershell request"'));
  /** The PowerShell requests sent since `mark` request lines (the session's library load aside). */
  const requestsSince = (mark: number) =>
    requestLines()
      .slice(mark)
      .map((l) => (JSON.parse(l) as { command: string }).command)
      .filter((c) => c !== '__load');
  beforeAll(async () => {
    process.env[ENV] = 'Files-Fake-P@ss1';
    fake = await createFakeHyperV({
      lab: labOf(),
      logger: capture.logger,
      seeds: {
        hv01: {
          images: [{ path: IMAGE, os: 'windows' }],
          media: [
            { path: 'D:\\Media\\SQL2016\\setup.exe', content: 'setup program' },
            { path: 'D:\\Media\\SQL2016\\x64\\Setup\\sql_engine.msi', content: 'engine package' },
            { path: 'D:\\Media\\SQL2016\\x64\\Setup\\sql_tools.cab', content: 'tools cabinet' },
            { path: 'D:\\Media\\Tools\\ssms.exe', content: 'management studio' },
          ],
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await fake?.dispose();
    delete process.env[ENV];
  });

  const { plan, apply } = planAndApply({ provider: () => fake.provider });
  const copies = (p: Plan) =>
    p.steps.flatMap((s) => (s.type === 'guest' && s.operation.op === 'copyFiles' ? [s.id] : []));
  /** A file in the fake guest's folder (test/fake-hyperv/guest/10-guest-model.ps1, Get-FakeGuestRoot). */
  const guestPath = (vm: string, windowsPath: string) =>
    join(fake.dir, 'fake-guests', vm, 'C', ...windowsPath.slice(3).split('\\'));
  const guestFile = (vm: string, windowsPath: string) => readFileSync(guestPath(vm, windowsPath), 'utf8');
  const written = (windowsPath: string) => statSync(guestPath('sql01', windowsPath)).mtimeMs;

  it('copies the media, plans nothing afterwards, and copies a changed file alone', async () => {
    const lab = labOf();
    const first = await plan(lab);
    expect(copies(first)).toEqual(['vm.sql01/files/0', 'vm.sql01/files/1']);
    await apply(lab, first);
    expect(guestFile('sql01', 'C:\\Media\\SQL2016\\x64\\Setup\\sql_engine.msi')).toBe('engine package');
    expect(guestFile('sql01', 'C:\\Media\\SQL2016\\setup.exe')).toBe('setup program');
    expect(guestFile('sql01', 'C:\\Tools\\ssms.exe')).toBe('management studio');

    const mark = requestLines().length;
    const second = await plan(lab);
    // The copies' probes (both sides listed and hashed) travel inside the one discovery request.
    expect(requestsSince(mark)).toEqual(['Get-LabformHostStateWithProbes']);
    expect(copies(second)).toEqual([]);
    expect(second.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });

    const setupWritten = written('C:\\Media\\SQL2016\\setup.exe');
    fake.media('hv01', 'D:\\Media\\SQL2016\\x64\\Setup\\sql_tools.cab', 'tools cabinet, updated');
    const third = await plan(lab);
    const vm = third.changes.find((c) => c.address === 'vm.sql01')!;
    expect(vm.diff).toEqual([
      {
        path: 'files[0]',
        before: '1 of 3 files differ (22 bytes)',
        after: 'C:\\Media\\SQL2016 same as D:\\Media\\SQL2016 on the host',
      },
    ]);
    expect(copies(third)).toEqual(['vm.sql01/files/0']);
    const result = await apply(lab, third);
    expect(result.steps.find((r) => r.id === 'vm.sql01/files/0')?.outcome).toBe('done');
    expect(guestFile('sql01', 'C:\\Media\\SQL2016\\x64\\Setup\\sql_tools.cab')).toBe(
      'tools cabinet, updated',
    );
    // Only the changed file was copied: the others were left as they were.
    expect(written('C:\\Media\\SQL2016\\setup.exe')).toBe(setupWritten);
    expect(copies(await plan(lab))).toEqual([]);
  }, 240_000);

  it('reports a source that is not on the host at plan time', async () => {
    const p = await plan(labOf('D:\\Media\\Missing'));
    expect(planErrors(p).map((d) => [d.rule, d.pointer])).toEqual([
      ['files-source-missing', '/vms/0/files/0/from'],
    ]);
  }, 120_000);
});
