/**
 * `files:` into a Linux guest through the Hyper-V provider on the fake module: the plan-time
 * probe runs the bash listing in the guest over ssh (stat, sha256sum) and compares it on the host
 * with its media (Get-FileHash), apply copies over scp from the host, a second plan is empty, and
 * a changed source plans the copy of only the file that differs.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planAndApply } from '../support/plan-apply.js';
import { describePwsh } from '../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from '../providers/hyperv/helpers/fake-host.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { Plan } from '../../src/plan/plan.js';

const ENV = 'LABFORM_TEST_FILES_LINUX_PASSWORD';
const IMAGE = 'D:\\Images\\ubuntu.vhdx';

function labOf(): Lab {
  const text = `apiVersion: labform/v1
kind: Lab
name: media
settings:
  storagePath: D:\\Labs\\media
hosts:
  - name: hv01
images:
  - { name: ubuntu, path: ${IMAGE}, os: linux, generation: 2 }
credentials:
  - name: linux-admin
    username: labadmin
    password: { fromEnv: ${ENV} }
networks:
  - { name: Uplink, type: external, host: hv01, adapter: Ethernet, allowManagementOS: true }
vms:
  - name: lx01
    image: ubuntu
    os: linux
    credential: linux-admin
    firmware: { secureBoot: true, secureBootTemplate: MicrosoftUEFICertificateAuthority }
    network: [{ network: Uplink, ip: dhcp }]
    files:
      - { from: D:\\Media\\App, to: /opt/media/app }
      - { from: D:\\Media\\Tools\\agent.deb, to: /opt/tools/agent.deb }
`;
  const { lab, diagnostics } = loadLabFromText({ text, file: 'media.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describePwsh('files: a Linux guest on the fake module (ssh and scp from the host)', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    process.env[ENV] = 'Files-Linux-P@ss1';
    fake = await createFakeHyperV({
      lab: labOf(),
      seeds: {
        hv01: {
          images: [{ path: IMAGE, os: 'linux' }],
          media: [
            { path: 'D:\\Media\\App\\install.sh', content: '#!/bin/sh\necho install\n' },
            { path: 'D:\\Media\\App\\lib\\core.so', content: 'core library' },
            { path: 'D:\\Media\\App\\lib\\data file.bin', content: 'a name with a space' },
            { path: 'D:\\Media\\Tools\\agent.deb', content: 'agent package' },
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
  /** A file in the fake Linux guest's folder (test/fake-hyperv/linux/fake-openssh.mjs, guestRoot). */
  const guestPath = (linuxPath: string) =>
    join(fake.dir, 'fake-guests', 'lx01', 'linux', ...linuxPath.split('/'));
  const guestFile = (linuxPath: string) => readFileSync(guestPath(linuxPath), 'utf8');
  const written = (linuxPath: string) => statSync(guestPath(linuxPath)).mtimeMs;

  it('copies the media over scp, plans nothing afterwards, and copies a changed file alone', async () => {
    const lab = labOf();
    const first = await plan(lab);
    expect(copies(first)).toEqual(['vm.lx01/files/0', 'vm.lx01/files/1']);
    await apply(lab, first);
    expect(guestFile('/opt/media/app/install.sh')).toBe('#!/bin/sh\necho install\n');
    expect(guestFile('/opt/media/app/lib/core.so')).toBe('core library');
    expect(guestFile('/opt/media/app/lib/data file.bin')).toBe('a name with a space');
    expect(guestFile('/opt/tools/agent.deb')).toBe('agent package');

    // sha256sum in the guest and Get-FileHash on the host agree: nothing differs.
    const second = await plan(lab);
    expect(second.changes.find((c) => c.address === 'vm.lx01')?.diff).toEqual([]);
    expect(copies(second)).toEqual([]);
    expect(second.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });

    const installWritten = written('/opt/media/app/install.sh');
    fake.media('hv01', 'D:\\Media\\App\\lib\\core.so', 'core library, version 2');
    const third = await plan(lab);
    expect(third.changes.find((c) => c.address === 'vm.lx01')?.diff).toEqual([
      {
        path: 'files[0]',
        before: '1 of 3 files differ (23 bytes)',
        after: '/opt/media/app same as D:\\Media\\App on the host',
      },
    ]);
    expect(copies(third)).toEqual(['vm.lx01/files/0']);
    const result = await apply(lab, third);
    expect(result.steps.find((r) => r.id === 'vm.lx01/files/0')?.outcome).toBe('done');
    expect(guestFile('/opt/media/app/lib/core.so')).toBe('core library, version 2');
    // Only the changed file was copied: the others were left as they were.
    expect(written('/opt/media/app/install.sh')).toBe(installWritten);
    expect(copies(await plan(lab))).toEqual([]);
  }, 240_000);
});
