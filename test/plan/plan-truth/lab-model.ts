/**
 * Generated labs for the plan-truth property test: a manifest as a plain object (written to a
 * YAML file and loaded through the whole manifest pipeline, so `count`, `ip: auto` and the
 * defaults are expanded as a user's would be), and named mutations of it.
 */
import fc from 'fast-check';
import type { SimProvider } from '../../../src/providers/sim/sim-provider.js';
import { isUnder } from '../../../src/model/windows-path.js';

/** The manifest document (only what the generator writes). */
export interface LabDoc {
  apiVersion: 'labform/v1';
  kind: 'Lab';
  name: string;
  settings: Record<string, unknown>;
  hosts: { name: string; connect: 'local'; storagePath?: string }[];
  clusters?: { name: string; nodes: string[]; sharedVolume: string }[];
  images: { name: string; path: string; os: 'windows' | 'linux'; generation: 1 | 2 }[];
  credentials: { name: string; username: string; password: { fromEnv: string } }[];
  networks: NetworkDoc[];
  disks?: DiskDoc[];
  vms: VmDoc[];
}

export interface NetworkDoc {
  name: string;
  type: 'nat' | 'internal' | 'private' | 'external';
  host?: string;
  hosts?: string[];
  prefix?: string;
  adapter?: string;
  portMappings?: { protocol: 'tcp' | 'udp'; externalPort: number; vm: string; internalPort: number }[];
}

export interface DiskDoc {
  name: string;
  path: string;
  size: string;
  shared?: boolean;
}

export interface VmDoc {
  name: string;
  count?: number;
  host: string;
  image: string;
  generation?: 1 | 2;
  processors: number;
  memory: string;
  credential: string;
  disks?: ({ size: string } | { disk: string })[];
  network: { network: string; ip: string }[];
  roles: Record<string, unknown>[];
  firmware?: { secureBoot: boolean };
  files?: { from: string; to: string }[];
}

export const PASSWORD_ENV = 'LABFORM_PLAN_TRUTH_PASSWORD';

/** The shape of the base lab a draw starts from. */
export interface BaseShape {
  /** Third octet of the NAT prefix 10.77.X.0/24. */
  octet: number;
  /** How many `srv{n}` members (ip: auto). */
  members: number;
  memberMemoryGB: number;
  /** srv{n} carry a 5GB data disk. */
  dataDisk: boolean;
  /** srv{n} run a script role. */
  script: boolean;
  /** A second, internal network `Backend` with the members on it. */
  backend: boolean;
  /** A port mapping to srv1. */
  mapping: boolean;
  /** Two hosts: the DC on hv01, the members on hv02 (the members then use Backend, an internal network on both). */
  twoHosts: boolean;
  /** settings.storagePath given; otherwise each host's Hyper-V default folder is used. */
  storagePath: boolean;
  /** srv{n} are file servers with a share `data` (its Full access given to the domain admins, or not); default none. */
  fileServer?: 'none' | 'share' | 'fullAccess';
}

export const baseShape: fc.Arbitrary<BaseShape> = fc.record({
  octet: fc.integer({ min: 1, max: 250 }),
  members: fc.integer({ min: 1, max: 3 }),
  memberMemoryGB: fc.constantFrom(1, 2),
  dataDisk: fc.boolean(),
  script: fc.boolean(),
  backend: fc.boolean(),
  mapping: fc.boolean(),
  twoHosts: fc.boolean(),
  storagePath: fc.boolean(),
  fileServer: fc.constantFrom('none', 'share', 'fullAccess'),
});

