/**
 * Reaching a guest the way PowerShell Direct (or SSH) does, and finding other guests of the
 * simulated world: domain controllers, HGS servers, computers by name or address.
 */
import { ProviderError } from '../../../errors.js';
import type { CallContext, GuestTarget } from '../../call-context.js';
import type { Credential } from '../../../secrets/secret.js';
import type { SimGuest, SimHost, SimVm } from '../sim-state.js';
import type { TimingProfile } from '../time/timing-profile.js';
import type { World } from '../world.js';
import type { ErrorSite } from '../sim-errors.js';
import { refusal } from '../sim-errors.js';
import { adUpAt, sessionUpAt } from '../time/power-model.js';
import { bareUser, credentialAccepted, reportedAddresses } from './guest-model.js';
import { sshKeyAccepted } from './cloud-init-boot.js';
import { hostSshPublicKey } from '../host/host-ssh-key.js';

export interface GuestEnv {
  world: World;
  timing: TimingProfile;
  call: CallContext;
  /** AD of this VM is held down by an injected fault. */
  adBlocked: (vm: string) => boolean;
}

export interface ReachedGuest {
  host: string;
  vm: SimVm;
  guest: SimGuest;
}

const INVOKE = 'InvokeCommandCommand';

function sessionError(
  site: ErrorSite,
  target: { vm: string; os: 'windows' | 'linux' },
  message: string,
  retryable: boolean,
  id: string,
): ProviderError {
  return new ProviderError({
    message: `${target.os === 'linux' ? 'ssh' : 'Invoke-Command'}: ${message}`,
    address: site.address,
    host: site.host,
    retryable,
    record: {
      message,
      category: retryable ? 'OpenError' : 'InvalidArgument',
      fullyQualifiedErrorId: `${id},Microsoft.PowerShell.Commands.${INVOKE}`,
      target: target.vm,
      exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
    },
  });
}

/** Why a session to this guest cannot open now, or undefined when it can. */
export function reachProblem(
  env: GuestEnv,
  target: { host: string; vm: string; os: 'windows' | 'linux'; credential: Credential },
): { message: string; retryable: boolean; id: string; refusedCredential?: true } | undefined {
  const found = env.world.findVm(target.host, target.vm);
  if (!found)
    return {
      message: `The input VMName ${target.vm} does not resolve to a single virtual machine.`,
      retryable: false,
      id: 'InvalidVMNameNotSingle',
    };
  const { vm } = found;
  if (vm.power.state !== 'Running')
    return {
      message: `The virtual machine ${target.vm} is not in running state.`,
      retryable: false,
      id: 'InvalidVMState',
    };
  if (!vm.guest || !sessionUpAt(vm, env.world.now, env.timing)) {
    return target.os === 'linux'
      ? {
          message: `connect to host ${target.vm} port 22: Connection refused`,
          retryable: true,
          id: 'SshConnectionRefused',
        }
      : {
          message:
            'An error has occurred which Windows PowerShell cannot handle. A remote session might have ended.',
          retryable: true,
          id: 'PSSessionStateBroken',
        };
  }
  if (vm.guest.os !== target.os)
    return {
      message: `The guest of ${target.vm} does not run ${target.os}.`,
      retryable: false,
      id: 'WrongOs',
    };
  // SSH needs an address: the host reaches a Linux guest at the IPv4 address it reports through
  // KVP (Get-VMNetworkAdapter IPAddresses), from DHCP or its own configuration. Without one
  // there is nothing to connect to (the Hyper-V provider's Get-LabformLinuxAddress finds none).
  if (target.os === 'linux' && !linuxAddress(env.world.host(found.host), vm))
    return {
      message: 'the Linux guest reports no IPv4 address yet',
      retryable: true,
      id: 'NoGuestAddress',
    };
  // ssh from the host logs in with the host account's key (never a password).
  const accepted =
    vm.guest.os === 'linux'
      ? sshKeyAccepted(
          vm.guest,
          bareUser(target.credential.username),
          hostSshPublicKey(env.world.host(found.host)),
        )
      : vm.guest.provisioned && credentialAccepted(env.world, vm.guest, target.credential);
  if (!accepted) {
    return target.os === 'linux'
      ? { message: 'Permission denied (publickey,password).', retryable: false, id: 'SshPermissionDenied' }
      : // A guest still at OOBE (no answer file) has no account yet: no PowerShell Direct, not a wrong password.
        {
          message: 'The credential is invalid.',
          retryable: false,
          id: 'InvalidCredential',
          ...(vm.guest.provisioned ? { refusedCredential: true as const } : {}),
        };
  }
  return undefined;
}

