/**
 * Guest contract scenarios: VMs built with host operations, then guest operations (and the
 * ones a guest refuses) that the simulator and the Hyper-V provider on the fake module must
 * answer alike: the same run results, the same probe answers before and after, the same
 * refusals.
 */
import type { HostOperation } from '../../src/model/host-operation.js';
import type { GuestOperation } from '../../src/model/guest-operation.js';
import { IMAGE, LAB_PATH, LINUX_IMAGE, seedOp, seedPath } from './scenarios.js';
import { WINDOWS_FEATURES } from '../../src/model/windows-features.js';

const GiB = 1024 ** 3;
const MARK = 'labform:lab=contract';

export type GuestStep =
  | { host: HostOperation }
  /** Installation media put on the host (or changed there), as an administrator would. */
  | { media: { path: string; content: string }[] }
  /** A guest operation on `vm` with the named credential (`os`: the guest's, Windows unless said). */
  | { vm: string; as: string; run: GuestOperation; os?: 'windows' | 'linux' }
  /** One the guest refuses; both providers must refuse it with this message. */
  | { vm: string; as: string; refused: GuestOperation; message: string; os?: 'windows' | 'linux' }
  /** The guest's role records read back (the plan's readRoles probe): these addresses, in this order. */
  | { vm: string; as: string; readRoles: string[]; os?: 'windows' | 'linux' };

export interface GuestScenario {
  name: string;
  steps: GuestStep[];
}

const labNet: GuestStep = { host: { op: 'createSwitch', name: 'LabNet', type: 'private', notes: MARK } };

/** A Windows VM from the image, on LabNet with a static MAC, answer file written, started. */
export function windowsVm(name: string, mac: string): GuestStep[] {
  const disk = `${LAB_PATH}\\${name}\\${name}-os.vhdx`;
  const ops: HostOperation[] = [
    { op: 'createVhd', path: disk, size: 0, format: 'vhdx', type: 'differencing', parentPath: IMAGE },
    {
      op: 'createVm',
      name,
      generation: 2,
      path: `${LAB_PATH}\\${name}`,
      memoryStartup: 2 * GiB,
      notes: MARK,
    },
    {
      op: 'attachDisk',
      vm: name,
      path: disk,
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 0,
      supportPersistentReservations: false,
    },
    { op: 'addAdapter', vm: name, name: 'LabNet', switchName: 'LabNet', mac, macAddressSpoofing: false },
    {
      op: 'injectAnswerFile',
      vhdPath: disk,
      computerName: name.toUpperCase(),
      credential: 'lab-admin',
      timeZone: 'UTC',
    },
    { op: 'startVm', name },
  ];
  return ops.map((host) => ({ host }));
}

const DC_MAC = '00155D0000D1';
const M1_MAC = '00155D0000E1';
const net = (mac: string, address: string, dns: string[]): GuestOperation => ({
  op: 'setNetwork',
  mac,
  dhcp: false,
  addresses: [{ address, prefixLength: 24 }],
  gateway: '192.168.50.1',
  dns,
});
const forest: GuestOperation = {
  op: 'createForest',
  domain: 'contoso.com',
  netbios: 'CONTOSO',
  safeModePassword: 'safe-mode',
  domainAdmin: 'domain-admin',
};
const dcSteps: GuestStep[] = [
  labNet,
  ...windowsVm('dc01', DC_MAC),
  { vm: 'dc01', as: 'lab-admin', run: net(DC_MAC, '192.168.50.10', ['127.0.0.1']) },
  { vm: 'dc01', as: 'lab-admin', run: { op: 'installFeatures', features: ['AD-Domain-Services', 'DNS'] } },
  { vm: 'dc01', as: 'lab-admin', run: forest },
];
const memberSteps: GuestStep[] = [
  ...windowsVm('m01', M1_MAC),
  { vm: 'm01', as: 'lab-admin', run: net(M1_MAC, '192.168.50.21', ['192.168.50.10']) },
];

const shareOp = (path: string, fullAccess: string[]): GuestOperation => ({
  op: 'createShare',
  name: 'Data',
  path,
  fullAccess,
});

