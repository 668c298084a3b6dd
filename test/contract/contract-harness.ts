/**
 * Runs a contract scenario against the simulator (in memory, virtual time) and against the
 * Hyper-V provider on the fake module, and reduces both answers to what must agree: the live
 * state without ids, times, free memory and dynamic MACs, and refusals as (category, message,
 * retryable).
 */
import type { Lab, VmSpec } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import type { CallContext } from '../../src/providers/call-context.js';
import type { Provider } from '../../src/providers/provider.js';
import { ProviderError } from '../../src/errors.js';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { credentialFor, type FakeHyperV, type FakeSeed } from '../providers/hyperv/helpers/fake-host.js';
import { hostsLab } from '../support/lab-builder.js';
import {
  BUILT_IMAGE,
  CSV_PATH,
  DEVICE,
  IMAGE,
  ISO,
  LAB_PATH,
  LINUX_IMAGE,
  UPDATE,
  WINDOWS_ISO,
  seedPath,
  type Scenario,
} from './scenarios.js';
import {
  simulatedEditions,
  simulatedFileModified,
  simulatedFileSize,
} from '../../src/providers/sim/host/host-files.js';

const GiB = 1024 ** 3;
export const HOST = 'hv01';

/** The lab both providers start from: two images and one VM wanting the device (so it exists on the host). */
export function contractLab(scenario?: Scenario): Lab {
  const lab = hostsLab({ name: 'contract', hosts: [HOST] });
  if (scenario?.cluster)
    lab.clusters = [
      { name: scenario.cluster.name, nodes: [HOST], sharedVolume: scenario.cluster.sharedVolume },
    ];
  lab.images = [
    { name: 'ws2022', path: IMAGE, os: 'windows', generation: 2 },
    { name: 'ubuntu', path: LINUX_IMAGE, os: 'linux', generation: 1 },
    // Built from an ISO: the host has its ISO and update (the simulator's media, the fake's seed).
    {
      name: 'ws2016',
      path: BUILT_IMAGE,
      os: 'windows',
      generation: 2,
      from: { iso: WINDOWS_ISO, edition: 3, size: 30 * GiB, updates: [UPDATE] },
    },
  ];
  // The simulator's fresh host has the devices and the ISOs its lab's VMs name.
  lab.vms = [
    {
      name: 'gpu-holder',
      host: HOST,
      assignDevices: [{ locationPath: DEVICE }],
      dvd: [ISO],
      files: [],
    } as unknown as VmSpec,
    {
      name: 'built-user',
      host: HOST,
      image: 'ws2016',
      assignDevices: [],
      dvd: [],
      files: [],
    } as unknown as VmSpec,
  ];
  return lab;
}

/** The fake host seed equivalent to the simulator's fresh host for `scenario`. */
export function fakeSeedFor(scenario: Scenario): FakeSeed {
  return {
    computerName: HOST.toUpperCase(),
    baseFreeMemory: scenario.freeMemory ?? 64 * GiB,
    images: [
      { path: IMAGE, os: 'windows', size: 40 * GiB },
      { path: LINUX_IMAGE, os: 'linux', size: 40 * GiB },
    ],
    devices: [{ locationPath: DEVICE }],
    files: [ISO, UPDATE],
    isos: [
      {
        path: WINDOWS_ISO,
        size: simulatedFileSize(WINDOWS_ISO),
        modified: simulatedFileModified(WINDOWS_ISO),
        editions: simulatedEditions(WINDOWS_ISO),
      },
    ],
    hostAddresses: [
      { interfaceAlias: 'Ethernet', address: '10.254.0.10', prefixLength: 24 },
      ...(scenario.extraAddress ? [scenario.extraAddress] : []),
    ],
    cluster: scenario.cluster
      ? { name: scenario.cluster.name, nodes: [HOST], sharedVolumes: [scenario.cluster.sharedVolume] }
      : null,
  };
}

export async function simFor(scenario: Scenario): Promise<Provider> {
  const sim = await createSim({
    lab: contractLab(scenario),
    clock: new VirtualClock(),
    memory: true,
    hosts: {
      [HOST]: {
        freeMemory: scenario.freeMemory ?? 64 * GiB,
        ethernet: { address: '10.254.0.10', prefixLength: 24 },
      },
    },
  });
  if (scenario.extraAddress) {
    const extra = scenario.extraAddress;
    await sim.seed(HOST, (t) => t.hostAddress(extra));
  }
  return sim;
}

export function callContext(address = 'contract'): CallContext {
  return { address, credentials: { get: credentialFor } };
}

export const SCOPE = {
  paths: [LAB_PATH, CSV_PATH],
  files: [IMAGE, LINUX_IMAGE, BUILT_IMAGE, 'D:\\Images\\missing.vhdx', ISO, 'D:\\ISO\\missing.iso'],
  devices: [DEVICE],
  images: [{ path: BUILT_IMAGE, iso: WINDOWS_ISO, updates: [UPDATE] }],
  seeds: [seedPath('lx01')],
};

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

/** What both providers must agree on. */
export function comparable(state: HostState): unknown {
  return {
    computerName: state.computerName,
    totalMemory: state.totalMemory,
    vms: state.vms
      .map((vm) => ({
        ...vm,
        id: undefined,
        uptimeSeconds: undefined,
        // Boot timing differs by design (virtual boot minutes against LABFORM_FAKE_BOOT_SECONDS=0).
        heartbeat: undefined,
        adapters: vm.adapters.map((a) => ({
          ...a,
          mac: a.staticMac ? a.mac : '(dynamic)',
          addresses: undefined,
        })),
      }))
      .sort(byKey((v) => v.name)),
    switches: [...state.switches].sort(byKey((s) => s.name)),
    nats: state.nats,
    natMappings: [...state.natMappings].sort(byKey((m) => `${m.protocol}/${m.externalPort}`)),
    hostAddresses: [...state.hostAddresses].sort(byKey((a) => a.address)),
    physicalAdapters: [...(state.physicalAdapters ?? [])].sort(byKey((a) => a.name)),
    vhds: [...state.vhds].sort(byKey((v) => v.path.toLowerCase())),
    files: state.files,
    assignableDevices: state.assignableDevices
      .map((d) => ({ ...d, instanceId: undefined }))
      .sort(byKey((d) => d.locationPath)),
    cluster: state.cluster,
    images: state.images,
    sshPublicKey: state.sshPublicKey,
    cloudInitSeeds: state.cloudInitSeeds,
  };
}

export interface RefusalSeen {
  category: string | undefined;
  message: string;
  retryable: boolean;
}

export async function refusalOf(promise: Promise<unknown>): Promise<RefusalSeen> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return {
      category: error.record?.category,
      message: error.record?.message ?? error.message,
      retryable: error.retryable,
    };
  }
  throw new Error('the operation was not refused');
}

/** Prepare the fake host for a scenario (state file replaced; the session keeps running). */
export function resetFake(fake: FakeHyperV, scenario: Scenario): void {
  fake.seed(HOST, fakeSeedFor(scenario));
}
