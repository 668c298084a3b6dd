import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { guestTargetFor, liveLabVm } from '../lab-vm.js';
import { vmAddress } from '../../model/address.js';

/**
 * `labform exec FILE VM -- COMMAND...`: runs the command in the guest (PowerShell Direct for
 * Windows, SSH from the host for Linux), prints its output as it arrives (stdout to stdout,
 * stderr to stderr) and exits with the guest command's exit code. labform's own failures
 * (no such VM, VM off, session refused) keep labform's exit codes (1, 3).
 */
export async function runExec(options: {
  file: string;
  vm: string;
  command: string[];
  credential?: string;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const { io } = options;
  if (options.command.length === 0)
    throw new UserError(
      'no command to run',
      [],
      'put it after --, e.g. labform exec lab.yaml dc01 -- hostname',
    );
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const { vm } = await liveLabVm(ctx, options.vm);
    const target = guestTargetFor(ctx, vm, options.credential);
    const secrets = ctx.credentials.secretValues().filter((s) => s.length >= 4);
    const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join('(sensitive)'), text);
    const result = await ctx.provider.execGuest(
      target,
      options.command.join(' '),
      { address: vmAddress(vm.spec.name), credentials: ctx.credentials },
      (output) => {
        (output.stream === 'stdout' ? io.stdout : io.stderr).write(`${scrub(output.text)}\n`);
      },
    );
    return result.exitCode;
  } finally {
    await ctx.provider.close();
  }
}
