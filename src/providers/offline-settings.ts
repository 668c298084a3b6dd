/**
 * VM settings Hyper-V only changes while the VM is off (generation excepted: it is fixed at
 * creation and forces replacement). Shared by the simulator and the Hyper-V provider so both
 * answer `requiresStop(path)` the same way. Paths are plan diff paths (`memory.startup`,
 * `mmio.low`, `firmware.secureBoot`, `assignDevices[0]`...).
 */
export const OFFLINE_SETTING_PATHS: readonly string[] = [
  'processors',
  // Static memory cannot be resized while running; labform treats any startup change as offline.
  'memory.startup',
  'memory.dynamic',
  'mmio',
  'mmio.low',
  'mmio.high',
  'guestControlledCacheTypes',
  'nestedVirtualization',
  'tpm',
  'firmware',
  'firmware.secureBoot',
  'firmware.secureBootTemplate',
  'assignDevices',
  'devices',
];

/** True when a change at `path` (or below it, e.g. `assignDevices[1].locationPath`) needs the VM off. */
export function requiresStopPath(path: string): boolean {
  const normalised = path.replace(/\[\d+\]/g, '');
  return OFFLINE_SETTING_PATHS.some((p) => normalised === p || normalised.startsWith(`${p}.`));
}