export const GUEST_SCENARIOS: GuestScenario[] = [
  {
    name: 'rename, addresses, features with a restart',
    steps: [
      labNet,
      ...windowsVm('web01', '00155D0000A1'),
      { vm: 'web01', as: 'lab-admin', run: { op: 'setComputerName', computerName: 'WEB-01' } },
      { vm: 'web01', as: 'lab-admin', run: net('00155D0000A1', '192.168.50.30', ['192.168.50.10']) },
      {
        vm: 'web01',
        as: 'lab-admin',
        run: { op: 'installFeatures', features: ['Web-Server', 'Failover-Clustering'] },
      },
      {
        vm: 'web01',
        as: 'lab-admin',
        refused: { op: 'setNetwork', mac: '00155D0000FF', dhcp: true, addresses: [], dns: [] },
        message: '00155D0000FF',
      },
    ],
  },
  {
    // Set-SmbShare has no -Path: a share at a new path is removed and made again; its Full access
    // follows the list (granted, revoked, Everyone Read once no allow entry is left).
    name: 'a share moved and its Full access changed',
    steps: [
      labNet,
      ...windowsVm('fs01', '00155D0000B1'),
      { vm: 'fs01', as: 'lab-admin', run: shareOp('C:\\Shares\\Data', []) },
      { vm: 'fs01', as: 'lab-admin', run: shareOp('C:\\Data2', []) },
      { vm: 'fs01', as: 'lab-admin', run: shareOp('C:\\Data2', ['FS01\\Ops', 'Administrators']) },
      { vm: 'fs01', as: 'lab-admin', run: shareOp('C:\\Data2', ['Administrators']) },
      { vm: 'fs01', as: 'lab-admin', run: shareOp('C:\\Shares\\Data', ['FS01\\Ops']) },
      { vm: 'fs01', as: 'lab-admin', run: shareOp('C:\\Shares\\Data', []) },
    ],
  },
  {
    name: 'a forest, then a member joined online',
    steps: [
      ...dcSteps,
      ...memberSteps,
      // lab-admin's password is not the domain administrator's.
      {
        vm: 'm01',
        as: 'lab-admin',
        refused: {
          op: 'joinDomain',
          domain: 'contoso.com',
          joinCredential: 'lab-admin',
          dns: ['192.168.50.10'],
        },
        message: 'password',
      },
      {
        vm: 'm01',
        as: 'lab-admin',
        run: {
          op: 'joinDomain',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          dns: ['192.168.50.10'],
        },
      },
    ],
  },
  {
    name: 'a member joined offline (djoin blob provisioned on the DC)',
    steps: [
      ...dcSteps,
      ...memberSteps,
      {
        vm: 'm01',
        as: 'lab-admin',
        run: {
          op: 'offlineDomainJoin',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          dns: ['192.168.50.10'],
          dc: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
        },
      },
    ],
  },
  {
    name: 'DHCP, a share and an iSCSI target on a member',
    steps: [
      ...dcSteps,
      ...memberSteps,
      {
        vm: 'm01',
        as: 'lab-admin',
        run: {
          op: 'joinDomain',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          dns: ['192.168.50.10'],
        },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        refused: {
          op: 'addDhcpScope',
          name: 'lab',
          start: '192.168.50.100',
          end: '192.168.50.199',
          prefixLength: 24,
          dnsServers: [],
        },
        message: 'Add-DhcpServerv4Scope',
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: { op: 'installFeatures', features: ['DHCP', 'FS-FileServer', 'FS-iSCSITarget-Server'] },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: {
          op: 'addDhcpScope',
          name: 'lab',
          start: '192.168.50.100',
          end: '192.168.50.199',
          prefixLength: 24,
          router: '192.168.50.1',
          dnsServers: ['192.168.50.10'],
          dnsDomain: 'contoso.com',
        },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: { op: 'authorizeDhcp', dnsName: 'm01.contoso.com', address: '192.168.50.21' },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: { op: 'createShare', name: 'labdata', path: 'C:\\Shares\\labdata', fullAccess: ['Everyone'] },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: {
          op: 'createIscsiTarget',
          targetName: 'lab-target',
          disks: [{ name: 'lun1', size: 10 * GiB }],
          initiatorAddresses: ['192.168.50.31'],
        },
      },
    ],
  },
  {
    name: 'HGS in its own forest, trusting the fabric, attesting the fabric group (AD)',
    steps: [
      ...dcSteps,
      ...memberSteps,
      {
        vm: 'm01',
        as: 'lab-admin',
        run: {
          op: 'joinDomain',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          dns: ['192.168.50.10'],
        },
      },
      {
        vm: 'dc01',
        as: 'domain-admin',
        run: { op: 'createAdGroup', name: 'GuardedHosts', members: ['M01'] },
      },
      ...windowsVm('hgs01', '00155D0000C1'),
      { vm: 'hgs01', as: 'lab-admin', run: net('00155D0000C1', '192.168.50.40', ['127.0.0.1']) },
      {
        vm: 'hgs01',
        as: 'lab-admin',
        run: { op: 'installHgs', domain: 'bastion.local', safeModePassword: 'safe-mode' },
      },
      { vm: 'hgs01', as: 'lab-admin', run: { op: 'initializeHgs', serviceName: 'hgs', attestation: 'ad' } },
      {
        vm: 'hgs01',
        as: 'lab-admin',
        run: { op: 'addDnsForwarder', domain: 'contoso.com', masterServers: ['192.168.50.10'] },
      },
      {
        vm: 'hgs01',
        as: 'lab-admin',
        run: { op: 'createTrust', remoteDomain: 'contoso.com', remoteCredential: 'domain-admin' },
      },
      {
        vm: 'hgs01',
        as: 'lab-admin',
        run: {
          op: 'addAttestationHostGroup',
          name: 'GuardedHosts',
          groupName: 'GuardedHosts',
          fabricDomain: 'contoso.com',
          from: { host: 'hv01', vm: 'dc01', credential: 'domain-admin' },
        },
      },
    ],
  },
  {
    name: 'removed roles undone, a member moved to its OU, role records written and forgotten',
    steps: [
      ...dcSteps,
      ...memberSteps,
      {
        vm: 'm01',
        as: 'lab-admin',
        run: {
          op: 'joinDomain',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          ou: 'OU=Servers,DC=contoso,DC=com',
          dns: ['192.168.50.10'],
        },
      },
      // The DC moves a computer object only of a member of its domain.
      {
        vm: 'dc01',
        as: 'domain-admin',
        refused: { op: 'moveComputer', computerName: 'NOSUCH', ou: 'OU=Web,DC=contoso,DC=com' },
        message: 'Cannot find an object with identity',
      },
      {
        vm: 'dc01',
        as: 'domain-admin',
        run: { op: 'moveComputer', computerName: 'M01', ou: 'OU=Web,DC=contoso,DC=com' },
      },
      { vm: 'm01', as: 'domain-admin', run: { op: 'installFeatures', features: ['DHCP', 'FS-FileServer'] } },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: {
          op: 'addDhcpScope',
          name: 'lab',
          start: '192.168.50.100',
          end: '192.168.50.199',
          prefixLength: 24,
          dnsServers: [],
        },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: { op: 'createShare', name: 'labdata', path: 'C:\\Shares\\labdata', fullAccess: ['Everyone'] },
      },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: {
          op: 'recordRole',
          address: 'role.m01.fileServer',
          record: '{"address":"role.m01.fileServer","tasks":[]}',
        },
      },
      { vm: 'm01', as: 'domain-admin', run: { op: 'removeShare', name: 'labdata' } },
      {
        vm: 'm01',
        as: 'domain-admin',
        run: { op: 'removeDhcpScope', name: 'lab', start: '192.168.50.100', prefixLength: 24 },
      },
      { vm: 'm01', as: 'domain-admin', run: { op: 'uninstallFeatures', features: ['DHCP'] } },
      { vm: 'm01', as: 'domain-admin', run: { op: 'forgetRole', address: 'role.m01.fileServer' } },
    ],
  },
  {
    name: 'custom PowerShell scripts: run once, or while the test says not done',
    steps: [
      labNet,
      ...windowsVm('app01', '00155D0000B1'),
      {
        vm: 'app01',
        as: 'lab-admin',
        run: {
          op: 'runScript',
          id: 'role.app01.script/1',
          run: "'configured' | Out-Null",
          shell: 'powershell',
          reboots: false,
        },
      },
      {
        vm: 'app01',
        as: 'lab-admin',
        run: {
          op: 'runScript',
          id: 'role.app01.script/2',
          run: "New-Item -ItemType Directory -Path (Join-Path $env:SystemDrive 'App') -Force | Out-Null",
          test: "Test-Path -LiteralPath (Join-Path $env:SystemDrive 'App')",
          shell: 'powershell',
          reboots: true,
        },
      },
      {
        // The script runs in a runspace of its own: the guest's cmdlets load there by module
        // autoloading (test/fake-hyperv/runspace/FakeHyperVGuest.psm1).
        vm: 'app01',
        as: 'lab-admin',
        run: {
          op: 'runScript',
          id: 'role.app01.script/3',
          run: 'Install-WindowsFeature -Name Web-Server -IncludeManagementTools | Out-Null',
          test: '(Get-WindowsFeature -Name Web-Server).Installed',
          shell: 'powershell',
          reboots: false,
        },
      },
    ],
  },
  {
    name: 'files: host media copied by size and hash, only what differs, a missing source refused',
    steps: [
      labNet,
      ...windowsVm('files01', '00155D0000F1'),
      {
        media: [
          { path: 'D:\\Media\\App\\setup.exe', content: 'setup program' },
          { path: 'D:\\Media\\App\\bin\\core.dll', content: 'core library' },
          { path: 'D:\\Media\\single.iso', content: 'an ISO image' },
        ],
      },
      {
        vm: 'files01',
        as: 'lab-admin',
        run: { op: 'copyFiles', from: 'D:\\Media\\App', to: 'C:\\Apps\\App' },
      },
      {
        vm: 'files01',
        as: 'lab-admin',
        run: { op: 'copyFiles', from: 'D:\\Media\\single.iso', to: 'C:\\ISO\\single.iso' },
      },
      // A newer build of one file on the host: the copy is not done until that file is copied again.
      { media: [{ path: 'D:\\Media\\App\\bin\\core.dll', content: 'core library, version 2' }] },
      {
        vm: 'files01',
        as: 'lab-admin',
        run: { op: 'copyFiles', from: 'D:\\Media\\App', to: 'C:\\Apps\\App' },
      },
      {
        vm: 'files01',
        as: 'lab-admin',
        refused: { op: 'copyFiles', from: 'D:\\Media\\Missing', to: 'C:\\Missing' },
        message: "Cannot find path 'D:\\Media\\Missing' because it does not exist.",
      },
    ],
  },
];

