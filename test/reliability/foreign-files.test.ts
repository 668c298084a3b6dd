import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { makePlan } from '../../src/app/make-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import { createSim, type SimProvider } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { labOf } from '../support/cli-harness.js';

// Every deletion is in the plan: a file at a path the lab is about to use that labform did not
// make is a conflict (like an unmarked VM), never removed; labform's own leftover is reused or
// reused.
const FILE = path.resolve('examples/nat-lab.yaml');

async function planWith(seed: (osDiskPath: string, imagePath: string) => Parameters<SimProvider['seed']>[1]) {
  const lab = await labOf(FILE);
  const sim = await createSim({ lab, clock: new VirtualClock(), memory: true });
  const vm = lab.vms.find((v) => v.image !== undefined)!;
  const image = lab.images.find((i) => i.name === vm.image)!;
  await sim.seed(vm.host, seed(vm.osDiskPath!, image.path));
  const { plan } = await makePlan({
    lab,
    provider: sim,
    credentials: createCredentialResolver({ lab, env: {} }),
    logger: silentLogger,
    mode: 'apply',
    probeRoles: false,
  });
  return { plan, vm, sim };
}

describe('files where the lab puts its disks', () => {
  it("a disk labform did not make at a VM's OS disk path is a conflict; no step removes it", async () => {
    const { plan, vm } = await planWith((osDisk) => (t) => t.vhd({ path: osDisk, type: 'dynamic' }));
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        address: `vm.${vm.name}`,
        message: expect.stringMatching(/is where VM \S+'s OS disk goes, and labform did not make it/),
      }),
    ]);
    expect(plan.steps.filter((s) => s.type === 'host' && s.operation.op === 'removeVhd')).toEqual([]);
  });

  it("labform's own leftover (a differencing child of the lab's image) is reused, not removed", async () => {
    const { plan, vm } = await planWith(
      (osDisk, image) => (t) => t.vhd({ path: osDisk, type: 'differencing', parentPath: image }),
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.steps.filter((s) => s.type === 'host' && s.operation.op === 'removeVhd')).toEqual([]);
    expect(plan.steps.some((s) => s.id === `vm.${vm.name}/create`)).toBe(true);
  });
});
