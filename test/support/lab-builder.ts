/**
 * Hand-built expanded Labs for tests (the manifest pipeline is tested on its own). Each test area
 * keeps its own small builder on top of these, passing only what differs from the defaults.
 * No vitest import: simulator child processes load it too.
 */
import type { HostSpec, Lab, VmSpec } from '../../src/manifest/lab.js';
import type { HostState } from '../../src/model/live-state.js';
import { simpleSettingsFromManifest } from '../../src/model/vm-settings.js';

export const GB = 1024 ** 3;

/** Lab settings with the default timeouts of docs/contract.md. */
export function labSettings(extra: Partial<Lab['settings']> = {}): Lab['settings'] {
  return {
    parallelism: 8,
    perHostParallelism: 4,
    timeouts: { heartbeat: 600_000, powershellDirect: 600_000, adReady: 1_200_000, step: 1_800_000 },
    timeZone: 'UTC',
    domainJoin: 'auto',
    ...extra,
  };
}

/** A local Hyper-V host reached without remoting. */
export function localHost(name: string, storagePath: string): HostSpec {
  return { name, connect: { kind: 'local' }, shell: 'powershell', storagePath };
}

/** A 2-processor, 2 GB generation 2 Windows VM on hv01, with no disks, adapters or roles. */
export function vmSpec(name: string, extra: Partial<VmSpec> = {}): VmSpec {
  return {
    name,
    host: 'hv01',
    computerName: name.toUpperCase(),
    image: 'ws2016',
    os: 'windows',
    generation: 2,
    processors: 2,
    memory: { startup: 2 * GB, dynamic: false },
    credential: 'lab-admin',
    path: `D:\\Labs\\demo\\${name}`,
    disks: [],
    network: [],
    firmware: { secureBoot: true },
    tpm: false,
    nestedVirtualization: false,
    assignDevices: [],
    dvd: [],
    files: [],
    ...simpleSettingsFromManifest({}),
    roles: [],
    pointer: '/vms/0',
    ...extra,
  };
}

/** A lab `demo` with one local host hv01 and nothing else. */
export function labSpec(extra: Partial<Lab> = {}): Lab {
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name: 'demo',
    file: '/labs/demo.yaml',
    settings: labSettings(),
    hosts: [localHost('hv01', 'D:\\Labs\\demo')],
    clusters: [],
    images: [],
    credentials: [],
    networks: [],
    disks: [],
    vms: [],
    guestClusters: [],
    positions: {},
    ...extra,
  };
}

/** A host with nothing on it: 64 GB free of 128 GB, no cluster. */
export function emptyHost(host: string, extra: Partial<HostState> = {}): HostState {
  return {
    host,
    computerName: host.toUpperCase(),
    vms: [],
    switches: [],
    nats: [],
    natMappings: [],
    hostAddresses: [],
    vhds: [],
    files: [],
    assignableDevices: [],
    freeMemory: 64 * GB,
    totalMemory: 128 * GB,
    cluster: null,
    ...extra,
  };
}
