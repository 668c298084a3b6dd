import { describe, expect, it } from 'vitest';
import { ctx, GiB, IMAGE, LINUX_IMAGE, MARK, newSim, refused, STORE } from './sim-fixtures.js';
import type { HostOperation } from '../../../src/model/host-operation.js';

const CSV = 'C:\\ClusterStorage\\Volume1';
const vm = (name: string, path = `${STORE}\\${name}`): HostOperation => ({
  op: 'createVm',
  name,
  generation: 2,
  path,
  memoryStartup: 2 * GiB,
  notes: MARK,
});
const attach = (
  vmName: string,
  path: string,
  pr: boolean,
  controllerType: 'IDE' | 'SCSI' = 'SCSI',
  location = 1,
): HostOperation => ({
  op: 'attachDisk',
  vm: vmName,
  path,
  controllerType,
  controllerNumber: 0,
  controllerLocation: location,
  supportPersistentReservations: pr,
});

describe('disk rules', () => {
  it('needs an existing parent for a differencing disk', async () => {
    const { sim } = await newSim();
    const e = await refused(
      sim.run(
        'hv01',
        {
          op: 'createVhd',
          path: `${STORE}\\a.vhdx`,
          size: 0,
          format: 'vhdx',
          type: 'differencing',
          parentPath: 'D:\\Images\\missing.vhdx',
        },
        ctx(),
      ),
    );
    expect(e.record).toMatchObject({
      category: 'ObjectNotFound',
      fullyQualifiedErrorId: 'InvalidParameter,Microsoft.Vhd.PowerShell.Cmdlets.NewVHD',
    });
    expect(e.message).toMatch(
      /cannot find the file specified.*parent disk D:\\Images\\missing.vhdx does not exist/,
    );
    await sim.run(
      'hv01',
      {
        op: 'createVhd',
        path: `${STORE}\\a.vhdx`,
        size: 0,
        format: 'vhdx',
        type: 'differencing',
        parentPath: IMAGE,
      },
      ctx(),
    );
    const state = await sim.discover('hv01', { paths: [STORE], files: [] });
    expect(state.vhds).toEqual([
      {
        path: `${STORE}\\a.vhdx`,
        format: 'vhdx',
        type: 'differencing',
        parentPath: IMAGE,
        size: 40 * GiB,
        attached: false,
      },
    ]);
  });

  it('refuses a VHD path that already exists (case-insensitive)', async () => {
    const { sim } = await newSim();
    await sim.run(
      'hv01',
      { op: 'createVhd', path: `${STORE}\\d.vhdx`, size: GiB, format: 'vhdx', type: 'dynamic' },
      ctx(),
    );
    const e = await refused(
      sim.run(
        'hv01',
        {
          op: 'createVhd',
          path: `${STORE.toLowerCase()}\\D.VHDX`,
          size: GiB,
          format: 'vhdx',
          type: 'dynamic',
        },
        ctx(),
      ),
    );
    expect(e.record?.message).toMatch(/The file exists\. \(0x80070050\)/);
  });

  it('refuses removing a VHD attached to a VM, and a missing one', async () => {
    const { sim } = await newSim();
    const path = `${STORE}\\d.vhdx`;
    await sim.run('hv01', { op: 'createVhd', path, size: GiB, format: 'vhdx', type: 'dynamic' }, ctx());
    await sim.run('hv01', vm('a'), ctx());
    await sim.run('hv01', attach('a', path, false), ctx());
    const e = await refused(sim.run('hv01', { op: 'removeVhd', path }, ctx()));
    expect(e.record?.message).toBe(
      `The process cannot access the file '${path}' because it is being used by another process.`,
    );
    await sim.run(
      'hv01',
      { op: 'detachDisk', vm: 'a', controllerType: 'SCSI', controllerNumber: 0, controllerLocation: 1 },
      ctx(),
    );
    await sim.run('hv01', { op: 'removeVhd', path }, ctx());
    const missing = await refused(sim.run('hv01', { op: 'removeVhd', path }, ctx()));
    expect(missing.record?.category).toBe('ObjectNotFound');
  });

  it('refuses attaching a disk already attached to another VM without persistent reservations', async () => {
    const { sim } = await newSim();
    const path = `${STORE}\\d.vhdx`;
    await sim.run('hv01', { op: 'createVhd', path, size: GiB, format: 'vhdx', type: 'dynamic' }, ctx());
    await sim.run('hv01', vm('a'), ctx());
    await sim.run('hv01', vm('b'), ctx());
    await sim.run('hv01', attach('a', path, false), ctx());
    const e = await refused(sim.run('hv01', attach('b', path, false), ctx()));
    expect(e.message).toMatch(/being used by another process.*attached to a without persistent reservations/);
  });

  it('shares a VHDX only on SCSI with persistent reservations on a cluster shared volume or SMB share', async () => {
    const { sim } = await newSim();
    const shared = `${CSV}\\shared.vhdx`;
    await sim.run(
      'hv02',
      { op: 'createVhd', path: shared, size: 10 * GiB, format: 'vhdx', type: 'fixed' },
      ctx(),
    );
    await sim.run('hv02', vm('n1', `${CSV}\\n1`), ctx());
    await sim.run('hv02', vm('n2', `${CSV}\\n2`), ctx());
    await sim.run('hv02', attach('n1', shared, true), ctx());
    await sim.run('hv02', attach('n2', shared, true), ctx());
    // On IDE: refused (and generation 2 has no IDE at all).
    await sim.run('hv02', { ...vm('g1', `${CSV}\\g1`), generation: 1 } as HostOperation, ctx());
    const ide = await refused(sim.run('hv02', attach('g1', shared, true, 'IDE', 1), ctx()));
    expect(ide.message).toMatch(/only on SCSI/);
    // A local path: refused.
    const local = `${STORE}\\local.vhdx`;
    await sim.run(
      'hv02',
      { op: 'createVhd', path: local, size: GiB, format: 'vhdx', type: 'dynamic' },
      ctx(),
    );
    const notShared = await refused(sim.run('hv02', attach('n1', local, true, 'SCSI', 2), ctx()));
    expect(notShared.message).toMatch(/does not support virtual hard disk sharing.*cluster shared volume/);
    // A .vhd file: refused.
    await sim.seed('hv02', (t) => t.vhd({ path: 'X:\\old.vhd', format: 'vhd' }));
    await sim.run(
      'hv02',
      { op: 'createVhd', path: '\\\\fs01\\vms\\ok.vhds', size: GiB, format: 'vhds', type: 'dynamic' },
      ctx(),
    );
    const raw = await sim.rawShared();
    expect(raw.vhds.map((v) => v.path)).toContain('\\\\fs01\\vms\\ok.vhds');
    const vhdFormat = await refused(sim.run('hv02', attach('n1', 'X:\\old.vhd', true, 'SCSI', 3), ctx()));
    expect(vhdFormat.message).toMatch(/VHDX or VHD Set/);
    // A VHD Set without persistent reservations: refused.
    const vhds = await refused(
      sim.run('hv02', attach('n1', '\\\\fs01\\vms\\ok.vhds', false, 'SCSI', 4), ctx()),
    );
    expect(vhds.message).toMatch(/persistent reservations/);
    // Attached through shared storage: the other node sees the file attached.
    const other = await sim.discover('hv03', { paths: [CSV], files: [] });
    expect(other.vhds.find((v) => v.path === shared)).toMatchObject({ attached: true, type: 'fixed' });
  });

  it('refuses a cluster shared volume path on a host that is not a cluster node', async () => {
    const { sim } = await newSim();
    const e = await refused(
      sim.run(
        'hv01',
        { op: 'createVhd', path: `${CSV}\\x.vhdx`, size: GiB, format: 'vhdx', type: 'dynamic' },
        ctx(),
      ),
    );
    expect(e.message).toMatch(/not a cluster node/);
  });

  it('refuses a file extension that does not match the format, and odd sizes', async () => {
    const { sim } = await newSim();
    await refused(
      sim.run(
        'hv01',
        { op: 'createVhd', path: `${STORE}\\x.vhd`, size: GiB, format: 'vhdx', type: 'dynamic' },
        ctx(),
      ),
    );
    await refused(
      sim.run(
        'hv01',
        { op: 'createVhd', path: `${STORE}\\x.vhdx`, size: 1000, format: 'vhdx', type: 'dynamic' },
        ctx(),
      ),
    );
  });

  it('writes an answer file only into a stopped disk descending from a Windows image', async () => {
    const { sim } = await newSim();
    await sim.run(
      'hv01',
      {
        op: 'createVhd',
        path: `${STORE}\\l.vhdx`,
        size: 0,
        format: 'vhdx',
        type: 'differencing',
        parentPath: LINUX_IMAGE,
      },
      ctx(),
    );
    const e = await refused(
      sim.run(
        'hv01',
        {
          op: 'injectAnswerFile',
          vhdPath: `${STORE}\\l.vhdx`,
          computerName: 'L',
          credential: 'lab-admin',
          timeZone: 'UTC',
        },
        ctx(),
      ),
    );
    expect(e.message).toMatch(/No Windows installation/);
    const raw = await sim.rawState('hv01');
    expect(JSON.stringify(raw)).not.toContain('Local-P@ss1');
  });

  it('refuses IDE on generation 2 and an occupied controller location', async () => {
    const { sim } = await newSim();
    await sim.run(
      'hv01',
      { op: 'createVhd', path: `${STORE}\\a.vhdx`, size: GiB, format: 'vhdx', type: 'dynamic' },
      ctx(),
    );
    await sim.run(
      'hv01',
      { op: 'createVhd', path: `${STORE}\\b.vhdx`, size: GiB, format: 'vhdx', type: 'dynamic' },
      ctx(),
    );
    await sim.run('hv01', vm('a'), ctx());
    await refused(sim.run('hv01', attach('a', `${STORE}\\a.vhdx`, false, 'IDE', 0), ctx()));
    await sim.run('hv01', attach('a', `${STORE}\\a.vhdx`, false), ctx());
    const e = await refused(sim.run('hv01', attach('a', `${STORE}\\b.vhdx`, false), ctx()));
    expect(e.message).toMatch(/already a drive at SCSI 0:1/);
  });
});