/**
 * Every Windows feature labform knows (src/model/windows-features.json), installed on a VM with
 * nested virtualization (Hyper-V needs it): the features that install without a restart all at
 * once, then each one that restarts on its own. Both providers read the restart from the table;
 * this holds them to it, and to the same refusal of Hyper-V without nested virtualization.
 */
function featureScenario(): GuestScenario {
  const vm = 'feat01';
  const mac = '00155D0000F1';
  const build = windowsVm(vm, mac);
  const start = build.findIndex((s) => 'host' in s && s.host.op === 'startVm');
  build.splice(start, 0, { host: { op: 'configureVm', name: vm, settings: { nestedVirtualization: true } } });
  const names = Object.keys(WINDOWS_FEATURES);
  const quiet = names.filter((n) => WINDOWS_FEATURES[n]!.restarts === 0);
  const restarting = names.filter((n) => WINDOWS_FEATURES[n]!.restarts > 0);
  return {
    name: 'every Windows feature of the table: the same restart answer',
    steps: [
      labNet,
      ...windowsVm('plain01', '00155D0000F2'),
      {
        vm: 'plain01',
        as: 'lab-admin',
        refused: { op: 'installFeatures', features: ['Hyper-V'] },
        message: 'does not have required virtualization capabilities',
      },
      ...build,
      { vm, as: 'lab-admin', run: { op: 'installFeatures', features: quiet } },
      ...restarting.map((f): GuestStep => ({
        vm,
        as: 'lab-admin',
        run: { op: 'installFeatures', features: [f] },
      })),
    ],
  };
}

