/**
 * A renamed network is renamed (Rename-VMSwitch), not removed and made again: its VMs stay
 * connected, the host's address stays on its adapter, and the plan shows
 * `~ network.<new> switchName "<old>" -> "<new>"`. What is not clearly the same network (other
 * VMs on it, another type, an ambiguous pair) stays a removal and a creation.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createMemoryStore, type SimStore } from '../../src/providers/sim/store/sim-store.js';
import { formatPlanText } from '../../src/render/plan-text.js';
import { planJson } from '../../src/render/plan-json.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import type { Plan } from '../../src/plan/plan.js';
import { load, manifest } from '../manifest/helpers.js';

process.env.PW ??= 'Network-Rename-Pa55';

interface Labs {
  networks: string;
  vms: string;
  /** A second host, hv02. */
  twoHosts?: boolean;
}

const text = ({ networks, vms, twoHosts }: Labs) => {
  const t = manifest({ extra: `networks:\n${networks}`, vms });
  return twoHosts ? t.replace('hosts:\n  - name: hv01\n', 'hosts:\n  - name: hv01\n  - name: hv02\n') : t;
};

const VMS = (
  net: string,
  second = net,
) => `  - { name: a, image: ws, credential: admin, network: [{ network: ${net}, ip: auto }] }
  - { name: b, image: ws, credential: admin, network: [{ network: ${second}, ip: auto }] }`;

const INTERNAL = (name: string) =>
  `  - { name: ${name}, type: internal, host: hv01, prefix: 10.60.0.0/24, hostAddress: 10.60.0.254 }`;

async function applyThenPlan(first: Labs, second: Labs) {
  const clock = new VirtualClock();
  const store: SimStore = createMemoryStore();
  const run = async (labs: Labs) => {
    const { lab, diagnostics } = load(text(labs));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const provider = await createSim({ lab: lab!, clock, store });
    const credentials = createCredentialResolver({ lab: lab! });
    const { plan } = await makePlan({
      lab: lab!,
      provider,
      credentials,
      logger: silentLogger,
      mode: 'apply',
    });
    return { plan, provider, credentials };
  };
  const apply = async (p: Awaited<ReturnType<typeof run>>) => {
    const result = await executePlan({
      plan: p.plan,
      provider: p.provider,
      credentials: p.credentials,
      clock,
      parallelism: 4,
      perHostParallelism: 4,
    });
    expect(result.rootCauses).toEqual([]);
  };
  await apply(await run(first));
  const changed = await run(second);
  return { ...changed, apply: () => apply(changed), again: () => run(second) };
}

const ops = (plan: Plan) => plan.steps.flatMap((s) => (s.type === 'host' ? [s.operation.op] : []));

