/**
 * The fake Hyper-V host's OpenSSH client (ssh.exe, scp.exe) and the Linux guests it reaches.
 * test/fake-hyperv/bin/ssh.exe and scp.exe run this file; FakeHyperV.psm1 puts that folder first
 * on PATH, so the provider's `& 'ssh.exe' ... 2>&1` (LabformGuest.Linux.ps1, host-guest-shell.ps1,
 * LabformGuest.Probes.ps1, in the session or in a Start-Job child process) runs it as the native
 * program it is on Windows: arguments, stdout, stderr and exit code.
 *
 * The client, as OpenSSH's ssh(1), scp(1) and ssh_config(5) document it (https://man.openbsd.org/ssh,
 * https://man.openbsd.org/scp, https://man.openbsd.org/ssh_config):
 * - `ssh [-o key=value] [-l user] [-p port] [-T] destination [command ...]`: the command words are
 *   joined with spaces and run by the user's login shell on the far side (`bash -c`); the exit
 *   status is the remote command's, or 255 when ssh itself failed (ssh(1) EXIT STATUS).
 * - Failures ssh reports on stderr, exit 255: a guest that is off, has no address yet or is
 *   restarting ("ssh: connect to host A port 22: Connection timed out" with ConnectTimeout, as a
 *   silent address does; "Connection refused" once the guest runs but sshd is not up, and for a
 *   Windows guest, which runs no sshd).
 * - BatchMode=yes: never prompts; key authentication only. ssh offers the account's default
 *   identities (ssh(1) -i: ~/.ssh/id_rsa, ..., ~/.ssh/id_ed25519): the fake host account's
 *   profile is `<state file>.profile` (host/cloud-init-boot.ps1). A guest configured by cloud-init
 *   accepts the keys its seed gave the user (or the image's default user); a guest never seeded
 *   accepts the host's key for any user (what its image was made to accept), as the simulator
 *   does (src/providers/sim/guest/cloud-init-boot.ts sshKeyAccepted).
 * - StrictHostKeyChecking=accept-new: the first connection to an address adds its key and says
 *   "Warning: Permanently added 'A' (ED25519) to the list of known hosts." on stderr, a message
 *   logged at INFO, so LogLevel=ERROR (or QUIET) hides it (OpenSSH sshconnect.c check_host_key,
 *   `logit(...)`; seen in freebsd/freebsd-src sshconnect.c). The fake keeps its known hosts beside
 *   the host's state file.
 * - scp `[options] source target`, one side `user@host:path`: into an existing folder the file
 *   keeps its name; a missing folder or source fails with "scp: PATH: No such file or directory",
 *   exit 1 (the simulator's wording, src/providers/sim/guest/guest-shell-ops.ts). `-r` copies a
 *   folder as cp -r does: to a path that does not exist it becomes that path, into an existing
 *   folder it lands inside it (scp(1): "-r Recursively copy entire directories"); a folder
 *   without -r fails with "not a regular file". A host path (D:\Media\App) is the fake host's
 *   media file (host/media-files.ps1).
 *
 * The guest: which VM answers at an address is read from the host's state file (the addresses
 * its adapters report through KVP: static ones the guest set, or its DHCP lease, worked out as
 * guest/70-dhcp-lease.ps1 does); its files live in a real folder beside the state file
 * (fake-guests/<vm>/linux), so absolute guest paths never touch this machine. Commands run in
 * linux-shell.mjs, a small bash; `reboot` restarts the guest in the host's state, as
 * Restart-FakeGuest does for Windows guests (heartbeat and ssh gone, back after the boot time).
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  copyFileSync,
  readdirSync,
} from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBash, GuestFiles } from './linux-shell.mjs';

const statePath = process.env.LABFORM_FAKE_HYPERV_STATE;

function readState() {
  if (!statePath || !existsSync(statePath)) return undefined;
  return JSON.parse(readFileSync(statePath, 'utf8'));
}

function writeState(state) {
  const tmp = `${statePath}.${process.pid}.ssh.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 1));
  renameSync(tmp, statePath);
}

const now = () => Date.now() / 1000;
const envNumber = (name) => Number(process.env[name] || 0) || 0;

function heartbeatOk(vm) {
  return (
    vm.state === 'Running' && now() - Number(vm.startedAt || 0) >= envNumber('LABFORM_FAKE_BOOT_SECONDS')
  );
}

const ipv4Number = (a) => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const ipv4Text = (n) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** guest/70-dhcp-lease.ps1 Get-FakeLeasePick. */
function leasePick(start, end, mac) {
  const a = ipv4Number(start);
  const span = Math.max(1, ipv4Number(end) - a + 1);
  return ipv4Text(a + (parseInt(mac.slice(-4), 16) % span));
}

