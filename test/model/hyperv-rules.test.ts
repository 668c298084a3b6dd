import { describe, expect, it } from 'vitest';
import { loadLabFromText } from '../../src/manifest/load-lab.js';
import type { HostOperation } from '../../src/model/host-operation.js';
import { ctx, GiB, MARK, newSim, refused, STORE } from '../providers/sim/sim-fixtures.js';
import {
  isCsvPath,
  isSmbPath,
  validMemoryAmount,
  validMmioLow,
  validNetbiosComputerName,
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
});
