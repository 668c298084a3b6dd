/**
 * Linux guests configured through a cloud-init NoCloud seed on the simulator: the seed disk is
 * written and attached before the first boot, the guest takes its host name and its `ip: auto`
 * address from it and reports the address through KVP, a NAT port mapping to the guest then
 * reaches its SSH, and a second plan is empty. Another address rewrites the seed with a restart;
 * an image without cloud-init keeps today's behaviour (no address configured); a host account
 * without an SSH key is a plan-time error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planAndApply } from '../../support/plan-apply.js';
import { parse } from 'yaml';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { loadLabFromText } from '../../../src/manifest/load-lab.js';
import type { Lab } from '../../../src/manifest/lab.js';
import { planErrors } from '../../../src/app/make-plan.js';
import { createSim, type SimProvider } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore, type SimStore } from '../../../src/providers/sim/store/sim-store.js';
import { natMappingReach } from '../../../src/providers/sim/host/nat-reach.js';
import { hostSshPublicKey } from '../../../src/providers/sim/host/host-ssh-key.js';
import { Secret } from '../../../src/secrets/secret.js';
import { ctx } from './sim-lab.js';

const ENV = 'LABFORM_TEST_CLOUD_INIT_PASSWORD';
const SEED = 'D:\\Labs\\lnx\\web01\\web01-cidata.vhdx';

function labOf(o: { ip?: string; cloudInit?: boolean; credential?: boolean } = {}): Lab {
  const text = `apiVersion: labform/v1
kind: Lab
name: lnx
settings:
  storagePath: D:\\Labs\\lnx
hosts:
  - name: hv01
images:
  - name: ubuntu
    path: D:\\Images\\ubuntu.vhdx
    os: linux${o.cloudInit === false ? '\n    cloudInit: false' : ''}
credentials:
  - name: ops
    username: labops
    password: { fromEnv: ${ENV} }
networks:
  - name: LabNet
    type: nat
    prefix: 10.30.0.0/24
    portMappings:
      - { protocol: tcp, externalPort: 2222, vm: web01, internalPort: 22 }
vms:
  - name: web01
    computerName: web-one
    image: ubuntu${o.credential === false ? '' : '\n    credential: ops'}
    network:
      - network: LabNet
        ip: ${o.ip ?? 'auto'}
`;
  const { lab, diagnostics } = loadLabFromText({ text, file: 'lnx.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

describe('cloud-init seeds of Linux guests on the simulator', () => {
  let store: SimStore;
  let clock: VirtualClock;
  let provider: SimProvider;
  beforeEach(async () => {
    process.env[ENV] = 'Cloud-Init-P@ss1';
    store = createMemoryStore();
    clock = new VirtualClock();
    provider = await createSim({ lab: labOf(), clock, store });
  });
  afterEach(async () => {
    await provider.close();
    delete process.env[ENV];
  });

  const { plan, apply } = planAndApply({ provider: () => provider, clock: () => clock, parallelism: 8 });
  const host = () => provider.rawState('hv01');
  const reach = async () =>
    natMappingReach({
      host: await host(),
      protocol: 'tcp',
      externalPort: 2222,
      now: await provider.simNow(),
      timing: provider.timing,
    });
  const reported = async () =>
    (await provider.discover('hv01', { paths: [], files: [] })).vms.find((v) => v.name === 'web01')!
      .adapters[0]!.addresses;

  it('gives an ip: auto guest its address from the seed; the port mapping reaches its SSH; a second plan is empty', async () => {
    const lab = labOf();
    const first = await plan(lab);
    const write = first.steps.find((s) => s.id === 'vm.web01/write-cloud-init-seed')!;
    expect(write).toMatchObject({ type: 'host', operation: { op: 'writeCloudInitSeed', path: SEED } });
    expect(first.steps.find((s) => s.id === 'vm.web01/start')!.dependsOn).toContain(
      'vm.web01/attach-cloud-init-seed',
    );
    // No secret in the seed: the host account's public key, no password.
    const files =
      write.type === 'host' && write.operation.op === 'writeCloudInitSeed'
        ? write.operation.files
        : undefined;
    expect(JSON.stringify(files)).not.toContain('Cloud-Init-P@ss1');
    expect(parse(files!['user-data']).users[1].ssh_authorized_keys).toEqual([hostSshPublicKey(await host())]);
    await apply(lab, first);

    const state = await host();
    const vm = state.vms.find((v) => v.name === 'web01')!;
    expect(vm.guest!.computerName).toBe('web-one');
    expect(vm.disks.map((d) => [d.controllerType, d.controllerLocation, d.path])).toEqual([
      ['SCSI', 0, 'D:\\Labs\\lnx\\web01\\web01-os.vhdx'],
      ['SCSI', 1, SEED],
    ]);
    expect(await reported()).toEqual(['10.30.0.2']);
    expect(state.natMappings).toEqual([
      expect.objectContaining({ externalPort: 2222, internalAddress: '10.30.0.2' }),
    ]);
    expect(await reach()).toEqual({
      reached: true,
      vm: 'web01',
      address: '10.30.0.2',
      port: 22,
      sshAnswers: true,
    });

    const second = await plan(lab);
    expect(second.steps).toEqual([]);
  });

  it('writes a new seed for another address: the VM restarts and takes it; the mapping follows', async () => {
    await apply(labOf(), await plan(labOf()));
    const lab = labOf({ ip: '10.30.0.50' });
    const p = await plan(lab);
    const ids = p.steps.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining(['vm.web01/stop', 'vm.web01/write-cloud-init-seed', 'vm.web01/start']),
    );
    expect(p.steps.find((s) => s.id === 'vm.web01/stop')!.title).toMatch(
      /cloud-init applies a new seed at boot/,
    );
    await apply(lab, p);
    expect(await reported()).toEqual(['10.30.0.50']);
    expect(await reach()).toMatchObject({ reached: true, address: '10.30.0.50', sshAnswers: true });
    expect((await plan(lab)).steps).toEqual([]);
  });

  it('configures nothing in a guest of an image without cloud-init: the address never appears', async () => {
    // No credential: nothing to log in for, so the apply has no SSH wait that could never end.
    const lab = labOf({ cloudInit: false, credential: false });
    const p = await plan(lab);
    expect(p.steps.some((s) => s.id.includes('cloud-init'))).toBe(false);
    await apply(lab, p);
    expect(await reported()).toEqual([]);
    expect(await reach()).toEqual({
      reached: false,
      reason: "no running guest on the NAT's network has 10.30.0.2",
    });
  });

  it('refuses to plan when the host account has no SSH key', async () => {
    await provider.seed('hv01', (_tools, state) => {
      state.sshPublicKey = null;
    });
    const p = await plan(labOf());
    expect(planErrors(p).map((d) => [d.rule, d.pointer])).toEqual([['host-ssh-key-missing', '/vms/0/image']]);
  });

  it('writes a new seed when the host key changes (the guest accepts only the key its seed gave)', async () => {
    await apply(labOf(), await plan(labOf()));
    await provider.seed('hv01', (_tools, state) => {
      state.sshPublicKey =
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRotatedKeyRotatedKeyRotatedKey0 labform@hv01';
    });
    const target = {
      host: 'hv01',
      vm: 'web01',
      os: 'linux' as const,
      credential: { name: 'ops', username: 'labops', password: new Secret('unused') },
    };
    // The guest still holds the old key: ssh with the new one is refused until the seed is rewritten.
    expect(await provider.guestReachable(target, ctx())).toBe(false);
    const p = await plan(labOf());
    const diff = p.changes.find((c) => c.address === 'vm.web01')!.diff;
    // The key line says which key the seed gives now (by fingerprint), then the new instance-id.
    expect(diff.map((d) => d.path)).toEqual(['cloudInit.sshAuthorizedKeys', 'cloudInit.instanceId']);
    expect(diff[0]!.before).not.toEqual(diff[0]!.after);
    expect(String(diff[0]!.after)).toMatch(/^ssh-ed25519 SHA256:\S+ /);
    await apply(labOf(), p);
    expect(await provider.guestReachable(target, ctx())).toBe(true);
    expect((await plan(labOf())).steps).toEqual([]);
  });
});