GUEST_SCENARIOS.push(featureScenario());

/** A Linux VM from the Linux image (generation 1), on `switchName` with a static MAC, started. */
export function linuxVm(name: string, mac: string, switchName: string): GuestStep[] {
  const disk = `${LAB_PATH}\\${name}\\${name}-os.vhdx`;
  const ops: HostOperation[] = [
    { op: 'createVhd', path: disk, size: 0, format: 'vhdx', type: 'differencing', parentPath: LINUX_IMAGE },
    { op: 'createVm', name, generation: 1, path: `${LAB_PATH}\\${name}`, memoryStartup: GiB, notes: MARK },
    {
      op: 'attachDisk',
      vm: name,
      path: disk,
      controllerType: 'IDE',
      controllerNumber: 0,
      controllerLocation: 0,
      supportPersistentReservations: false,
    },
    { op: 'addAdapter', vm: name, name: switchName, switchName, mac, macAddressSpoofing: false },
    { op: 'startVm', name },
  ];
  return ops.map((host) => ({ host }));
}

/**
 * A Linux guest on an external switch (its address: the DHCP lease it reports through KVP),
 * reached over ssh: a bash script run once (the marker says done), one with a test, and the
 * scripts each kind of guest refuses (PowerShell in Linux, bash in Windows).
 */
