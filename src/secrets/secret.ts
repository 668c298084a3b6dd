import { inspect } from 'node:util';

const REDACTED = '(sensitive)';

/**
 * A secret value. It renders as `(sensitive)` in every ordinary path (toString, JSON,
 * util.inspect, template literals) so that it cannot leak into logs, plans, errors or
 * files by accident; only `reveal()` gives the value, at the one place that needs it.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/** A resolved credential. */
export interface Credential {
  name: string;
  username: string;
  password: Secret;
}

/** Resolves credential names (as carried by plans and steps) to credentials at run time. */
export interface CredentialResolver {
  /** Throws UserError when the credential or its secret is missing. */
  get(name: string): Credential;
  /** Every secret value known, for last-line scrubbing of output. */
  secretValues(): string[];
}
