import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_SPEED, faultsFromEnv, simSpeedFrom } from '../../src/app/environment-settings.js';
import { UserError } from '../../src/errors.js';

const refused = (fn: () => unknown): UserError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('accepted');
};

describe('--sim-speed and LABFORM_SIM_SPEED', () => {
  it('default, flag over variable, decimals and exponents', () => {
    expect(simSpeedFrom(undefined, {})).toBe(DEFAULT_SIM_SPEED);
    expect(simSpeedFrom('50', { LABFORM_SIM_SPEED: '7' })).toBe(50);
    expect(simSpeedFrom(undefined, { LABFORM_SIM_SPEED: '7.5' })).toBe(7.5);
    expect(simSpeedFrom('1e3', {})).toBe(1000);
    expect(simSpeedFrom(undefined, { LABFORM_SIM_SPEED: '' })).toBe(DEFAULT_SIM_SPEED);
  });

  it.each(['1e308', 'Infinity', 'NaN', 'abc', '0', '-3', '0x10', '', '2000001', '1e7', ' '])(
    'refuses %j as flag and as variable, naming which',
    (text) => {
      expect(refused(() => simSpeedFrom(text, {})).message).toMatch(
        /^--sim-speed must be a number from 0\.01 to 1000000/,
      );
      if (text.trim() !== '')
        expect(refused(() => simSpeedFrom(undefined, { LABFORM_SIM_SPEED: text })).message).toMatch(
          /^LABFORM_SIM_SPEED must be a number/,
        );
    },
  );
});

describe('fault injection variables', () => {
  it('accepts what the docs show', () => {
    expect(faultsFromEnv({ LABFORM_SIM_FAULT_RATE: '0.2', LABFORM_SIM_FAULT_SEED: '7' })).toEqual({
      transientRate: 0.2,
      seed: 7,
      permanent: undefined,
    });
    expect(
      faultsFromEnv({
        LABFORM_SIM_FAIL:
          'createVm:web1, heartbeat:web1,adReady:dc01,runGuest:createForest:dc01,createVhd:D:\\Labs\\x.vhdx',
      })?.permanent,
    ).toEqual([
      'createVm:web1',
      'heartbeat:web1',
      'adReady:dc01',
      'runGuest:createForest:dc01',
      'createVhd:D:\\Labs\\x.vhdx',
    ]);
    expect(faultsFromEnv({})).toBeUndefined();
    expect(faultsFromEnv({ LABFORM_SIM_FAULT_RATE: '' })).toBeUndefined();
  });

  it.each([
    [{ LABFORM_SIM_FAULT_RATE: '-5' }, /LABFORM_SIM_FAULT_RATE must be a probability from 0 to 1, not "-5"/],
    [{ LABFORM_SIM_FAULT_RATE: '1.5' }, /LABFORM_SIM_FAULT_RATE/],
    [{ LABFORM_SIM_FAULT_RATE: 'often' }, /LABFORM_SIM_FAULT_RATE/],
    [
      { LABFORM_SIM_FAULT_RATE: '0.1', LABFORM_SIM_FAULT_SEED: '1.5' },
      /LABFORM_SIM_FAULT_SEED must be a whole number/,
    ],
    [{ LABFORM_SIM_FAULT_RATE: '0.1', LABFORM_SIM_FAULT_SEED: '-1' }, /LABFORM_SIM_FAULT_SEED/],
    [{ LABFORM_SIM_FAIL: 'nonsense' }, /LABFORM_SIM_FAIL: "nonsense" is not a fault/],
    [{ LABFORM_SIM_FAIL: 'createVm:' }, /"createVm:" is not a fault/],
    [{ LABFORM_SIM_FAIL: 'frobnicate:web1' }, /"frobnicate:web1" is not a fault/],
    [{ LABFORM_SIM_FAIL: 'runGuest:noSuchOp:dc01' }, /is not a fault/],
    [{ LABFORM_SIM_FAIL: 'runGuest:createForest' }, /is not a fault/],
  ])('refuses %j', (env, message) => {
    expect(refused(() => faultsFromEnv(env)).message).toMatch(message);
  });
});
