import { execa } from 'execa';
import type { CommandIo } from '../io.js';
import type { GlobalOptions } from '../../app/global-options.js';
import { openCommandContext, type OpenCommandContext } from '../../app/command-context.js';
import { liveLabVm } from '../lab-vm.js';
import { hostAddress } from '../guest-address.js';

/**
 * `labform console FILE VM`: the VM's console in Virtual Machine Connection. On a local host
 * (and on Windows) it starts `vmconnect.exe localhost VM` and returns; otherwise, and with
 * --sim, it prints the command to run on a Windows machine that reaches the host
 * (`vmconnect.exe <ServerName> <VMName>`, https://learn.microsoft.com/windows-server/virtualization/hyper-v/learn-more/hyper-v-virtual-machine-connect).
 */
export async function runConsole(options: {
  file: string;
  vm: string;
  global: GlobalOptions;
  /** How to open the command context; `openCommandContext` unless injected (tests). */
  open?: OpenCommandContext;
  io: CommandIo;
  platform?: NodeJS.Platform;
}): Promise<number> {
  const ctx = await (options.open ?? openCommandContext)({ file: options.file, global: options.global });
  try {
    const { vm } = await liveLabVm(ctx, options.vm);
    const remote = hostAddress(ctx.lab, vm.host);
    const server = remote ?? 'localhost';
    const command = `vmconnect.exe ${server} "${vm.spec.name}"`;
    if (!remote && !options.global.sim && (options.platform ?? process.platform) === 'win32') {
      // Detached: the console window outlives labform.
      const child = execa('vmconnect.exe', [server, vm.spec.name], { detached: true, stdio: 'ignore' });
      child.unref();
      child.catch(() => undefined);
      options.io.stdout.write(`opened the console of ${vm.spec.name} (${command})\n`);
      return 0;
    }
    const where = options.global.sim
      ? 'the simulator has no console; on a real host run'
      : remote
        ? `${vm.spec.name} runs on ${vm.host}; on a Windows machine that reaches it, run`
        : `run on ${vm.host}`;
    options.io.stdout.write(`${where}:\n  ${command}\n`);
    return 0;
  } finally {
    await ctx.provider.close();
  }
}
