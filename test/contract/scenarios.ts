/**
 * Contract scenarios: sequences of host operations (and discovers) that the simulator and the
 * Hyper-V provider on the fake module must answer alike. A scenario may end in an operation
 * Hyper-V refuses; both providers must refuse it the same way.
 */
import type { HostOperation } from '../../src/model/host-operation.js';
import { ALL_VM_SETTINGS } from '../support/vm-settings.js';
import { cloudInitSeed } from '../../src/model/cloud-init-seed.js';
import { hostSshPublicKey } from '../../src/providers/sim/host/host-ssh-key.js';
import type { SimHost } from '../../src/providers/sim/sim-state.js';

const GiB = 1024 ** 3;
export const IMAGE = 'D:\\Images\\ws2022.vhdx';
export const LINUX_IMAGE = 'D:\\Images\\ubuntu.vhdx';
export const LAB_PATH = 'D:\\Labs\\contract';
export const ISO = 'D:\\ISO\\SQL2016.iso';
/** A Windows Server installation ISO and an update package, and the image built from them. */
export const WINDOWS_ISO = 'D:\\ISO\\WS2016.iso';
export const UPDATE = 'D:\\Updates\\kb4013429.msu';
export const BUILT_IMAGE = 'D:\\Images\\ws2016-built.vhdx';
export const DEVICE = 'PCIROOT(40)#PCI(0200)#PCI(0000)';
export const CSV = 'C:\\ClusterStorage\\Volume1';
export const CSV_PATH = `${CSV}\\contract`;
const MARK = 'labform:lab=contract';

/** The cloud-init seed disk of a contract VM (src/model/cloud-init-seed.ts cloudInitSeedPath). */
export const seedPath = (vm: string): string => `${LAB_PATH}\\${vm}\\${vm}-cidata.vhdx`;

/**
 * The seed a Linux contract VM gets: its name and a static address on the adapter with `mac`, and
 * the host account's key (both providers give hv01's account the same key: host/host-ssh-key.ts
 * and the fake's host/cloud-init-boot.ps1 derive it alike).
 */
export function seedOp(o: { vm: string; mac: string; address: string }): HostOperation {
  const seed = cloudInitSeed({
    hostname: o.vm,
    user: 'Administrator',
    sshAuthorizedKeys: [hostSshPublicKey({ host: 'hv01' } as SimHost)!],
    adapters: [{ mac: o.mac, dhcp: false, addresses: [{ address: o.address, prefixLength: 24 }], dns: [] }],
  });
  return {
    op: 'writeCloudInitSeed',
    vm: o.vm,
    path: seedPath(o.vm),
    instanceId: seed.instanceId,
    files: seed.files,
    summary: seed.summary,
  };
}

export interface ExpectedRefusal {
  category: string;
  /** The key part of PowerShell's message (record.message). */
  message: string;
}

export interface Scenario {
  name: string;
  /** Free memory of the host (default 64 GiB). */
  freeMemory?: number;
  /** The host is the node of a host cluster with this shared volume. */
  cluster?: { name: string; sharedVolume: string };
  /** A host address besides Ethernet (e.g. one a NAT prefix would overlap). */
  extraAddress?: { interfaceAlias: string; address: string; prefixLength: number };
  steps: HostOperation[];
  refused?: { op: HostOperation; expect: ExpectedRefusal };
}

const natNetwork: HostOperation[] = [
  { op: 'createSwitch', name: 'LabNet', type: 'internal', notes: MARK },
  { op: 'setHostAddress', switchName: 'LabNet', address: '192.168.50.1', prefixLength: 24 },
  { op: 'createNat', name: 'labform-contract.LabNet', internalPrefix: '192.168.50.0/24' },
  {
    op: 'addNatMapping',
    nat: 'labform-contract.LabNet',
    protocol: 'tcp',
    externalPort: 8443,
    internalAddress: '192.168.50.10',
    internalPort: 443,
  },
];

