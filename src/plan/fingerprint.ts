import { createHash } from 'node:crypto';
import type { HostState } from '../model/live-state.js';

/**
 * Fields that change on their own (time, memory pressure, guest DHCP) and say nothing about the
 * plan; guest probe answers ride along with a plan's discovery but not with apply's.
 */
const VOLATILE = new Set(['heartbeat', 'uptimeSeconds', 'freeMemory', 'addresses', 'guestProbes']);

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (VOLATILE.has(key)) continue;
      out[key] = stable((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

/** A stable hash of the live state, ignoring volatile fields: apply compares it to refuse a stale plan. */
export function fingerprintLive(live: Map<string, HostState> | Record<string, HostState>): string {
  const entries = live instanceof Map ? [...live.entries()] : Object.entries(live);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  hash.update(JSON.stringify(entries.map(([host, state]) => [host, stable(state)])));
  return `sha256:${hash.digest('hex')}`;
}

/** The hex SHA-256 of a manifest's content. */
export function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
