import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProviderError } from '../../../src/errors.js';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim } from '../../../src/providers/sim/sim-provider.js';
import { createMemoryStore } from '../../../src/providers/sim/store/sim-store.js';
import { parseHost, parseShared, type SimHost } from '../../../src/providers/sim/sim-state.js';
import type { HostOperation } from '../../../src/model/host-operation.js';
import type { GuestOperation } from '../../../src/model/guest-operation.js';
import { ctx, GiB, IMAGE, MiB, STORE, target, testLab } from './sim-fixtures.js';

const CSV = 'C:\\ClusterStorage\\Volume1';
const vmName = fc.constantFrom('a', 'b', 'c');
const sw = fc.constantFrom('S1', 'S2');
const host = fc.constantFrom('hv01', 'hv02');
const file = fc.constantFrom(`${STORE}\\a.vhdx`, `${STORE}\\b.vhdx`, `${CSV}\\s.vhdx`, `${STORE}\\p\\c.vhdx`);

const hostOp: fc.Arbitrary<HostOperation> = fc.oneof(
  fc.record({
    op: fc.constant('createSwitch' as const),
    name: sw,
    type: fc.constantFrom('internal' as const, 'private' as const),
    notes: fc.constant(''),
  }),
  fc.record({ op: fc.constant('removeSwitch' as const), name: sw }),
  fc.record({
    op: fc.constant('setHostAddress' as const),
    switchName: sw,
    address: fc.constantFrom('192.168.50.1', '10.254.0.10'),
    prefixLength: fc.constant(24),
  }),
  fc.record({
    op: fc.constant('createNat' as const),
    name: fc.constantFrom('n1', 'n2'),
    internalPrefix: fc.constantFrom('192.168.50.0/24', '10.254.0.0/16', 'bogus'),
  }),
  fc.record({ op: fc.constant('removeNat' as const), name: fc.constantFrom('n1', 'n2') }),
  fc.record({
    op: fc.constant('addNatMapping' as const),
    nat: fc.constantFrom('n1', 'n2'),
    protocol: fc.constantFrom('tcp' as const, 'udp' as const),
    externalPort: fc.constantFrom(80, 443),
    internalAddress: fc.constant('192.168.50.10'),
    internalPort: fc.constant(80),
  }),
  fc.record({
    op: fc.constant('createVhd' as const),
    path: file,
    size: fc.constantFrom(GiB, 0),
    format: fc.constant('vhdx' as const),
    type: fc.constantFrom('dynamic' as const, 'fixed' as const, 'differencing' as const),
    parentPath: fc.constantFrom(IMAGE, `${STORE}\\a.vhdx`, 'D:\\none.vhdx'),
  }),
  fc.record({ op: fc.constant('removeVhd' as const), path: file }),
  fc.record({
    op: fc.constant('injectAnswerFile' as const),
    vhdPath: file,
    computerName: fc.constant('X'),
    credential: fc.constant('lab-admin'),
    timeZone: fc.constant('UTC'),
  }),
  fc.record({
    op: fc.constant('createVm' as const),
    name: vmName,
    generation: fc.constantFrom(1 as const, 2 as const),
    path: fc.constantFrom(`${STORE}\\v`, `${CSV}\\v`),
    memoryStartup: fc.constantFrom(GiB, 100 * GiB, 3 * MiB),
    notes: fc.constant(''),
  }),
  fc.record({
    op: fc.constant('configureVm' as const),
    name: vmName,
    settings: fc.record(
      {
        processors: fc.integer({ min: 0, max: 4 }),
        tpm: fc.boolean(),
        nestedVirtualization: fc.boolean(),
        memory: fc.record({ startup: fc.constantFrom(GiB, 2 * GiB), dynamic: fc.boolean() }),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ op: fc.constant('startVm' as const), name: vmName }),
  fc.record({ op: fc.constant('stopVm' as const), name: vmName, force: fc.boolean() }),
  fc.record({ op: fc.constant('removeVm' as const), name: vmName }),
  fc.record({
    op: fc.constant('attachDisk' as const),
    vm: vmName,
    path: file,
    controllerType: fc.constantFrom('SCSI' as const, 'IDE' as const),
    controllerNumber: fc.constant(0),
    controllerLocation: fc.integer({ min: 0, max: 2 }),
    supportPersistentReservations: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('detachDisk' as const),
    vm: vmName,
    controllerType: fc.constant('SCSI' as const),
    controllerNumber: fc.constant(0),
    controllerLocation: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    op: fc.constant('addAdapter' as const),
    vm: vmName,
    name: fc.constantFrom('n0', 'n1'),
    switchName: sw,
    macAddressSpoofing: fc.boolean(),
  }),
  fc.record({ op: fc.constant('removeAdapter' as const), vm: vmName, name: fc.constantFrom('n0', 'n1') }),
  fc.record({
    op: fc.constant('assignDevice' as const),
    vm: vmName,
    locationPath: fc.constant('PCIROOT(40)#PCI(0200)#PCI(0000)'),
  }),
  fc.record({
    op: fc.constant('checkpointVm' as const),
    vm: vmName,
    checkpoint: fc.constantFrom('c1', 'c2'),
  }),
  fc.record({
    op: fc.constant('restoreCheckpoint' as const),
    vm: vmName,
    checkpoint: fc.constantFrom('c1', 'c2'),
  }),
  fc.record({ op: fc.constant('addClusterRole' as const), vm: vmName, cluster: fc.constant('hvclu') }),
);

const guestOp: fc.Arbitrary<GuestOperation> = fc.oneof(
  fc.record({
    op: fc.constant('setComputerName' as const),
    computerName: fc.constantFrom('WEB', 'DC', '123'),
  }),
  fc.record({
    op: fc.constant('installFeatures' as const),
    features: fc.constantFrom('AD-Domain-Services', 'Hyper-V', 'DHCP').map((f) => [f]),
  }),
  fc.constant<GuestOperation>({
    op: 'createForest',
    domain: 'contoso.com',
    netbios: 'CONTOSO',
    safeModePassword: 'dsrm',
    domainAdmin: 'domain-admin',
  }),
  fc.constant<GuestOperation>({
    op: 'joinDomain',
    domain: 'contoso.com',
    joinCredential: 'domain-admin',
    dns: ['192.168.50.10'],
  }),
  fc.constant<GuestOperation>({ op: 'runScript', id: 'x', run: 'x', shell: 'powershell', reboots: true }),
);

type Step =
  | { kind: 'host'; host: string; op: HostOperation }
  | { kind: 'guest'; vm: string; op: GuestOperation }
  | { kind: 'wait'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('host' as const), host, op: hostOp }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('guest' as const), vm: vmName, op: guestOp }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(5_000, 60_000, 400_000) }),
  },
);