/** guest/70-dhcp-lease.ps1 Get-FakeDhcpLease. */
function lease(state, vm, adapter) {
  if (vm.state !== 'Running' || !adapter.switchName || !heartbeatOk(vm)) return undefined;
  const mac = String(adapter.mac);
  const net = vm.guest?.networks?.[mac];
  if (net && !net.dhcp) return undefined;
  const sw = (state.switches ?? []).find((s) => s.name === adapter.switchName);
  if (sw && String(sw.type) === 'External') {
    const eth = (state.hostAddresses ?? []).find(
      (h) =>
        !String(h.interfaceAlias).startsWith('vEthernet') || h.interfaceAlias === `vEthernet (${sw.name})`,
    );
    if (!eth) return undefined;
    const base = String(eth.address).split('.').slice(0, 3).join('.');
    return leasePick(`${base}.100`, `${base}.199`, mac);
  }
  for (const server of state.vms ?? []) {
    if (server.name === vm.name || server.state !== 'Running' || !server.guest?.dhcpScopes?.length) continue;
    if (!(server.adapters ?? []).some((a) => a.switchName === adapter.switchName)) continue;
    const scope = server.guest.dhcpScopes[0];
    return leasePick(String(scope.start), String(scope.end), mac);
  }
  return undefined;
}

function reportedAddresses(state, vm) {
  if (vm.state !== 'Running') return [];
  return (vm.adapters ?? []).flatMap((a) => {
    const own = (a.ipAddresses ?? []).map(String);
    if (own.length > 0) return own;
    const l = lease(state, vm, a);
    return l ? [l] : [];
  });
}

/** The OS of a VM's first disk that leads to an image (differencing chains followed). */
function guestOs(state, vm) {
  const byPath = new Map((state.vhds ?? []).map((v) => [String(v.path).toLowerCase(), v]));
  const shared = sharedVhds();
  for (const v of shared) byPath.set(String(v.path).toLowerCase(), v);
  for (const disk of vm.disks ?? []) {
    let node = byPath.get(String(disk.path).toLowerCase());
    const seen = new Set();
    while (node && !node.os && node.parentPath && !seen.has(node.path)) {
      seen.add(node.path);
      node = byPath.get(String(node.parentPath).toLowerCase());
    }
    if (node?.os) return node.os;
  }
  return undefined;
}

function sharedVhds() {
  const file = path.join(path.dirname(statePath), 'shared-storage.json');
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, 'utf8')).vhds ?? [];
}

function guestRoot(vmName) {
  return path.join(path.dirname(statePath), 'fake-guests', vmName.replace(/[^A-Za-z0-9._-]/g, '_'), 'linux');
}

/** ssh's own failure: the message on stderr, exit 255 (ssh(1) EXIT STATUS). */
function sshFailure(message) {
  process.stderr.write(`${message}\n`);
  return 255;
}

/** OpenSSH's command line: options, destination, the rest (the remote command words). */
function parseSshArgs(args) {
  const options = {};
  let user;
  let port = 22;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) break;
    if (a === '-o' || a.startsWith('-o')) {
      const text = a === '-o' ? args[++i] : a.slice(2);
      const [key, ...rest] = text.split('=');
      options[key.toLowerCase()] = rest.join('=');
    } else if (a === '-l') user = args[++i];
    else if (a === '-p' || a === '-P') port = Number(args[++i]);
    else if (a === '-i' || a === '-F') i++;
    // -T, -q, -v, -O and the like: no value.
  }
  return { options, user, port, rest: args.slice(i) };
}