export function baseLab(shape: BaseShape): LabDoc {
  const nat = `10.77.${shape.octet}.0/24`;
  const backend = shape.backend || shape.twoHosts;
  const memberHost = shape.twoHosts ? 'hv02' : 'hv01';
  const networks: NetworkDoc[] = [
    {
      name: 'LabNet',
      type: 'nat',
      host: 'hv01',
      prefix: nat,
      ...(shape.mapping && !shape.twoHosts
        ? { portMappings: [{ protocol: 'tcp', externalPort: 8443, vm: 'srv1', internalPort: 443 }] }
        : {}),
    },
  ];
  if (backend)
    networks.push({
      name: 'Backend',
      type: 'internal',
      ...(shape.twoHosts ? { hosts: ['hv01', 'hv02'] } : { host: 'hv01' }),
      prefix: '172.16.5.0/24',
    });
  const memberNetworks = [
    ...(shape.twoHosts ? [] : [{ network: 'LabNet', ip: 'auto' }]),
    ...(backend ? [{ network: 'Backend', ip: 'auto' }] : []),
  ];
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name: 'truth',
    settings: {
      ...(shape.storagePath ? { storagePath: 'D:\\Labs\\{lab}' } : {}),
      timeouts: { heartbeat: '6h', powershellDirect: '6h', adReady: '6h', step: '6h' },
    },
    hosts: [
      { name: 'hv01', connect: 'local' },
      ...(shape.twoHosts ? [{ name: 'hv02', connect: 'local' as const }] : []),
    ],
    images: [
      { name: 'ws2022', path: 'D:\\Images\\ws2022.vhdx', os: 'windows', generation: 2 },
      { name: 'ws2012', path: 'D:\\Images\\ws2012.vhdx', os: 'windows', generation: 1 },
      // For the Linux mutations (a cloud-init image: the seed gives the guest its address and key).
      { name: 'ubuntu', path: 'D:\\Images\\ubuntu.vhdx', os: 'linux', generation: 2 },
    ],
    credentials: [
      { name: 'lab-admin', username: 'Administrator', password: { fromEnv: PASSWORD_ENV } },
      { name: 'domain-admin', username: 'TRUTH\\Administrator', password: { fromEnv: PASSWORD_ENV } },
      { name: 'safe-mode', username: 'DSRM', password: { fromEnv: PASSWORD_ENV } },
      { name: 'linux-admin', username: 'labuser', password: { fromEnv: PASSWORD_ENV } },
    ],
    networks,
    vms: [
      {
        name: 'dc1',
        host: 'hv01',
        image: 'ws2022',
        processors: 2,
        memory: '2GB',
        credential: 'lab-admin',
        network: [
          { network: 'LabNet', ip: 'auto' },
          ...(backend ? [{ network: 'Backend', ip: 'auto' }] : []),
        ],
        roles: [
          {
            domainController: {
              domain: 'truth.test',
              netbios: 'TRUTH',
              safeModePassword: 'safe-mode',
              domainAdmin: 'domain-admin',
            },
          },
        ],
      },
      {
        name: 'srv{n}',
        count: shape.members,
        host: memberHost,
        image: 'ws2022',
        processors: 2,
        memory: `${shape.memberMemoryGB}GB`,
        credential: 'lab-admin',
        ...(shape.dataDisk ? { disks: [{ size: '5GB' }] } : {}),
        network: memberNetworks,
        roles: [
          { domainMember: { domain: 'truth.test', joinCredential: 'domain-admin' } },
          ...(shape.script ? [{ script: { run: 'Set-Content C:\\marker.txt one' } }] : []),
          ...((shape.fileServer ?? 'none') === 'none'
            ? []
            : [
                {
                  fileServer: {
                    shares: [
                      {
                        name: 'data',
                        path: 'C:\\Shares\\data',
                        ...(shape.fileServer === 'fullAccess'
                          ? { fullAccess: ['TRUTH\\Domain Admins'] }
                          : {}),
                      },
                    ],
                  },
                },
              ]),
        ],
      },
    ],
  };
}

/** A named change of a manifest; `applies` says whether it makes sense for this lab. */
export interface Mutation {
  name: string;
  /** Mutations that make this one meaningful, applied (each with its own plan and apply) first in the fixed-lab test. */
  after?: string[];
  applies: (lab: LabDoc) => boolean;
  mutate: (lab: LabDoc) => void;
  /**
   * A change of the world rather than the manifest (a host's media edited, a guest's file
   * deleted), made on the simulator after the previous apply and before the next plan.
   */
  world?: (sim: SimProvider, lab: LabDoc) => Promise<void>;
}