/** The first IPv4 address a running guest reports on any adapter (what ssh from the host connects to). */
export function linuxAddress(host: SimHost, vm: SimVm): string | undefined {
  for (const a of vm.adapters) {
    const found = reportedAddresses({ host, vm, mac: a.mac, switchName: a.switchName, kvpUp: true }).find(
      (x) => !x.includes(':'),
    );
    if (found) return found;
  }
  return undefined;
}

/** Open a "session": the guest, or the error PowerShell Direct / SSH would give. */
export function reachGuest(
  env: GuestEnv,
  site: ErrorSite,
  target: GuestTarget | { host: string; vm: string; os: 'windows' | 'linux'; credential: Credential },
): ReachedGuest {
  const problem = reachProblem(env, target);
  if (problem) throw sessionError(site, target, problem.message, problem.retryable, problem.id);
  const found = env.world.findVm(target.host, target.vm)!;
  return { host: found.host, vm: found.vm, guest: found.vm.guest! };
}

/** Active Directory answers on this guest now. */
export function adAnswers(env: GuestEnv, vm: SimVm): boolean {
  return vm.power.state === 'Running' && !env.adBlocked(vm.name) && adUpAt(vm, env.world.now, env.timing);
}

/** Domain controllers of `domain` anywhere in the state directory. */
export function dcsOf(env: GuestEnv, domain: string): ReachedGuest[] {
  return env.world
    .allVms()
    .filter(({ vm }) => vm.guest?.dc?.domain.toLowerCase() === domain.toLowerCase())
    .map(({ host, vm }) => ({ host, vm, guest: vm.guest! }));
}

/** A DC of `domain` whose Active Directory answers now. */
export function readyDc(env: GuestEnv, domain: string): ReachedGuest | undefined {
  return dcsOf(env, domain).find((dc) => adAnswers(env, dc.vm));
}

/** Guests with this static address. */
export function guestsWithAddress(env: GuestEnv, address: string): ReachedGuest[] {
  return env.world
    .allVms()
    .filter(
      ({ vm }) =>
        vm.guest &&
        Object.values(vm.guest.networks).some(
          (n) => !n.dhcp && n.addresses.some((a) => a.address === address),
        ),
    )
    .map(({ host, vm }) => ({ host, vm, guest: vm.guest! }));
}

/** Guests whose computer name (or VM name) is `name`. */
export function guestsNamed(env: GuestEnv, name: string): ReachedGuest[] {
  const n = name.toLowerCase().split('.')[0]!;
  return env.world
    .allVms()
    .filter(
      ({ vm }) =>
        vm.guest &&
        (vm.guest.computerName.toLowerCase() === n || vm.name.toLowerCase() === name.toLowerCase()),
    )
    .map(({ host, vm }) => ({ host, vm, guest: vm.guest! }));
}

/** A refusal from inside the guest (a cmdlet's error), never retryable. */
export function guestRefusal(
  site: ErrorSite,
  cmdlet: string,
  message: string,
  options: {
    id: string;
    category?:
      | 'InvalidOperation'
      | 'InvalidArgument'
      | 'ObjectNotFound'
      | 'ResourceExists'
      | 'AuthenticationError'
      | 'ResourceUnavailable';
    explain?: string;
    target?: string;
  },
): ProviderError {
  return refusal(site, {
    cmdlet,
    message,
    category: options.category ?? 'InvalidOperation',
    errorId: options.id.includes(',') ? options.id : `${options.id},${cmdlet}`,
    target: options.target,
    explain: options.explain,
    exceptionType: 'Microsoft.Management.Infrastructure.CimException',
  });
}
