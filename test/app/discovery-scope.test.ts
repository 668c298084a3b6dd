import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadLab } from '../../src/manifest/load-lab.js';
import { discoveryScope } from '../../src/app/discover-lab.js';

describe('discoveryScope', () => {
  it('asks each host for the lab storage paths, images, disks and the devices its VMs are to be given', async () => {
    const { lab } = await loadLab({ file: path.resolve('examples/gpu-passthrough.yaml') });
    expect(lab).toBeDefined();
    const vm = lab!.vms.find((v) => v.assignDevices.length > 0)!;
    const scope = discoveryScope({ lab: lab!, host: vm.host });
    expect(scope.devices).toEqual(vm.assignDevices.map((d) => d.locationPath));
    expect(scope.paths.map((p) => p.toLowerCase())).toContain(vm.path.toLowerCase());
    expect(scope.files).toEqual(expect.arrayContaining(lab!.images.map((i) => i.path)));
  });
});