GUEST_SCENARIOS.push({
  name: 'a Linux guest over ssh: bash scripts run once or while the test says not done; wrong shells refused',
  steps: [
    {
      host: {
        op: 'createSwitch',
        name: 'Uplink',
        type: 'external',
        notes: MARK,
        adapter: 'Ethernet',
        allowManagementOS: true,
      },
    },
    ...linuxVm('lx01', '00155D0000C1', 'Uplink'),
    {
      vm: 'lx01',
      as: 'lab-admin',
      os: 'linux',
      run: {
        op: 'runScript',
        id: 'role.lx01.script/1',
        run: 'mkdir -p /opt/app',
        shell: 'bash',
        reboots: false,
      },
    },
    {
      vm: 'lx01',
      as: 'lab-admin',
      os: 'linux',
      run: {
        op: 'runScript',
        id: 'role.lx01.script/2',
        run: 'set -euo pipefail\nmkdir -p /opt/web\ntouch /opt/web/ready',
        test: 'test -f /opt/web/ready && echo true',
        shell: 'bash',
        reboots: false,
      },
    },
    {
      vm: 'lx01',
      as: 'lab-admin',
      os: 'linux',
      refused: {
        op: 'runScript',
        id: 'role.lx01.script/3',
        run: 'Get-Date',
        shell: 'powershell',
        reboots: false,
      },
      message: 'lx01 is a Linux guest: it takes bash scripts only, not a powershell script',
    },
    labNet,
    ...windowsVm('win01', '00155D0000C2'),
    {
      vm: 'win01',
      as: 'lab-admin',
      refused: { op: 'runScript', id: 'role.win01.script/1', run: 'uname -a', shell: 'bash', reboots: false },
      message: 'win01 is a Windows guest: it takes PowerShell scripts, not a bash script',
    },
  ],
});

/**
 * `files:` into a Linux guest: the bash listing (stat, sha256sum) against the host's media
 * (Get-FileHash on the fake host, the same SHA-256 in the simulator), copied over scp (-r for a
 * new folder, file by file once it exists), a changed file copied again, a missing source refused.
 */
