import type { Diagnostic } from './diagnostic.js';
import type { Lab } from './lab.js';
import { InternalError } from '../errors.js';

export interface LoadLabResult {
  /** Present when there are no errors (warnings allowed). */
  lab?: Lab;
  /** Every diagnostic found, errors and warnings, in document order. */
  diagnostics: Diagnostic[];
}

/**
 * The whole manifest pipeline: read (size-limited), parse YAML with positions, JSON Schema,
 * expand (count, defaults, sizes, durations, auto IPs), rules. Never throws for bad input:
 * problems come back as diagnostics.
 */
export async function loadLab(options: { file: string }): Promise<LoadLabResult> {
  throw new InternalError(`loadLab is not built yet (${options.file})`);
}
