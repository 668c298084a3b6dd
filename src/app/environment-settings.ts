/**
 * Settings the CLI takes from flags and environment variables, checked alike: a value that is
 * not what the setting needs is input rejected (exit 1) naming the flag or variable, before
 * anything runs. Documented in docs/troubleshooting.md ("Simulator settings").
 */
import { UserError } from '../errors.js';
import { GUEST_OPERATION_NAMES } from '../model/guest-operation.js';
import { HOST_OPERATION_NAMES } from '../model/host-operation.js';
import type { FaultOptions } from '../providers/provider-options.js';

/** Simulated seconds per real second when `--sim-speed` is not given. */
export const DEFAULT_SIM_SPEED = 200;
/**
 * Bounds of the simulator's speed: below 0.01 a boot takes hours of real time; above a million
 * a simulated day passes in under 0.1 s and timer arithmetic on simulated milliseconds loses its
 * resolution (1e308 overflowed the stored time to `null`).
 */
export const SIM_SPEED_RANGE = { min: 0.01, max: 1_000_000 } as const;

/** A decimal number, as a flag or variable gives it (no hex, no empty string, no `Infinity`). */
function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** A variable set to the empty string counts as unset (as a shell's `VAR= cmd` means). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** `--sim-speed` wins over LABFORM_SIM_SPEED; either must be a finite number in SIM_SPEED_RANGE. */
export function simSpeedFrom(flag: string | number | undefined, env: NodeJS.ProcessEnv): number {
  const source =
    flag !== undefined
      ? { name: '--sim-speed', text: String(flag) }
      : envValue(env, 'LABFORM_SIM_SPEED') !== undefined
        ? { name: 'LABFORM_SIM_SPEED', text: env.LABFORM_SIM_SPEED! }
        : undefined;
  if (!source) return DEFAULT_SIM_SPEED;
  const value = numberOf(source.text);
  if (value === undefined || value < SIM_SPEED_RANGE.min || value > SIM_SPEED_RANGE.max) {
    throw new UserError(
      `${source.name} must be a number from ${SIM_SPEED_RANGE.min} to ${SIM_SPEED_RANGE.max} (simulated seconds per real second), not ${JSON.stringify(source.text)}`,
      [],
      `for example ${source.name === '--sim-speed' ? '--sim-speed 200' : 'LABFORM_SIM_SPEED=200'} (the default)`,
    );
  }
  return value;
}

const FAULT_NAMES = new Set<string>([
  ...HOST_OPERATION_NAMES,
  ...GUEST_OPERATION_NAMES,
  'heartbeat',
  'adReady',
]);

/** One LABFORM_SIM_FAIL entry: `<operation>:<resource>`, `runGuest:<guest operation>:<vm>`, `heartbeat:<vm>`, `adReady:<vm>`. */
function checkFaultKey(key: string): void {
  const [name, ...rest] = key.split(':');
  const resource = rest.join(':');
  const guest = name === 'runGuest' ? rest[0] : undefined;
  const ok =
    name === 'runGuest'
      ? rest.length >= 2 && GUEST_OPERATION_NAMES.includes(guest as never) && rest.slice(1).join(':') !== ''
      : FAULT_NAMES.has(name ?? '') && resource !== '';
  if (!ok) {
    throw new UserError(
      `LABFORM_SIM_FAIL: ${JSON.stringify(key)} is not a fault: expected <operation>:<resource> (createVm:web1, createVhd:<path>), runGuest:<guest operation>:<vm>, heartbeat:<vm> or adReady:<vm>`,
      [],
      `operations: ${[...HOST_OPERATION_NAMES].sort().join(', ')}; guest operations: ${[...GUEST_OPERATION_NAMES].sort().join(', ')}`,
    );
  }
}

/** Fault injection from the environment (simulator only), every variable checked. */
export function faultsFromEnv(processEnv: NodeJS.ProcessEnv): FaultOptions | undefined {
  const env = Object.fromEntries(
    ['LABFORM_SIM_FAULT_RATE', 'LABFORM_SIM_FAULT_SEED', 'LABFORM_SIM_FAIL'].map((name) => [
      name,
      envValue(processEnv, name),
    ]),
  );
  let rate: number | undefined;
  if (env.LABFORM_SIM_FAULT_RATE !== undefined) {
    rate = numberOf(env.LABFORM_SIM_FAULT_RATE);
    if (rate === undefined || rate < 0 || rate > 1) {
      throw new UserError(
        `LABFORM_SIM_FAULT_RATE must be a probability from 0 to 1, not ${JSON.stringify(env.LABFORM_SIM_FAULT_RATE)}`,
        [],
        'for example LABFORM_SIM_FAULT_RATE=0.2',
      );
    }
  }
  let seed: number | undefined;
  if (env.LABFORM_SIM_FAULT_SEED !== undefined) {
    seed = numberOf(env.LABFORM_SIM_FAULT_SEED);
    if (seed === undefined || !Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
      throw new UserError(
        `LABFORM_SIM_FAULT_SEED must be a whole number from 0 to 4294967295, not ${JSON.stringify(env.LABFORM_SIM_FAULT_SEED)}`,
        [],
        'for example LABFORM_SIM_FAULT_SEED=7',
      );
    }
  }
  let permanent: string[] | undefined;
  if (env.LABFORM_SIM_FAIL !== undefined) {
    permanent = env.LABFORM_SIM_FAIL.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    permanent.forEach(checkFaultKey);
  }
  if (rate === undefined && permanent === undefined) return undefined;
  return { transientRate: rate, seed, permanent };
}
