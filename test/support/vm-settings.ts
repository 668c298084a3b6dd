/**
 * Every VM setting changed from its default at once: the contract scenarios and the Hyper-V
 * operation tests configure a VM with it (and expect it back from discovery).
 */
import type { VmSettings } from '../../src/model/host-operation.js';
import {
  SIMPLE_SETTING_KEYS,
  SIMPLE_VM_SETTINGS,
  type SimpleVmSettings,
} from '../../src/model/vm-settings.js';

export const ALL_VM_SETTINGS = {
  processors: 4,
  memory: { startup: 4 * 1024 ** 3, dynamic: false },
  firmware: { secureBoot: true, secureBootTemplate: 'MicrosoftWindows' },
  tpm: true,
  nestedVirtualization: true,
  mmio: { low: 3000 * 1024 * 1024, high: 33000 * 1024 * 1024 },
  ...otherThanHyperVDefaults(),
} satisfies Partial<VmSettings>;

/** For each simple setting (one Get-VM/Set-VM value), a value other than what New-VM leaves. */
function otherThanHyperVDefaults(): SimpleVmSettings {
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_SETTING_KEYS) {
    const row = SIMPLE_VM_SETTINGS[key];
    out[key] =
      row.values === 'boolean'
        ? !row.hyperVDefault
        : Object.keys(row.values).find((v) => v !== row.hyperVDefault);
  }
  return out as SimpleVmSettings;
}
