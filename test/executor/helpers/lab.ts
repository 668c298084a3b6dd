import type { Lab, VmSpec } from '../../../src/manifest/lab.js';
import type { HostState, LiveVm } from '../../../src/providers/live-state.js';
import { emptyHost } from './fake-provider.js';

export function vmSpec(name: string, extra: Partial<VmSpec> = {}): VmSpec {
  return {
    name,
    host: 'hv01',
    computerName: name.toUpperCase(),
    image: 'ws2022',
    os: 'windows',
    generation: 2,
    processors: 2,
    memory: { startup: 2 ** 31, dynamic: false },
    credential: 'lab-admin',
    path: `D:\\Labs\\demo\\${name}`,
    disks: [],
    network: [],
    firmware: { secureBoot: true },
    tpm: false,
    nestedVirtualization: false,
    guestControlledCacheTypes: false,
    assignDevices: [],
    automaticStopAction: 'shutDown',
    checkpoints: 'standard',
    roles: [],
    pointer: '/vms/0',
    ...extra,
  };
}

/** A small lab: dc01 (forest), two members, and a VM without roles. */
export function demoLab(name = 'demo'): Lab {
  const dc = { kind: 'domainController' as const, domain: 'corp.test', netbios: 'CORP', safeModePassword: 'dsrm', domainAdmin: 'domain-admin' };
  const member = { kind: 'domainMember' as const, domain: 'corp.test', joinCredential: 'domain-admin' };
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name,
    file: '/tmp/demo.yaml',
    settings: { parallelism: 8, perHostParallelism: 4, timeouts: { heartbeat: 600_000, powershellDirect: 600_000, adReady: 1_200_000, step: 1_800_000 }, timeZone: 'UTC', domainJoin: 'online' },
    hosts: [{ name: 'hv01', connect: { kind: 'local' }, shell: 'powershell', storagePath: 'D:\\Labs\\demo' }],
    clusters: [],
    images: [{ name: 'ws2022', path: 'D:\\Images\\ws2022.vhdx', os: 'windows', generation: 2 }],
    credentials: [],
    networks: [],
    disks: [],
    vms: [vmSpec('dc01', { roles: [dc] }), vmSpec('web01', { roles: [member] }), vmSpec('sql01', { roles: [member] }), vmSpec('tool01')],
    guestClusters: [],
    positions: {},
  };
}

export function liveVm(name: string, extra: Partial<LiveVm> = {}): LiveVm {
  return {
    name,
    id: `id-${name}`,
    state: 'Running',
    notes: 'labform:lab=demo',
    generation: 2,
    path: `D:\\Labs\\demo\\${name}`,
    processors: 2,
    memory: { startup: 2 ** 31, dynamic: false, minimum: 0, maximum: 0 },
    firmware: { secureBoot: true, secureBootTemplate: 'MicrosoftWindows' },
    tpm: false,
    nestedVirtualization: false,
    mmio: { low: 0, high: 0 },
    guestControlledCacheTypes: false,
    automaticStopAction: 'shutDown',
    checkpointType: 'standard',
    checkpoints: [],
    heartbeat: 'OK',
    uptimeSeconds: 100,
    disks: [],
    adapters: [],
    assignedDevices: [],
    clustered: false,
    ...extra,
  };
}

export function hostWith(vms: LiveVm[], host = 'hv01'): HostState {
  return { ...emptyHost(host), vms };
}