const vm = (name: string, generation: 1 | 2 = 2, memory = 2 * GiB): HostOperation[] => [
  {
    op: 'createVhd',
    path: `${LAB_PATH}\\${name}\\${name}-os.vhdx`,
    size: 0,
    format: 'vhdx',
    type: 'differencing',
    parentPath: generation === 2 ? IMAGE : LINUX_IMAGE,
  },
  { op: 'createVm', name, generation, path: `${LAB_PATH}\\${name}`, memoryStartup: memory, notes: MARK },
  {
    op: 'attachDisk',
    vm: name,
    path: `${LAB_PATH}\\${name}\\${name}-os.vhdx`,
    controllerType: generation === 2 ? 'SCSI' : 'IDE',
    controllerNumber: 0,
    controllerLocation: 0,
    supportPersistentReservations: false,
  },
];

export const SCENARIOS: Scenario[] = [
  { name: 'an untouched host', steps: [] },
  {
    name: 'switch, NAT and a port mapping',
    steps: [...natNetwork, { op: 'createSwitch', name: 'Backend', type: 'private', notes: MARK }],
  },
  {
    name: 'a VM with disks, adapters and settings',
    steps: [
      ...natNetwork,
      ...vm('dc01'),
      {
        op: 'createVhd',
        path: `${LAB_PATH}\\dc01\\dc01-data1.vhdx`,
        size: 10 * GiB,
        format: 'vhdx',
        type: 'dynamic',
      },
      {
        op: 'attachDisk',
        vm: 'dc01',
        path: `${LAB_PATH}\\dc01\\dc01-data1.vhdx`,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: false,
      },
      {
        op: 'addAdapter',
        vm: 'dc01',
        name: 'LabNet',
        switchName: 'LabNet',
        mac: '00155D010203',
        macAddressSpoofing: true,
        vlan: 10,
      },
      { op: 'addAdapter', vm: 'dc01', name: 'Second', switchName: 'LabNet', macAddressSpoofing: false },
      { op: 'configureVm', name: 'dc01', settings: ALL_VM_SETTINGS },
      { op: 'assignDevice', vm: 'dc01', locationPath: DEVICE },
      {
        op: 'injectAnswerFile',
        vhdPath: `${LAB_PATH}\\dc01\\dc01-os.vhdx`,
        computerName: 'DC01',
        credential: 'lab-admin',
        timeZone: 'UTC',
      },
      { op: 'startVm', name: 'dc01' },
      { op: 'checkpointVm', vm: 'dc01', checkpoint: 'base' },
      { op: 'setAdapter', vm: 'dc01', name: 'Second', macAddressSpoofing: true, vlan: 20 },
    ],
  },
  {
    name: 'a VM stopped, changed offline, its parts removed',
    steps: [
      ...natNetwork,
      ...vm('web01'),
      {
        op: 'addAdapter',
        vm: 'web01',
        name: 'LabNet',
        switchName: 'LabNet',
        mac: '00155D0A0B0C',
        macAddressSpoofing: false,
      },
      { op: 'startVm', name: 'web01' },
      { op: 'stopVm', name: 'web01', timeoutMs: 5_000 },
      {
        op: 'configureVm',
        name: 'web01',
        settings: {
          processors: 2,
          memory: { startup: 4 * GiB, dynamic: true, minimum: 2 * GiB, maximum: 8 * GiB },
        },
      },
      { op: 'removeAdapter', vm: 'web01', name: 'LabNet' },
      { op: 'detachDisk', vm: 'web01', controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 0 },
      { op: 'removeNatMapping', nat: 'labform-contract.LabNet', protocol: 'tcp', externalPort: 8443 },
    ],
  },
  {
    name: 'checkpoints taken, the VM changed, restored, resumed',
    steps: [
      ...natNetwork,
      ...vm('app01'),
      {
        op: 'addAdapter',
        vm: 'app01',
        name: 'LabNet',
        switchName: 'LabNet',
        mac: '00155D0A0B0D',
        macAddressSpoofing: false,
      },
      { op: 'configureVm', name: 'app01', settings: { checkpointType: 'standard' } },
      { op: 'startVm', name: 'app01' },
      { op: 'checkpointVm', vm: 'app01', checkpoint: 'running' },
      { op: 'stopVm', name: 'app01', force: true },
      { op: 'checkpointVm', vm: 'app01', checkpoint: 'off' },
      { op: 'configureVm', name: 'app01', settings: { processors: 8, notes: `${MARK}\nchanged` } },
      { op: 'removeAdapter', vm: 'app01', name: 'LabNet' },
      { op: 'restoreCheckpoint', vm: 'app01', checkpoint: 'running' },
      { op: 'startVm', name: 'app01' },
      { op: 'removeCheckpoint', vm: 'app01', checkpoint: 'off' },
    ],
  },
  {
    name: 'a guest cluster on cluster storage: shared VHDX with persistent reservations, clustered roles',
    cluster: { name: 'hvclu', sharedVolume: CSV },
    steps: [
      {
        op: 'createVhd',
        path: `${CSV_PATH}\\shared\\data.vhdx`,
        size: 20 * GiB,
        format: 'vhdx',
        type: 'dynamic',
      },
      ...['sql1', 'sql2'].flatMap((name): HostOperation[] => [
        {
          op: 'createVhd',
          path: `${CSV_PATH}\\${name}\\${name}-os.vhdx`,
          size: 0,
          format: 'vhdx',
          type: 'differencing',
          parentPath: IMAGE,
        },
        {
          op: 'createVm',
          name,
          generation: 2,
          path: `${CSV_PATH}\\${name}`,
          memoryStartup: 2 * GiB,
          notes: MARK,
        },
        {
          op: 'attachDisk',
          vm: name,
          path: `${CSV_PATH}\\${name}\\${name}-os.vhdx`,
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 0,
          supportPersistentReservations: false,
        },
        {
          op: 'attachDisk',
          vm: name,
          path: `${CSV_PATH}\\shared\\data.vhdx`,
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: 1,
          supportPersistentReservations: true,
        },
        { op: 'addClusterRole', vm: name, cluster: 'hvclu' },
      ]),
    ],
    refused: {
      op: { op: 'addClusterRole', vm: 'sql1', cluster: 'hvclu' },
      expect: {
        category: 'ResourceExists',
        message: "The virtual machine 'sql1' is already a clustered role.",
      },
    },
  },
  {
    name: 'a clustered role for a VM outside cluster storage',
    cluster: { name: 'hvclu', sharedVolume: CSV },
    steps: vm('local1'),
    refused: {
      op: { op: 'addClusterRole', vm: 'local1', cluster: 'hvclu' },
      expect: { category: 'InvalidOperation', message: 'has files that are not on cluster shared storage' },
    },
  },
  {
    name: 'everything removed again',
    steps: [
      ...natNetwork,
      ...vm('app01', 1),
      { op: 'removeVm', name: 'app01' },
      { op: 'removeVhd', path: `${LAB_PATH}\\app01\\app01-os.vhdx` },
      { op: 'removeNatMapping', nat: 'labform-contract.LabNet', protocol: 'tcp', externalPort: 8443 },
      { op: 'removeNat', name: 'labform-contract.LabNet' },
      { op: 'removeHostAddress', switchName: 'LabNet', address: '192.168.50.1' },
      { op: 'removeSwitch', name: 'LabNet' },
    ],
  },
  {
    // Both hosts have 16 logical processors (Get-VMHost LogicalProcessorCount): 16 are fine, 17 are not.
    name: 'more processors than the host has logical processors',
    steps: [...vm('wide'), { op: 'configureVm', name: 'wide', settings: { processors: 16 } }],
    refused: {
      op: { op: 'configureVm', name: 'wide', settings: { processors: 17 } },
      expect: { category: 'InvalidArgument', message: 'Invalid processor count: 17.' },
    },
  },
  {
    name: "a Linux VM's cloud-init seed written, attached, written again while off; refused while it runs",
    steps: [
      ...vm('lx01', 1),
      seedOp({ vm: 'lx01', mac: '00155D0000D1', address: '192.168.60.10' }),
      {
        op: 'attachDisk',
        vm: 'lx01',
        path: seedPath('lx01'),
        controllerType: 'IDE',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: false,
      },
      seedOp({ vm: 'lx01', mac: '00155D0000D1', address: '192.168.60.11' }),
      { op: 'startVm', name: 'lx01' },
    ],
    refused: {
      op: seedOp({ vm: 'lx01', mac: '00155D0000D1', address: '192.168.60.12' }),
      expect: { category: 'InvalidOperation', message: 'it is written only while the VM is off' },
    },
  },
  {
    name: 'a second NAT on the host',
    steps: natNetwork,
    refused: {
      op: { op: 'createNat', name: 'other', internalPrefix: '10.10.0.0/16' },
      expect: { category: 'InvalidArgument', message: 'The parameter is incorrect.' },
    },
  },
  {
    name: 'a NAT prefix overlapping an address of the host',
    extraAddress: { interfaceAlias: 'Wi-Fi', address: '192.168.50.7', prefixLength: 24 },
    steps: [],
    refused: {
      op: { op: 'createNat', name: 'labform-contract.LabNet', internalPrefix: '192.168.50.0/24' },
      expect: { category: 'InvalidArgument', message: 'The parameter is incorrect.' },
    },
  },
  {
    name: 'a port mapping taken twice',
    steps: natNetwork,
    refused: {
      op: {
        op: 'addNatMapping',
        nat: 'labform-contract.LabNet',
        protocol: 'tcp',
        externalPort: 8443,
        internalAddress: '192.168.50.11',
        internalPort: 443,
      },
      expect: { category: 'ResourceExists', message: 'The object already exists.' },
    },
  },
  {
    name: 'a switch name taken',
    steps: natNetwork,
    refused: {
      op: { op: 'createSwitch', name: 'LabNet', type: 'private', notes: MARK },
      expect: { category: 'ResourceExists', message: "A virtual switch named 'LabNet' already exists" },
    },
  },
  {
    name: 'a VM name taken',
    steps: vm('dc01'),
    refused: {
      op: {
        op: 'createVm',
        name: 'dc01',
        generation: 2,
        path: `${LAB_PATH}\\dc01`,
        memoryStartup: 2 * GiB,
        notes: MARK,
      },
      expect: { category: 'ResourceExists', message: "A virtual machine named 'dc01' already exists" },
    },
  },
  {
    name: 'processors changed while the VM runs (requires stop)',
    steps: [...vm('dc01'), { op: 'startVm', name: 'dc01' }],
    refused: {
      op: { op: 'configureVm', name: 'dc01', settings: { processors: 4 } },
      expect: {
        category: 'InvalidOperation',
        message: 'The operation cannot be performed while the virtual machine is in its current state.',
      },
    },
  },
  {
    name: 'static memory resized while the VM runs (requires stop)',
    steps: [...vm('dc01'), { op: 'startVm', name: 'dc01' }],
    refused: {
      op: { op: 'configureVm', name: 'dc01', settings: { memory: { startup: 4 * GiB, dynamic: false } } },
      expect: {
        category: 'InvalidOperation',
        message: 'The operation cannot be performed while the virtual machine is in its current state.',
      },
    },
  },
  {
    name: 'a TPM on a generation 1 VM',
    steps: vm('app01', 1),
    refused: {
      op: { op: 'configureVm', name: 'app01', settings: { tpm: true } },
      expect: { category: 'InvalidOperation', message: 'requires generation 2' },
    },
  },
  {
    name: 'secure boot on a generation 1 VM',
    steps: vm('app01', 1),
    refused: {
      op: { op: 'configureVm', name: 'app01', settings: { firmware: { secureBoot: true } } },
      expect: { category: 'InvalidOperation', message: 'requires generation 2' },
    },
  },
  {
    name: 'nested virtualization with dynamic memory',
    steps: [
      ...vm('hv1'),
      {
        op: 'configureVm',
        name: 'hv1',
        settings: { memory: { startup: 4 * GiB, dynamic: true, minimum: 2 * GiB, maximum: 8 * GiB } },
      },
    ],
    refused: {
      op: { op: 'configureVm', name: 'hv1', settings: { nestedVirtualization: true } },
      expect: {
        category: 'InvalidOperation',
        message: 'Cannot enable nested virtualization on a virtual machine with dynamic memory enabled.',
      },
    },
  },
  {
    name: 'a device that does not exist',
    steps: vm('gpu1'),
    refused: {
      op: { op: 'assignDevice', vm: 'gpu1', locationPath: 'PCIROOT(99)#PCI(0000)' },
      expect: { category: 'ObjectNotFound', message: 'The specified device was not found' },
    },
  },
  {
    name: 'a device assigned to a running VM',
    steps: [...vm('gpu1'), { op: 'startVm', name: 'gpu1' }],
    refused: {
      op: { op: 'assignDevice', vm: 'gpu1', locationPath: DEVICE },
      expect: {
        category: 'InvalidOperation',
        message: 'The operation cannot be performed while the virtual machine is in its current state.',
      },
    },
  },
  {
    name: 'a checkpoint that does not exist restored',
    steps: vm('app01'),
    refused: {
      op: { op: 'restoreCheckpoint', vm: 'app01', checkpoint: 'nope' },
      expect: { category: 'ObjectNotFound', message: 'unable to find a checkpoint named "nope"' },
    },
  },
  {
    name: 'a checkpoint name taken',
    steps: [...vm('app01'), { op: 'checkpointVm', vm: 'app01', checkpoint: 'base' }],
    refused: {
      op: { op: 'checkpointVm', vm: 'app01', checkpoint: 'base' },
      expect: { category: 'ResourceExists', message: "A checkpoint named 'base' already exists" },
    },
  },
  {
    name: 'a switch with adapters connected removed',
    steps: [
      ...natNetwork,
      ...vm('app01'),
      { op: 'addAdapter', vm: 'app01', name: 'LabNet', switchName: 'LabNet', macAddressSpoofing: false },
    ],
    refused: {
      op: { op: 'removeSwitch', name: 'LabNet' },
      expect: {
        category: 'InvalidOperation',
        message: "The operation cannot be performed while the virtual switch 'LabNet' is in use.",
      },
    },
  },
  {
    name: 'a switch renamed: adapters stay connected, the host address moves to vEthernet (<new name>)',
    steps: [
      ...natNetwork,
      ...vm('app01'),
      { op: 'addAdapter', vm: 'app01', name: 'LabNet', switchName: 'LabNet', macAddressSpoofing: false },
      { op: 'renameSwitch', name: 'LabNet', newName: 'CoreNet' },
      { op: 'removeNat', name: 'labform-contract.LabNet' },
      { op: 'createNat', name: 'labform-contract.CoreNet', internalPrefix: '192.168.50.0/24' },
      { op: 'createSwitch', name: 'LabNet', type: 'private', notes: MARK },
    ],
    refused: {
      op: { op: 'renameSwitch', name: 'CoreNet', newName: 'LabNet' },
      expect: { category: 'ResourceExists', message: "A virtual switch named 'LabNet' already exists." },
    },
  },
  {
    name: 'an external switch on an adapter the host does not have',
    steps: [],
    refused: {
      op: { op: 'createSwitch', name: 'Uplink', type: 'external', adapter: 'Ethernet 9', notes: MARK },
      expect: { category: 'ObjectNotFound', message: "No network adapter is found with name 'Ethernet 9'." },
    },
  },
  {
    name: 'a switch that does not exist renamed',
    steps: [],
    refused: {
      op: { op: 'renameSwitch', name: 'Nowhere', newName: 'Somewhere' },
      expect: {
        category: 'InvalidArgument',
        message: 'Hyper-V was unable to find a virtual switch with name "Nowhere".',
      },
    },
  },
  {
    name: 'an adapter on a switch that does not exist',
    steps: vm('app01'),
    refused: {
      op: { op: 'addAdapter', vm: 'app01', name: 'x', switchName: 'Nowhere', macAddressSpoofing: false },
      expect: {
        category: 'InvalidArgument',
        message: 'Hyper-V was unable to find a virtual switch with name "Nowhere".',
      },
    },
  },
  {
    name: 'an operation on a VM that does not exist',
    steps: [],
    refused: {
      op: { op: 'startVm', name: 'ghost' },
      expect: {
        category: 'InvalidArgument',
        message: 'Hyper-V was unable to find a virtual machine with name "ghost".',
      },
    },
  },
  {
    name: 'a running VM removed',
    steps: [...vm('dc01'), { op: 'startVm', name: 'dc01' }],
    refused: {
      op: { op: 'removeVm', name: 'dc01' },
      expect: {
        category: 'InvalidOperation',
        message: 'The operation cannot be performed while the virtual machine is in its current state.',
      },
    },
  },
  {
    name: 'a differencing disk whose parent is missing',
    steps: [],
    refused: {
      op: {
        op: 'createVhd',
        path: `${LAB_PATH}\\x\\x-os.vhdx`,
        size: 0,
        format: 'vhdx',
        type: 'differencing',
        parentPath: 'D:\\Images\\missing.vhdx',
      },
      expect: {
        category: 'ObjectNotFound',
        message: 'The system cannot find the file specified. (0x80070002).',
      },
    },
  },
  {
    name: 'a shared disk outside cluster storage',
    steps: [
      ...vm('sql1'),
      { op: 'createVhd', path: `${LAB_PATH}\\shared.vhdx`, size: 10 * GiB, format: 'vhdx', type: 'dynamic' },
    ],
    refused: {
      op: {
        op: 'attachDisk',
        vm: 'sql1',
        path: `${LAB_PATH}\\shared.vhdx`,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: true,
      },
      expect: { category: 'InvalidArgument', message: 'does not support virtual hard disk sharing' },
    },
  },
  {
    name: 'a disk attached to a second VM without persistent reservations',
    steps: [
      ...vm('sql1'),
      ...vm('sql2'),
      { op: 'createVhd', path: `${LAB_PATH}\\data.vhdx`, size: 10 * GiB, format: 'vhdx', type: 'dynamic' },
      {
        op: 'attachDisk',
        vm: 'sql1',
        path: `${LAB_PATH}\\data.vhdx`,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: false,
      },
    ],
    refused: {
      op: {
        op: 'attachDisk',
        vm: 'sql2',
        path: `${LAB_PATH}\\data.vhdx`,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: false,
      },
      expect: { category: 'InvalidOperation', message: 'because it is being used by another process' },
    },
  },
  {
    name: 'a VM started beyond the free memory',
    freeMemory: 4 * GiB,
    steps: vm('big', 2, 8 * GiB),
    refused: {
      op: { op: 'startVm', name: 'big' },
      expect: {
        category: 'ResourceUnavailable',
        message: 'Not enough memory in the system to start the virtual machine big.',
      },
    },
  },
  {
    name: 'a data disk grown in place on the SCSI chain of a running VM; shrinking it refused',
    steps: [
      ...vm('dc01'),
      {
        op: 'createVhd',
        path: `${LAB_PATH}\\dc01\\dc01-data1.vhdx`,
        size: 5 * GiB,
        format: 'vhdx',
        type: 'dynamic',
      },
      {
        op: 'attachDisk',
        vm: 'dc01',
        path: `${LAB_PATH}\\dc01\\dc01-data1.vhdx`,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: false,
      },
      { op: 'startVm', name: 'dc01' },
      { op: 'resizeVhd', path: `${LAB_PATH}\\dc01\\dc01-data1.vhdx`, size: 8 * GiB },
    ],
    refused: {
      op: { op: 'resizeVhd', path: `${LAB_PATH}\\dc01\\dc01-data1.vhdx`, size: 6 * GiB },
      expect: {
        category: 'InvalidArgument',
        message: 'is smaller than the minimum size of the virtual disk',
      },
    },
  },
  {
    name: 'a disk on the IDE chain of a running VM resized',
    steps: [...vm('old1', 1), { op: 'startVm', name: 'old1' }],
    refused: {
      op: { op: 'resizeVhd', path: `${LAB_PATH}\\old1\\old1-os.vhdx`, size: 60 * GiB },
      expect: { category: 'InvalidOperation', message: "in use by 'old1'" },
    },
  },
  {
    name: 'an attached disk removed',
    steps: vm('dc01'),
    refused: {
      op: { op: 'removeVhd', path: `${LAB_PATH}\\dc01\\dc01-os.vhdx` },
      expect: { category: 'InvalidOperation', message: 'because it is being used by another process' },
    },
  },
  ...dvdScenarios(),
  ...imageScenarios(),
];

