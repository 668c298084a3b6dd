import { describe, expect, it } from 'vitest';
import { createSessionPool } from '../../src/powershell/session-pool.js';
import type { PowerShellSession } from '../../src/powershell/session.js';

describe('session pool', () => {
  it('creates one session per host, lazily, and closes them all even when one fails', async () => {
    const created: string[] = [];
    const closed: string[] = [];
    const pool = createSessionPool({
      sessionFor: (host): PowerShellSession => {
        created.push(host);
        return {
          invoke: async () => host as never,
          close: async () => {
            closed.push(host);
            if (host === 'bad') throw new Error('close failed');
          },
        };
      },
    });
    expect(created).toEqual([]);
    expect(pool.get('hv01')).toBe(pool.get('hv01'));
    pool.get('bad');
    pool.get('hv02');
    expect(created).toEqual(['hv01', 'bad', 'hv02']);
    await pool.closeAll();
    expect(closed.sort()).toEqual(['bad', 'hv01', 'hv02']);
    pool.get('hv01');
    expect(created).toEqual(['hv01', 'bad', 'hv02', 'hv01']);
  });
});
