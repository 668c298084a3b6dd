/**
 * Every VM setting changed from its default at once: the contract scenarios and the Hyper-V
 * operation tests configure a VM with it (and expect it back from discovery).
 */
import type { VmSettings } from '../../src/model/host-operation.js';

export const ALL_VM_SETTINGS = {
  processors: 4,
  memory: { startup: 4 * 1024 ** 3, dynamic: false },
  firmware: { secureBoot: true, secureBootTemplate: 'MicrosoftWindows' },
  tpm: true,
  nestedVirtualization: true,
  mmio: { low: 3000 * 1024 * 1024, high: 33000 * 1024 * 1024 },
  guestControlledCacheTypes: true,
  automaticStopAction: 'shutDown',
  checkpointType: 'standard',
} satisfies Partial<VmSettings>;
