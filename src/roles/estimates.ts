/**
 * Expected durations of guest operations in simulated seconds, for critical-path figures and
 * the `auto` domain-join choice. Reboots are included (restart, heartbeat, PowerShell Direct).
 * The figures follow the simulator's default timing profile
 * (src/providers/sim/time/timing-profile.ts, WS2016+ on SSDs) so that planned critical paths match
 * simulated applies; roles/ stays pure, so they are restated here rather than imported.
 */
import type { GuestOperation } from '../model/guest-operation.js';

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
/** Features whose install restarts the guest, and how often (Hyper-V restarts twice). */
const FEATURE_REBOOTS: Record<string, number> = { 'Hyper-V': 2, Containers: 1 };
/** A files: copy (roles/ is pure: it cannot know the bytes); the simulator's media folders take about this long. */
const COPY_FILES_S = 15;
/** Operations that are one quick cmdlet (forwarder, group, share, scope, ...). */
const SMALL_S = 2;

/** How many restarts installing these features takes (the most any one of them needs). */
export function featureReboots(features: readonly string[]): number {
  return Math.max(0, ...features.map((f) => FEATURE_REBOOTS[f] ?? 0));
}

/** Expected seconds for one operation, restarts included when it restarts the guest. */
export function operationEstimateS(operation: GuestOperation): number {
  switch (operation.op) {
    // The answer file already set the name: normally only the probe runs.
    case 'setComputerName':
      return 5;
    case 'setNetwork':
      return 3;
    case 'installFeatures': {
      const reboots = featureReboots(operation.features);
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
    // Installation media of a few hundred MB to a few GB at the simulator's copy rate; the real
    // figure depends on the bytes that differ, which only the plan-time probe knows.
    case 'copyFiles':
      return COPY_FILES_S;
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
