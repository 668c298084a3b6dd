import { Secret } from '../secrets/secret.js';
import { InternalError } from '../errors.js';
import type { ErrorRecord } from '../errors.js';

/** What the far side answers for one request. */
export type Answer =
  { id: string; ok: true; result: unknown } | { id: string; ok: false; error: ErrorRecord };

function isCredentialLike(value: object): value is { username: string; password: Secret } {
  const v = value as { username?: unknown; password?: unknown };
  return typeof v.username === 'string' && v.password instanceof Secret;
}

/**
 * The value as it travels on the pipe: Secret -> {__labformSecret}, credentials ->
 * {__labformCredential}. Only the pipe writer calls this; logs use ordinary serialisation,
 * where a Secret is `(sensitive)`.
 */
export function toWire(value: unknown, path = 'parameters'): unknown {
  if (value instanceof Secret) return { __labformSecret: value.reveal() };
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new InternalError(`${path} is ${value}, which JSON cannot carry`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => toWire(item ?? null, `${path}[${i}]`));
  if (value instanceof Date) return value.toISOString();
  if (isCredentialLike(value)) {
    return { __labformCredential: { username: value.username, password: value.password.reveal() } };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Data must never be mistaken for a wire marker (that would mint a SecureString from it).
    if (key.startsWith('__labform'))
      throw new InternalError(`${path}.${key}: keys starting with __labform are reserved`);
    if (item === undefined || typeof item === 'function') continue;
    out[key] = toWire(item, `${path}.${key}`);
  }
  return out;
}

/** Every secret value inside a request's parameters (for scrubbing what comes back). */
export function collectSecrets(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (value instanceof Secret) {
    // Very short values would scrub ordinary text; they are not worth hiding from an error message.
    if (value.reveal().length >= 4) into.add(value.reveal());
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, into);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const item of Object.values(value)) collectSecrets(item, into);
  }
  return into;
}

/** One request line: base64 of UTF-8 JSON, so no value can break the line framing. */
export function encodeRequest(request: { id: string; command: string; parameters: unknown }): string {
  const json = JSON.stringify({
    id: request.id,
    command: request.command,
    parameters: toWire(request.parameters),
  });
  return Buffer.from(json, 'utf8').toString('base64') + '\n';
}

/** Stage 1 of the bootstrap, sent as the first stdin line. */
export function encodeScriptLine(script: string): string {
  return Buffer.from(script, 'utf8').toString('base64') + '\n';
}

/** A framed answer in a stdout line, or undefined when the line is noise. */
export function parseAnswerLine(line: string, nonce: string): Answer | undefined {
  const marker = `${nonce}:`;
  const at = line.indexOf(marker);
  if (at < 0) return undefined;
  const rest = line.slice(at + marker.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return undefined;
  const json = Buffer.from(rest.slice(colon + 1).trim(), 'base64').toString('utf8');
  const parsed = JSON.parse(json) as { id?: unknown; ok?: unknown; result?: unknown; error?: ErrorRecord };
  const id = typeof parsed.id === 'string' ? parsed.id : rest.slice(0, colon);
  if (parsed.ok === true) return { id, ok: true, result: parsed.result ?? null };
  return {
    id,
    ok: false,
    error: parsed.error ?? { message: 'PowerShell answered with an unreadable error' },
  };
}

/** Splits a byte stream into lines without re-copying what came before (answers can be tens of MB). */
export class LineSplitter {
  #parts: Buffer[] = [];
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: Buffer | string): void {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let nl = buffer.indexOf(10);
    while (nl >= 0) {
      this.#parts.push(buffer.subarray(0, nl));
      const line = Buffer.concat(this.#parts).toString('utf8');
      this.#parts = [];
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      buffer = buffer.subarray(nl + 1);
      nl = buffer.indexOf(10);
    }
    if (buffer.length > 0) this.#parts.push(buffer);
  }
  /** Whatever is left without a final newline. */
  flush(): void {
    if (this.#parts.length === 0) return;
    const line = Buffer.concat(this.#parts).toString('utf8');
    this.#parts = [];
    this.onLine(line);
  }
}
