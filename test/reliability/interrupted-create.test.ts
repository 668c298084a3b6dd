import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';
import { executePlan } from '../../src/executor/execute-plan.js';
import { silentLogger } from '../../src/log/logger.js';
import { makePlan } from '../../src/app/make-plan.js';
import { createSim } from '../../src/providers/sim/sim-provider.js';
import { createCredentialResolver } from '../../src/secrets/resolver.js';
import { labOf } from '../support/cli-harness.js';

// The states a SIGKILL leaves between the first steps of a new VM, built directly (deterministic,
// virtual time): whatever was left, one apply must finish the VM with a guest that accepts its
// credential. Found by crash-resume.test.ts: an OS disk left without its answer file was reused
// as is, and the guest then never accepted PowerShell Direct.
const FILE = path.resolve('test/fixtures/reliability/waits-lab.yaml');

type Leftover = 'os-disk only' | 'os-disk and VM' | 'VM only';

async function resumeFrom(leftover: Leftover) {
  const lab = await labOf(FILE);
  const clock = new VirtualClock();
  const sim = await createSim({ lab, clock, memory: true });
  const credentials = createCredentialResolver({ lab });
  const vm = lab.vms.find((v) => v.name === 'web01')!;
  const ctx = { address: 'vm.web01', credentials };
  if (leftover !== 'VM only') {
    await sim.run(
      'hv01',
      {
        op: 'createVhd',
        path: vm.osDiskPath!,
        size: 0,
        format: 'vhdx',
        type: 'differencing',
        parentPath: lab.images[0]!.path,
      },
      ctx,
    );
  }
  if (leftover !== 'os-disk only') {
    const plan = (await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode: 'apply' }))
      .plan;
    const create = plan.steps.find((s) => s.id === 'vm.web01/create');
    if (create?.type !== 'host') throw new Error('the plan has no host step vm.web01/create');
    await sim.run('hv01', create.operation, ctx);
  }
  const { plan } = await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode: 'apply' });
  const result = await executePlan({
    plan,
    provider: sim,
    credentials,
    clock,
    parallelism: 8,
    perHostParallelism: 4,
  });
  const next = await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode: 'apply' });
  return { plan, result, next };
}

describe('apply after a kill in the middle of creating a VM', () => {
  for (const leftover of ['os-disk only', 'os-disk and VM', 'VM only'] as const) {
    it(`finishes the VM when the kill left: ${leftover}`, async () => {
      const { plan, result, next } = await resumeFrom(leftover);
      expect(result.rootCauses.map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
      // The answer file is (re)written before the first boot, whatever was left.
      expect(plan.steps.map((s) => s.id)).toContain('vm.web01/inject-answer-file');
      expect(next.plan.steps).toEqual([]);
    });
  }
});

describe('apply after a kill right after a promotion', () => {
  // The crash-resume test's 75% kill point, made deterministic: a run stops just after the forest
  // is created (the DC reboots; AD answers minutes later) and the next apply starts at once.
  it('the next apply still waits for Active Directory before the steps that need it', async () => {
    const lab = await labOf(FILE);
    const clock = new VirtualClock();
    const sim = await createSim({ lab, clock, memory: true });
    const credentials = createCredentialResolver({ lab });
    const first = (await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode: 'apply' }))
      .plan;
    const stop = new AbortController();
    await executePlan({
      plan: first,
      provider: sim,
      credentials,
      clock,
      parallelism: 8,
      perHostParallelism: 4,
      signal: stop.signal,
      onEvent: (e) => {
        if (
          e.type === 'step-end' &&
          e.step.id === 'role.dc01.domainController/forest' &&
          e.result.outcome === 'done'
        )
          stop.abort();
      },
    });
    const { plan } = await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode: 'apply' });
    const result = await executePlan({
      plan,
      provider: sim,
      credentials,
      clock,
      parallelism: 8,
      perHostParallelism: 4,
    });
    expect(result.rootCauses.map((r) => `${r.id}: ${r.error?.message}`)).toEqual([]);
    expect(
      (await makePlan({ lab, provider: sim, credentials, logger: silentLogger, mode: 'apply' })).plan.steps,
    ).toEqual([]);
  });
});
