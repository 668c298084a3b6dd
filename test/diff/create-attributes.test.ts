/**
 * A create lists its attributes: in plan text (`+ memory = 2GB`, automatic addresses marked) and
 * in plan JSON (`after`), and a network on several hosts names them all.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/manifest/load-lab.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { createAttributes } from '../../src/diff/create-attributes.js';
import { formatPlanText } from '../../src/render/plan-text.js';
import { planJson } from '../../src/render/plan-json.js';
import { baseLab } from '../plan/plan-truth/lab-model.js';
import { loadDoc, newWorld, planAndApply, planOnly } from '../plan/plan-truth/harness.js';

async function example(name: string) {
  const { lab } = await loadLab({ file: path.resolve(`examples/${name}.yaml`) });
  if (!lab) throw new Error(`examples/${name}.yaml does not load`);
  return lab;
}

describe('create attributes', () => {
  it('a VM with an assigned device and MMIO space, on DHCP', async () => {
    const lab = await example('gpu-passthrough');
    const vm = desiredState({ lab }).find((d) => d.address === 'vm.gpu01')!;
    expect(createAttributes(vm, lab)).toMatchObject({
      'mmio.low': 3000 * 1024 ** 2,
      'mmio.high': 33000 * 1024 ** 2,
      devices: ['PCIROOT(0)#PCI(0300)#PCI(0000)'],
      'network[0].switch': 'Uplink',
      'network[0].address': 'DHCP',
    });
  });

  it('a VM with ISOs in DVD drives', async () => {
    const lab = await example('guarded-fabric');
    const vm = desiredState({ lab }).find((d) => d.address === 'vm.vmm01')!;
    expect(createAttributes(vm, lab)).toMatchObject({
      'dvd[0]': 'D:\\ISO\\SQL2016.iso',
      'dvd[1]': 'D:\\ISO\\VMM2016.iso',
    });
  });

  it('a VM with files copied into its guest: each copy, worded as a copy that differs later', async () => {
    const lab = await example('guarded-fabric');
    const spec = lab.vms.find((v) => v.name === 'vmm01')!;
    spec.files = [
      { from: 'D:\\Media\\SQL2016', to: 'C:\\Media\\SQL2016' },
      { from: 'D:\\Media\\VMM2016', to: 'C:\\Media\\VMM2016' },
    ];
    const vm = desiredState({ lab }).find((d) => d.address === 'vm.vmm01')!;
    const attributes = createAttributes(vm, lab)!;
    expect(attributes).toMatchObject({
      'files[0]': 'C:\\Media\\SQL2016 same as D:\\Media\\SQL2016 on the host',
      'files[1]': 'C:\\Media\\VMM2016 same as D:\\Media\\VMM2016 on the host',
    });
    // A VM without files: lists none.
    const dc = desiredState({ lab }).find((d) => d.address === 'vm.dc01')!;
    expect(Object.keys(createAttributes(dc, lab)!).filter((k) => k.startsWith('files'))).toEqual([]);
  });

  it('in a plan: memory, addresses (automatic ones marked), data disks, mapping targets; several hosts named', async () => {
    const doc = baseLab({
      octet: 44,
      members: 1,
      memberMemoryGB: 1,
      dataDisk: true,
      script: false,
      backend: true,
      mapping: true,
      twoHosts: false,
      storagePath: true,
    });
    // The backend network spans both hosts; the member lives on hv02.
    doc.hosts.push({ name: 'hv02', connect: 'local' });
    doc.networks[1] = { name: 'Backend', type: 'internal', hosts: ['hv01', 'hv02'], prefix: '172.16.5.0/24' };
    const plan = await planOnly(newWorld(), loadDoc(doc));
    const text = formatPlanText(plan);
    expect(text).toContain(
      [
        '  + vm.srv1 will be created on hv01',
        '      # not found on hv01',
        '      + generation = 2',
        '      + processors = 2',
        '      + memory = 1GB',
        '      + image = ws2022',
        '      + path = D:\\Labs\\truth\\srv1',
        '      + network[0].switch = LabNet',
        '      + network[0].address = 10.77.44.3/24 (automatic)',
      ].join('\n'),
    );
    expect(text).toContain('      + disks[0].size = 5GB');
    expect(text).toContain(
      [
        '  + portMapping.LabNet.tcp.8443 will be created on hv01',
        '      # not found on hv01',
        '      + protocol = tcp',
        '      + externalPort = 8443',
        '      + vm = srv1',
        '      + internalAddress = 10.77.44.3',
        '      + internalPort = 443',
      ].join('\n'),
    );
    expect(text).toContain('  + network.Backend will be created on hv01, hv02');
    const json = planJson(plan) as { changes: Record<string, unknown>[] };
    const srv1 = json.changes.find((c) => c.address === 'vm.srv1')!;
    expect(srv1.after).toMatchObject({
      memory: 1024 ** 3,
      'network[0].address': '10.77.44.3/24',
      'network[0].automatic': true,
      'disks[0].size': 5 * 1024 ** 3,
    });
    const backend = json.changes.find((c) => c.address === 'network.Backend')!;
    expect(backend).toMatchObject({ host: 'hv01', hosts: ['hv01', 'hv02'] });
    // Only creates carry `after`.
    expect(json.changes.filter((c) => c.after).every((c) => c.action === 'create')).toBe(true);
  });

  it('a network on several hosts is named with all of them when it goes', async () => {
    const doc = baseLab({
      octet: 45,
      members: 1,
      memberMemoryGB: 1,
      dataDisk: false,
      script: false,
      backend: true,
      mapping: false,
      twoHosts: true,
      storagePath: true,
    });
    doc.networks.push({ name: 'Spare', type: 'private', hosts: ['hv01', 'hv02'] });
    const world = newWorld();
    const first = await planAndApply(world, loadDoc(doc));
    expect(first.result.rootCauses).toEqual([]);
    expect(formatPlanText(first.plan)).toContain('  + network.Spare will be created on hv01, hv02');
    const next = structuredClone(doc);
    next.networks = next.networks.filter((n) => n.name !== 'Spare');
    const text = formatPlanText(await planOnly(world, loadDoc(next)));
    expect(text).toContain('  - network.Spare will be destroyed on hv01, hv02');
  });
});
