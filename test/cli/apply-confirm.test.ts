import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from '../../src/cli/confirm.js';
import type { CommandIo } from '../../src/cli/io.js';
import { UserError } from '../../src/errors.js';

function io(options: { stdinIsTTY: boolean; answer?: string }): CommandIo {
  const stdin = new PassThrough();
  if (options.answer !== undefined) setTimeout(() => stdin.write(`${options.answer}\n`), 5);
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin,
    isTTY: false,
    stdinIsTTY: options.stdinIsTTY,
    color: false,
  };
}

describe('confirm', () => {
  it('refuses without a terminal on stdin and without -y', async () => {
    const error = await confirm({
      io: io({ stdinIsTTY: false }),
      question: 'Apply these changes?',
      autoApprove: false,
      action: 'apply',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'refusing to apply without confirmation: stdin is not a terminal',
    );
    expect((error as UserError).hint).toContain('-y');
  });

  it('does not ask with -y', async () => {
    await expect(
      confirm({ io: io({ stdinIsTTY: false }), question: 'q', autoApprove: true, action: 'apply' }),
    ).resolves.toBe(true);
  });

  it('takes y as yes and anything else as no', async () => {
    await expect(
      confirm({
        io: io({ stdinIsTTY: true, answer: 'y' }),
        question: 'q',
        autoApprove: false,
        action: 'apply',
      }),
    ).resolves.toBe(true);
    await expect(
      confirm({
        io: io({ stdinIsTTY: true, answer: '' }),
        question: 'q',
        autoApprove: false,
        action: 'apply',
      }),
    ).resolves.toBe(false);
  });
});
