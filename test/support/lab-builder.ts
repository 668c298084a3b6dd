/**
 * The one home of hand-built expanded Labs and live host states for tests (the manifest pipeline
 * is tested on its own): the defaults every builder starts from, then the small labs each test
 * area uses (the plan's demo lab and the live state an apply leaves; the executor's domain lab;
 * the role tests' labs and the guarded fabric), each passing only what differs.
 * No vitest import: simulator child processes load it too.
 */
import type { AdapterSpec, HostSpec, Lab, NetworkSpec, RoleSpec, VmSpec } from '../../src/manifest/lab.js';
import type { HostState, LiveVm } from '../../src/model/live-state.js';
import type { DesiredVm } from '../../src/desired/desired-resource.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { desiredSeed } from '../../src/diff/diff-cloud-init.js';
import { CLOUD_INIT_DISK_SIZE } from '../../src/model/cloud-init-seed.js';
import { ownershipMark } from '../../src/ownership/mark.js';
import {
  pickSimpleSettings,
  simpleSettingsFromManifest,
  simpleSettingsOfSpec,
} from '../../src/model/vm-settings.js';

export const GB = 1024 ** 3;

/** Lab settings with the default timeouts of docs/contract.md. */
export function labSettings(extra: Partial<Lab['settings']> = {}): Lab['settings'] {
  return {
    parallelism: 8,
    perHostParallelism: 4,
    timeouts: { heartbeat: 600_000, powershellDirect: 600_000, adReady: 1_200_000, step: 1_800_000 },
    timeZone: 'UTC',
    domainJoin: 'auto',
    featureInstall: 'auto',
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

/**
 * A lab with nothing but hosts (hv01 unless given; local pwsh, storage D:\Labs\<lab>) and
 * credentials (lab-admin unless given): what the Hyper-V provider tests on the fake module need.
 */
export function hostsLab(options: { name?: string; hosts?: string[]; credentials?: string[] } = {}): Lab {
  const name = options.name ?? 'test';
  const store = `D:\\Labs\\${name}`;
  return labSpec({
    name,
    file: '/tmp/lab.yaml',
    settings: labSettings({ storagePath: store }),
    hosts: (options.hosts ?? ['hv01']).map((h) => ({ ...localHost(h, store), shell: 'pwsh' })),
    credentials: (options.credentials ?? ['lab-admin']).map((c) => ({
      name: c,
      username: 'Administrator',
      password: { fromEnv: 'X' },
    })),
  });
}

// ---- networks and adapters ----------------------------------------------------------------------

/** An internal network on hv01 (no prefix unless given). */
export function network(name: string, extra: Partial<NetworkSpec> = {}): NetworkSpec {
  return { name, type: 'internal', hosts: ['hv01'], dns: [], reserve: [], portMappings: [], ...extra };
}

/** An adapter on `networkName`: `10.0.0.10` or `10.0.0.10/16` (static), `dhcp`, or none (`none` or no ip). */
export function nic(networkName: string, ip?: string, extra: Partial<AdapterSpec> = {}): AdapterSpec {
  const spec =
    ip === 'dhcp'
      ? ({ kind: 'dhcp' } as const)
      : ip === undefined || ip === 'none'
        ? ({ kind: 'none' } as const)
        : ({
            kind: 'static',
            address: ip.split('/')[0]!,
            prefixLength: Number(ip.split('/')[1] ?? 24),
            auto: false,
          } as const);
  return { network: networkName, ip: spec, macAddressSpoofing: false, ...extra };
}

// ---- the plan tests' demo lab, and the live state an apply of a lab leaves -------------------

export function demoVm(name: string, extra: Partial<VmSpec> = {}): VmSpec {
  return vmSpec(name, {
    osDiskPath: `D:\\Labs\\demo\\${name}\\${name}.vhdx`,
    network: [nic('LabNet', undefined)],
    firmware: { secureBoot: true, secureBootTemplate: 'MicrosoftWindows' },
    ...extra,
  });
}

/** A small lab: a NAT network with a port mapping, an internal network, two Windows VMs. */
export function demoLab(extra: Partial<Lab> = {}): Lab {
  return labSpec({
    images: [
      { name: 'ws2016', path: 'D:\\Images\\ws2016.vhdx', os: 'windows', generation: 2 },
      { name: 'ws2012', path: 'D:\\Images\\ws2012.vhdx', os: 'windows', generation: 1 },
    ],
    credentials: [
      { name: 'lab-admin', username: 'Administrator', password: { fromEnv: 'LAB_ADMIN_PASSWORD' } },
    ],
    networks: [
      network('LabNet', {
        type: 'nat',
        prefix: '192.168.50.0/24',
        portMappings: [
          {
            protocol: 'tcp',
            externalPort: 8443,
            vm: 'web01',
            internalPort: 443,
            internalAddress: '192.168.50.20',
          },
        ],
      }),
      network('Backend', { type: 'private' }),
    ],
    vms: [
      demoVm('dc01', {
        network: [nic('LabNet', '192.168.50.10')],
        roles: [
          {
            kind: 'domainController',
            domain: 'corp.lab',
            netbios: 'CORP',
            safeModePassword: 'lab-admin',
            domainAdmin: 'lab-admin',
          },
        ],
        pointer: '/vms/0',
      }),
      demoVm('web01', { network: [nic('LabNet', '192.168.50.20'), nic('Backend')], pointer: '/vms/1' }),
    ],
    positions: {
      '/networks/0': { line: 10, column: 5 },
      '/networks/0/prefix': { line: 13, column: 13 },
      '/images/0/path': { line: 5, column: 11 },
      '/vms/0': { line: 30, column: 5 },
    },
    ...extra,
  });
}

/** A host with nothing on it but its own address on Ethernet. */
export function demoHost(host: string, extra: Partial<HostState> = {}): HostState {
  return emptyHost(host, {
    hostAddresses: [{ interfaceAlias: 'Ethernet', address: '10.0.0.5', prefixLength: 24 }],
    ...extra,
  });
}

function liveVmOf(d: DesiredVm, index: number): LiveVm {
  return {
    name: d.name,
    id: `id-${d.name}`,
    state: 'Running',
    notes: d.notes,
    generation: d.generation,
    path: d.path,
    processors: d.processors,
    memory: {
      startup: d.memory.startup,
      dynamic: d.memory.dynamic,
      minimum: d.memory.minimum ?? d.memory.startup,
      maximum: d.memory.maximum ?? d.memory.startup,
    },
    firmware: d.firmware ? { ...d.firmware } : null,
    tpm: d.tpm,
    nestedVirtualization: d.nestedVirtualization,
    mmio: d.mmio ?? { low: 128 * 1024 ** 2, high: 512 * 1024 ** 2 },
    ...pickSimpleSettings(d),
    checkpoints: [],
    heartbeat: 'OK',
    uptimeSeconds: 1000 + index,
    disks: [...(d.osDisk ? [d.osDisk] : []), ...d.dataDisks].map((x) => ({
      controllerType: x.controllerType,
      controllerNumber: x.controllerNumber,
      controllerLocation: x.controllerLocation,
      path: x.path,
      supportPersistentReservations: x.supportPersistentReservations,
    })),
    adapters: d.adapters.map((a, i) => ({
      name: a.name,
      switchName: a.switchName,
      mac: a.mac ?? `00155D0000${String(index).padStart(2, '0')}`,
      staticMac: Boolean(a.mac),
      macAddressSpoofing: a.macAddressSpoofing,
      vlan: a.vlan,
      addresses: [`192.168.50.${100 + index * 10 + i}`],
    })),
    dvdDrives: d.dvdDrives.map((x) => ({ ...x })),
    assignedDevices: [...d.assignedDevices],
    clustered: d.clustered,
  };
}

/** The live state an apply of `lab` leaves behind (every VM running), per host. */
export function appliedLive(lab: Lab): Map<string, HostState> {
  const hosts = new Map<string, HostState>();
  const host = (name: string) => {
    if (!hosts.has(name))
      hosts.set(
        name,
        demoHost(name, {
          files: lab.images.map((i) => ({ path: i.path, exists: true })),
          vhds: lab.images.map((i) => ({
            path: i.path,
            format: 'vhdx' as const,
            type: 'dynamic' as const,
            parentPath: null,
            size: 40 * GB,
            attached: false,
          })),
        }),
      );
    return hosts.get(name)!;
  };
  for (const h of lab.hosts) host(h.name);
  desiredState({ lab }).forEach((d, index) => {
    if (d.kind === 'network') {
      for (const h of d.hosts) {
        host(h).switches.push({
          name: d.name,
          type: d.switchType,
          notes: ownershipMark(lab.name),
          adapter: d.adapter ?? null,
          allowManagementOS: d.allowManagementOS ?? d.switchType === 'internal',
        });
        if (d.hostAddress && h === d.host)
          host(h).hostAddresses.push({
            interfaceAlias: `vEthernet (${d.name})`,
            address: d.hostAddress.address,
            prefixLength: d.hostAddress.prefixLength,
          });
      }
    } else if (d.kind === 'nat') host(d.host).nats.push({ name: d.name, internalPrefix: d.internalPrefix });
    else if (d.kind === 'portMapping')
      host(d.host).natMappings.push({
        nat: d.nat,
        protocol: d.protocol,
        externalPort: d.externalPort,
        internalAddress: d.internalAddress,
        internalPort: d.internalPort,
      });
    else if (d.kind === 'disk')
      host(d.host).vhds.push({
        path: d.path,
        format: d.format,
        type: d.type,
        parentPath: null,
        size: d.size,
        attached: true,
      });
    else if (d.kind === 'vm') {
      const h = host(d.host);
      h.vms.push(liveVmOf(d, index));
      if (d.osDisk)
        h.vhds.push({
          path: d.osDisk.path,
          format: 'vhdx',
          type: 'differencing',
          parentPath: d.osDisk.parentPath,
          size: 40 * GB,
          attached: true,
        });
      for (const x of d.dataDisks)
        if (x.create)
          h.vhds.push({
            path: x.path,
            format: 'vhdx',
            type: 'dynamic',
            parentPath: null,
            size: x.create.size,
            attached: true,
          });
      // A Linux guest's cloud-init seed, written with the host account's key and attached.
      if (d.cloudInit) {
        h.sshPublicKey ??= TEST_HOST_KEY;
        const seed = desiredSeed(d, h)!;
        h.vhds.push({
          path: d.cloudInit.disk.path,
          format: 'vhdx',
          type: 'dynamic',
          parentPath: null,
          size: CLOUD_INIT_DISK_SIZE,
          attached: true,
        });
        h.cloudInitSeeds = [
          ...(h.cloudInitSeeds ?? []),
          { path: d.cloudInit.disk.path, instanceId: seed.instanceId, summary: seed.summary },
        ];
        const { path, controllerType, controllerNumber, controllerLocation } = d.cloudInit.disk;
        h.vms[h.vms.length - 1]!.disks.push({
          path,
          controllerType,
          controllerNumber,
          controllerLocation,
          supportPersistentReservations: false,
        });
      }
    }
  });
  return hosts;
}

/** The host account's SSH public key in hand-built host states. */
export const TEST_HOST_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestHostKeyTestHostKeyTestHostKey0 labform@hv01';

/** A deep copy, to mutate one scenario without touching another. */
export function cloneLive(live: Map<string, HostState>): Map<string, HostState> {
  return new Map([...live].map(([k, v]) => [k, structuredClone(v)]));
}

// ---- the executor tests' domain lab -------------------------------------------------------------

/** A VM of the domain lab: the ws2022 image, standard checkpoints. */
export function domainVm(name: string, extra: Partial<VmSpec> = {}): VmSpec {
  return vmSpec(name, { image: 'ws2022', checkpoints: 'standard', ...extra });
}

/** A small lab: dc01 (forest), two members, and a VM without roles. */
export function domainLab(name = 'demo'): Lab {
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
      domainVm('dc01', { roles: [dc] }),
      domainVm('web01', { roles: [member] }),
      domainVm('sql01', { roles: [member] }),
      domainVm('tool01'),
    ],
  });
}

