/**
 * A plan costs exactly one round trip per host, running guests included: the guest probes of
 * every running lab VM travel inside the host's discovery request, on the simulator and on the
 * Hyper-V provider over the fake module (several VMs in one Invoke-Command -VMName ... -AsJob).
 * A guest that does not answer is reported unknown without holding the others, and the plan
 * says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { silentLogger } from '../../src/log/logger.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { createSim, type SimProvider } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../src/providers/sim/store/sim-store.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { ownershipMark } from '../../src/ownership/mark.js';
import { describePwsh } from '../support/pwsh.js';
import { captureLogger } from '../support/capture-logger.js';
import { createFakeHyperV, fakeState, type FakeHyperV } from './hyperv/helpers/fake-host.js';

const PASSWORD_ENV = 'LABFORM_TEST_PROBE_PASSWORD';
const IMAGE = 'D:\\Images\\WS2022.vhdx';

/** Three VMs on each of two hosts, each with a Windows image and a credential (so guest tasks). */
function probeLab(): Lab {
  const vms = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']
    .map(
      (name) =>
        `  - name: ${name}\n    host: ${name.startsWith('a') ? 'hv01' : 'hv02'}\n    image: ws2022\n    credential: lab-admin\n`,
    )
    .join('');
  const text = [
    'apiVersion: labform/v1',
    'kind: Lab',
    'name: probes',
    'settings:',
    '  storagePath: D:\\Labs\\{lab}',
    'hosts:',
    '  - name: hv01',
    '    connect: local',
    '  - name: hv02',
    '    connect: local',
    'images:',
    `  - name: ws2022`,
    `    path: ${IMAGE}`,
    '    os: windows',
    '    generation: 2',
    'credentials:',
    '  - name: lab-admin',
    '    username: Administrator',
    `    password: { fromEnv: ${PASSWORD_ENV} }`,
    'vms:',
    vms,
  ].join('\n');
  const { lab, diagnostics } = loadLabFromText({ text, file: '/labs/probes.yaml' });
  if (!lab) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return lab;
}

const env = { [PASSWORD_ENV]: 'Probe-Passw0rd!' };

