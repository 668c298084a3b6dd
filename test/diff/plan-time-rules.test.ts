import { describe, expect, it } from 'vitest';
import { planTimeRules } from '../../src/diff/plan-time-rules.js';
import { appliedLive, cloneLive, demoLab, demoHost, GB } from '../support/lab-builder.js';

const withImages = (extra = {}) =>
  demoHost('hv01', { files: [{ path: 'D:\\Images\\ws2016.vhdx', exists: true }], ...extra });

describe('planTimeRules', () => {
  const lab = demoLab();

  it('finds nothing on a fresh host with the image, nor after an apply (our own gateway is fine)', () => {
    expect(planTimeRules({ lab, live: new Map([['hv01', withImages()]]) })).toEqual([]);
    expect(planTimeRules({ lab, live: appliedLive(lab) })).toEqual([]);
  });

  it('nat-prefix-host-address: the NAT prefix overlaps an address the host has', () => {
    const live = new Map([
      [
        'hv01',
        withImages({
          hostAddresses: [{ interfaceAlias: 'Wi-Fi', address: '192.168.50.77', prefixLength: 24 }],
        }),
      ],
    ]);
    const [d] = planTimeRules({ lab, live });
    expect(d).toMatchObject({
      severity: 'error',
      rule: 'nat-prefix-host-address',
      file: '/labs/demo.yaml',
      line: 13,
      column: 13,
      pointer: '/networks/0/prefix',
    });
    expect(d!.message).toContain('192.168.50.77');
  });

  it('nat-foreign: another NAT on the host, not ours', () => {
    const live = new Map([
      [
        'hv01',
        withImages({
          nats: [
            { name: 'labform-other.Net', internalPrefix: '10.9.0.0/24' },
            { name: 'labform-demo.Old', internalPrefix: '10.8.0.0/24' },
          ],
        }),
      ],
    ]);
    const ds = planTimeRules({ lab, live });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ severity: 'error', rule: 'nat-foreign', line: 10, column: 5 });
    expect(ds[0]!.message).toContain('owned by lab other');
  });

  it('host-memory: a warning when the VMs to start need more than the host has free', () => {
    const live = new Map([['hv01', withImages({ freeMemory: 3 * GB })]]);
    const [d] = planTimeRules({ lab, live });
    expect(d).toMatchObject({ severity: 'warning', rule: 'host-memory', line: 30 });
    // Sizes as the manifest writes them, with the VMs that need them.
    expect(d!.message).toBe(
      'the VMs to start on hv01 need 4GB startup memory (dc01 2GB, web01 2GB); the host has 3GB free',
    );
    // What a host reports is rarely whole: one decimal, rounded down, never more than there is.
    const odd = new Map([['hv01', withImages({ freeMemory: 3.27 * GB })]]);
    expect(planTimeRules({ lab, live: odd })[0]!.message).toContain('; the host has 3.2GB free');
    // Running VMs already hold their memory.
    const applied = cloneLive(appliedLive(lab));
    applied.get('hv01')!.freeMemory = GB;
    expect(planTimeRules({ lab, live: applied })).toEqual([]);
  });

  it('image-missing: the image file is absent on a host that needs it', () => {
    const live = new Map([
      ['hv01', demoHost('hv01', { files: [{ path: 'd:\\images\\WS2016.vhdx', exists: false }] })],
    ]);
    const [d] = planTimeRules({ lab, live });
    expect(d).toMatchObject({
      severity: 'error',
      rule: 'image-missing',
      pointer: '/images/0/path',
      line: 5,
      column: 11,
    });
  });
});
