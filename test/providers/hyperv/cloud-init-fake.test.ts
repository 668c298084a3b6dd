/**
 * Linux guests configured through a cloud-init NoCloud seed, by the Hyper-V provider on the fake
 * module (real pwsh): the seed disk is made with New-VHD, Mount-VHD, Initialize-Disk,
 * New-Partition and Format-Volume (FAT32, label cidata) and attached before the first boot; the
 * fake's Linux guest reads it at boot (host/cloud-init-boot.ps1) and reports its address through
 * KVP; ssh from the host logs in with the host account's key the seed authorised. A second plan
 * is empty; another address plans the seed written again with a restart; an account without a key
 * is a plan-time error.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { planAndApply } from '../../support/plan-apply.js';
import { parse } from 'yaml';
import { describePwsh } from '../../support/pwsh.js';
import { createFakeHyperV, type FakeHyperV } from './helpers/fake-host.js';
import { loadLabFromText } from '../../../src/manifest/load-lab.js';
import type { Lab } from '../../../src/manifest/lab.js';
import { planErrors } from '../../../src/app/make-plan.js';
import { sshKeyFingerprint } from '../../../src/model/cloud-init-seed.js';

const ENV = 'LABFORM_TEST_CLOUD_INIT_FAKE_PASSWORD';
const IMAGE = 'D:\\Images\\ubuntu.vhdx';
const SEED = 'D:\\Labs\\lnx\\web01\\web01-cidata.vhdx';

function labOf(address = 'auto'): Lab {
  const text = `apiVersion: labform/v1
kind: Lab
name: lnx
settings:
  storagePath: D:\\Labs\\lnx
hosts:
  - name: hv01
images:
  - name: ubuntu
    path: ${IMAGE}
    os: linux
credentials:
  - name: ops
    username: labops
    password: { fromEnv: ${ENV} }
networks:
  - name: LabNet
    type: nat
    prefix: 10.31.0.0/24
    dns: [1.1.1.1]
    portMappings:
      - { protocol: tcp, externalPort: 2222, vm: web01, internalPort: 22 }
vms:
  - name: web01
    image: ubuntu
    credential: ops
    network:
      - network: LabNet
        ip: ${address}
    roles:
      - script:
          shell: bash
          run: hostname > /tmp/name
`;
  const { lab, diagnostics } = loadLabFromText({ text, file: 'lnx.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describePwsh('cloud-init seeds: the Hyper-V provider on the fake module', () => {
  let fake: FakeHyperV;
  beforeAll(async () => {
    process.env[ENV] = 'Cloud-Init-P@ss1';
    fake = await createFakeHyperV({
      lab: labOf(),
      seeds: { hv01: { images: [{ path: IMAGE, os: 'linux' }] } },
    });
  }, 60_000);
  afterAll(async () => {
    await fake?.dispose();
    delete process.env[ENV];
  });

  const { plan, apply } = planAndApply({ provider: () => fake.provider });
  const vm = () => (fake.state('hv01').vms as any[]).find((v) => v.name === 'web01');
  /** The files on the seed disk's cidata volume, as the fake keeps a partition's content. */
  const seedFiles = () => {
    const vhd = (fake.state('hv01').vhds as any[]).find((v) => v.path === SEED);
    const partition = vhd.partitions[0];
    const read = (name: string) => readFileSync(join(partition.folder, name), 'utf8');
    return {
      vhd,
      partition,
      meta: parse(read('meta-data')),
      user: read('user-data'),
      network: parse(read('network-config')),
    };
  };
  const hostKey = () => readFileSync(`${fake.statePath('hv01')}.profile/.ssh/id_ed25519.pub`, 'utf8').trim();

  it('writes the seed before the first boot; the guest takes its name, address and the host key from it', async () => {
    const lab = labOf();
    const first = await plan(lab);
    const ids = first.steps.map((s) => s.id);
    expect(ids).toContain('vm.web01/write-cloud-init-seed');
    const attach = first.steps.find((s) => s.id === 'vm.web01/attach-cloud-init-seed')!;
    expect(attach.dependsOn).toEqual(
      expect.arrayContaining(['vm.web01/write-cloud-init-seed', 'vm.web01/attach-os-disk']),
    );
    expect(first.steps.find((s) => s.id === 'vm.web01/start')!.dependsOn).toContain(
      'vm.web01/attach-cloud-init-seed',
    );
    await apply(lab, first);

    const seed = seedFiles();
    expect(seed.vhd.partitionStyle).toBe('MBR');
    expect(seed.partition).toMatchObject({ fileSystem: 'FAT32', label: 'cidata' });
    expect(seed.meta['local-hostname']).toBe('web01');
    expect(seed.user.startsWith('#cloud-config\n')).toBe(true);
    const user = parse(seed.user);
    expect(user.users[1]).toMatchObject({ name: 'labops', ssh_authorized_keys: [hostKey()] });
    const mac = (vm().adapters[0].mac as string).toLowerCase().match(/../g)!.join(':');
    expect(Object.values(seed.network.ethernets)).toEqual([
      {
        match: { macaddress: mac },
        dhcp4: false,
        addresses: ['10.31.0.2/24'],
        routes: [{ to: 'default', via: '10.31.0.1' }],
        nameservers: { addresses: ['1.1.1.1'] },
      },
    ]);
    // The record beside the disk, and nothing mounted or half-written left behind.
    const record = fake.state('hv01').fileContents[`${SEED.toLowerCase()}.labform.json`] as string;
    expect(JSON.parse(record.replace(/^\uFEFF/, ''))).toEqual({
      format: 'labform-cloud-init/1',
      vm: 'web01',
      instanceId: seed.meta['instance-id'],
      seed: {
        hostname: 'web01',
        user: 'labops',
        network: { [mac]: '10.31.0.2/24, gateway 10.31.0.1, DNS 1.1.1.1' },
        sshAuthorizedKeys: [sshKeyFingerprint(hostKey())],
      },
    });
    expect((fake.state('hv01').vhds as any[]).some((v) => /partial/.test(v.path) || v.mounted)).toBe(false);
    // The seed sits on SCSI 0:1, after the OS disk; the guest reports the seed's address through KVP.
    expect(vm().disks.map((d: any) => [d.controllerLocation, d.path])).toEqual([
      [0, 'D:\\Labs\\lnx\\web01\\web01-os.vhdx'],
      [1, SEED],
    ]);
    expect(vm().adapters[0].ipAddresses).toEqual(['10.31.0.2']);
    expect(vm().guest.computerName).toBe('web01');
    // The role ran over ssh with the host's key: the guest knows its name.
    expect(readFileSync(join(fake.dir, 'fake-guests', 'web01', 'linux', 'tmp', 'name'), 'utf8')).toBe(
      'web01\n',
    );

    const second = await plan(lab);
    expect(second.steps.map((s) => s.id)).toEqual([]);
    expect(second.summary).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0 });
  }, 240_000);

  it('writes a new seed for another address, with the VM off, and the guest takes it at the restart', async () => {
    const lab = labOf('10.31.0.40');
    const p = await plan(lab);
    const change = p.changes.find((c) => c.address === 'vm.web01')!;
    expect(change.diff.find((d) => d.path === 'cloudInit.instanceId')).toMatchObject({ requiresStop: true });
    // What changed in the seed, read back from its record through discovery (one key: a list still).
    const mac = (vm().adapters[0].mac as string).toLowerCase().match(/../g)!.join(':');
    expect(
      change.diff.filter((d) => d.path.startsWith('cloudInit.') && d.path !== 'cloudInit.instanceId'),
    ).toEqual([
      {
        path: `cloudInit.network[${mac}]`,
        before: '10.31.0.2/24, gateway 10.31.0.1, DNS 1.1.1.1',
        after: '10.31.0.40/24, gateway 10.31.0.1, DNS 1.1.1.1',
        requiresStop: true,
      },
    ]);
    const write = p.steps.find((s) => s.id === 'vm.web01/write-cloud-init-seed')!;
    expect(write.title).toMatch(/rewrite the cloud-init seed of web01 .*next boot/);
    expect(write.dependsOn).toContain('vm.web01/stop');
    expect(p.steps.find((s) => s.id === 'vm.web01/start')!.dependsOn).toContain(
      'vm.web01/write-cloud-init-seed',
    );
    await apply(lab, p);
    expect(vm().adapters[0].ipAddresses).toEqual(['10.31.0.40']);
    expect((await plan(lab)).steps.map((s) => s.id)).toEqual([]);
  }, 240_000);

  it('refuses to plan a seed when the host account has no SSH key', async () => {
    const key = `${fake.statePath('hv01')}.profile/.ssh/id_ed25519.pub`;
    expect(existsSync(key)).toBe(true);
    rmSync(key);
    const p = await plan(labOf('10.31.0.41'));
    expect(planErrors(p).map((d) => [d.rule, d.pointer])).toEqual([['host-ssh-key-missing', '/vms/0/image']]);
  }, 120_000);

  it("removes the seed's record with its disk", async () => {
    const record = `${SEED.toLowerCase()}.labform.json`;
    expect(fake.state('hv01').fileContents[record]).toBeDefined();
    const ctx = fake.context('vm.web01');
    await fake.provider.run('hv01', { op: 'stopVm', name: 'web01', force: true }, ctx);
    await fake.provider.run(
      'hv01',
      { op: 'detachDisk', vm: 'web01', controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 1 },
      ctx,
    );
    await fake.provider.run('hv01', { op: 'removeVhd', path: SEED }, ctx);
    expect((fake.state('hv01').vhds as any[]).some((v) => v.path === SEED)).toBe(false);
    expect(fake.state('hv01').fileContents[record]).toBeUndefined();
    expect((fake.state('hv01').files as string[]).some((f) => f.toLowerCase() === record)).toBe(false);
  }, 120_000);
});
