/**
 * Ctrl-C handling for commands that change hosts: the first SIGINT/SIGTERM stops new steps
 * (and waits), the second aborts running steps too.
 */
export interface InterruptHandle {
  /** Aborted on the first signal. */
  signal: AbortSignal;
  /** Aborted on the second signal. */
  hardSignal: AbortSignal;
  dispose(): void;
}

export function installInterruptHandlers(
  options: { onInterrupt?: (hard: boolean) => void; target?: NodeJS.EventEmitter } = {},
): InterruptHandle {
  const target = options.target ?? process;
  const soft = new AbortController();
  const hard = new AbortController();
  const handler = () => {
    if (!soft.signal.aborted) {
      soft.abort();
      options.onInterrupt?.(false);
    } else if (!hard.signal.aborted) {
      hard.abort();
      options.onInterrupt?.(true);
    }
  };
  target.on('SIGINT', handler);
  target.on('SIGTERM', handler);
  return {
    signal: soft.signal,
    hardSignal: hard.signal,
    dispose() {
      target.off('SIGINT', handler);
      target.off('SIGTERM', handler);
    },
  };
}