describe('a renamed network', () => {
  it('is renamed in place: VMs stay connected, the host address stays, a second plan is empty', async () => {
    const run = await applyThenPlan(
      { networks: INTERNAL('Lab'), vms: VMS('Lab') },
      { networks: INTERNAL('Core'), vms: VMS('Core') },
    );
    const network = run.plan.changes.find((c) => c.kind === 'network')!;
    expect(network).toMatchObject({ address: 'network.Core', action: 'update' });
    expect(network.diff).toEqual([{ path: 'switchName', before: 'Lab', after: 'Core' }]);
    expect(run.plan.changes.filter((c) => c.action === 'delete' || c.action === 'create')).toEqual([]);
    // No VM change: the adapters follow the switch.
    expect(run.plan.changes.filter((c) => c.kind === 'vm' && c.action !== 'noop')).toEqual([]);
    expect(ops(run.plan)).toEqual(['renameSwitch']);
    expect(formatPlanText(run.plan)).toMatch(
      /~ network\.Core[^\n]*\n[^\n]*renamed from Lab[^\n]*\n\s+~ switchName: "Lab" -> "Core"/,
    );
    expect(planJson(run.plan).changes).toContainEqual(
      expect.objectContaining({
        address: 'network.Core',
        diff: [{ path: 'switchName', before: 'Lab', after: 'Core' }],
      }),
    );
    await run.apply();
    const live = await run.provider.rawState('hv01');
    expect(live.switches.map((s) => s.name)).toEqual(['Core']);
    expect(live.vms.flatMap((v) => v.adapters.map((a) => a.switchName))).toEqual(['Core', 'Core']);
    expect(live.hostAddresses).toContainEqual(
      expect.objectContaining({ interfaceAlias: 'vEthernet (Core)', address: '10.60.0.254' }),
    );
    expect((await run.again()).plan.steps).toEqual([]);
  });

  it('with a new prefix: renamed, then its host address changed on the renamed adapter', async () => {
    const run = await applyThenPlan(
      { networks: INTERNAL('Lab'), vms: VMS('Lab') },
      {
        networks: INTERNAL('Core')
          .replace('10.60.0.0/24', '10.61.0.0/24')
          .replace('10.60.0.254', '10.61.0.254'),
        vms: VMS('Core'),
      },
    );
    const network = run.plan.changes.find((c) => c.kind === 'network')!;
    expect(network.diff.map((d) => d.path)).toEqual(['switchName', 'hostAddress']);
    const rename = run.plan.steps.find((s) => s.type === 'host' && s.operation.op === 'renameSwitch')!;
    const removal = run.plan.steps.find((s) => s.type === 'host' && s.operation.op === 'removeHostAddress')!;
    expect(removal.dependsOn).toContain(rename.id);
    await run.apply();
    expect((await run.again()).plan.steps).toEqual([]);
  });

  it('a NAT network: renamed; its WinNAT and mappings are made again under the new name', async () => {
    const nat = (name: string) =>
      `  - { name: ${name}, type: nat, host: hv01, prefix: 10.67.0.0/24, portMappings: [{ protocol: tcp, externalPort: 8080, vm: a, internalPort: 80 }] }`;
    const run = await applyThenPlan(
      { networks: nat('Lab'), vms: VMS('Lab') },
      { networks: nat('Core'), vms: VMS('Core') },
    );
    const reasons = Object.fromEntries(
      run.plan.changes.filter((c) => c.kind !== 'vm').map((c) => [`${c.action} ${c.address}`, c.reason]),
    );
    expect(reasons).toEqual({
      'update network.Core': 'renamed from Lab (Rename-VMSwitch: its VMs stay connected)',
      'create nat.Core': 'network Lab is renamed to Core: made again under the new name',
      'create portMapping.Core.tcp.8080': 'network Lab is renamed to Core: made again under the new name',
      'delete nat.Lab': 'network Lab is renamed to Core: its NAT is made again under the new name',
      'delete portMapping.Lab.tcp.8080':
        'network Lab is renamed to Core: its NAT is made again under the new name',
    });
    expect(ops(run.plan).sort()).toEqual([
      'addNatMapping',
      'createNat',
      'removeNat',
      'removeNatMapping',
      'renameSwitch',
    ]);
    await run.apply();
    const live = await run.provider.rawState('hv01');
    expect(live.nats.map((n) => n.name)).toEqual(['labform-t.Core']);
    expect(live.hostAddresses).toContainEqual(
      expect.objectContaining({ interfaceAlias: 'vEthernet (Core)', address: '10.67.0.1' }),
    );
    expect((await run.again()).plan.steps).toEqual([]);
  });

  it('on several hosts: renamed on each of them', async () => {
    const twoHosts = (name: string, hosts: string) => ({
      networks: `  - { name: ${name}, type: private, hosts: [${hosts}], prefix: 10.66.0.0/24 }`,
      vms: `  - { name: a, host: hv01, image: ws, credential: admin, network: [{ network: ${name}, ip: auto }] }
  - { name: b, host: hv02, image: ws, credential: admin, network: [{ network: ${name}, ip: auto }] }`,
    });
    const withHv02 = (labs: Labs): Labs => ({ ...labs, twoHosts: true });
    const run = await applyThenPlan(
      withHv02(twoHosts('Lab', 'hv01, hv02')),
      withHv02(twoHosts('Core', 'hv01, hv02')),
    );
    const renames = run.plan.steps.flatMap((s) =>
      s.type === 'host' && s.operation.op === 'renameSwitch'
        ? [`${s.host} ${s.operation.name}->${s.operation.newName}`]
        : [],
    );
    expect(renames.sort()).toEqual(['hv01 Lab->Core', 'hv02 Lab->Core']);
    expect(ops(run.plan).sort()).toEqual(['renameSwitch', 'renameSwitch']);
    await run.apply();
    expect((await run.again()).plan.steps).toEqual([]);
  });

  it('is a removal and a creation when other VMs use the new name than used the old one', async () => {
    const run = await applyThenPlan(
      {
        networks: `${INTERNAL('Lab')}\n  - { name: Side, type: private, host: hv01, prefix: 10.62.0.0/24 }`,
        vms: VMS('Lab', 'Side'),
      },
      {
        networks: `${INTERNAL('Core')}\n  - { name: Side, type: private, host: hv01, prefix: 10.62.0.0/24 }`,
        vms: VMS('Side', 'Core'),
      },
    );
    const actions = run.plan.changes
      .filter((c) => c.kind === 'network')
      .map((c) => `${c.action} ${c.address}`)
      .sort();
    expect(actions).toEqual(['create network.Core', 'delete network.Lab', 'noop network.Side']);
    expect(ops(run.plan)).not.toContain('renameSwitch');
    await run.apply();
    expect((await run.again()).plan.steps).toEqual([]);
  });

  it('is a removal and a creation when the type changes, or when two renames could pair either way', async () => {
    const typeChange = await applyThenPlan(
      { networks: '  - { name: P, type: private, host: hv01, prefix: 10.63.0.0/24 }', vms: VMS('P') },
      { networks: '  - { name: Q, type: internal, host: hv01, prefix: 10.63.0.0/24 }', vms: VMS('Q') },
    );
    expect(ops(typeChange.plan)).toContain('createSwitch');
    expect(ops(typeChange.plan)).not.toContain('renameSwitch');
    const pair = (a: string, b: string) =>
      `  - { name: ${a}, type: private, host: hv01, prefix: 10.64.0.0/24 }\n  - { name: ${b}, type: private, host: hv01, prefix: 10.65.0.0/24 }`;
    const noVms = '  - { name: a, image: ws, credential: admin }';
    const ambiguous = await applyThenPlan(
      { networks: pair('P1', 'P2'), vms: noVms },
      { networks: pair('Q1', 'Q2'), vms: noVms },
    );
    expect(ops(ambiguous.plan).sort()).toEqual([
      'createSwitch',
      'createSwitch',
      'removeSwitch',
      'removeSwitch',
    ]);
    await ambiguous.apply();
    expect((await ambiguous.again()).plan.steps).toEqual([]);
  });
});