describe('plan on the simulator: one round trip per host with running guests', () => {
  it('asks every running guest inside discovery; a silent guest is unknown and the plan says so', async () => {
    const lab = probeLab();
    const credentials = createCredentialResolver({ lab, env });
    const clock = new VirtualClock();
    const store = createMemoryStore();
    const build = await createSim({ lab, clock, store });
    // Build the lab (all six VMs run, their guests configured), then plan again on fresh counters.
    const first = await makePlan({ lab, provider: build, credentials, logger: silentLogger, mode: 'apply' });
    const result = await executePlan({
      plan: first.plan,
      provider: build,
      credentials,
      clock,
      parallelism: 8,
      perHostParallelism: 4,
    });
    expect(result.rootCauses).toEqual([]);
    // The same hosts, seen by a second simulator whose a2 guest answers no probe in time.
    const sim: SimProvider = await createSim({ lab, clock, store, faults: { permanent: ['probe:a2'] } });
    const { plan, live } = await makePlan({
      lab,
      provider: sim,
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    expect(sim.roundTrips('hv01')).toBe(1);
    expect(sim.roundTrips('hv02')).toBe(1);
    const answered = [...live.values()]
      .flatMap((h) => h.guestProbes ?? [])
      .map((o) => [o.vm, o.status])
      .sort();
    expect(answered).toEqual([
      ['a1', 'answered'],
      ['a2', 'unknown'],
      ['a3', 'answered'],
      ['b1', 'answered'],
      ['b2', 'answered'],
      ['b3', 'answered'],
    ]);
    // Only a2's guest steps are left; the plan says why.
    expect(plan.steps.map((s) => s.address)).toEqual(expect.arrayContaining(['vm.a2']));
    expect(plan.steps.every((s) => s.address === 'vm.a2')).toBe(true);
    expect(plan.warnings.filter((d) => d.rule === 'guest-unknown').map((d) => d.message)).toEqual([
      expect.stringMatching(
        /^the guest of VM a2 on hv01 did not answer the plan's probes \(no answer within 20 s\)/,
      ),
    ]);
  });
});

/** The fake host of `host` with its three lab VMs running, their guests booted (set up on first use). */
function seededHost(
  host: string,
  names: string[],
  options: { unresponsive?: string; off?: string; foreign?: string; refuses?: string },
): Record<string, unknown> {
  const state = fakeState({ images: [{ path: IMAGE, os: 'windows' }] }, host) as Record<string, any>;
  state.vms = names.map((name, i) => ({
    id: `${host === 'hv01' ? '1' : '2'}000000${i}-0000-4000-8000-00000000000${i}`,
    name,
    state: name === options.off ? 'Off' : 'Running',
    startedAt: 0,
    generation: 2,
    path: `D:\\Labs\\probes\\${name}`,
    processors: 1,
    memoryStartup: 1024 ** 3,
    dynamicMemory: false,
    notes: name === options.foreign ? ownershipMark('another-lab') : ownershipMark('probes'),
    disks: [
      {
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 0,
        path: `D:\\Labs\\probes\\${name}\\${name}-os.vhdx`,
        supportPersistentReservations: false,
      },
    ],
    adapters: [],
    devices: [],
    snapshots: [],
    // A guest that had another local Administrator password: it refuses the lab's credential.
    guest:
      name === options.unresponsive
        ? { unresponsive: true }
        : name === options.refuses
          ? { localAdmin: { user: 'Administrator', password: 'not-a-hash' } }
          : null,
  }));
  // Each VM boots its differencing OS disk on the lab's image: an existing VM, not one to replace.
  state.vhds.push(
    ...names.map((name) => ({
      path: `D:\\Labs\\probes\\${name}\\${name}-os.vhdx`,
      type: 'Differencing',
      parentPath: IMAGE,
      size: 40 * 1024 ** 3,
      mounted: false,
      diskNumber: 0,
      os: 'windows',
    })),
  );
  return state;
}

describePwsh('plan on the Hyper-V provider (fake module): one request per host with running guests', () => {
  let fake: FakeHyperV;
  let capture: ReturnType<typeof captureLogger>;
  const lab = probeLab();

  beforeAll(async () => {
    capture = captureLogger();
    fake = await createFakeHyperV({ lab, logger: capture.logger });
  }, 300_000);
  afterAll(async () => fake?.dispose());

  it('asks every running guest of a host concurrently in the discovery request; a hung guest is unknown, the others answer', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      fake.statePath('hv01'),
      JSON.stringify(seededHost('hv01', ['a1', 'a2', 'a3'], { unresponsive: 'a2' })),
    );
    writeFileSync(
      fake.statePath('hv02'),
      JSON.stringify(
        seededHost('hv02', ['b1', 'b2', 'b3', 'x9'], { off: 'b3', foreign: 'x9', refuses: 'b2' }),
      ),
    );
    const credentials = createCredentialResolver({ lab, env });
    const before = capture
      .text()
      .split('\n')
      .filter((l) => l.includes('"msg":"powershell request"')).length;
    const { plan, live } = await makePlan({
      lab,
      provider: fake.provider,
      credentials,
      logger: silentLogger,
      mode: 'apply',
      probeTimeoutMs: 3_000,
    });
    const requests = capture
      .text()
      .split('\n')
      .filter((l) => l.includes('"msg":"powershell request"'))
      .slice(before)
      .map((l) => JSON.parse(l) as { host: string; command: string })
      // The session's own library load (`__load`) happens once when a host's session opens, not per plan.
      .filter((r) => r.command !== '__load');
    // Exactly one request per host, whatever the number of running guests.
    expect(requests.map((r) => [r.host, r.command]).sort()).toEqual([
      ['hv01', 'Get-LabformHostStateWithProbes'],
      ['hv02', 'Get-LabformHostStateWithProbes'],
    ]);
    const outcomes = Object.fromEntries(
      [...live.values()].flatMap((h) => h.guestProbes ?? []).map((o) => [o.vm, o]),
    );
    // Off and foreign VMs are never asked; the hung guest and the one refusing the credential are unknown.
    expect(Object.keys(outcomes).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(outcomes.a1, JSON.stringify(outcomes.a1)).toMatchObject({
      status: 'answered',
      credential: 'lab-admin',
    });
    expect(outcomes.a3).toMatchObject({ status: 'answered' });
    expect(outcomes.b1).toMatchObject({ status: 'answered' });
    expect(outcomes.a2).toEqual({ vm: 'a2', status: 'unknown', reason: 'no answer within 3 s' });
    expect(outcomes.b2).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/credential is invalid/),
    });
    const notes = plan.warnings
      .filter((d) => d.rule === 'guest-unknown')
      .map((d) => d.message)
      .sort();
    expect(notes).toEqual([
      expect.stringMatching(/^the guest of VM a2 on hv01 did not answer .*no answer within 3 s/),
      expect.stringMatching(/^the guest of VM b2 on hv02 did not answer .*credential is invalid/),
    ]);
    // The answering guests' probes ran in their own guests: each answer is that guest's.
    // Last, each Windows guest's role records (readRoles): none yet in these guests.
    expect(outcomes.a1).toMatchObject({
      results: [
        { done: true, detail: expect.stringContaining('A1') },
        { done: true, detail: '[]' },
      ],
    });
    expect(outcomes.b1).toMatchObject({
      results: [
        { done: true, detail: expect.stringContaining('B1') },
        { done: true, detail: '[]' },
      ],
    });
    // Guest steps stay for the unknown guests and for b3, which is off (started, then configured).
    expect([...new Set(plan.steps.filter((s) => s.type === 'guest').map((s) => s.address))].sort()).toEqual([
      'vm.a2',
      'vm.b2',
      'vm.b3',
    ]);
  }, 240_000);
});
