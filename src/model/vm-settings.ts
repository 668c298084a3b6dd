/**
 * The one table of VM settings. Each row says where the setting sits in the manifest, whether
 * Hyper-V takes a change only while the VM is off, whether a change forces replacement, and
 * the cmdlet parameter that sets it. The diff, the update steps, `requiresStop`, the Hyper-V
 * request and the simulator all read it.
 *
 * Settings that are one value on `Get-VM` / `Set-VM` (`SIMPLE_VM_SETTINGS`) are handled by the
 * table alone, end to end: adding one is a row here plus its schema entry. The others need
 * code of their own (memory's bounds, secure boot's template, the TPM's key protector ...).
 * Sources: Set-VM, Set-VMProcessor, Set-VMMemory, Set-VMFirmware and Enable-VMTPM
 * (MicrosoftDocs/windows-powershell-docs, docset/winserver2022-ps/Hyper-V; the project copy
 * of their signatures is test/fake-hyperv/hyperv-cmdlets.json).
 */

interface SimpleSettingRow {
  /** The manifest key under `vms[]` (docs/manifest-reference.md). */
  manifestKey: string;
  /** labform's value -> Hyper-V's enum name, or `boolean`. */
  values: 'boolean' | Readonly<Record<string, string>>;
  /** Other names Hyper-V may report, read as labform's value. */
  alsoReads?: Readonly<Record<string, string>>;
  /** When the manifest leaves it out. */
  manifestDefault: string | boolean;
  /** What New-VM leaves (the simulator's new VMs; an unknown reported value reads as this). */
  hyperVDefault: string | boolean;
  /** Hyper-V refuses the change while the VM runs. */
  offlineOnly: boolean;
  /** Words for messages: "cannot change <label> while the VM is running". */
  label: string;
  /** The `Set-VM` parameter, which is also the `Get-VM` property. */
  parameter: string;
}

export const SIMPLE_VM_SETTINGS = {
  guestControlledCacheTypes: {
    manifestKey: 'guestControlledCacheTypes',
    values: 'boolean',
    manifestDefault: false,
    hyperVDefault: false,
    offlineOnly: true,
    label: 'guest controlled cache types',
    parameter: 'GuestControlledCacheTypes',
  },
  automaticStopAction: {
    manifestKey: 'automaticStopAction',
    values: { shutDown: 'ShutDown', save: 'Save', turnOff: 'TurnOff' },
    manifestDefault: 'shutDown',
    hyperVDefault: 'save',
    offlineOnly: false,
    label: 'the automatic stop action',
    parameter: 'AutomaticStopAction',
  },
  automaticStartAction: {
    manifestKey: 'automaticStartAction',
    values: { nothing: 'Nothing', startIfRunning: 'StartIfRunning', start: 'Start' },
    manifestDefault: 'startIfRunning',
    // Hyper-V's default: start the VM if it was running when the host shut down (Taylor Brown,
    // Hyper-V team blog, "Configuring automatic startup/shutdown/recovery actions").
    hyperVDefault: 'startIfRunning',
    offlineOnly: false,
    label: 'the automatic start action',
    parameter: 'AutomaticStartAction',
  },
  checkpointType: {
    manifestKey: 'checkpoints',
    values: { standard: 'Standard', production: 'Production', disabled: 'Disabled' },
    alsoReads: { ProductionOnly: 'production' },
    manifestDefault: 'production',
    hyperVDefault: 'production',
    offlineOnly: false,
    label: 'the checkpoint type',
    parameter: 'CheckpointType',
  },
} as const satisfies Record<string, SimpleSettingRow>;

type Simple = typeof SIMPLE_VM_SETTINGS;
export type SimpleSettingKey = keyof Simple;
type ValueOf<K extends SimpleSettingKey> = Simple[K]['values'] extends 'boolean'
  ? boolean
  : keyof Simple[K]['values'] & string;

