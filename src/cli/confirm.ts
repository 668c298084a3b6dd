import { createInterface } from 'node:readline/promises';
import { UserError } from '../errors.js';
import type { CommandIo } from './io.js';

/**
 * Asks `question (y/N)` on the terminal. Without a terminal on stdin (CI, pipes) it refuses
 * rather than guess: the user passes -y to say yes in advance.
 */
export async function confirm(options: { io: CommandIo; question: string; autoApprove: boolean; action: string }): Promise<boolean> {
  if (options.autoApprove) return true;
  if (!options.io.stdinIsTTY) {
    throw new UserError(`refusing to ${options.action} without confirmation: stdin is not a terminal`, [], 'pass -y (--auto-approve) to confirm in advance');
  }
  const rl = createInterface({ input: options.io.stdin, output: options.io.stdout, terminal: true });
  try {
    const answer = await rl.question(`${options.question} (y/N) `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}