function invariants(hosts: SimHost[]): void {
  for (const h of hosts) {
    const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
    expect(new Set(lower(h.vms.map((v) => v.name))).size).toBe(h.vms.length);
    expect(new Set(lower(h.switches.map((s) => s.name))).size).toBe(h.switches.length);
    expect(h.nats.length).toBeLessThanOrEqual(1);
    expect(new Set(h.natMappings.map((m) => `${m.protocol}/${m.externalPort}`)).size).toBe(
      h.natMappings.length,
    );
    for (const vm of h.vms)
      expect(new Set(vm.checkpoints.map((c) => c.name)).size).toBe(vm.checkpoints.length);
  }
}

async function play(steps: Step[], options: { stateDir?: string }): Promise<void> {
  const store = options.stateDir ? undefined : createMemoryStore();
  const clock = new VirtualClock();
  const sim = await createSim({
    lab: testLab(),
    clock,
    ...(store ? { store } : { stateDir: options.stateDir }),
  });
  for (const s of steps) {
    try {
      if (s.kind === 'host') await sim.run(s.host, s.op, ctx());
      else if (s.kind === 'guest') await sim.runGuest(target(s.vm), s.op, ctx());
      else await clock.sleep(s.ms);
    } catch (error) {
      // Refusals are expected; anything else is a bug in the simulator.
      if (!(error instanceof ProviderError)) throw error;
    }
  }
  const texts: Record<string, string> = {};
  if (store) for (const [k, v] of store.documents) texts[k] = v;
  else {
    const root = path.join(options.stateDir!, 'sim');
    for (const n of fs.readdirSync(path.join(root, 'hosts')))
      texts[`hosts/${n.replace(/\.json$/, '')}`] = fs.readFileSync(path.join(root, 'hosts', n), 'utf8');
    if (fs.existsSync(path.join(root, 'shared.json')))
      texts.shared = fs.readFileSync(path.join(root, 'shared.json'), 'utf8');
  }
  const hosts = Object.entries(texts)
    .filter(([k]) => k.startsWith('hosts/'))
    .map(([, v]) => parseHost(v));
  if (texts.shared) parseShared(texts.shared);
  invariants(hosts);
  // A fresh simulator over the same state loads and discovers every host.
  const again = await createSim({
    lab: testLab(),
    clock: new VirtualClock(),
    ...(store ? { store } : { stateDir: options.stateDir }),
  });
  for (const h of ['hv01', 'hv02', 'hv03']) await again.discover(h, { paths: [STORE, CSV], files: [IMAGE] });
}

describe('state property', () => {
  it('random operation sequences never leave a state that fails to load (memory store)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), (steps) => play(steps, {})),
      { numRuns: 150 },
    );
  });

  it('random operation sequences never leave a state file that fails to load (file store)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labform-prop-'));
        try {
          await play(steps, { stateDir: dir });
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
  });
});