/** The guest answering at `address`, or the ssh failure that reaching it gives. */
function connect(address, port) {
  const state = readState();
  if (!state)
    return { code: sshFailure(`ssh: Could not resolve hostname ${address}: Name or service not known`) };
  const vm = (state.vms ?? []).find((v) => reportedAddresses(state, v).includes(address));
  if (!vm) return { code: sshFailure(`ssh: connect to host ${address} port ${port}: Connection timed out`) };
  if (now() < Number(vm.guest?.rebootUntil ?? 0) || !heartbeatOk(vm))
    return { code: sshFailure(`ssh: connect to host ${address} port ${port}: Connection refused`) };
  if (guestOs(state, vm) !== 'linux' || port !== 22)
    return { code: sshFailure(`ssh: connect to host ${address} port ${port}: Connection refused`) };
  return { state, vm };
}

/** The host account's public keys, the ones ssh offers (ed25519 and rsa, when present). */
function hostKeys() {
  const folder = path.join(`${path.resolve(statePath)}.profile`, '.ssh');
  return ['id_ed25519.pub', 'id_rsa.pub'].flatMap((name) => {
    const file = path.join(folder, name);
    return existsSync(file) ? [readFileSync(file, 'utf8').trim()] : [];
  });
}

/** Whether sshd in the guest lets the host's key log in as `user`. */
function keyAccepted(vm, user) {
  const seeded = vm.guest?.cloudInit;
  if (!seeded) return true;
  const keys = seeded.authorizedKeys?.[String(user).toLowerCase()] ?? seeded.authorizedKeys?.default ?? [];
  return hostKeys().some((k) => keys.includes(k));
}

function knownHostsWarning(address, options) {
  const file = path.join(path.dirname(statePath), 'fake-known-hosts.txt');
  const known = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  if (known.includes(address)) return;
  const checking = (options.stricthostkeychecking ?? 'ask').toLowerCase();
  if (checking === 'yes') {
    return `No ED25519 host key is known for ${address} and you have requested strict checking.`;
  }
  if (checking === 'ask' && options.batchmode?.toLowerCase() === 'yes')
    return `Host key verification failed.`;
  writeFileSync(file, [...known.filter(Boolean), address, ''].join('\n'));
  const level = (options.loglevel ?? 'INFO').toUpperCase();
  if (!['QUIET', 'FATAL', 'ERROR'].includes(level))
    process.stderr.write(`Warning: Permanently added '${address}' (ED25519) to the list of known hosts.\n`);
  return undefined;
}

function restartGuest(vmName) {
  // Read, change and write under the host state lock the fake's PowerShell sessions take
  // (FakeHyperV.psm1 Enter-FakeStateLock: .NET's FileShare.None is flock(LOCK_EX) on Linux, the
  // lock util-linux flock(1) takes), so a change another session makes meanwhile is not lost.
  const locked = spawnSync(
    'flock',
    [
      '-x',
      '-w',
      '60',
      `${statePath}.lock`,
      process.execPath,
      fileURLToPath(import.meta.url),
      'restart-guest',
      vmName,
    ],
    { stdio: 'inherit' },
  );
  if (locked.error || locked.status !== 0)
    throw new Error(
      `fake ssh: restarting ${vmName} under the state lock failed: ${locked.error ?? locked.status}`,
    );
}

function restartGuestLocked(vmName) {
  // Restart-FakeGuest (guest/10-guest-model.ps1): the heartbeat restarts, ssh is gone a while.
  const state = readState();
  const vm = state.vms.find((v) => v.name === vmName);
  if (!vm) return;
  const t = now();
  vm.guest = vm.guest ?? { os: 'linux' };
  vm.guest.rebootUntil = t + envNumber('LABFORM_FAKE_REBOOT_SECONDS');
  vm.guest.restarts = Number(vm.guest.restarts ?? 0) + 1;
  vm.startedAt = t;
  writeState(state);
}

