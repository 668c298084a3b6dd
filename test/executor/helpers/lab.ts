import type { Lab, VmSpec } from '../../../src/manifest/lab.js';
import type { HostState, LiveVm } from '../../../src/model/live-state.js';
import { emptyHost } from './fake-provider.js';
import { labSettings, labSpec, vmSpec as baseVmSpec } from '../../support/lab-builder.js';
import { simpleSettingsFromManifest, simpleSettingsOfSpec } from '../../../src/model/vm-settings.js';

export function vmSpec(name: string, extra: Partial<VmSpec> = {}): VmSpec {
  return baseVmSpec(name, { image: 'ws2022', checkpoints: 'standard', ...extra });
}

/** A small lab: dc01 (forest), two members, and a VM without roles. */
export function demoLab(name = 'demo'): Lab {
  const dc = {
    kind: 'domainController' as const,
    domain: 'corp.test',
    netbios: 'CORP',
    safeModePassword: 'dsrm',
    domainAdmin: 'domain-admin',
  };
  const member = { kind: 'domainMember' as const, domain: 'corp.test', joinCredential: 'domain-admin' };
  return labSpec({
    name,
    file: '/tmp/demo.yaml',
    settings: labSettings({ domainJoin: 'online' }),
    images: [{ name: 'ws2022', path: 'D:\\Images\\ws2022.vhdx', os: 'windows', generation: 2 }],
    vms: [
      vmSpec('dc01', { roles: [dc] }),
      vmSpec('web01', { roles: [member] }),
      vmSpec('sql01', { roles: [member] }),
      vmSpec('tool01'),
    ],
  });
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
    ...simpleSettingsOfSpec(simpleSettingsFromManifest({ checkpoints: 'standard' })),
    checkpoints: [],
    heartbeat: 'OK',
    uptimeSeconds: 100,
    disks: [],
    adapters: [],
    dvdDrives: [],
    assignedDevices: [],
    clustered: false,
    ...extra,
  };
}

export function hostWith(vms: LiveVm[], host = 'hv01'): HostState {
  return { ...emptyHost(host), vms };
}
