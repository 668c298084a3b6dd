import { createInterface } from 'node:readline/promises';
import { InterruptedError, UserError } from '../errors.js';
import type { CommandIo } from './io.js';

/**
 * Asks `question (y/N)` on the terminal. Without a terminal on stdin (CI, pipes) it refuses
 * rather than guess: the user passes -y to say yes in advance.
 */
export async function confirm(options: {
  io: CommandIo;
  question: string;
  autoApprove: boolean;
  action: string;
}): Promise<boolean> {
  if (options.autoApprove) return true;
  if (!options.io.stdinIsTTY) {
    throw new UserError(
      `refusing to ${options.action} without confirmation: stdin is not a terminal`,
      [],
      'pass -y (--auto-approve) to confirm in advance',
    );
  }
  const rl = createInterface({ input: options.io.stdin, output: options.io.stdout, terminal: true });
  // readline swallows Ctrl-C at a prompt (it only pauses): turn it into an interruption.
  const interrupted = new Promise<never>((_, reject) =>
    rl.once('SIGINT', () =>
      reject(new InterruptedError('cancelled at the confirmation prompt; nothing was changed')),
    ),
  );
  try {
    const answer = await Promise.race([rl.question(`${options.question} (y/N) `), interrupted]);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