function ssh(args) {
  const { options, user: loginName, port, rest } = parseSshArgs(args);
  if (rest.length === 0)
    return sshFailure('usage: ssh [-l login_name] [-o option] destination [command [argument ...]]');
  let [destination, ...words] = rest;
  let user = loginName;
  if (destination.includes('@')) [user, destination] = destination.split('@');
  const reached = connect(destination, port);
  if (reached.code !== undefined) return reached.code;
  const refused = knownHostsWarning(destination, options);
  if (refused) return sshFailure(refused);
  if (!user) return sshFailure(`${destination}: Permission denied (publickey).`);
  if (!keyAccepted(reached.vm, user))
    return sshFailure(`${user}@${destination}: Permission denied (publickey).`);
  if (words.length === 0)
    return sshFailure('Pseudo-terminal will not be allocated because stdin is not a terminal.');
  const vm = reached.vm;
  const files = new GuestFiles(guestRoot(vm.name), user);
  let rebooted = false;
  const result = runBash(words.join(' '), {
    files,
    user,
    hostname: String(vm.guest?.computerName ?? vm.name).toLowerCase(),
    onReboot: () => (rebooted = true),
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (rebooted) restartGuest(vm.name);
  return result.code;
}

/**
 * The real file behind a path of the fake Windows host: media live under
 * <state folder>/fake-host-media/<state file name>/D/Media/... (host/media-files.ps1,
 * ConvertTo-FakeHostMediaPath); any other path is taken as it is.
 */
function hostLocal(p) {
  const root = path.join(path.dirname(statePath), 'fake-host-media', path.parse(statePath).name);
  const unc = /^\\\\(.*)$/.exec(p);
  if (unc) return path.join(root, 'UNC', ...unc[1].split('\\').filter(Boolean));
  const drive = /^([A-Za-z]):\\?(.*)$/.exec(p);
  if (drive) return path.join(root, drive[1].toUpperCase(), ...drive[2].split('\\').filter(Boolean));
  return p;
}

/** scp -r of a host folder into the guest, as cp -r: every file and subfolder under `destination`. */
function copyFolderInto(files, source, destination) {
  mkdirSync(files.local(destination), { recursive: true });
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.posix.join(destination, entry.name);
    if (entry.isDirectory()) copyFolderInto(files, from, to);
    else copyFileSync(from, files.local(to));
  }
}

function scp(args) {
  const recursive = args.includes('-r');
  const { options, port, rest } = parseSshArgs(args.map((a) => (a === '-P' ? '-p' : a)));
  if (rest.length !== 2) return sshFailure('usage: scp [-o ssh_option] [-P port] source ... target');
  const remote = (p) => /^([^@:/]+@)?[^:/]+:/.test(p) && !/^[A-Za-z]:[\\/]/.test(p);
  const [source, target] = rest;
  const side = remote(source) ? source : target;
  const [, user, host, guestPath] = /^(?:([^@]+)@)?([^:]+):(.*)$/.exec(side);
  const reached = connect(host, port);
  if (reached.code !== undefined) return reached.code;
  const refused = knownHostsWarning(host, options);
  if (refused) return sshFailure(refused);
  if (!keyAccepted(reached.vm, user ?? 'root'))
    return sshFailure(`${user ?? 'root'}@${host}: Permission denied (publickey).`);
  const files = new GuestFiles(guestRoot(reached.vm.name), user ?? 'root');
  const fail = (p) => {
    process.stderr.write(`scp: ${p}: No such file or directory\n`);
    return 1;
  };
  if (remote(target)) {
    const local = hostLocal(source);
    const folder = existsSync(local) && statSync(local).isDirectory();
    if (!existsSync(local) || (folder && !recursive)) {
      if (folder) process.stderr.write(`scp: ${source}: not a regular file\n`);
      return folder ? 1 : fail(source);
    }
    // Into an existing folder the source keeps its name; otherwise it becomes the target.
    let destination = files.resolve(guestPath || '.');
    const name = source
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop();
    if (files.isFolder(destination)) destination = path.posix.join(destination, name);
    if (!files.isFolder(path.posix.dirname(destination))) return fail(destination);
    if (folder) copyFolderInto(files, local, destination);
    else copyFileSync(local, files.local(destination));
    return 0;
  }
  const from = files.resolve(guestPath);
  if (!files.isFile(from)) return fail(from);
  let local = target;
  if (existsSync(local) && statSync(local).isDirectory()) local = path.join(local, path.posix.basename(from));
  if (!existsSync(path.dirname(path.resolve(local)))) return fail(local);
  mkdirSync(path.dirname(path.resolve(local)), { recursive: true });
  copyFileSync(files.local(from), local);
  return 0;
}

const [tool, ...args] = process.argv.slice(2);
if (tool === 'restart-guest') restartGuestLocked(args[0]);
else process.exitCode = tool === 'scp' ? scp(args) : ssh(args);
