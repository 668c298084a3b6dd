import { describe, expect, it } from 'vitest';
import { diskSizeProblem, memoryProblem, processorsProblem } from '../../src/model/hyperv-rules.js';
import { load, manifest } from './helpers.js';

const errors = (text: string) => load(text).diagnostics.filter((d) => d.severity === 'error');
const vm = (extra: string) => manifest({ vms: `  - { name: a, image: ws, credential: admin${extra} }` });

describe("Hyper-V's value limits at validate", () => {
  it.each([
    [
      'memory: 99999TB',
      ', memory: 99999TB',
      'memory-limit',
      /above the 12TB Hyper-V allows a generation 2 VM/,
    ],
    ['memory 2TB on generation 1', ', generation: 1, memory: 2TB', 'memory-limit', /above the 1TB/],
    [
      'dynamic maximum 99999TB',
      ', memory: { startup: 2GB, dynamic: true, maximum: 99999TB }',
      'memory-limit',
      /maximum 99999TB/,
    ],
    [
      'dynamic minimum 16MB',
      ', memory: { startup: 2GB, dynamic: true, minimum: 16MB }',
      'memory-limit',
      /below Hyper-V's 32MB minimum/,
    ],
    ['memory not a multiple of 2MB', ', memory: 2049MB', 'memory-alignment', /not a multiple of 2MB/],
    ['data disk size 0', ', disks: [{ size: 0 }]', 'disk-size', /0 bytes is below the 3MB/],
    ['data disk size 1000', ', disks: [{ size: 1000 }]', 'disk-size', /below the 3MB/],
    ['data disk 1.3GB', ', disks: [{ size: 1.3GB }]', 'disk-size', /not a multiple of the 512-byte sector/],
    ['data disk 99999TB', ', disks: [{ size: 99999TB }]', 'disk-size', /above the 64TB a VHDX can hold/],
  ])('%s', (_name, extra, rule, message) => {
    const found = errors(vm(extra)).filter((d) => d.rule === rule);
    expect(found.length, JSON.stringify(errors(vm(extra)))).toBeGreaterThan(0);
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.line).toBeGreaterThan(0);
  });

  it('a shared disk above its format maximum, and a VHD above 2040GB', () => {
    const shared = `disks:\n  - { name: big, path: 'C:\\ClusterStorage\\v1\\big.vhdx', size: 65TB, shared: true }\n`;
    expect(errors(manifest({ extra: shared })).map((d) => d.rule)).toContain('disk-size');
    expect(diskSizeProblem(2041 * 1024 ** 3, 'vhd')).toMatch(/above the 2040GB a VHD can hold/);
    expect(diskSizeProblem(2040 * 1024 ** 3, 'vhd')).toBeUndefined();
    expect(diskSizeProblem(64 * 1024 ** 4, 'vhdx')).toBeUndefined();
  });

  it.each([
    ['heartbeat: 0s', '{ heartbeat: 0s }'],
    ['step: 0m', '{ step: 0m }'],
    ['adReady: 600h', '{ adReady: 600h }'],
  ])('timeout %s is refused', (_name, timeouts) => {
    const text = manifest().replace('settings:\n', `settings:\n  timeouts: ${timeouts}\n`);
    const found = errors(text).filter((d) => d.rule === 'duration-range');
    expect(found, JSON.stringify(errors(text))).toHaveLength(1);
    expect(found[0]!.pointer).toMatch(/^\/settings\/timeouts\//);
  });

  it.each(['99999999999999999999', '1e400', '9007199254740993'])(
    'the number %s is refused, not rounded',
    (n) => {
      const found = errors(vm(`, processors: ${n}`)).filter((d) => d.rule === 'number-precision');
      expect(found).toHaveLength(1);
      expect(found[0]!.line).toBeGreaterThan(0);
    },
  );

  it('the simulator and validate share the limits', () => {
    expect(memoryProblem(12 * 1024 ** 4, 2)).toBeUndefined();
    expect(memoryProblem(12 * 1024 ** 4 + 2 * 1024 ** 2, 2)).toMatch(/above/);
    expect(memoryProblem(30 * 1024 ** 2, 2)).toMatch(/32MB/);
    expect(processorsProblem(240, 2)).toBeUndefined();
    expect(processorsProblem(65, 1)).toMatch(/at most 64/);
  });

  it('a valid lab is untouched by these rules', () => {
    expect(
      errors(
        vm(
          ', memory: { startup: 2GB, dynamic: true, minimum: 512MB, maximum: 8GB }, disks: [{ size: 40GB }]',
        ),
      ),
    ).toEqual([]);
  });
});
