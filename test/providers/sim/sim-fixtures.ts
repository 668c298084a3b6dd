import { Secret, type Credential } from '../../../src/secrets/secret.js';
import type { Lab } from '../../../src/manifest/lab.js';
import type { CallContext, GuestTarget } from '../../../src/providers/provider.js';
import { VirtualClock } from '../../../src/clock/virtual-clock.js';
import { createSim, type SimOptions, type SimProvider } from '../../../src/providers/sim/sim-provider.js';
import { ownershipMark } from '../../../src/ownership/mark.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const IMAGE = 'D:\\Images\\WS2022.vhdx';
export const LINUX_IMAGE = 'D:\\Images\\Ubuntu.vhdx';
export const STORE = 'D:\\Labs\\t';
export const MARK = ownershipMark('t');

/** A small hand-built lab: two hosts (hv01, hv02 clustered with hv03), Windows and Linux images, a device. */
export function testLab(): Lab {
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name: 't',
    file: '/tmp/t.yaml',
    settings: { storagePath: STORE, parallelism: 8, perHostParallelism: 4, timeouts: { heartbeat: 600000, powershellDirect: 600000, adReady: 1200000, step: 1800000 }, timeZone: 'UTC', domainJoin: 'auto' },
    hosts: ['hv01', 'hv02', 'hv03'].map((name) => ({ name, connect: { kind: 'local' as const }, shell: 'powershell' as const, storagePath: STORE })),
    clusters: [{ name: 'hvclu', nodes: ['hv02', 'hv03'], sharedVolume: 'C:\\ClusterStorage\\Volume1' }],
    images: [
      { name: 'ws2022', path: IMAGE, os: 'windows', generation: 2 },
      { name: 'ubuntu', path: LINUX_IMAGE, os: 'linux', generation: 2 },
    ],
    credentials: [],
    networks: [],
    disks: [],
    vms: [
      {
        name: 'gpu01', host: 'hv01', computerName: 'GPU01', os: 'windows', generation: 2, processors: 2, memory: { startup: 2 * GiB, dynamic: false },
        path: `${STORE}\\gpu01`, disks: [], network: [], firmware: { secureBoot: true }, tpm: false, nestedVirtualization: false, guestControlledCacheTypes: false,
        assignDevices: [{ locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)' }], automaticStopAction: 'shutDown', checkpoints: 'production', roles: [], pointer: '/vms/0',
      },
    ],
    guestClusters: [],
    positions: {},
  };
}

export const PASSWORDS: Record<string, { username: string; password: string }> = {
  'lab-admin': { username: 'Administrator', password: 'Local-P@ss1' },
  'domain-admin': { username: 'CONTOSO\\Administrator', password: 'Domain-P@ss2' },
  'wrong-admin': { username: 'CONTOSO\\Administrator', password: 'nope' },
  'hgs-admin': { username: 'Administrator', password: 'Local-P@ss1' },
  dsrm: { username: 'dsrm', password: 'Dsrm-P@ss3' },
};

export function credential(name: string): Credential {
  const c = PASSWORDS[name];
  if (!c) throw new Error(`no credential ${name}`);
  return { name, username: c.username, password: new Secret(c.password) };
}

export function ctx(address = 'test'): CallContext {
  return { address, credentials: { get: credential } };
}

export function target(vm: string, cred = 'lab-admin', host = 'hv01', os: 'windows' | 'linux' = 'windows'): GuestTarget {
  return { host, vm, os, credential: credential(cred) };
}

export async function newSim(extra: Partial<SimOptions> = {}): Promise<{ sim: SimProvider; clock: VirtualClock }> {
  const clock = new VirtualClock();
  const sim = await createSim({ lab: testLab(), clock, memory: true, ...extra });
  return { sim, clock };
}

/** Create a Windows VM from the image with an answer file, its adapter on `switchName`, and start it. */
export async function windowsVm(sim: SimProvider, options: { name: string; host?: string; switchName?: string; mac?: string; start?: boolean; nested?: boolean; memory?: number; folder?: string }): Promise<void> {
  const host = options.host ?? 'hv01';
  const folder = options.folder ?? STORE;
  const c = ctx(`vm.${options.name}`);
  const disk = `${folder}\\${options.name}\\${options.name}.vhdx`;
  await sim.run(host, { op: 'createVhd', path: disk, size: 0, format: 'vhdx', type: 'differencing', parentPath: IMAGE }, c);
  await sim.run(host, { op: 'injectAnswerFile', vhdPath: disk, computerName: options.name.toUpperCase(), credential: 'lab-admin', timeZone: 'UTC' }, c);
  await sim.run(host, { op: 'createVm', name: options.name, generation: 2, path: `${folder}\\${options.name}`, memoryStartup: options.memory ?? 2 * GiB, notes: MARK }, c);
  if (options.nested) await sim.run(host, { op: 'configureVm', name: options.name, settings: { nestedVirtualization: true } }, c);
  await sim.run(host, { op: 'attachDisk', vm: options.name, path: disk, controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 0, supportPersistentReservations: false }, c);
  if (options.switchName) await sim.run(host, { op: 'addAdapter', vm: options.name, name: 'Network Adapter', switchName: options.switchName, mac: options.mac, macAddressSpoofing: false }, c);
  if (options.start !== false) await sim.run(host, { op: 'startVm', name: options.name }, c);
}

/** Advance virtual time by `ms`. */
export async function wait(clock: VirtualClock, ms: number): Promise<void> {
  await clock.sleep(ms);
}
