import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hyperVTestClockSpeed, hyperVTestHooks } from '../../../src/providers/hyperv/test-hooks.js';
import { UserError } from '../../../src/errors.js';

describe('the Hyper-V test hooks (LABFORM_HYPERV_MODULES, LABFORM_HYPERV_CLOCK_SPEED)', () => {
  it('change nothing when unset: real hosts get no modules, no extra environment, real time', () => {
    expect(hyperVTestHooks({})).toEqual({});
    expect(hyperVTestHooks({ LABFORM_HYPERV_MODULES: '' })).toEqual({});
    expect(hyperVTestClockSpeed({ LABFORM_HYPERV_CLOCK_SPEED: '10' })).toBe(1);
  });

  it('import each listed module and tell every session the manifest name of its host', () => {
    const a = path.join('x', 'A.psm1');
    const b = path.join('y', 'B.psm1');
    const hooks = hyperVTestHooks({ LABFORM_HYPERV_MODULES: `${a}${path.delimiter} ${b} ${path.delimiter}` });
    expect(hooks.modules).toEqual([a, b]);
    expect(hooks.env?.('hv02')).toEqual({ LABFORM_HYPERV_HOST: 'hv02' });
  });

  it('speed the clock only with the module hook, and refuse a speed that is not 1 to 1000', () => {
    const env = { LABFORM_HYPERV_MODULES: 'Fake.psm1' };
    expect(hyperVTestClockSpeed(env)).toBe(1);
    expect(hyperVTestClockSpeed({ ...env, LABFORM_HYPERV_CLOCK_SPEED: '10' })).toBe(10);
    for (const bad of ['0', '1001', 'fast', 'Infinity'])
      expect(() => hyperVTestClockSpeed({ ...env, LABFORM_HYPERV_CLOCK_SPEED: bad }), bad).toThrow(UserError);
  });
});