const linuxVm = (lab: LabDoc) => lab.vms.find((v) => v.name === 'lx1');
const linuxScripts = (lab: LabDoc) => (linuxVm(lab)?.roles ?? []).filter((r) => 'script' in r);
const members = (lab: LabDoc) => lab.vms.find((v) => v.name === 'srv{n}' || v.name === 'app{n}');
const dc = (lab: LabDoc) => lab.vms.find((v) => v.name === 'dc1');
const net = (lab: LabDoc, name: string) => lab.networks.find((n) => n.name === name);
/** The DHCP scopes of every VM's dhcpServer role (mutations that rename or renumber a network follow them). */
const dhcpScopes = (lab: LabDoc) =>
  lab.vms.flatMap((v) =>
    v.roles.flatMap((r) =>
      'dhcpServer' in r
        ? (r.dhcpServer as { scopes: { network: string; start: string; end: string }[] }).scopes
        : [],
    ),
  );

/** The first share of the members' fileServer role, as the manifest writes it. */
const firstShare = (lab: LabDoc) =>
  (
    members(lab)!.roles.find((r) => 'fileServer' in r)?.fileServer as
      { shares: { name: string; path: string; fullAccess?: string[] }[] } | undefined
  )?.shares[0];

/** The installation media the `files` mutations copy: a folder and a single file on the host. */
const MEDIA = { from: 'D:\\Media\\Tools', to: 'C:\\Media\\Tools' };
const SETUP = { from: 'D:\\Media\\agent.msi', to: 'C:\\Media\\agent.msi' };
const hasMedia = (lab: LabDoc) => (members(lab)?.files ?? []).some((f) => f.from === MEDIA.from);