/** DVD drives: added while off, media swapped while running, emptied, removed while off; Hyper-V's refusals. */
function dvdScenarios(): Scenario[] {
  const dvd = (
    vm: string,
    controllerType: 'IDE' | 'SCSI',
    controllerNumber: number,
    controllerLocation: number,
  ) => ({ vm, controllerType, controllerNumber, controllerLocation });
  const STATE = 'The operation cannot be performed while the virtual machine is in its current state.';
  return [
    {
      name: 'DVD drives: added while off, media swapped and emptied while running, removed while off',
      steps: [
        ...vm('sql01'),
        ...vm('old01', 1),
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: ISO },
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 2), path: ISO },
        { op: 'addDvdDrive', ...dvd('old01', 'IDE', 1, 0), path: ISO },
        { op: 'startVm', name: 'sql01' },
        { op: 'setDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: null },
        { op: 'setDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: ISO },
        { op: 'setDvdDrive', ...dvd('sql01', 'SCSI', 0, 2), path: null },
        { op: 'stopVm', name: 'sql01', force: true },
        { op: 'removeDvdDrive', ...dvd('sql01', 'SCSI', 0, 2) },
      ],
    },
    {
      name: 'a DVD drive added where an empty one sits: it takes the media, also while the VM runs',
      steps: [
        ...vm('sql01'),
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: ISO },
        { op: 'setDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: null },
        { op: 'startVm', name: 'sql01' },
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: ISO },
      ],
    },
    {
      name: 'a checkpoint restored: the DVD drives and their media come back',
      steps: [
        ...vm('sql01'),
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: ISO },
        { op: 'checkpointVm', vm: 'sql01', checkpoint: 'with-media' },
        { op: 'setDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: null },
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 2), path: ISO },
        { op: 'restoreCheckpoint', vm: 'sql01', checkpoint: 'with-media' },
      ],
    },
    {
      name: 'a DVD drive added to a running VM',
      steps: [...vm('old01', 1), { op: 'startVm', name: 'old01' }],
      refused: {
        op: { op: 'addDvdDrive', ...dvd('old01', 'IDE', 1, 0), path: ISO },
        expect: { category: 'InvalidOperation', message: STATE },
      },
    },
    {
      name: 'a DVD drive removed from a running VM',
      steps: [
        ...vm('sql01'),
        { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: ISO },
        { op: 'startVm', name: 'sql01' },
      ],
      refused: {
        op: { op: 'removeDvdDrive', ...dvd('sql01', 'SCSI', 0, 1) },
        expect: { category: 'InvalidOperation', message: STATE },
      },
    },
    {
      name: 'an IDE DVD drive on a generation 2 VM',
      steps: vm('sql01'),
      refused: {
        op: { op: 'addDvdDrive', ...dvd('sql01', 'IDE', 1, 0), path: ISO },
        expect: {
          category: 'InvalidArgument',
          message: 'Generation 2 virtual machines do not support IDE controllers.',
        },
      },
    },
    {
      name: 'a DVD drive where the OS disk is',
      steps: vm('sql01'),
      refused: {
        op: { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 0), path: ISO },
        expect: { category: 'InvalidOperation', message: "There is already a drive at SCSI 0:0 of 'sql01'." },
      },
    },
    {
      name: 'an ISO that is not on the host',
      steps: vm('sql01'),
      refused: {
        op: { op: 'addDvdDrive', ...dvd('sql01', 'SCSI', 0, 1), path: 'D:\\ISO\\missing.iso' },
        expect: { category: 'ObjectNotFound', message: 'The system cannot find the file specified.' },
      },
    },
    {
      name: 'media changed in a drive the VM does not have',
      steps: vm('sql01'),
      refused: {
        op: { op: 'setDvdDrive', ...dvd('sql01', 'SCSI', 0, 3), path: ISO },
        expect: { category: 'ObjectNotFound', message: 'Hyper-V was unable to find a DVD drive at SCSI 0:3' },
      },
    },
  ];
}

