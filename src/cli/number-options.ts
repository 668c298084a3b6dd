import { InvalidArgumentError } from 'commander';

/**
 * Parsers for numeric flags: commander prints "option '--sim-speed <n>' argument 'abc' is
 * invalid." followed by the sentence thrown here, which says what would be accepted.
 */
export function positiveNumber(accepted: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`It takes ${accepted}.`);
    return n;
  };
}

export function positiveInteger(accepted: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || n < 1) throw new InvalidArgumentError(`It takes ${accepted}.`);
    return n;
  };
}
