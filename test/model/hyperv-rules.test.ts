import { describe, expect, it } from 'vitest';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { HostOperation } from '../../src/model/host-operation.js';
import { ctx, GiB, MARK, newSim, refused, STORE } from '../providers/sim/sim-fixtures.js';
import { planTimeRules } from '../../src/diff/plan-time-rules.js';
import {
  driveControllerProblem,
  generationAllows,
  hostAddressBlocksNatPrefix,
  isCsvPath,
  isSmbPath,
  natGatewayAddress,
  validMemoryAmount,
  validMmioLow,
  validNetbiosComputerName,
  winNatHasRoom,
} from '../../src/model/hyperv-rules.js';

describe('Hyper-V rules as predicates', () => {
  it('puts cluster shared volumes under C:\\ClusterStorage only, SMB shares under \\\\server\\share', () => {
    expect(isCsvPath('C:\\ClusterStorage\\Volume1\\d.vhdx')).toBe(true);
    expect(isCsvPath('c:/clusterstorage/Volume1/d.vhdx')).toBe(true);
    expect(isCsvPath('D:\\ClusterStorage\\Volume1\\d.vhdx')).toBe(false);
    expect(isCsvPath('C:\\ClusterStorage')).toBe(false);
    expect(isSmbPath('\\\\fs01\\vms\\d.vhdx')).toBe(true);
    expect(isSmbPath('\\\\fs01')).toBe(false);
  });

  it('knows memory steps, the MMIO limit and NetBIOS names', () => {
    expect(validMemoryAmount(32 * 1024 ** 2)).toBe(true);
    expect(validMemoryAmount(30 * 1024 ** 2)).toBe(false);
    expect(validMemoryAmount(2051 * 1024 ** 2)).toBe(false);
    expect(validMmioLow(3584 * 1024 ** 2)).toBe(true);
    expect(validMmioLow(3585 * 1024 ** 2)).toBe(false);
    expect(validNetbiosComputerName('DC-01')).toBe(true);
    expect(validNetbiosComputerName('1234')).toBe(false);
    expect(validNetbiosComputerName('A'.repeat(16))).toBe(false);
  });

  it('validate and the simulator agree on a shared disk outside C:\\ClusterStorage', async () => {
    const path = 'D:\\ClusterStorage\\Volume1\\shared.vhdx';
    const text = `apiVersion: labform/v1
kind: Lab
name: agree
hosts:
  - name: hv01
disks:
  - name: s
    path: ${path}
    size: 10GB
    shared: true
vms: []
`;
    const { diagnostics } = loadLabFromText({ text, file: 'agree.yaml' });
    expect(diagnostics.map((d) => d.rule)).toContain('shared-disk-location');
    const { sim } = await newSim();
    const run = (op: HostOperation) => sim.run('hv01', op, ctx());
    // Not a cluster shared volume: an ordinary local file, so creating it works and sharing it is refused.
    await run({ op: 'createVhd', path, size: 10 * GiB, format: 'vhdx', type: 'fixed' });
    await run({
      op: 'createVm',
      name: 'n1',
      generation: 2,
      path: `${STORE}\\n1`,
      memoryStartup: 2 * GiB,
      notes: MARK,
    });
    const e = await refused(
      run({
        op: 'attachDisk',
        vm: 'n1',
        path,
        controllerType: 'SCSI',
        controllerNumber: 0,
        controllerLocation: 1,
        supportPersistentReservations: true,
      }),
    );
    expect(e.message).toMatch(/does not support virtual hard disk sharing/);
  });

  it('knows what a generation 1 VM lacks, and which controllers take which drives', () => {
    expect(generationAllows(1, 'secureBoot')).toBe(false);
    expect(generationAllows(1, 'tpm')).toBe(false);
    expect(generationAllows(1, 'adapterHotPlug')).toBe(false);
    expect(generationAllows(2, 'tpm')).toBe(true);
    expect(driveControllerProblem(2, 'hardDisk', 'IDE')).toMatch(/do not support IDE/);
    expect(driveControllerProblem(2, 'dvd', 'SCSI')).toBeUndefined();
    expect(driveControllerProblem(1, 'dvd', 'SCSI')).toMatch(/IDE controllers only/);
    expect(driveControllerProblem(1, 'hardDisk', 'SCSI')).toBeUndefined();
    expect(driveControllerProblem(1, 'hardDisk', 'IDE')).toBeUndefined();
  });

  it('knows WinNAT: one NAT per host, host subnets off internal switches, the gateway address', () => {
    expect(winNatHasRoom(0)).toBe(true);
    expect(winNatHasRoom(1)).toBe(false);
    const wifi = { address: '192.168.50.77', prefixLength: 24, onInternalSwitch: false };
    expect(hostAddressBlocksNatPrefix('192.168.50.0/24', wifi)).toBe(true);
    expect(hostAddressBlocksNatPrefix('192.168.50.0/24', { ...wifi, onInternalSwitch: true })).toBe(false);
    // A wide host subnet around the NAT prefix overlaps it even though the address is outside.
    expect(hostAddressBlocksNatPrefix('10.1.0.0/24', { ...wifi, address: '10.0.0.5', prefixLength: 8 })).toBe(
      true,
    );
    expect(
      hostAddressBlocksNatPrefix('10.1.0.0/24', { ...wifi, address: '10.2.0.5', prefixLength: 24 }),
    ).toBe(false);
    expect(natGatewayAddress({ prefix: '192.168.50.0/24' })).toBe('192.168.50.1');
    // Host bits as written do not move the gateway; a /31 has no network address to skip.
    expect(natGatewayAddress({ prefix: '10.0.0.5/24' })).toBe('10.0.0.1');
    expect(natGatewayAddress({ prefix: '10.0.0.4/31' })).toBe('10.0.0.4');
    expect(natGatewayAddress({ prefix: '10.0.0.0/24', gateway: '10.0.0.254' })).toBe('10.0.0.254');
  });

  it('validate and the simulator agree on generation 1: no TPM, but device assignment is fine', async () => {
    const text = `apiVersion: labform/v1
kind: Lab
name: gen
hosts:
  - name: hv01
vms:
  - name: old
    generation: 1
    memory: 2GB
    tpm: true
    mmio: { low: 256MB, high: 1GB }
    automaticStopAction: turnOff
    assignDevices:
      - locationPath: PCIROOT(0)#PCI(0300)
`;
    const rules = loadLabFromText({ text, file: 'gen.yaml' }).diagnostics.map((d) => d.rule);
    expect(rules).toContain('generation-tpm');
    expect(rules.filter((r) => r.startsWith('generation-'))).toEqual(['generation-tpm']);
    const { sim } = await newSim();
    const run = (op: HostOperation) => sim.run('hv01', op, ctx());
    await run({
      op: 'createVm',
      name: 'old',
      generation: 1,
      path: `${STORE}\\old`,
      memoryStartup: 2 * GiB,
      notes: MARK,
    });
    const e = await refused(run({ op: 'configureVm', name: 'old', settings: { tpm: true } }));
    expect(e.message).toMatch(/a virtual TPM requires generation 2/);
  });

  it('plan-time rules and the simulator agree on a NAT prefix the host already routes', async () => {
    const text = `apiVersion: labform/v1
kind: Lab
name: natlab
hosts:
  - name: hv01
networks:
  - name: LabNat
    type: nat
    prefix: 192.168.50.0/24
vms: []
`;
    const { lab } = loadLabFromText({ text, file: 'nat.yaml' });
    const { sim } = await newSim();
    await sim.seed('hv01', (t) => {
      t.hostAddress({ interfaceAlias: 'Wi-Fi', address: '192.168.50.77', prefixLength: 24 });
    });
    const live = new Map([['hv01', await sim.discover('hv01', { paths: [], files: [] })]]);
    expect(planTimeRules({ lab: lab!, live }).map((d) => d.rule)).toEqual(['nat-prefix-host-address']);
    const nat = {
      op: 'createNat',
      name: 'labform-natlab.LabNat',
      internalPrefix: '192.168.50.0/24',
    } as const;
    await refused(sim.run('hv01', nat, ctx()));

    // The same address on an internal switch's virtual NIC is where a NAT gateway lives: both accept it.
    const { sim: other } = await newSim();
    await other.seed('hv01', (t) => {
      t.switch({ name: 'Side', type: 'internal' });
      t.hostAddress({ interfaceAlias: 'vEthernet (Side)', address: '192.168.50.77', prefixLength: 24 });
    });
    const liveOk = new Map([['hv01', await other.discover('hv01', { paths: [], files: [] })]]);
    expect(planTimeRules({ lab: lab!, live: liveOk }).map((d) => d.rule)).toEqual([]);
    await other.run('hv01', nat, ctx());
    // WinNAT's one NAT per host: a second is refused by the simulator, as by the manifest rules.
    await refused(
      other.run('hv01', { ...nat, name: 'labform-natlab.Second', internalPrefix: '10.9.0.0/24' }, ctx()),
    );
  });
});
