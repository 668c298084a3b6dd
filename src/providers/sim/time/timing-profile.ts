/**
 * Every simulated duration, in milliseconds of simulated time. Deterministic: the only
 * randomness in the simulator is injected faults. Figures are typical of a Windows Server
 * 2016+ host with SSD storage; they exist so waits, reboots and critical paths behave like
 * the real thing, not to predict real durations.
 */
const s = 1000;
const min = 60 * s;

export interface TimingProfile {
  host: {
    createSwitch: number;
    createExternalSwitch: number;
    removeSwitch: number;
    setHostAddress: number;
    createNat: number;
    natMapping: number;
    /** New-VHD -Differencing. */
    createDifferencingVhd: number;
    createDynamicVhd: number;
    /** New-VHD -Fixed: zeroing the file takes time proportional to its size. */
    fixedVhdPerGiB: number;
    removeVhd: number;
    injectAnswerFile: number;
    createVm: number;
    configureVm: number;
    removeVm: number;
    /** Start-VM returns once the worker process runs; the guest boots afterwards. */
    startVm: number;
    /** Stop-VM (graceful shut down through the integration service). */
    stopVmGraceful: number;
    stopVmForce: number;
    attachDisk: number;
    adapter: number;
    assignDevice: number;
    checkpoint: number;
    restoreCheckpoint: number;
    addClusterRole: number;
    /**
     * An image from an ISO: mount, apply the edition (Expand-WindowsImage of a Server edition,
     * the bulk of it), bcdboot, dismount.
     */
    buildImage: number;
    /** Each update package added offline (Add-WindowsPackage of a cumulative update). */
    buildImagePerUpdate: number;
    /** Install-WindowsFeature -Vhd into a new OS disk (DISM offline: no services to start, no restart). */
    installFeaturesOffline: number;
    /**
     * Per restart the offline features would ask for online: Windows finishes their pending
     * work during the first boot (counted with the offline step).
     */
    offlineFeatureRestart: number;
  };
  boot: {
    /** Power on to heartbeat OK on the first boot of a sysprepped image (specialize, OOBE from the answer file). */
    firstBootToHeartbeat: number;
    /** Power on (or a reboot's restart) to heartbeat OK afterwards. */
    bootToHeartbeat: number;
    /** A guest-initiated restart: heartbeat LostCommunication while Windows shuts down. */
    rebootShutdown: number;
    /** Resume from a saved state to heartbeat OK. */
    resumeToHeartbeat: number;
    /** PowerShell Direct answers this long after the heartbeat turned OK. */
    powershellDirectAfterHeartbeat: number;
    /** Linux: boot to heartbeat and SSH answering. */
    linuxBootToHeartbeat: number;
    sshAfterHeartbeat: number;
    /** Between the two restarts of a feature install that reboots twice (Hyper-V). */
    betweenReboots: number;
    /** Active Directory answers this long after a DC's boot completes (heartbeat OK). */
    adAfterBoot: number;
    /** ... and this long after the boot that follows promotion (forest/DC creation, HGS install). */
    adAfterPromotion: number;
  };
  guest: {
    setComputerName: number;
    setNetwork: number;
    installFeatures: number;
    createForest: number;
    addDomainController: number;
    joinDomain: number;
    offlineDomainJoin: number;
    installHgs: number;
    initializeHgs: number;
    joinHgs: number;
    small: number;
    createTrust: number;
    createIscsiTarget: number;
    createCluster: number;
    runScript: number;
  };
}

export const DEFAULT_TIMING: TimingProfile = {
  host: {
    createSwitch: 1.5 * s,
    createExternalSwitch: 5 * s,
    removeSwitch: 1 * s,
    setHostAddress: 0.5 * s,
    createNat: 1 * s,
    natMapping: 0.3 * s,
    createDifferencingVhd: 2 * s,
    createDynamicVhd: 1 * s,
    fixedVhdPerGiB: 0.5 * s,
    removeVhd: 0.3 * s,
    injectAnswerFile: 4 * s,
    createVm: 3 * s,
    configureVm: 1 * s,
    removeVm: 2 * s,
    startVm: 2 * s,
    stopVmGraceful: 20 * s,
    stopVmForce: 1 * s,
    attachDisk: 1 * s,
    adapter: 1 * s,
    assignDevice: 3 * s,
    checkpoint: 3 * s,
    restoreCheckpoint: 5 * s,
    addClusterRole: 4 * s,
    buildImage: 7 * min,
    buildImagePerUpdate: 4 * min,
    installFeaturesOffline: 30 * s,
    offlineFeatureRestart: 30 * s,
  },
  boot: {
    firstBootToHeartbeat: 40 * s,
    bootToHeartbeat: 25 * s,
    rebootShutdown: 5 * s,
    resumeToHeartbeat: 3 * s,
    powershellDirectAfterHeartbeat: 8 * s,
    linuxBootToHeartbeat: 15 * s,
    sshAfterHeartbeat: 3 * s,
    betweenReboots: 20 * s,
    adAfterBoot: 3 * min,
    adAfterPromotion: 5 * min,
  },
  guest: {
    setComputerName: 5 * s,
    setNetwork: 3 * s,
    installFeatures: 60 * s,
    createForest: 3 * min,
    addDomainController: 4 * min,
    joinDomain: 15 * s,
    offlineDomainJoin: 5 * s,
    installHgs: 2 * min,
    initializeHgs: 90 * s,
    joinHgs: 150 * s,
    small: 2 * s,
    createTrust: 10 * s,
    createIscsiTarget: 10 * s,
    createCluster: 60 * s,
    runScript: 5 * s,
  },
};
