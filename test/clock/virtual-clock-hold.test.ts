import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtual-clock.js';

describe('VirtualClock.hold', () => {
  it('does not move time while work the clock cannot see (a real timer) is pending', async () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    const release = clock.hold();
    // Work that continues from a real timer, then sleeps 10 ms of clock time.
    const hidden = new Promise<void>((resolve) =>
      setTimeout(() => {
        release();
        void clock.sleep(10).then(() => {
          order.push(`hidden at ${clock.now()}`);
          resolve();
        });
      }, 20),
    );
    const other = clock.sleep(1000).then(() => order.push(`other at ${clock.now()}`));
    await Promise.all([hidden, other]);
    expect(order).toEqual(['hidden at 10', 'other at 1000']);
  });

  it('moves time as before once released (a release twice counts once)', async () => {
    const clock = new VirtualClock();
    const release = clock.hold();
    release();
    release();
    await clock.sleep(500);
    expect(clock.now()).toBe(500);
  });
});