/** The simple settings by labform's name (desired state, host operations, live state, simulator). */
export type SimpleVmSettings = { -readonly [K in SimpleSettingKey]: ValueOf<K> };
/** The simple settings by manifest key (the expanded Lab). */
export type SimpleVmSettingsByManifestKey = {
  -readonly [K in SimpleSettingKey as Simple[K]['manifestKey']]: ValueOf<K>;
};

export const SIMPLE_SETTING_KEYS = Object.keys(SIMPLE_VM_SETTINGS) as SimpleSettingKey[];

const row = (key: SimpleSettingKey): SimpleSettingRow => SIMPLE_VM_SETTINGS[key];

/** The expanded manifest's values, defaults filled in. */
export function simpleSettingsFromManifest(
  raw: Partial<SimpleVmSettingsByManifestKey>,
): SimpleVmSettingsByManifestKey {
  const given = raw as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_SETTING_KEYS)
    out[row(key).manifestKey] = given[row(key).manifestKey] ?? row(key).manifestDefault;
  return out as SimpleVmSettingsByManifestKey;
}

/** By labform's name, from the expanded manifest's VM. */
export function simpleSettingsOfSpec(vm: SimpleVmSettingsByManifestKey): SimpleVmSettings {
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_SETTING_KEYS) out[key] = (vm as Record<string, unknown>)[row(key).manifestKey];
  return out as SimpleVmSettings;
}

/** The simple settings of anything that carries them (desired VM, live VM, simulated VM), in table order. */
export function pickSimpleSettings(from: SimpleVmSettings): SimpleVmSettings {
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_SETTING_KEYS) out[key] = from[key];
  return out as SimpleVmSettings;
}

/** What New-VM leaves. */
export function hyperVDefaultSettings(): SimpleVmSettings {
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_SETTING_KEYS) out[key] = row(key).hyperVDefault;
  return out as SimpleVmSettings;
}

/** `Set-VM` parameters for the simple settings present in `settings`. */
export function simpleSettingParameters(
  settings: Partial<SimpleVmSettings>,
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const key of SIMPLE_SETTING_KEYS) {
    const value = settings[key];
    if (value === undefined) continue;
    const r = row(key);
    out[r.parameter] = r.values === 'boolean' ? Boolean(value) : r.values[String(value)]!;
  }
  return out;
}

/** The simple settings from `Get-VM`'s properties as the discovery script reports them (strings or booleans). */
export function simpleSettingsFromHyperV(
  reported: Record<string, unknown> | null | undefined,
): SimpleVmSettings {
  const out: Record<string, unknown> = {};
  for (const key of SIMPLE_SETTING_KEYS) {
    const r = row(key);
    const value = reported?.[r.parameter];
    if (r.values === 'boolean') out[key] = value === true || String(value).toLowerCase() === 'true';
    else {
      const name = String(value ?? '');
      const known = Object.entries(r.values).find(
        ([, hyperV]) => hyperV.toLowerCase() === name.toLowerCase(),
      )?.[0];
      out[key] = known ?? r.alsoReads?.[name] ?? r.hyperVDefault;
    }
  }
  return out as SimpleVmSettings;
}

/** The `Get-VM` properties discovery reads for the simple settings. */
export const SIMPLE_SETTING_PROPERTIES: readonly string[] = SIMPLE_SETTING_KEYS.map((k) => row(k).parameter);

export function simpleSettingLabel(key: SimpleSettingKey): string {
  return row(key).label;
}

export function isOfflineOnly(key: SimpleSettingKey): boolean {
  return row(key).offlineOnly;
}

/** Every VM setting a plan can change, by diff path. */
interface VmSettingRow {
  /** Diff path (`memory.startup`); a path below it (`assignDevices[1]`) belongs to it. */
  path: string;
  /** JSON pointer pattern into the manifest (`/vms/*` stands for each VM). */
  schemaPath: string;
  offlineOnly: boolean;
  forcesReplace: boolean;
  /** The cmdlet and parameter that set it. */
  cmdlet: string;
}

