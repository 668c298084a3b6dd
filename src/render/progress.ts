import type { Clock } from '../clock/clock.js';
import type { ExecutorEvent } from '../executor/events.js';
import { createLineProgress } from './progress-lines.js';
import { createLiveProgress } from './progress-live.js';

/** The live task list on a terminal, one line per step start/end otherwise. */
export function createProgress(options: {
  out: NodeJS.WritableStream;
  isTTY: boolean;
  color: boolean;
  clock: Clock;
}): { listener: (event: ExecutorEvent) => void; stop(): void } {
  if (options.isTTY)
    return createLiveProgress({ out: options.out, clock: options.clock, color: options.color });
  return { listener: createLineProgress({ out: options.out }), stop: () => undefined };
}
