/**
 * Discovery (Get-LabformHostState) calls each per-VM cmdlet once for all VMs, not once per VM,
 * and still gives every VM its own settings. Run in pwsh with the fake module and the real host
 * library; the fake counts its cmdlet calls (Get-FakeCallCount).
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePwsh, pwshPath } from '../../support/pwsh.js';
import { hostScriptPaths } from '../../../src/providers/hyperv/host-library.js';
import { FAKE_MODULE, fakeState } from './helpers/fake-host.js';

const GiB = 1024 ** 3;
const PER_VM_CMDLETS = [
  'Get-VMIntegrationService',
  'Get-VMProcessor',
  'Get-VMSecurity',
  'Get-VMFirmware',
  'Get-VMHardDiskDrive',
  'Get-VMNetworkAdapter',
  'Get-VMNetworkAdapterVlan',
  'Get-VMAssignableDevice',
  'Get-VMSnapshot',
];
const IMAGE = 'D:\\Images\\WS2022.vhdx';

/** A fake VM record; every VM differs, so a result matched to the wrong VM shows. */
function vmRecord(
  i: number,
  options: {
    generation?: number;
    tpm?: boolean;
    nested?: boolean;
    vlan?: number | null;
    device?: string;
    snapshots?: string[];
  } = {},
) {
  const name = `vm${i}`;
  const generation = options.generation ?? 2;
  return {
    id: `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    name,
    state: i === 3 ? 'Running' : 'Off',
    startedAt: i === 3 ? 1 : 0,
    generation,
    path: `D:\\Labs\\t\\${name}`,
    processors: i,
    memoryStartup: 2 * GiB,
    dynamicMemory: false,
    memoryMinimum: 536870912,
    memoryMaximum: 1099511627776,
    notes: `note ${i}`,
    automaticStopAction: 'ShutDown',
    checkpointType: 'Production',
    lowMmio: 134217728,
    highMmio: 536870912,
    guestControlledCacheTypes: false,
    nested: options.nested ?? false,
    secureBoot: generation === 2 && i % 2 === 0,
    secureBootTemplate: generation === 2 ? `Template${i}` : null,
    tpm: options.tpm ?? false,
    keyProtector: options.tpm ?? false,
    clustered: false,
    disks: [
      {
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: i % 4,
        path: `D:\\Labs\\t\\${name}\\${name}-os.vhdx`,
        supportPersistentReservations: false,
      },
    ],
    adapters: [
      {
        name: 'Network Adapter',
        switchName: 'LabNet',
        mac: `00155D0000${String(i).padStart(2, '0')}`,
        dynamicMac: false,
        spoofing: false,
        vlan: options.vlan ?? null,
        ipAddresses: [],
      },
      {
        name: 'Second',
        switchName: 'LabNet',
        mac: `00155D0001${String(i).padStart(2, '0')}`,
        dynamicMac: false,
        spoofing: i % 2 === 1,
        vlan: i + 100,
        ipAddresses: [],
      },
    ],
    devices: options.device ? [options.device] : [],
    snapshots: (options.snapshots ?? []).map((s, n) => ({
      id: `${n}0000000-0000-4000-8000-00000000000${i % 10}`,
      name: s,
      config: {},
      wasRunning: false,
    })),
    guest: null,
  };
}

function hostWith(vms: ReturnType<typeof vmRecord>[]) {
  const state = fakeState({}) as Record<string, any>;
  state.switches = [
    {
      id: '00000000-0000-4000-8000-000000000000',
      name: 'LabNet',
      notes: '',
      adapterNames: [],
      adapterDescriptions: [],
      embeddedTeaming: false,
      allowManagementOS: true,
      type: 'Internal',
    },
  ];
  state.devices = vms.flatMap((vm) =>
    vm.devices.map((d, n) => ({
      locationPath: d,
      instanceId: `PCIP\\VEN_10DE&DEV_1DB4\\${vm.name}${n}`,
      dismounted: true,
      assignedTo: vm.name,
    })),
  );
  state.vms = vms;
  state.vhds = [
    {
      path: IMAGE,
      type: 'Dynamic',
      parentPath: null,
      size: 40 * GiB,
      mounted: false,
      diskNumber: 0,
      os: 'windows',
    },
    ...vms.flatMap((vm) =>
      vm.disks.map((d) => ({
        path: d.path,
        type: 'Differencing',
        parentPath: IMAGE,
        size: 40 * GiB,
        mounted: false,
        diskNumber: 0,
        os: 'windows',
      })),
    ),
  ];
  return state;
}

let dir: string;
const run = async (script: string, state: unknown): Promise<any> => {
  const statePath = join(dir, `state-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(statePath, JSON.stringify(state));
  const library = hostScriptPaths()
    .map((p) => `. '${p.replace(/'/g, "''")}'`)
    .join('\n');
  const text = [
    "$ErrorActionPreference = 'Stop'",
    `Import-Module -Name '${FAKE_MODULE.replace(/'/g, "''")}' -DisableNameChecking`,
    library,
    script,
  ].join('\n');
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.ps1`);
  writeFileSync(file, text);
  // Asynchronous: a worker blocked in pwsh for a minute on a loaded machine cannot answer vitest.
  const result = await execa(pwshPath(), ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', file], {
    env: { LABFORM_FAKE_HYPERV_STATE: statePath, LABFORM_FAKE_BOOT_SECONDS: '0' },
    timeout: 120_000,
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`pwsh failed: ${result.stderr}\n${result.stdout}`);
  return JSON.parse(result.stdout);
};

const DISCOVER = `
Reset-FakeCallCount
$state = Get-LabformHostState -Paths 'D:\\Labs\\t' -Files '${IMAGE}'
[pscustomobject]@{ calls = (Get-FakeCallCount); state = $state } | ConvertTo-Json -Depth 20 -Compress`;

function mixedVms(count: number) {
  const vms = [
    vmRecord(1, { generation: 1 }),
    vmRecord(2, {
      tpm: true,
      nested: true,
      vlan: 42,
      device: 'PCIROOT(0)#PCI(0300)',
      snapshots: ['before', 'after'],
    }),
  ];
  for (let i = 3; i <= count; i++) vms.push(vmRecord(i, i % 3 === 0 ? { snapshots: [`s${i}`] } : {}));
  return vms;
}

describePwsh('Hyper-V discovery: one call per cmdlet for all VMs', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'labform-discovery-batching-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the same number of cmdlet calls for 3 VMs as for 12, one per per-VM cmdlet and one Get-VHD', async () => {
    const small = await run(DISCOVER, hostWith(mixedVms(3)));
    const large = await run(DISCOVER, hostWith(mixedVms(12)));
    expect(large.state.vms).toHaveLength(12);
    expect(large.calls).toEqual(small.calls);
    for (const cmdlet of [...PER_VM_CMDLETS, 'Get-VHD']) expect(large.calls[cmdlet], cmdlet).toBe(1);
    // Every disk file found under the storage path, and the image, described once, in order.
    expect(large.state.vhds.map((v: any) => v.path)).toEqual([
      ...mixedVms(12).map((vm) => vm.disks[0]!.path),
      IMAGE,
    ]);
    // The fake's Get-VHD has no FileSize (it does not model what guests write): null, which discovery leaves out.
    expect(large.state.vhds[0]).toEqual({
      path: 'D:\\Labs\\t\\vm1\\vm1-os.vhdx',
      vhdFormat: 'VHDX',
      vhdType: 'Differencing',
      parentPath: IMAGE,
      size: 40 * GiB,
      fileSize: null,
      attached: false,
    });
    // Only vm3 runs: only its disk is attached.
    expect(large.state.vhds.map((v: any) => v.attached)).toEqual(
      large.state.vhds.map((_: unknown, i: number) => i === 2),
    );
  }, 120_000);

  it('reads again when another session removes a VM between Get-VM and the per-VM calls', async () => {
    // Steps on one host run at once, each in its own session: here vm2 goes away right after
    // discovery listed it, so the first Get-VMProcessor cannot find it (as Hyper-V answers).
    const REMOVED_MEANWHILE = `
$script:removed = $false
function Get-VMProcessor {
  param($VM)
  if (-not $script:removed) { $script:removed = $true; Remove-VM -Name 'vm2' -Force }
  FakeHyperV\\Get-VMProcessor -VM $VM
}
$state = Get-LabformHostState -Paths 'D:\\Labs\\t'
[pscustomobject]@{ calls = @{}; state = $state } | ConvertTo-Json -Depth 20 -Compress`;
    const { state } = await run(REMOVED_MEANWHILE, hostWith(mixedVms(3)));
    expect(state.vms.map((v: any) => v.name)).toEqual(['vm1', 'vm3']);
    expect(state.vms.map((v: any) => v.processorCount)).toEqual([1, 3]);
  }, 120_000);

  it("reads the attached disks again when a VM goes meanwhile (a disk's removal checks them while other sessions remove VMs)", async () => {
    const ATTACHED_MEANWHILE = `
$script:removed = $false
function Get-VMHardDiskDrive {
  param($VM)
  if (-not $script:removed) { $script:removed = $true; Remove-VM -Name 'vm2' -Force }
  FakeHyperV\\Get-VMHardDiskDrive -VM $VM
}
$disks = @(Get-LabformAttachedDisks)
[pscustomobject]@{ calls = @{}; state = @{ disks = $disks } } | ConvertTo-Json -Depth 20 -Compress`;
    const { state } = await run(ATTACHED_MEANWHILE, hostWith(mixedVms(3)));
    const vms = [...new Set(state.disks.map((d: any) => d.vm))];
    expect(vms).toEqual(['vm1', 'vm3']);
    expect(state.disks.every((d: any) => typeof d.path === 'string' && d.state)).toBe(true);
  }, 120_000);

  it('gives every VM its own settings, disks, adapters, VLANs, devices and checkpoints', async () => {
    const { state } = await run(DISCOVER, hostWith(mixedVms(6)));
    const byName = Object.fromEntries(state.vms.map((v: any) => [v.name, v]));
    expect(state.vms.map((v: any) => v.name)).toEqual(['vm1', 'vm2', 'vm3', 'vm4', 'vm5', 'vm6']);
    // Generation 1: no firmware (Get-VMFirmware is not asked about it).
    expect(byName.vm1.firmware).toBeNull();
    expect(byName.vm2).toMatchObject({
      tpmEnabled: true,
      exposeVirtualizationExtensions: true,
      snapshots: ['before', 'after'],
      firmware: { secureBoot: 'On', secureBootTemplate: 'Template2' },
      assignedDevices: [
        { locationPath: 'PCIROOT(0)#PCI(0300)', instanceId: 'PCIP\\VEN_10DE&DEV_1DB4\\vm20' },
      ],
      heartbeatService: { enabled: true, primaryStatusDescription: '' },
    });
    for (let i = 1; i <= 6; i++) {
      const vm = byName[`vm${i}`];
      expect(vm.id).toBe(
        `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      );
      expect(vm.processorCount).toBe(i);
      expect(vm.disks).toEqual([
        {
          controllerType: 'SCSI',
          controllerNumber: 0,
          controllerLocation: i % 4,
          path: `D:\\Labs\\t\\vm${i}\\vm${i}-os.vhdx`,
          supportPersistentReservations: false,
        },
      ]);
      expect(
        vm.adapters.map((a: any) => [a.name, a.macAddress, a.macAddressSpoofing, a.vlanMode, a.accessVlanId]),
      ).toEqual([
        [
          'Network Adapter',
          `00155D0000${String(i).padStart(2, '0')}`,
          'Off',
          i === 2 ? 'Access' : 'Untagged',
          i === 2 ? 42 : 0,
        ],
        ['Second', `00155D0001${String(i).padStart(2, '0')}`, i % 2 === 1 ? 'On' : 'Off', 'Access', i + 100],
      ]);
      if (i !== 2) {
        expect(vm.tpmEnabled, vm.name).toBe(false);
        expect(vm.assignedDevices, vm.name).toEqual([]);
        expect(vm.snapshots, vm.name).toEqual(i % 3 === 0 ? [`s${i}`] : []);
      }
      if (i > 1)
        expect(vm.firmware, vm.name).toEqual({
          secureBoot: i % 2 === 0 ? 'On' : 'Off',
          secureBootTemplate: `Template${i}`,
        });
    }
  }, 120_000);

  it('answers an empty host without calling the per-VM cmdlets', async () => {
    const { state, calls } = await run(DISCOVER, hostWith([]));
    expect(state.vms).toEqual([]);
    expect(state.vhds.map((v: any) => v.path)).toEqual([IMAGE]);
    for (const cmdlet of PER_VM_CMDLETS) expect(calls[cmdlet], cmdlet).toBeUndefined();
  }, 120_000);

  it('matches results to VMs by id, by position when they carry no VM, else asks per VM', async () => {
    const out = await run(
      `
$vms = @([pscustomobject]@{ Name = 'a'; Id = [guid]'00000000-0000-4000-8000-00000000000a' }, [pscustomobject]@{ Name = 'a'; Id = [guid]'00000000-0000-4000-8000-00000000000b' })
$keyed = Group-LabformByVm -VMs $vms -Items @([pscustomobject]@{ VMId = $vms[1].Id; VMName = 'a'; V = 'b1' }, [pscustomobject]@{ VMId = $vms[0].Id; VMName = 'a'; V = 'a1' }, [pscustomobject]@{ VMId = $vms[1].Id; VMName = 'a'; V = 'b2' }) -PerVm { throw 'not asked' }
$positional = Group-LabformByVm -VMs $vms -Items @([pscustomobject]@{ V = 'first' }, [pscustomobject]@{ V = 'second' }) -PerVm { throw 'not asked' }
$perVm = Group-LabformByVm -VMs $vms -Items @([pscustomobject]@{ V = 'only one' }) -PerVm { param($v) [pscustomobject]@{ V = ('asked ' + $v.Id) } }
$show = { param($groups) @($vms | ForEach-Object { ,@(Get-LabformVmGroup -Groups $groups -VM $_ | ForEach-Object { $_.V }) }) }
[pscustomobject]@{ keyed = (& $show $keyed); positional = (& $show $positional); perVm = (& $show $perVm) } | ConvertTo-Json -Depth 5 -Compress`,
      hostWith([]),
    );
    // Two VMs with the same name stay apart: the id decides.
    expect(out.keyed).toEqual([['a1'], ['b1', 'b2']]);
    expect(out.positional).toEqual([['first'], ['second']]);
    expect(out.perVm).toEqual([
      ['asked 00000000-0000-4000-8000-00000000000a'],
      ['asked 00000000-0000-4000-8000-00000000000b'],
    ]);
  }, 120_000);
});