/** A running VM of lab demo on hv01, as discovery reports it. */
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

/** hv01 (or `host`) with these VMs and nothing else. */
export function hostWith(vms: LiveVm[], host = 'hv01'): HostState {
  return { ...emptyHost(host), vms };
}

// ---- the role tests' labs -----------------------------------------------------------------------

/** A VM of the role tests' lab `test`. */
export function roleVm(name: string, extra: Partial<VmSpec> & { roles?: RoleSpec[] } = {}): VmSpec {
  return vmSpec(name, {
    path: `D:\\Labs\\test\\${name}`,
    osDiskPath: `D:\\Labs\\test\\${name}\\${name}.vhdx`,
    pointer: `/vms/${name}`,
    ...extra,
  });
}

/** A network of the role tests: prefix 10.0.0.0/24 unless given. */
export function roleNetwork(name: string, extra: Partial<NetworkSpec> = {}): NetworkSpec {
  return network(name, { prefix: '10.0.0.0/24', ...extra });
}

/** The role tests' lab `test`: hv01, two images, network LabNet 10.0.0.0/24. */
export function roleLab(extra: Partial<Lab> & { vms: VmSpec[] }): Lab {
  return labSpec({
    // Role tests estimate features installed in the running guest; offline features have their own tests.
    settings: labSettings({ featureInstall: 'online' }),
    name: 'test',
    file: '/labs/test.yaml',
    hosts: [localHost('hv01', 'D:\\Labs\\test')],
    images: [
      { name: 'ws2016', path: 'D:\\Images\\ws2016.vhdx', os: 'windows', generation: 2 },
      { name: 'centos', path: 'D:\\Images\\centos.vhdx', os: 'linux', generation: 2 },
    ],
    networks: [roleNetwork('LabNet')],
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
  const base = roleLab({ vms: [] });
  return roleLab({
    name: 'guarded-fabric',
    settings: { ...base.settings, domainJoin },
    networks: [roleNetwork('FabricNet', { prefix: '10.10.42.0/24' })],
    vms: [
      roleVm('dc01', {
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
      roleVm('hgs01', {
        network: [nic('FabricNet', '10.10.42.20')],
        roles: [{ kind: 'hostGuardianService', domain: 'hgs.lab', attestation, serviceName: 'hgs' }],
      }),
      roleVm('vmm01', {
        network: [nic('FabricNet', '10.10.42.30')],
        roles: [
          { kind: 'domainMember', domain: 'fabric.lab', joinCredential: 'fabric-admin' },
          { kind: 'script', run: 'setup-sql.ps1', shell: 'powershell', reboots: true },
          { kind: 'script', run: 'setup-vmm.ps1', shell: 'powershell', reboots: false, test: 'Test-Vmm' },
        ],
      }),
      ...['gh01', 'gh02'].map((name, i) =>
        roleVm(name, {
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