export const MUTATIONS: Mutation[] = [
  {
    name: 'insert-auto-vm',
    applies: (lab) => !lab.vms.some((v) => v.name === 'jump'),
    mutate: (lab) => {
      const on = members(lab)!.network.map((a) => ({ network: a.network, ip: 'auto' }));
      lab.vms.splice(1, 0, {
        name: 'jump',
        host: members(lab)!.host,
        image: 'ws2022',
        processors: 1,
        memory: '1GB',
        credential: 'lab-admin',
        network: on,
        roles: [],
      });
    },
  },
  {
    name: 'remove-vm',
    after: ['insert-auto-vm'],
    applies: (lab) => lab.vms.some((v) => v.name === 'jump'),
    mutate: (lab) => {
      lab.vms = lab.vms.filter((v) => v.name !== 'jump');
    },
  },
  {
    name: 'rename-members',
    applies: (lab) => !!members(lab),
    mutate: (lab) => {
      members(lab)!.name = 'app{n}';
      for (const n of lab.networks) for (const m of n.portMappings ?? []) m.vm = m.vm.replace(/^srv/, 'app');
    },
  },
  {
    name: 'more-members',
    applies: (lab) => (members(lab)?.count ?? 0) < 4,
    mutate: (lab) => {
      members(lab)!.count = (members(lab)!.count ?? 1) + 1;
    },
  },
  {
    name: 'fewer-members',
    applies: (lab) =>
      (members(lab)?.count ?? 0) > 1 &&
      !net(lab, 'LabNet')?.portMappings?.some((m) => m.vm.endsWith(`${members(lab)!.count}`)),
    mutate: (lab) => {
      members(lab)!.count = members(lab)!.count! - 1;
    },
  },
  {
    name: 'grow-memory',
    applies: () => true,
    mutate: (lab) => {
      const vm = members(lab)!;
      vm.memory = `${parseInt(vm.memory, 10) + 1}GB`;
    },
  },
  {
    name: 'more-processors',
    applies: () => true,
    mutate: (lab) => {
      members(lab)!.processors += 2;
    },
  },
  {
    name: 'add-data-disk',
    applies: () => true,
    mutate: (lab) => {
      const vm = members(lab)!;
      vm.disks = [...(vm.disks ?? []), { size: '3GB' }];
    },
  },
  {
    name: 'remove-data-disk',
    applies: (lab) => (members(lab)?.disks ?? []).length > 0,
    mutate: (lab) => {
      members(lab)!.disks = members(lab)!.disks!.slice(0, -1);
    },
  },
  {
    name: 'grow-data-disk',
    applies: (lab) => (members(lab)?.disks ?? []).some((d) => 'size' in d),
    mutate: (lab) => {
      const disk = members(lab)!.disks!.find((d): d is { size: string } => 'size' in d)!;
      disk.size = `${parseInt(disk.size, 10) + 3}GB`;
    },
  },
  {
    name: 'add-network',
    applies: (lab) => !net(lab, 'Extra'),
    mutate: (lab) => {
      lab.networks.push({
        name: 'Extra',
        type: 'private',
        host: members(lab)!.host,
        prefix: '172.31.9.0/24',
      });
      members(lab)!.network.push({ network: 'Extra', ip: 'auto' });
    },
  },
  {
    name: 'remove-backend-network',
    applies: (lab) => !!net(lab, 'Backend') && members(lab)!.network.some((a) => a.network !== 'Backend'),
    mutate: (lab) => {
      lab.networks = lab.networks.filter((n) => n.name !== 'Backend');
      for (const vm of lab.vms) vm.network = vm.network.filter((a) => a.network !== 'Backend');
    },
  },
  {
    name: 'rename-nat-network',
    applies: (lab) => !!net(lab, 'LabNet'),
    mutate: (lab) => {
      const n = net(lab, 'LabNet')!;
      n.name = 'LabNet2';
      for (const vm of lab.vms) for (const a of vm.network) if (a.network === 'LabNet') a.network = 'LabNet2';
      for (const scope of dhcpScopes(lab)) if (scope.network === 'LabNet') scope.network = 'LabNet2';
    },
  },
  {
    // The DHCP scope of a renamed network is the same Windows scope (its ScopeId): kept, not doubled or lost.
    name: 'rename-dhcp-network',
    after: ['add-dhcp-server'],
    applies: (lab) => !!net(lab, 'LabNet') && dhcpScopes(lab).some((s) => s.network === 'LabNet'),
    mutate: (lab) => byName('rename-nat-network').mutate(lab),
  },
  {
    // Rename-VMSwitch in place (on every host of a two-host lab): its VMs stay connected.
    name: 'rename-backend-network',
    applies: (lab) => !!net(lab, 'Backend'),
    mutate: (lab) => {
      net(lab, 'Backend')!.name = 'Backend2';
      for (const vm of lab.vms)
        for (const a of vm.network) if (a.network === 'Backend') a.network = 'Backend2';
    },
  },
  {
    name: 'change-nat-prefix',
    applies: () => true,
    mutate: (lab) => {
      const n = lab.networks.find((x) => x.type === 'nat')!;
      n.prefix = '10.78.3.0/24';
      for (const scope of dhcpScopes(lab))
        if (scope.network === n.name) {
          scope.start = scope.start.replace(/^\d+\.\d+\.\d+\./, '10.78.3.');
          scope.end = scope.end.replace(/^\d+\.\d+\.\d+\./, '10.78.3.');
        }
    },
  },
  {
    name: 'add-script-role',
    applies: (lab) => !dc(lab)!.roles.some((r) => 'script' in r),
    mutate: (lab) => {
      dc(lab)!.roles.push({ script: { run: 'Set-Content C:\\dc-marker.txt dc' } });
    },
  },
  {
    name: 'change-script',
    applies: (lab) => members(lab)!.roles.some((r) => 'script' in r),
    mutate: (lab) => {
      const role = members(lab)!.roles.find((r) => 'script' in r)!;
      role.script = { run: 'Set-Content C:\\marker.txt two' };
    },
  },
  {
    name: 'remove-script-role',
    applies: (lab) => members(lab)!.roles.some((r) => 'script' in r),
    mutate: (lab) => {
      members(lab)!.roles = members(lab)!.roles.filter((r) => !('script' in r));
    },
  },
  {
    // A Linux guest beside the members, with a bash script (its record: /var/lib/labform/roles).
    name: 'add-linux-vm',
    applies: (lab) => !linuxVm(lab),
    mutate: (lab) => {
      lab.vms.push({
        name: 'lx1',
        host: members(lab)!.host,
        image: 'ubuntu',
        processors: 1,
        memory: '1GB',
        credential: 'linux-admin',
        network: members(lab)!.network.map((a) => ({ network: a.network, ip: 'auto' })),
        roles: [{ script: { shell: 'bash', run: 'touch /var/tmp/lx-one' } }],
      });
    },
  },
  {
    name: 'add-linux-script',
    after: ['add-linux-vm'],
    applies: (lab) => !!linuxVm(lab) && linuxScripts(lab).length < 2,
    mutate: (lab) => {
      linuxVm(lab)!.roles.push({
        script: { shell: 'bash', run: 'mkdir -p /opt/two', test: 'test -d /opt/two && echo true' },
      });
    },
  },
  {
    name: 'change-linux-script',
    after: ['add-linux-vm'],
    applies: (lab) => linuxScripts(lab).length > 0,
    mutate: (lab) => {
      const role = linuxScripts(lab)[0]!;
      role.script = {
        shell: 'bash',
        run: `${(role.script as { run: string }).run}\ntouch /var/tmp/lx-changed`,
      };
    },
  },
  {
    // The last script goes: the guest has no task left, and the plan still reads its records.
    name: 'remove-linux-script',
    after: ['add-linux-vm'],
    applies: (lab) => linuxScripts(lab).length > 0,
    mutate: (lab) => {
      const vm = linuxVm(lab)!;
      const last = linuxScripts(lab).at(-1)!;
      vm.roles = vm.roles.filter((r) => r !== last);
    },
  },
  {
    name: 'add-file-server',
    applies: (lab) => !members(lab)!.roles.some((r) => 'fileServer' in r),
    mutate: (lab) => {
      members(lab)!.roles.push({ fileServer: { shares: [{ name: 'data', path: 'C:\\Shares\\data' }] } });
    },
  },
  {
    name: 'remove-file-server',
    after: ['add-file-server'],
    applies: (lab) => members(lab)!.roles.some((r) => 'fileServer' in r),
    mutate: (lab) => {
      members(lab)!.roles = members(lab)!.roles.filter((r) => !('fileServer' in r));
    },
  },
  {
    name: 'add-share',
    after: ['add-file-server'],
    applies: (lab) => members(lab)!.roles.some((r) => 'fileServer' in r),
    mutate: (lab) => {
      const role = members(lab)!.roles.find((r) => 'fileServer' in r)!;
      const shares = (role.fileServer as { shares: { name: string; path: string }[] }).shares;
      const n = shares.length + 1;
      role.fileServer = { shares: [...shares, { name: `data${n}`, path: `C:\\Shares\\data${n}` }] };
    },
  },
  {
    name: 'drop-share',
    after: ['add-file-server', 'add-share'],
    applies: (lab) =>
      ((members(lab)!.roles.find((r) => 'fileServer' in r)?.fileServer as { shares: unknown[] } | undefined)
        ?.shares.length ?? 0) > 1,
    mutate: (lab) => {
      const role = members(lab)!.roles.find((r) => 'fileServer' in r)!;
      const shares = (role.fileServer as { shares: unknown[] }).shares;
      role.fileServer = { shares: shares.slice(1) };
    },
  },
  {
    // Set-SmbShare has no -Path: the share is removed and made again at the new path.
    name: 'move-share',
    after: ['add-file-server'],
    applies: (lab) => !!firstShare(lab) && !firstShare(lab)!.path.startsWith('C:\\Moved\\'),
    mutate: (lab) => {
      const share = firstShare(lab)!;
      share.path = `C:\\Moved\\${share.name}`;
    },
  },
  {
    // Windows share names are not case-sensitive: `data` and `DATA` are one share, kept.
    name: 'recase-share',
    after: ['add-file-server'],
    applies: (lab) => !!firstShare(lab) && firstShare(lab)!.name !== firstShare(lab)!.name.toUpperCase(),
    mutate: (lab) => {
      firstShare(lab)!.name = firstShare(lab)!.name.toUpperCase();
    },
  },
  {
    name: 'grant-share-access',
    after: ['add-file-server'],
    applies: (lab) => !!firstShare(lab) && !(firstShare(lab)!.fullAccess ?? []).length,
    mutate: (lab) => {
      firstShare(lab)!.fullAccess = ['TRUTH\\Domain Admins'];
    },
  },
  {
    // One account's Full access revoked, another's granted, on the share where it is.
    name: 'change-share-access',
    after: ['add-file-server', 'grant-share-access'],
    applies: (lab) => (firstShare(lab)?.fullAccess ?? []).length > 0,
    mutate: (lab) => {
      const share = firstShare(lab)!;
      share.fullAccess =
        share.fullAccess![0] === 'Administrators' ? ['TRUTH\\Domain Admins'] : ['Administrators'];
    },
  },
  {
    // Every Full access revoked: the share is left with Everyone Read, as New-SmbShare makes one.
    name: 'drop-share-access',
    after: ['add-file-server', 'grant-share-access'],
    applies: (lab) => (firstShare(lab)?.fullAccess ?? []).length > 0,
    mutate: (lab) => {
      delete firstShare(lab)!.fullAccess;
    },
  },
  {
    // An administrator gave another account Full access by hand: the manifest's list is the
    // share's, so the plan shows the role to run and apply revokes it.
    name: 'share-access-granted-by-hand',
    after: ['add-file-server'],
    applies: (lab) => !!firstShare(lab),
    mutate: () => {},
    world: async (sim, lab) => {
      const vm = members(lab)!;
      const first = vm.name.replace('{n}', '1');
      await sim.seed(vm.host, (_t, host) => {
        const guest = host.vms.find((v) => v.name.toLowerCase() === first.toLowerCase())!.guest!;
        guest.shares.find((s) => s.name === firstShare(lab)!.name)!.fullAccess.push('TRUTH\\Intruder');
      });
    },
  },
  {
    name: 'add-dhcp-server',
    applies: (lab) => !dc(lab)!.roles.some((r) => 'dhcpServer' in r) && !!net(lab, 'LabNet'),
    mutate: (lab) => {
      const prefix = net(lab, 'LabNet')!.prefix!.split('.').slice(0, 3).join('.');
      dc(lab)!.roles.push({
        dhcpServer: { scopes: [{ network: 'LabNet', start: `${prefix}.200`, end: `${prefix}.220` }] },
      });
    },
  },
  {
    name: 'remove-dhcp-server',
    after: ['add-dhcp-server'],
    applies: (lab) => dc(lab)!.roles.some((r) => 'dhcpServer' in r),
    mutate: (lab) => {
      dc(lab)!.roles = dc(lab)!.roles.filter((r) => !('dhcpServer' in r));
    },
  },
  {
    name: 'remove-member-role',
    applies: (lab) => members(lab)!.roles.some((r) => 'domainMember' in r),
    mutate: (lab) => {
      members(lab)!.roles = members(lab)!.roles.filter((r) => !('domainMember' in r));
    },
  },
  {
    name: 'change-ou',
    after: ['member-ou'],
    applies: (lab) =>
      members(lab)!.roles.some((r) => 'domainMember' in r && (r.domainMember as { ou?: string }).ou),
    mutate: (lab) => {
      const role = members(lab)!.roles.find((r) => 'domainMember' in r)!;
      role.domainMember = { ...(role.domainMember as object), ou: 'OU=Web,OU=Servers,DC=truth,DC=test' };
    },
  },
  {
    name: 'member-ou',
    applies: (lab) => members(lab)!.roles.some((r) => 'domainMember' in r),
    mutate: (lab) => {
      const role = members(lab)!.roles.find((r) => 'domainMember' in r)!;
      role.domainMember = { ...(role.domainMember as object), ou: 'OU=Servers,DC=truth,DC=test' };
    },
  },
  {
    name: 'change-dc-domain',
    applies: () => true,
    mutate: (lab) => {
      for (const vm of lab.vms) {
        for (const role of vm.roles) {
          if ('domainController' in role)
            role.domainController = { ...(role.domainController as object), domain: 'other.test' };
          if ('domainMember' in role)
            role.domainMember = { ...(role.domainMember as object), domain: 'other.test' };
        }
      }
    },
  },
  {
    name: 'change-generation',
    applies: () => true,
    mutate: (lab) => {
      const vm = members(lab)!;
      vm.image = 'ws2012';
      vm.generation = 1;
    },
  },
  {
    name: 'add-port-mapping',
    applies: (lab) =>
      !!net(lab, 'LabNet') &&
      lab.vms.some((v) => v.name === 'dc1') &&
      !(net(lab, 'LabNet')!.portMappings ?? []).some((m) => m.externalPort === 33389),
    mutate: (lab) => {
      const n = net(lab, 'LabNet')!;
      n.portMappings = [
        ...(n.portMappings ?? []),
        { protocol: 'tcp', externalPort: 33389, vm: 'dc1', internalPort: 3389 },
      ];
    },
  },
  {
    name: 'remove-port-mappings',
    applies: (lab) => (net(lab, 'LabNet')?.portMappings ?? []).length > 0,
    mutate: (lab) => {
      delete net(lab, 'LabNet')!.portMappings;
    },
  },
  {
    name: 'add-files',
    applies: (lab) => !hasMedia(lab),
    mutate: (lab) => {
      const vm = members(lab)!;
      vm.files = [...(vm.files ?? []), { ...MEDIA }];
    },
  },
  {
    name: 'add-files-entry',
    after: ['add-files'],
    applies: (lab) => hasMedia(lab) && !members(lab)!.files!.some((f) => f.from === SETUP.from),
    mutate: (lab) => {
      members(lab)!.files!.push({ ...SETUP });
    },
  },
  {
    // labform leaves what it copied in the guest (the docs say so): nothing to do, nothing shown.
    name: 'remove-files-entry',
    after: ['add-files'],
    applies: hasMedia,
    mutate: (lab) => {
      members(lab)!.files = members(lab)!.files!.filter((f) => f.from !== MEDIA.from);
    },
  },
  {
    name: 'move-files-target',
    after: ['add-files'],
    applies: (lab) => hasMedia(lab) && !members(lab)!.files!.some((f) => f.to === `${MEDIA.to}2`),
    mutate: (lab) => {
      members(lab)!.files!.find((f) => f.from === MEDIA.from)!.to = `${MEDIA.to}2`;
    },
  },
  {
    // The media on the host changed after the copy (a newer build unpacked over it).
    name: 'host-media-changed',
    after: ['add-files'],
    applies: hasMedia,
    mutate: () => {},
    world: async (sim, lab) => {
      await sim.seed(members(lab)!.host, (t, host) => {
        const file = (host.files ?? []).find((f) => isUnder(f.path, MEDIA.from))!;
        t.file({ path: file.path, size: file.size + 4096, sha256: 'ab'.repeat(32) });
      });
    },
  },
  {
    // Someone deleted a copied file inside the first member's guest.
    name: 'guest-file-deleted',
    after: ['add-files'],
    applies: hasMedia,
    mutate: () => {},
    world: async (sim, lab) => {
      const vm = members(lab)!;
      const first = vm.name.replace('{n}', '1');
      const to = vm.files!.find((f) => f.from === MEDIA.from)!.to;
      await sim.seed(vm.host, (_t, host) => {
        const guest = host.vms.find((v) => v.name.toLowerCase() === first.toLowerCase())!.guest!;
        const index = (guest.files ?? []).findIndex((f) => isUnder(f.path, to));
        guest.files!.splice(index, 1);
      });
    },
  },
];

export const byName = (name: string): Mutation => MUTATIONS.find((m) => m.name === name)!;