GUEST_SCENARIOS.push({
  name: 'files into a Linux guest: listed with sha256sum, copied over scp, only what differs',
  steps: [
    {
      host: {
        op: 'createSwitch',
        name: 'Uplink',
        type: 'external',
        notes: MARK,
        adapter: 'Ethernet',
        allowManagementOS: true,
      },
    },
    ...linuxVm('lxfiles', '00155D0000C3', 'Uplink'),
    {
      media: [
        { path: 'D:\\Media\\App\\install.sh', content: '#!/bin/sh\necho install\n' },
        { path: 'D:\\Media\\App\\lib\\core.so', content: 'core library' },
        { path: 'D:\\Media\\agent.deb', content: 'agent package' },
      ],
    },
    {
      vm: 'lxfiles',
      as: 'lab-admin',
      os: 'linux',
      run: { op: 'copyFiles', from: 'D:\\Media\\App', to: '/opt/app' },
    },
    {
      vm: 'lxfiles',
      as: 'lab-admin',
      os: 'linux',
      run: { op: 'copyFiles', from: 'D:\\Media\\agent.deb', to: '/opt/agent.deb' },
    },
    { media: [{ path: 'D:\\Media\\App\\lib\\core.so', content: 'core library, version 2' }] },
    {
      vm: 'lxfiles',
      as: 'lab-admin',
      os: 'linux',
      run: { op: 'copyFiles', from: 'D:\\Media\\App', to: '/opt/app' },
    },
    {
      vm: 'lxfiles',
      as: 'lab-admin',
      os: 'linux',
      refused: { op: 'copyFiles', from: 'D:\\Media\\Missing', to: '/opt/missing' },
      message: "Cannot find path 'D:\\Media\\Missing' because it does not exist.",
    },
  ],
});

/**
 * A Linux guest on a private switch (no DHCP there) configured by its cloud-init seed: the static
 * address it takes from the seed at its first boot is what ssh from the host reaches it at, with
 * the host account's key the seed authorised. Without the seed it would have no address at all.
 */
GUEST_SCENARIOS.push({
  name: 'a Linux guest configured by its cloud-init seed: its seeded address and key let ssh in',
  steps: [
    { host: { op: 'createSwitch', name: 'SeedNet', type: 'private', notes: MARK } },
    ...linuxVm('lx02', '00155D0000C3', 'SeedNet').filter((s) => !('host' in s && s.host.op === 'startVm')),
    { host: seedOp({ vm: 'lx02', mac: '00155D0000C3', address: '192.168.70.20' }) },
    {
      host: {
        op: 'attachDisk',
        vm: 'lx02',
        path: seedPath('lx02'),
        controllerType: 'IDE',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: false,
      },
    },
    { host: { op: 'startVm', name: 'lx02' } },
    {
      vm: 'lx02',
      as: 'lab-admin',
      os: 'linux',
      run: {
        op: 'runScript',
        id: 'role.lx02.script/1',
        run: 'mkdir -p /opt/seeded',
        test: 'test -d /opt/seeded && echo true',
        shell: 'bash',
        reboots: false,
      },
    },
  ],
});

/** A role record as labform writes it (src/roles/role-record.ts): a script role's run. */
function scriptRecord(address: string, run: string): string {
  const prefix = address.split('.').slice(2).join('.');
  return JSON.stringify({
    address,
    tasks: [{ key: `${prefix}/run`, operation: { op: 'runScript', id: 'contract', shell: 'bash', run } }],
  });
}

/**
 * A Linux guest's role records (/var/lib/labform/roles): written (and written again when the
 * text changes: the probe compares the exact text), read back in address order, forgotten.
 * The text carries quotes, a dollar sign and non-ASCII letters, which must come back as sent.
 */
