/**
 * `files:` on the simulator: host media copied into guests before their roles, compared by size
 * and SHA-256 so that a second apply copies nothing, a changed host file shows in the plan as a
 * change of its VM and is the only file copied again, and a source missing on the host is a
 * plan-time error. The probes travel inside discovery: one round trip per host per plan.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planAndApply } from '../support/plan-apply.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { memoryJournal } from '../../src/executor/journal.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { planErrors } from '../../src/app/make-plan.js';
import { createSim, type SimProvider } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore, type SimStore } from '../../src/providers/sim/store/sim-store.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import type { Plan } from '../../src/plan/plan.js';
import { simulatedFolderFiles } from '../../src/providers/sim/host/host-files.js';

const ENV = 'LABFORM_TEST_FILES_PASSWORD';

const MANIFEST = `apiVersion: labform/v1
kind: Lab
name: media
settings:
  storagePath: D:\\Labs\\media
hosts:
  - name: hv01
networks:
  - name: LabNet
    type: nat
    prefix: 10.20.0.0/24
    hosts: [hv01]
  - name: Corp
    type: external
    adapter: Ethernet
    hosts: [hv01]
images:
  - name: ws
    path: D:\\Images\\ws2016.vhdx
  - name: ubuntu
    path: D:\\Images\\ubuntu.vhdx
    os: linux
credentials:
  - name: admin
    username: Administrator
    password: { fromEnv: ${ENV} }
  - name: ops
    username: ops
    password: { fromEnv: ${ENV} }
vms:
  - name: sql01
    image: ws
    credential: admin
    network: [{ network: LabNet, ip: 10.20.0.10 }]
    files:
      - { from: D:\\Media\\SQL2016, to: C:\\Media\\SQL2016 }
      - { from: D:\\Media\\Tools\\ssms.exe, to: C:\\Tools\\ssms.exe }
    roles:
      - script: { run: 'C:\\Media\\SQL2016\\setup.exe /q', test: 'Test-Path C:\\SQL' }
  - name: web01
    image: ubuntu
    credential: ops
    # The Linux guest's address comes from the physical network's DHCP (ssh needs one).
    network: [{ network: Corp, ip: dhcp }]
    files:
      - { from: D:\\Media\\site, to: /srv/site }
`;

function labOf(): Lab {
  const { lab, diagnostics } = loadLabFromText({ text: MANIFEST, file: 'media.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describe('files: host media into guests on the simulator', () => {
  let store: SimStore;
  let clock: VirtualClock;
  let provider: SimProvider;
  let lab: Lab;
  beforeEach(async () => {
    process.env[ENV] = 'Files-Test-P@ss1';
    store = createMemoryStore();
    clock = new VirtualClock();
    lab = labOf();
    provider = await createSim({ lab, clock, store });
  });
  afterEach(async () => {
    await provider.close();
    delete process.env[ENV];
  });

  const run = planAndApply({ provider: () => provider, clock: () => clock, parallelism: 8 });
  const plan = () => run.plan(lab);
  const apply = (p: Plan) => run.apply(lab, p);

  const copySteps = (p: Plan) =>
    p.steps.flatMap((s) => (s.type === 'guest' && s.operation.op === 'copyFiles' ? [s] : []));

  const guestFiles = async (vm: string) =>
    (await provider.rawState('hv01')).vms.find((v) => v.name === vm)!.guest!.files ?? [];

  it('copies before the roles, then plans nothing: sizes and hashes match', async () => {
    const first = await plan();
    const copies = copySteps(first);
    expect(copies.map((s) => s.id)).toEqual(['vm.sql01/files/0', 'vm.sql01/files/1', 'vm.web01/files/0']);
    // The role waits for the media: its step depends on the last copy of its VM.
    const role = first.steps.find((s) => s.type === 'guest' && s.operation.op === 'runScript')!;
    expect(role.dependsOn).toContain('vm.sql01/files/1');
    await apply(first);

    const media = simulatedFolderFiles('D:\\Media\\SQL2016');
    const copied = await guestFiles('sql01');
    expect(
      copied.filter((f) => f.path.startsWith('C:\\Media\\SQL2016\\')).map((f) => [f.path, f.size]),
    ).toEqual(media.map((f) => [f.path.replace('D:\\Media\\SQL2016', 'C:\\Media\\SQL2016'), f.size]));
    expect(copied.some((f) => f.path === 'C:\\Tools\\ssms.exe')).toBe(true);
    expect((await guestFiles('web01')).every((f) => f.path.startsWith('/srv/site/'))).toBe(true);

    const trips = provider.roundTrips('hv01');
    const second = await plan();
    // One round trip for the whole plan: the copies' probes travel inside discovery.
    expect(provider.roundTrips('hv01') - trips).toBe(1);
    expect(copySteps(second)).toEqual([]);
    expect(second.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  it('shows a changed host file as a change of its VM and copies only that file', async () => {
    await apply(await plan());
    const before = await guestFiles('sql01');
    const changed = simulatedFolderFiles('D:\\Media\\SQL2016')[0]!;
    await provider.seed('hv01', (t) =>
      t.file({ path: changed.path, size: changed.size + 4096, sha256: 'ab'.repeat(32) }),
    );

    const p = await plan();
    const vm = p.changes.find((c) => c.address === 'vm.sql01')!;
    expect(vm.action).toBe('update');
    const media = simulatedFolderFiles('D:\\Media\\SQL2016');
    expect(vm.diff).toEqual([
      {
        path: 'files[0]',
        before: `1 of ${media.length} files differ (2 MB)`,
        after: 'C:\\Media\\SQL2016 same as D:\\Media\\SQL2016 on the host',
      },
    ]);
    expect(copySteps(p).map((s) => s.id)).toEqual(['vm.sql01/files/0']);
    await apply(p);

    const after = await guestFiles('sql01');
    const moved = after.filter((f) => before.find((b) => b.path === f.path)?.writtenAt !== f.writtenAt);
    expect(moved.map((f) => [f.path, f.size])).toEqual([
      [changed.path.replace('D:\\Media', 'C:\\Media'), changed.size + 4096],
    ]);
    expect(copySteps(await plan())).toEqual([]);
  });

  it('reports a source missing on the host at plan time, at the entry', async () => {
    await provider.seed('hv01', (t) => t.removeFile('D:\\Media\\SQL2016'));
    const p = await plan();
    expect(planErrors(p).map((d) => [d.rule, d.pointer, d.message])).toEqual([
      [
        'files-source-missing',
        '/vms/0/files/0/from',
        'files[0] of vm sql01: D:\\Media\\SQL2016 does not exist on hv01',
      ],
    ]);
  });

  it('refuses the copy when the source went away after planning, naming the path', async () => {
    const p = await plan();
    await provider.seed('hv01', (t) => t.removeFile('D:\\Media\\site'));
    const result = await executePlan({
      plan: p,
      provider,
      credentials: createCredentialResolver({ lab }),
      clock,
      parallelism: 8,
      perHostParallelism: 4,
      journal: memoryJournal(),
    });
    expect(result.rootCauses.map((r) => r.id)).toEqual(['vm.web01/files/0']);
    expect(JSON.stringify(result.rootCauses)).toContain(
      "Cannot find path 'D:\\\\Media\\\\site' because it does not exist.",
    );
  });
});
