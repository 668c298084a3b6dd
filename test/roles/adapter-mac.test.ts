import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adapterMac, labAdapterMacs, vmAdapterMac } from '../../src/roles/adapter-mac.js';
import { roleLab, nic, roleVm } from '../support/lab-builder.js';

describe('adapter MACs', () => {
  it('are Hyper-V range MACs, stable for the same lab, VM and index', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
        fc.nat(16),
        (l, v, i) => {
          const mac = adapterMac(l, v, i);
          expect(mac).toMatch(/^00155D[0-9A-F]{6}$/);
          expect(adapterMac(l, v, i)).toBe(mac);
        },
      ),
    );
  });

  it('differ between adapters, VMs and labs', () => {
    const macs = new Set([
      adapterMac('a', 'dc01', 0),
      adapterMac('a', 'dc01', 1),
      adapterMac('a', 'dc02', 0),
      adapterMac('b', 'dc01', 0),
    ]);
    expect(macs.size).toBe(4);
  });

  it("keep the manifest's MAC and step around collisions", () => {
    const taken = adapterMac('test', 'b', 0);
    const l = roleLab({
      vms: [
        roleVm('a', { network: [nic('LabNet', 'dhcp', { mac: taken }), nic('LabNet', 'dhcp')] }),
        roleVm('b', { network: [nic('LabNet', 'dhcp')] }),
      ],
    });
    const macs = labAdapterMacs(l);
    expect(macs.get('a')).toEqual([taken, adapterMac('test', 'a', 1)]);
    expect(macs.get('b')).toEqual([adapterMac('test', 'b', 0, 1)]);
    expect(vmAdapterMac({ lab: l, vm: l.vms[1]!, index: 0 })).toBe(adapterMac('test', 'b', 0, 1));
    expect(() => vmAdapterMac({ lab: l, vm: l.vms[1]!, index: 3 })).toThrow(RangeError);
  });

  it('are unique across a large lab', () => {
    const l = roleLab({
      vms: Array.from({ length: 200 }, (_, i) =>
        roleVm(`vm${i}`, { network: [nic('LabNet', 'dhcp'), nic('LabNet', 'dhcp')] }),
      ),
    });
    const all = [...labAdapterMacs(l).values()].flat();
    expect(new Set(all).size).toBe(400);
  });
});
