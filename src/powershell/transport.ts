import type { HostConnection } from '../manifest/lab.js';
import type { Credential } from '../secrets/secret.js';

export type PowerShellShell = 'powershell' | 'pwsh';

/** How a session reaches its host's PowerShell. */
export type Transport =
  | { kind: 'local'; shell: PowerShellShell }
  | { kind: 'ssh'; user?: string; host: string; port?: number; shell: PowerShellShell }
  /** `credential`: New-PSSession -Credential (its user name replaced by `user` when the URL has one). */
  | {
      kind: 'winrm';
      host: string;
      user?: string;
      port?: number;
      https?: boolean;
      credential?: Credential;
      shell: PowerShellShell;
    };

/** The process to start for a transport, and what to tell the user when it fails. */
export interface Launch {
  file: string;
  args: string[];
  /** For winrm: the computer the local PowerShell opens a PSSession to. */
  remoteHost?: string;
  /** e.g. `local (pwsh)`, `ssh://admin@hv01:22`, `winrm://hv01`. */
  describe: string;
  /** What to check when the connection fails. */
  hint: string;
}

const POWERSHELL_FLAGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass'];

/** The manifest's host connection and shell as a session transport. */
export function transportFor(options: {
  connect: HostConnection;
  shell: PowerShellShell;
  credential?: Credential;
}): Transport {
  const { connect, shell } = options;
  if (connect.kind === 'local') return { kind: 'local', shell };
  if (connect.kind === 'ssh')
    return { kind: 'ssh', user: connect.user, host: connect.host, port: connect.port, shell };
  const transport: Transport = { kind: 'winrm', host: connect.host, shell };
  if (connect.user !== undefined) transport.user = connect.user;
  if (connect.port !== undefined) transport.port = connect.port;
  if (connect.https) transport.https = true;
  if (options.credential)
    transport.credential =
      connect.user !== undefined ? { ...options.credential, username: connect.user } : options.credential;
  return transport;
}

/** New-PSSession's options besides -ComputerName, as session parameters (the credential travels as a secret). */
export function remoteSessionOptions(transport: Transport): Record<string, unknown> | undefined {
  if (transport.kind !== 'winrm') return undefined;
  const options: Record<string, unknown> = {};
  if (transport.port !== undefined) options.Port = transport.port;
  if (transport.https) options.UseSSL = true;
  if (transport.credential) options.Credential = transport.credential;
  return options;
}

export function describeTransport(transport: Transport): string {
  if (transport.kind === 'local') return `local (${transport.shell})`;
  if (transport.kind === 'winrm') {
    const user = transport.user ?? transport.credential?.username;
    return `${transport.https ? 'winrms' : 'winrm'}://${user ? `${user}@` : ''}${transport.host}${transport.port ? `:${transport.port}` : ''}`;
  }
  const user = transport.user ? `${transport.user}@` : '';
  const port = transport.port ? `:${transport.port}` : '';
  return `ssh://${user}${transport.host}${port}`;
}

function localExecutable(shell: PowerShellShell): string {
  if (shell === 'pwsh') return process.platform === 'win32' ? 'pwsh.exe' : 'pwsh';
  return 'powershell.exe';
}

/**
 * The command line that starts the session's PowerShell. `executable` (or LABFORM_PWSH)
 * replaces the local PowerShell, so tests run pwsh where production runs powershell.exe;
 * `sshExecutable` (or LABFORM_SSH) replaces the system ssh.
 */
export function launchFor(options: {
  transport: Transport;
  encodedCommand: string;
  executable?: string;
  sshExecutable?: string;
  env?: NodeJS.ProcessEnv;
}): Launch {
  const { transport, encodedCommand } = options;
  const env = options.env ?? process.env;
  const override = options.executable ?? (env.LABFORM_PWSH || undefined);
  const describe = describeTransport(transport);
  if (transport.kind === 'local') {
    return {
      file: override ?? localExecutable(transport.shell),
      args: [...POWERSHELL_FLAGS, '-EncodedCommand', encodedCommand],
      describe,
      hint: 'check that PowerShell is installed (or set LABFORM_PWSH), that the Hyper-V PowerShell module is installed, and that labform runs elevated (as Administrator or a member of Hyper-V Administrators)',
    };
  }
  if (transport.kind === 'ssh') {
    const ssh = options.sshExecutable ?? (env.LABFORM_SSH || 'ssh');
    // BatchMode: never prompt for a password; -T: no terminal, so the pipe stays binary-clean.
    const args = ['-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=20', '-o', 'ServerAliveInterval=30'];
    if (transport.port) args.push('-p', String(transport.port));
    if (transport.user) args.push('-l', transport.user);
    args.push(
      '--',
      transport.host,
      transport.shell === 'pwsh' ? 'pwsh' : 'powershell',
      ...POWERSHELL_FLAGS,
      '-EncodedCommand',
      encodedCommand,
    );
    return {
      file: ssh,
      args,
      describe,
      hint: `check that key authentication to ${transport.host} works without a prompt (ssh -o BatchMode=yes ${transport.user ? `${transport.user}@` : ''}${transport.host}), that ${transport.shell === 'pwsh' ? 'pwsh' : 'powershell'} is on the far side's PATH, and that the account may run Hyper-V cmdlets there`,
    };
  }
  return {
    file: override ?? (process.platform === 'win32' ? 'powershell.exe' : 'pwsh'),
    args: [...POWERSHELL_FLAGS, '-EncodedCommand', encodedCommand],
    remoteHost: transport.host,
    describe,
    hint: `check that remoting is enabled on ${transport.host} (Enable-PSRemoting${transport.https ? ', with an HTTPS listener whose certificate this machine trusts' : ''}), that it is in this machine's TrustedHosts if it is not in your domain, and that the account${transport.credential ? ` ${transport.credential.username}` : ''} has rights to remote in and run Hyper-V cmdlets there`,
  };
}
