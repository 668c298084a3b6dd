import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { UserError } from '../../errors.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { liveLabVm } from '../lab-vm.js';
import { guestAddress, hostAddress } from '../guest-address.js';
import { guestCredential } from '../../plan/checkpoint-steps.js';

/**
 * The .rdp file's text. Properties from "Supported Remote Desktop RDP file settings"
 * (https://learn.microsoft.com/azure/virtual-desktop/rdp-properties): `full address:s:`,
 * `username:s:`, `prompt for credentials:i:1`. No password is ever written.
 */
export function rdpFileText(options: { address: string; username?: string }): string {
  const lines = [
    `full address:s:${options.address}`,
    ...(options.username ? [`username:s:${options.username}`] : []),
    'prompt for credentials:i:1',
    'administrative session:i:1',
    'screen mode id:i:1',
    'desktopwidth:i:1600',
    'desktopheight:i:900',
    'authentication level:i:2',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * `labform rdp FILE VM [--out F]`: writes `<VM>.rdp` for the guest's address. A guest on a NAT
 * network of a remote host is reached through the lab's port mapping to its port 3389, if any.
 */
export async function runRdp(options: {
  file: string;
  vm: string;
  out?: string;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
}): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const { vm } = await liveLabVm(ctx, options.vm);
    if (vm.spec.os === 'linux')
      throw new UserError(
        `${vm.spec.name} is a Linux guest`,
        [],
        `reach it with ssh, e.g. labform show FILE --format ssh-config`,
      );
    let address = guestAddress(vm.spec, vm.live);
    if (!address)
      throw new UserError(
        `${vm.spec.name} has no address yet: its guest reports none and the manifest gives none`,
        [],
        'wait until the guest is up (labform show FILE), or give the adapter ip:',
      );
    const remote = hostAddress(ctx.lab, vm.host);
    const mapping = ctx.lab.networks
      .flatMap((n) => n.portMappings)
      .find((m) => m.vm === vm.spec.name && m.internalPort === 3389 && m.protocol === 'tcp');
    if (remote && mapping) address = `${remote}:${mapping.externalPort}`;
    const credential = guestCredential(vm.spec);
    const username = credential
      ? ctx.lab.credentials.find((c) => c.name === credential)?.username
      : undefined;
    const out = path.resolve(options.out ?? `${vm.spec.name}.rdp`);
    await writeFileAtomic(out, rdpFileText({ address, username }));
    options.io.stdout.write(`wrote ${out} (${address}${username ? `, user ${username}` : ''})\n`);
    return 0;
  } finally {
    await ctx.provider.close();
  }
}
