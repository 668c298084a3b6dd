/**
 * Hand-built expanded Labs for the role tests (the manifest pipeline is tested on its own).
 */
import type { AdapterSpec, Lab, NetworkSpec, RoleSpec, VmSpec } from '../../src/manifest/lab.js';
import { labSpec, localHost, vmSpec } from '../support/lab-builder.js';

export function network(name: string, extra: Partial<NetworkSpec> = {}): NetworkSpec {
  return {
    name,
    type: 'internal',
    hosts: ['hv01'],
    prefix: '10.0.0.0/24',
    dns: [],
    reserve: [],
    portMappings: [],
    ...extra,
  };
}

/** An adapter: `10.0.0.10` (static /24), `dhcp`, or `none`. */
export function nic(networkName: string, ip: string, extra: Partial<AdapterSpec> = {}): AdapterSpec {
  const spec =
    ip === 'dhcp'
      ? ({ kind: 'dhcp' } as const)
      : ip === 'none'
        ? ({ kind: 'none' } as const)
        : ({
            kind: 'static',
            address: ip.split('/')[0]!,
            prefixLength: Number(ip.split('/')[1] ?? 24),
            auto: false,
          } as const);
  return { network: networkName, ip: spec, macAddressSpoofing: false, ...extra };
}

export function vm(name: string, extra: Partial<VmSpec> & { roles?: RoleSpec[] } = {}): VmSpec {
  return vmSpec(name, {
    path: `D:\\Labs\\test\\${name}`,
    osDiskPath: `D:\\Labs\\test\\${name}\\${name}.vhdx`,
    pointer: `/vms/${name}`,
    ...extra,
  });
}

export function lab(extra: Partial<Lab> & { vms: VmSpec[] }): Lab {
  return labSpec({
    name: 'test',
    file: '/labs/test.yaml',
    hosts: [localHost('hv01', 'D:\\Labs\\test')],
    images: [
      { name: 'ws2016', path: 'D:\\Images\\ws2016.vhdx', os: 'windows', generation: 2 },
      { name: 'centos', path: 'D:\\Images\\centos.vhdx', os: 'linux', generation: 2 },
    ],
    networks: [network('LabNet')],
    ...extra,
  });
}

export const dcRole = (domain = 'corp.lab', netbios = 'CORP', domainAdmin = 'corp-admin'): RoleSpec => ({
  kind: 'domainController',
  domain,
  netbios,
  safeModePassword: 'dsrm',
  domainAdmin,
});

export const memberRole = (domain = 'corp.lab', ou?: string): RoleSpec => ({
  kind: 'domainMember',
  domain,
  joinCredential: 'corp-admin',
  ...(ou ? { ou } : {}),
});

/** The Ignite 2016 guarded fabric, by hand: fabric DC, HGS (given attestation), VMM, two guarded hosts. */
export function guardedFabric(
  attestation: 'ad' | 'tpm' | 'hostKey' = 'ad',
  domainJoin: Lab['settings']['domainJoin'] = 'auto',
): Lab {
  const base = lab({ vms: [] });
  return lab({
    name: 'guarded-fabric',
    settings: { ...base.settings, domainJoin },
    networks: [network('FabricNet', { prefix: '10.10.42.0/24' })],
    vms: [
      vm('dc01', {
        network: [nic('FabricNet', '10.10.42.10')],
        roles: [
          dcRole('fabric.lab', 'FABRIC', 'fabric-admin'),
          {
            kind: 'dhcpServer',
            scopes: [{ network: 'FabricNet', start: '10.10.42.130', end: '10.10.42.190' }],
          },
          {
            kind: 'fileServer',
            shares: [{ name: 'VMs', path: 'C:\\Shares\\VMs', fullAccess: ['FABRIC\\Domain Admins'] }],
          },
        ],
      }),
      vm('hgs01', {
        network: [nic('FabricNet', '10.10.42.20')],
        roles: [{ kind: 'hostGuardianService', domain: 'hgs.lab', attestation, serviceName: 'hgs' }],
      }),
      vm('vmm01', {
        network: [nic('FabricNet', '10.10.42.30')],
        roles: [
          { kind: 'domainMember', domain: 'fabric.lab', joinCredential: 'fabric-admin' },
          { kind: 'script', run: 'setup-sql.ps1', shell: 'powershell', reboots: true },
          { kind: 'script', run: 'setup-vmm.ps1', shell: 'powershell', reboots: false, test: 'Test-Vmm' },
        ],
      }),
      ...['gh01', 'gh02'].map((name, i) =>
        vm(name, {
          network: [nic('FabricNet', `10.10.42.${41 + i}`, { macAddressSpoofing: true })],
          tpm: true,
          nestedVirtualization: true,
          roles: [
            { kind: 'domainMember', domain: 'fabric.lab', joinCredential: 'fabric-admin' },
            { kind: 'hyperV' },
            { kind: 'guardedHost', hgs: 'hgs01' },
          ],
        }),
      ),
    ],
  });
}
