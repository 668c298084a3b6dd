/**
 * Expected durations of guest operations in simulated seconds, for critical-path figures and
 * the `auto` domain-join choice. Reboots are included (restart, heartbeat, PowerShell Direct).
 * The figures follow the simulator's default timing profile
 * (src/providers/sim/time/timing-profile.ts, WS2016+ on SSDs) so that planned critical paths match
 * simulated applies; roles/ stays pure, so they are restated here rather than imported.
 */
import type { GuestOperation } from '../model/guest-operation.js';
import { featureRestarts } from '../model/windows-features.js';

/** A guest restart and the waits after it: shut down 5s, boot to heartbeat 25s, PowerShell Direct 8s. */
export const REBOOT_S = 38;
/** Active Directory answering after the boot that follows a promotion (the `adReady` wait). */
export const AD_READY_S = 292;
/** VM created (disk, answer file, VM, adapters) and started, first boot, PowerShell Direct answering. */
export const FIRST_BOOT_S = 62;
/** Install-WindowsFeature, whatever the set (restarts counted apart). */
const FEATURE_INSTALL_S = 60;
/** Between the two restarts of a feature that restarts twice. */
const BETWEEN_REBOOTS_S = 20;
/**
 * Install-WindowsFeature -Vhd into a new OS disk before its first boot (the simulator's
 * installFeaturesOffline), plus, per restart the features ask for, the pending work Windows
 * finishes during that first boot.
 */
export const OFFLINE_FEATURES_S = 30;
export const OFFLINE_FEATURE_RESTART_S = 30;
/** A task whose features were installed offline: only its probe runs. */
export const OFFLINE_INSTALLED_S = 5;

/** Seconds the offline install of `features` adds before the VM's guest answers. */
export function offlineFeaturesEstimateS(features: readonly string[]): number {
  return OFFLINE_FEATURES_S + featureRestarts(features) * OFFLINE_FEATURE_RESTART_S;
}

/** Operations that are one quick cmdlet (forwarder, group, share, scope, ...). */
const SMALL_S = 2;

/** Expected seconds for one operation, restarts included when it restarts the guest. */
export function operationEstimateS(operation: GuestOperation): number {
  switch (operation.op) {
    // The answer file already set the name: normally only the probe runs.
    case 'setComputerName':
      return 5;
    case 'setNetwork':
      return 3;
    case 'installFeatures': {
      const reboots = featureRestarts(operation.features);
      return FEATURE_INSTALL_S + reboots * REBOOT_S + Math.max(0, reboots - 1) * BETWEEN_REBOOTS_S;
    }
    case 'createForest':
      return 180 + REBOOT_S;
    case 'addDomainController':
      return 240 + REBOOT_S;
    // Add-Computer: DC locator, account creation over LDAP/SAMR, Kerberos; then the restart.
    case 'joinDomain':
      return 15 + REBOOT_S;
    // djoin /provision on the DC and /requestODJ in the guest are local operations; then the restart.
    case 'offlineDomainJoin':
      return 5 + REBOOT_S;
    case 'installHgs':
      return 120 + REBOOT_S;
    case 'initializeHgs':
      return 90;
    case 'joinHgs':
      return 150 + REBOOT_S;
    case 'createTrust':
      return 10;
    case 'createIscsiTarget':
      return 10;
    case 'createCluster':
      return 60;
    case 'runScript':
      return 5 + (operation.reboots ? REBOOT_S : 0);
    // Removing a feature that needed restarts to install (Hyper-V) needs one restart to finish.
    case 'uninstallFeatures':
      return FEATURE_INSTALL_S + (featureRestarts(operation.features) > 0 ? REBOOT_S : 0);
    case 'recordRole':
    case 'forgetRole':
    case 'readRoles':
    case 'removeShare':
    case 'removeDhcpScope':
    case 'moveComputer':
    case 'addDnsForwarder':
    case 'createAdGroup':
    case 'addAttestationHostGroup':
    case 'addAttestationTpmHost':
    case 'addAttestationHostKey':
    case 'configureGuardedHost':
    case 'createShare':
    case 'addDhcpScope':
    case 'authorizeDhcp':
      return SMALL_S;
  }
}
