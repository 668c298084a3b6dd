/** The hand-built test lab and credentials (no vitest import: child processes use it too). */
import { Secret, type Credential } from '../../../src/secrets/secret.js';
import type { Lab } from '../../../src/manifest/lab.js';
import type { CallContext, GuestTarget } from '../../../src/providers/call-context.js';
import { ownershipMark } from '../../../src/ownership/mark.js';
import { labSettings, labSpec, localHost, vmSpec } from '../../support/lab-builder.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const IMAGE = 'D:\\Images\\WS2022.vhdx';
export const LINUX_IMAGE = 'D:\\Images\\Ubuntu.vhdx';
export const STORE = 'D:\\Labs\\t';
export const MARK = ownershipMark('t');

/** A small hand-built lab: two hosts (hv01, hv02 clustered with hv03), Windows and Linux images, a device. */
export function testLab(): Lab {
  return labSpec({
    name: 't',
    file: '/tmp/t.yaml',
    settings: labSettings({ storagePath: STORE }),
    hosts: ['hv01', 'hv02', 'hv03'].map((name) => localHost(name, STORE)),
    clusters: [{ name: 'hvclu', nodes: ['hv02', 'hv03'], sharedVolume: 'C:\\ClusterStorage\\Volume1' }],
    images: [
      { name: 'ws2022', path: IMAGE, os: 'windows', generation: 2 },
      { name: 'ubuntu', path: LINUX_IMAGE, os: 'linux', generation: 2 },
    ],
    vms: [
      vmSpec('gpu01', {
        path: `${STORE}\\gpu01`,
        image: undefined,
        credential: undefined,
        firmware: { secureBoot: true },
        assignDevices: [{ locationPath: 'PCIROOT(40)#PCI(0200)#PCI(0000)' }],
      }),
    ],
  });
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

export function target(
  vm: string,
  cred = 'lab-admin',
  host = 'hv01',
  os: 'windows' | 'linux' = 'windows',
): GuestTarget {
  return { host, vm, os, credential: credential(cred) };
}