GUEST_SCENARIOS.push({
  name: "a Linux guest's role records: written, rewritten, read back and forgotten over ssh",
  steps: [
    {
      host: {
        op: 'createSwitch',
        name: 'Uplink',
        type: 'external',
        notes: MARK,
        adapter: 'Ethernet',
        allowManagementOS: true,
      },
    },
    ...linuxVm('lx03', '00155D0000C4', 'Uplink'),
    { vm: 'lx03', as: 'lab-admin', os: 'linux', readRoles: [] },
    {
      vm: 'lx03',
      as: 'lab-admin',
      os: 'linux',
      run: {
        op: 'recordRole',
        address: 'role.lx03.script',
        record: scriptRecord('role.lx03.script', `echo "it's \${HOME} — grüße" > /tmp/one`),
      },
    },
    {
      vm: 'lx03',
      as: 'lab-admin',
      os: 'linux',
      run: {
        op: 'recordRole',
        address: 'role.lx03.script',
        record: scriptRecord('role.lx03.script', 'touch /tmp/changed'),
      },
    },
    {
      vm: 'lx03',
      as: 'lab-admin',
      os: 'linux',
      run: {
        op: 'recordRole',
        address: 'role.lx03.script.2',
        record: scriptRecord('role.lx03.script.2', 'mkdir -p /opt/two'),
      },
    },
    { vm: 'lx03', as: 'lab-admin', os: 'linux', readRoles: ['role.lx03.script', 'role.lx03.script.2'] },
    { vm: 'lx03', as: 'lab-admin', os: 'linux', run: { op: 'forgetRole', address: 'role.lx03.script' } },
    { vm: 'lx03', as: 'lab-admin', os: 'linux', readRoles: ['role.lx03.script.2'] },
  ],
});

/**
 * A guest failover cluster: two members of the forest sharing two VHDX files on an SMB share
 * (SCSI, persistent reservations), Failover-Clustering on each; New-Cluster is refused while a
 * node lacks the feature, then creates the cluster with its disk witness and cluster shared
 * volume, each cluster disk told apart by its size.
 */
function clusterScenario(): GuestScenario {
  const share = '\\\\fs01\\clu';
  const disks = [
    { name: 'quorum', path: `${share}\\quorum.vhdx`, size: GiB },
    { name: 'data', path: `${share}\\data.vhdx`, size: 4 * GiB },
  ];
  const node = (name: string, mac: string, address: string): GuestStep[] => {
    const build = windowsVm(name, mac);
    const start = build.findIndex((s) => 'host' in s && s.host.op === 'startVm');
    build.splice(
      start,
      0,
      ...disks.map((d, i): GuestStep => ({
        host: {
          op: 'attachDisk',
          vm: name,
          path: d.path,
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: i + 1,
          supportPersistentReservations: true,
        },
      })),
    );
    return [
      ...build,
      { vm: name, as: 'lab-admin', run: net(mac, address, ['192.168.50.10']) },
      {
        vm: name,
        as: 'lab-admin',
        run: {
          op: 'joinDomain',
          domain: 'contoso.com',
          joinCredential: 'domain-admin',
          dns: ['192.168.50.10'],
        },
      },
    ];
  };
  const cluster: GuestOperation = {
    op: 'createCluster',
    name: 'sqlclu',
    nodes: ['N1', 'N2'],
    address: '192.168.50.40',
    witness: { disk: 'quorum' },
    sharedVolumes: ['data'],
    disks: disks.map((d) => ({ name: d.name, size: d.size })),
  };
  const features: GuestOperation = { op: 'installFeatures', features: ['Failover-Clustering'] };
  return {
    name: 'a guest cluster on shared VHDX: refused while a node lacks the feature, then created',
    steps: [
      ...dcSteps,
      ...disks.map((d): GuestStep => ({
        host: { op: 'createVhd', path: d.path, size: d.size, format: 'vhdx', type: 'fixed' },
      })),
      ...node('n1', '00155D0000E5', '192.168.50.41'),
      ...node('n2', '00155D0000E6', '192.168.50.42'),
      { vm: 'n1', as: 'domain-admin', run: features },
      {
        vm: 'n1',
        as: 'domain-admin',
        refused: cluster,
        message: 'There was an error validating node',
      },
      { vm: 'n2', as: 'domain-admin', run: features },
      { vm: 'n1', as: 'domain-admin', run: cluster },
    ],
  };
}

GUEST_SCENARIOS.push(clusterScenario());