/** Images built from an ISO: the build, a VM on it, a rebuild, and the build's refusals. */
function imageScenarios(): Scenario[] {
  const build = (o: Partial<Extract<HostOperation, { op: 'buildImage' }>> = {}): HostOperation => ({
    op: 'buildImage',
    path: BUILT_IMAGE,
    generation: 2,
    iso: WINDOWS_ISO,
    edition: 'Windows Server 2016 Datacenter',
    size: 30 * GiB,
    updates: [UPDATE],
    ...o,
  });
  const os = `${LAB_PATH}\\img01\\img01-os.vhdx`;
  const vmOnImage: HostOperation[] = [
    { op: 'createVhd', path: os, size: 0, format: 'vhdx', type: 'differencing', parentPath: BUILT_IMAGE },
    {
      op: 'createVm',
      name: 'img01',
      generation: 2,
      path: `${LAB_PATH}\\img01`,
      memoryStartup: 2 * GiB,
      notes: MARK,
    },
    {
      op: 'attachDisk',
      vm: 'img01',
      path: os,
      controllerType: 'SCSI',
      controllerNumber: 0,
      controllerLocation: 0,
      supportPersistentReservations: false,
    },
  ];
  return [
    {
      name: 'an image built from an ISO, a VM on it; building it again under the VM is refused',
      steps: [build(), ...vmOnImage],
      refused: {
        op: build({ edition: 4 }),
        expect: {
          category: 'InvalidOperation',
          message: 'cannot be built again: differencing disks depend on it',
        },
      },
    },
    {
      name: 'an image built again from another edition and the update, nothing depending on it',
      steps: [build({ edition: 1, updates: [] }), build()],
    },
    {
      name: 'features installed into a new OS disk before its first boot; refused while its VM runs',
      steps: [
        build(),
        ...vmOnImage,
        { op: 'installFeaturesOffline', vm: 'img01', vhdPath: os, features: ['AD-Domain-Services', 'DNS'] },
        { op: 'startVm', name: 'img01' },
      ],
      refused: {
        op: { op: 'installFeaturesOffline', vm: 'img01', vhdPath: os, features: ['Hyper-V'] },
        expect: {
          category: 'InvalidOperation',
          message: 'The process cannot access the file because it is being used by another process.',
        },
      },
    },
    {
      name: 'building an image from an edition the ISO does not have',
      steps: [],
      refused: {
        op: build({ edition: 'Windows Server 2016 Enterprise' }),
        expect: {
          category: 'ObjectNotFound',
          message: `${WINDOWS_ISO} has no edition "Windows Server 2016 Enterprise"; it has 1: Windows Server 2016 Standard, 2: Windows Server 2016 Standard (Desktop Experience), 3: Windows Server 2016 Datacenter, 4: Windows Server 2016 Datacenter (Desktop Experience).`,
        },
      },
    },
    {
      name: 'building an image from an ISO that is not there',
      steps: [],
      refused: {
        op: build({ iso: 'D:\\ISO\\missing.iso' }),
        expect: { category: 'ObjectNotFound', message: 'The system cannot find the file specified.' },
      },
    },
    {
      name: 'building an image with an update package that is not there',
      steps: [],
      refused: {
        op: build({ updates: ['D:\\Updates\\missing.msu'] }),
        expect: {
          category: 'ObjectNotFound',
          message: 'The update package D:\\Updates\\missing.msu does not exist.',
        },
      },
    },
  ];
}
