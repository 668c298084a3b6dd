import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { MAX_COPY_BYTES } from '../../providers/guest-shell.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { guestTargetFor, liveLabVm } from '../lab-vm.js';
import { vmAddress } from '../../model/address.js';

/** `VM:PATH` names a guest path; anything else (including `C:\x`, a drive letter) is local. */
export function guestSide(arg: string): { vm: string; path: string } | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*):(.*)$/.exec(arg);
  if (!m || m[1]!.length === 1) return undefined;
  return { vm: m[1]!, path: m[2]! };
}

/**
 * `labform cp FILE SRC VM:DST` and `labform cp FILE VM:SRC DST`: one file between this machine
 * and a guest (Copy-Item -ToSession / -FromSession over PowerShell Direct for Windows, scp from
 * the host for Linux). The content travels through the host's session, so it works the same
 * for local and remote hosts.
 */
export async function runCp(options: {
  file: string;
  source: string;
  destination: string;
  credential?: string;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const from = guestSide(options.source);
  const to = guestSide(options.destination);
  if ((from && to) || (!from && !to)) {
    throw new UserError(
      'cp copies between this machine and one guest: exactly one side must be VM:PATH',
      [],
      'labform cp lab.yaml ./tools.zip dc01:C:\\Temp\\   or   labform cp lab.yaml dc01:C:\\Windows\\Temp\\log.txt ./log.txt',
    );
  }
  const guest = (from ?? to)!;
  if (guest.path === '')
    throw new UserError(
      `${from ? options.source : options.destination}: no path after the VM name`,
      [],
      'e.g. dc01:C:\\Temp\\',
    );
  let content: Buffer | undefined;
  if (to) {
    const info = await stat(options.source).catch(() => undefined);
    if (!info?.isFile()) throw new UserError(`${options.source} is not a file on this machine`);
    if (info.size > MAX_COPY_BYTES)
      throw new UserError(
        `${options.source} has ${info.size} bytes; cp moves files up to ${MAX_COPY_BYTES / 1024 / 1024} MiB`,
        [],
        'put large files on a share the guest reaches, or in the image',
      );
    content = await readFile(options.source);
  }
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const { vm } = await liveLabVm(ctx, guest.vm);
    const target = guestTargetFor(ctx, vm, options.credential);
    const call = { address: vmAddress(vm.spec.name), credentials: ctx.credentials };
    if (to) {
      const written = await ctx.provider.copyToGuest(
        target,
        { fileName: path.basename(options.source), content: content!, destination: guest.path },
        call,
      );
      options.io.stdout.write(
        `copied ${options.source} (${content!.length} bytes) to ${vm.spec.name}:${written.path}\n`,
      );
    } else {
      const data = await ctx.provider.copyFromGuest(target, guest.path, call);
      let local = options.destination;
      const info = await stat(local).catch(() => undefined);
      if (info?.isDirectory() || /[\\/]$/.test(local))
        local = path.join(local, guest.path.split(/[\\/]/).pop()!);
      await writeFile(local, data);
      options.io.stdout.write(`copied ${vm.spec.name}:${guest.path} (${data.length} bytes) to ${local}\n`);
    }
    return 0;
  } finally {
    await ctx.provider.close();
  }
}