export const VM_SETTINGS: readonly VmSettingRow[] = [
  {
    path: 'generation',
    schemaPath: '/vms/*/generation',
    offlineOnly: false,
    forcesReplace: true,
    cmdlet: 'New-VM -Generation',
  },
  {
    path: 'image',
    schemaPath: '/vms/*/image',
    offlineOnly: false,
    forcesReplace: true,
    cmdlet: 'New-VHD -ParentPath',
  },
  {
    path: 'processors',
    schemaPath: '/vms/*/processors',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VMProcessor -Count',
  },
  // Static memory cannot be resized while running; labform treats any startup change as offline.
  {
    path: 'memory.startup',
    schemaPath: '/vms/*/memory',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VMMemory -StartupBytes',
  },
  {
    path: 'memory.dynamic',
    schemaPath: '/vms/*/memory',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VMMemory -DynamicMemoryEnabled',
  },
  {
    path: 'memory.minimum',
    schemaPath: '/vms/*/memory/minimum',
    offlineOnly: false,
    forcesReplace: false,
    cmdlet: 'Set-VMMemory -MinimumBytes',
  },
  {
    path: 'memory.maximum',
    schemaPath: '/vms/*/memory/maximum',
    offlineOnly: false,
    forcesReplace: false,
    cmdlet: 'Set-VMMemory -MaximumBytes',
  },
  {
    path: 'firmware.secureBoot',
    schemaPath: '/vms/*/firmware/secureBoot',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VMFirmware -EnableSecureBoot',
  },
  {
    path: 'firmware.secureBootTemplate',
    schemaPath: '/vms/*/firmware/secureBootTemplate',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VMFirmware -SecureBootTemplate',
  },
  {
    path: 'tpm',
    schemaPath: '/vms/*/tpm',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Enable-VMTPM / Disable-VMTPM',
  },
  {
    path: 'nestedVirtualization',
    schemaPath: '/vms/*/nestedVirtualization',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VMProcessor -ExposeVirtualizationExtensions',
  },
  {
    path: 'mmio.low',
    schemaPath: '/vms/*/mmio/low',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VM -LowMemoryMappedIoSpace',
  },
  {
    path: 'mmio.high',
    schemaPath: '/vms/*/mmio/high',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Set-VM -HighMemoryMappedIoSpace',
  },
  {
    path: 'assignDevices',
    schemaPath: '/vms/*/assignDevices',
    offlineOnly: true,
    forcesReplace: false,
    cmdlet: 'Add-VMAssignableDevice / Remove-VMAssignableDevice',
  },
  ...SIMPLE_SETTING_KEYS.map((key) => ({
    path: key,
    schemaPath: `/vms/*/${row(key).manifestKey}`,
    offlineOnly: row(key).offlineOnly,
    forcesReplace: false,
    cmdlet: `Set-VM -${row(key).parameter}`,
  })),
];

/** The configureVm groups (`VmSettings` keys) whose diff paths start with them. */
export const CONFIGURABLE_GROUPS = [
  'processors',
  'memory',
  'firmware',
  'tpm',
  'nestedVirtualization',
  'mmio',
  ...SIMPLE_SETTING_KEYS,
] as const;

/**
 * True when a change at `path` needs the VM off: the path is an offline setting or below one
 * (`assignDevices[1].locationPath`), or a group all of whose settings are offline (`mmio`).
 */
export function requiresStopPath(path: string): boolean {
  const normalised = path.replace(/\[\d+\]/g, '');
  const offline = VM_SETTINGS.filter((s) => s.offlineOnly);
  if (offline.some((s) => normalised === s.path || normalised.startsWith(`${s.path}.`))) return true;
  const children = VM_SETTINGS.filter((s) => s.path.startsWith(`${normalised}.`));
  return children.length > 0 && children.every((s) => s.offlineOnly);
}

/** A change at `path` replaces the VM (generation, image). */
export function forcesReplacePath(path: string): boolean {
  return VM_SETTINGS.some((s) => s.forcesReplace && s.path === path);
}
