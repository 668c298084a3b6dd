/**
 * The guest's life as a pure function of stored timestamps: nothing runs in the background;
 * every read computes heartbeat, PowerShell Direct and Active Directory from the boot events
 * and the current simulated time.
 */
import type { HeartbeatStatus } from '../../../model/live-state.js';
import type { BootEvent, SimVm } from '../sim-state.js';
import type { TimingProfile } from './timing-profile.js';

/** The boot in effect at `t` (boot events may be scheduled in the future: a second reboot). */
export function currentBoot(vm: SimVm, t: number): BootEvent | undefined {
  let found: BootEvent | undefined;
  for (const boot of vm.power.boots) if (boot.at <= t && (!found || boot.at >= found.at)) found = boot;
  return found;
}

/** From the boot's start to heartbeat OK. */
export function bootLength(boot: BootEvent, os: 'windows' | 'linux', timing: TimingProfile): number {
  if (boot.kind === 'resume') return timing.boot.resumeToHeartbeat;
  if (os === 'linux')
    return (boot.kind === 'reboot' ? timing.boot.rebootShutdown : 0) + timing.boot.linuxBootToHeartbeat;
  if (boot.kind === 'first') return timing.boot.firstBootToHeartbeat;
  if (boot.kind === 'reboot') return timing.boot.rebootShutdown + timing.boot.bootToHeartbeat;
  return timing.boot.bootToHeartbeat;
}

export function heartbeatAt(vm: SimVm, t: number, timing: TimingProfile): HeartbeatStatus {
  if (vm.power.state !== 'Running') return 'Unknown';
  // Nothing bootable (no OS disk, wrong generation): the integration services never answer.
  if (!vm.guest) return 'NoContact';
  const boot = currentBoot(vm, t);
  if (!boot) return 'NoContact';
  if (boot.kind === 'reboot' && t < boot.at + timing.boot.rebootShutdown) return 'LostCommunication';
  if (t < boot.at + bootLength(boot, vm.guest.os, timing)) return 'NoContact';
  return 'OK';
}

/** When the current boot reached heartbeat OK, or undefined while it has not. */
export function bootDoneAt(vm: SimVm, t: number, timing: TimingProfile): number | undefined {
  if (heartbeatAt(vm, t, timing) !== 'OK') return undefined;
  const boot = currentBoot(vm, t)!;
  return boot.at + bootLength(boot, vm.guest!.os, timing);
}

/** PowerShell Direct (SSH for Linux) answers: some seconds after the heartbeat. */
export function sessionUpAt(vm: SimVm, t: number, timing: TimingProfile): boolean {
  const done = bootDoneAt(vm, t, timing);
  if (done === undefined) return false;
  const delay =
    vm.guest!.os === 'linux' ? timing.boot.sshAfterHeartbeat : timing.boot.powershellDirectAfterHeartbeat;
  return t >= done + delay;
}

/** Active Directory answers on a DC: minutes after its boot completed (longer after promotion). */
export function adUpAt(vm: SimVm, t: number, timing: TimingProfile): boolean {
  if (!vm.guest?.dc) return false;
  const done = bootDoneAt(vm, t, timing);
  if (done === undefined) return false;
  const boot = currentBoot(vm, t)!;
  return t >= done + (boot.promotion ? timing.boot.adAfterPromotion : timing.boot.adAfterBoot);
}

/** Schedule a guest-initiated restart now (and `count - 1` more after each comes back). */
export function scheduleReboots(
  vm: SimVm,
  options: { now: number; count: number; promotion?: boolean; timing: TimingProfile },
): void {
  const os = vm.guest?.os ?? 'windows';
  // Drop boots scheduled after now: a new restart supersedes them.
  vm.power.boots = vm.power.boots.filter((b) => b.at <= options.now);
  let at = options.now;
  for (let i = 0; i < options.count; i++) {
    const boot: BootEvent = { at, kind: 'reboot' };
    if (options.promotion && i === options.count - 1) boot.promotion = true;
    vm.power.boots.push(boot);
    at += bootLength(boot, os, options.timing) + options.timing.boot.betweenReboots;
  }
  // Keep the history short: only the boot in effect and later ones matter.
  const current = currentBoot(vm, options.now);
  vm.power.boots = vm.power.boots.filter((b) => b === current || b.at > options.now);
}
