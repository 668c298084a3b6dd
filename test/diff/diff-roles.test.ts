import { describe, expect, it } from 'vitest';
import { diffRoles, type RoleState } from '../../src/diff/diff-roles.js';
import { desiredState } from '../../src/desired/desired-state.js';
import { demoLab } from '../support/lab-builder.js';

describe('diffRoles', () => {
  const desired = desiredState({ lab: demoLab() });
  const run = (state: RoleState | undefined) =>
    diffRoles({ desired, state: new Map(state ? [['role.dc01.domainController', state]] : []) }).map(
      (pc) => pc.change,
    );

  it('is noop when the probes all said done', () => {
    expect(run('done')).toEqual([
      expect.objectContaining({ address: 'role.dc01.domainController', kind: 'role', action: 'noop' }),
    ]);
  });

  it('will run when probes say not done, or when the guest could not be probed', () => {
    expect(run('pending')[0]).toMatchObject({ action: 'create', reason: 'will run (probes say not done)' });
    expect(run(undefined)[0]).toMatchObject({ action: 'create', reason: 'will run (roles are idempotent)' });
  });

  it('has no role changes in destroy mode', () => {
    expect(diffRoles({ desired, state: new Map(), mode: 'destroy' })).toEqual([]);
  });
});
