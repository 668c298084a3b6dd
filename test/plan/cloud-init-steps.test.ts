/**
 * The plan of a Linux guest's cloud-init seed: written and attached before the first boot (after
 * the OS disk), nothing when the host holds this seed, written again with the VM stopped when what
 * it holds changes, and its slot beside the DVD drives on either generation.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSteps } from '../../src/plan/build-steps.js';
import { diffLab } from '../../src/diff/diff-lab.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { resolveLabFromLive } from '../../src/app/discover-lab.js';
import { requiresStopPath } from '../../src/model/vm-settings.js';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import type { HostStep, Step } from '../../src/plan/plan.js';
import { appliedLive, cloneLive, demoHost, TEST_HOST_KEY } from '../support/lab-builder.js';

type Shape = { generation?: 1 | 2; ip?: string; dvd?: number; cloudInit?: boolean; dataDisks?: number };

function labText(o: Shape = {}): string {
  const gen = o.generation ?? 2;
  const dvd = Array.from({ length: o.dvd ?? 0 }, (_, i) => `D:\\ISO\\disc${i}.iso`);
  const text = `apiVersion: labform/v1
kind: Lab
name: lnx
settings:
  storagePath: D:\\Labs\\lnx
hosts:
  - name: hv01
images:
  - name: ubuntu
    path: D:\\Images\\ubuntu-g${gen}.vhdx
    os: linux
    generation: ${gen}${o.cloudInit === false ? '\n    cloudInit: false' : ''}
credentials:
  - name: ops
    username: labops
    password: { fromEnv: LAB_PW }
networks:
  - name: LabNet
    type: nat
    prefix: 10.40.0.0/24
vms:
  - name: web01
    image: ubuntu
    generation: ${gen}
    credential: ops${gen === 2 ? '\n    firmware: { secureBootTemplate: MicrosoftUEFICertificateAuthority }' : ''}
    disks: [${Array.from({ length: o.dataDisks ?? 1 }, () => '{ size: 10GB }').join(', ')}]
    dvd: [${dvd.join(', ')}]
    network:
      - network: LabNet
        ip: ${o.ip ?? 'auto'}
`;
  return text;
}

function labOf(o: Shape = {}): Lab {
  const { lab, diagnostics } = loadLabFromText({ text: labText(o), file: 'lnx.yaml' });
  if (!lab) throw new Error(JSON.stringify(diagnostics));
  return lab;
}

function steps(lab: Lab, live: Map<string, HostState>): Step[] {
  // As makePlan does: kept addresses and the slots of the drives the VM has now.
  resolveLabFromLive(lab, live);
  const desired = desiredState({ lab });
  const { changes } = diffLab({ lab, desired, live, requiresStop: requiresStopPath });
  return buildSteps({ lab, changes, tasks: [], live });
}

const fresh = () => new Map([['hv01', demoHost('hv01', { sshPublicKey: TEST_HOST_KEY })]]);
const step = (s: Step[], id: string) => s.find((x) => x.id === id) as HostStep | undefined;

describe('cloud-init seed steps', () => {
  it('writes the seed and attaches it after the OS disk, before the first start (generation 2: SCSI after the data disk)', () => {
    const s = steps(labOf(), fresh());
    const write = step(s, 'vm.web01/write-cloud-init-seed')!;
    expect(write.operation).toMatchObject({
      op: 'writeCloudInitSeed',
      vm: 'web01',
      path: 'D:\\Labs\\lnx\\web01\\web01-cidata.vhdx',
    });
    const op = write.operation as Extract<HostStep['operation'], { op: 'writeCloudInitSeed' }>;
    expect(parse(op.files['meta-data'])).toEqual({ 'instance-id': op.instanceId, 'local-hostname': 'web01' });
    expect(parse(op.files['user-data']).users[1].ssh_authorized_keys).toEqual([TEST_HOST_KEY]);
    expect(Object.values(parse(op.files['network-config']).ethernets)).toEqual([
      expect.objectContaining({ addresses: ['10.40.0.2/24'], routes: [{ to: 'default', via: '10.40.0.1' }] }),
    ]);
    const attach = step(s, 'vm.web01/attach-cloud-init-seed')!;
    expect(attach.operation).toMatchObject({
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 2,
    });
    expect(attach.dependsOn).toEqual(
      expect.arrayContaining([
        'vm.web01/write-cloud-init-seed',
        'vm.web01/attach-os-disk',
        'vm.web01/configure',
      ]),
    );
    expect(step(s, 'vm.web01/start')!.dependsOn).toContain('vm.web01/attach-cloud-init-seed');
  });

  it('puts the seed on IDE 0:1 on generation 1, the DVD drives on IDE 1:0 and 1:1', () => {
    const lab = labOf({ generation: 1, dvd: 2 });
    const s = steps(lab, fresh());
    expect(step(s, 'vm.web01/attach-cloud-init-seed')!.operation).toMatchObject({
      controllerType: 'IDE',
      controllerNumber: 0,
      controllerLocation: 1,
    });
    const dvds = s.filter((x) => x.type === 'host' && x.operation.op === 'addDvdDrive') as HostStep[];
    expect(dvds.map((d) => d.operation)).toEqual([
      expect.objectContaining({ controllerType: 'IDE', controllerNumber: 1, controllerLocation: 0 }),
      expect.objectContaining({ controllerType: 'IDE', controllerNumber: 1, controllerLocation: 1 }),
    ]);
  });

  it('rejects a third DVD on a generation 1 Linux VM: IDE 0:1 holds the seed', () => {
    const { lab, diagnostics } = loadLabFromText({
      text: labText({ generation: 1, dvd: 3 }),
      file: 'lnx.yaml',
    });
    expect(lab).toBeUndefined();
    expect(diagnostics.map((d) => [d.rule, d.pointer, d.message])).toEqual([
      [
        'dvd-slots',
        '/vms/0/dvd/2',
        'vm web01 has 3 DVD drives; 2 fit on IDE (generation 1 reads DVDs from IDE only; IDE 0:0 holds the OS disk, 0:1 the cloud-init seed)',
      ],
    ]);
    // Without cloud-init the third drive fits on IDE 0:1, as before.
    expect(
      loadLabFromText({ text: labText({ generation: 1, dvd: 3, cloudInit: false }), file: 'lnx.yaml' }).lab,
    ).toBeDefined();
  });

  it('plans nothing for a seed the host holds, and rewrites it with the VM stopped when an address changes', () => {
    const applied = appliedLive(labOf());
    expect(steps(labOf(), cloneLive(applied)).map((x) => x.id)).toEqual([]);
    const s = steps(labOf({ ip: '10.40.0.77' }), cloneLive(applied));
    const write = step(s, 'vm.web01/write-cloud-init-seed')!;
    expect(write.title).toMatch(/^rewrite the cloud-init seed of web01 .*next boot$/);
    expect(write.dependsOn).toEqual(['vm.web01/stop']);
    expect(step(s, 'vm.web01/stop')!.title).toMatch(/cloud-init applies a new seed at boot/);
    expect(step(s, 'vm.web01/start')!.dependsOn).toContain('vm.web01/write-cloud-init-seed');
    // The disk stays attached: only its content changes.
    expect(s.some((x) => x.id.includes('attach') || x.id.includes('detach'))).toBe(false);
  });

  it('says what changed in the seed, from the summary its record keeps, beside the new instance-id', () => {
    const applied = appliedLive(labOf());
    const lab = labOf({ ip: '10.40.0.77' });
    const { changes } = diffLab({
      lab,
      desired: desiredState({ lab }),
      live: cloneLive(applied),
      requiresStop: requiresStopPath,
    });
    const diff = changes.find((c) => c.change.address === 'vm.web01')!.change.diff;
    const network = diff.filter((x) => x.path.startsWith('cloudInit.network['));
    expect(network).toHaveLength(1);
    expect(network[0]!.before).toMatch(/^10\.40\.0\.\d+\/24, gateway 10\.40\.0\.1/);
    expect(network[0]!.after).toMatch(/^10\.40\.0\.77\/24, gateway 10\.40\.0\.1/);
    expect(network[0]!.requiresStop).toBe(true);
    // Only the address changed: no host name, user or key line.
    expect(diff.map((x) => x.path).filter((p) => p.startsWith('cloudInit.'))).toEqual([
      network[0]!.path,
      'cloudInit.instanceId',
    ]);
    // A record written before records kept the summary: the instance-id line alone, as before.
    const old = cloneLive(applied);
    for (const h of old.values())
      h.cloudInitSeeds = h.cloudInitSeeds?.map(({ path, instanceId }) => ({ path, instanceId }));
    const bare = diffLab({ lab, desired: desiredState({ lab }), live: old, requiresStop: requiresStopPath });
    expect(
      bare.changes
        .find((c) => c.change.address === 'vm.web01')!
        .change.diff.filter((x) => x.path.startsWith('cloudInit.'))
        .map((x) => x.path),
    ).toEqual(['cloudInit.instanceId']);
  });

  it('adds a second data disk after the seed, which stays in its slot (nothing detached or written again)', () => {
    const applied = appliedLive(labOf());
    const s = steps(labOf({ dataDisks: 2 }), cloneLive(applied));
    expect(s.filter((x) => x.id.includes('cloud-init') || x.id.includes('detach'))).toEqual([]);
    const attach = s.find((x) => x.id.startsWith('vm.web01/') && x.id.includes('attach')) as HostStep;
    expect(attach.operation).toMatchObject({ controllerType: 'SCSI', controllerLocation: 3 });
  });

  it('keeps a seed found in another slot there (nothing moves); a new VM gets the layout in order', () => {
    // The seed at SCSI 0:5 (moved by hand) stays there: the plan is empty.
    const applied = appliedLive(labOf());
    const moved = cloneLive(applied);
    const vm = moved.get('hv01')!.vms.find((v) => v.name === 'web01')!;
    const seed = vm.disks.find((d) => /cidata/.test(d.path))!;
    seed.controllerLocation = 5;
    expect(steps(labOf(), cloneLive(moved)).map((x) => x.id)).toEqual([]);
    // A new VM gets the layout in order: the seed right after the data disks.
    const fresh = steps(
      labOf({ dataDisks: 2 }),
      new Map([['hv01', demoHost('hv01', { sshPublicKey: TEST_HOST_KEY })]]),
    );
    expect(
      (step(fresh, 'vm.web01/attach-cloud-init-seed')!.operation as { controllerLocation: number })
        .controllerLocation,
    ).toBe(3);
  });

  it('writes no seed for an image without cloud-init, nor while the host account has no key', () => {
    expect(steps(labOf({ cloudInit: false }), fresh()).some((x) => x.id.includes('cloud-init'))).toBe(false);
    const keyless = new Map([['hv01', demoHost('hv01', { sshPublicKey: null })]]);
    expect(steps(labOf(), keyless).some((x) => x.id.includes('cloud-init'))).toBe(false);
  });
});
