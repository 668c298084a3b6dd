import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  SIMPLE_SETTING_KEYS,
  SIMPLE_VM_SETTINGS,
  VM_SETTINGS,
  forcesReplacePath,
  hyperVDefaultSettings,
  requiresStopPath,
  simpleSettingParameters,
  simpleSettingsFromHyperV,
  simpleSettingsFromManifest,
  simpleSettingsOfSpec,
} from '../../src/model/vm-settings.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/lab.schema.json', import.meta.url), 'utf8'));
const catalogue = JSON.parse(
  readFileSync(new URL('../fake-hyperv/hyperv-cmdlets.json', import.meta.url), 'utf8'),
);
const vmProperties: Record<string, any> = schema.properties.vms.items.properties;

/** Set-VM's parameters in the catalogue of the real cmdlets. */
function setVmParameter(name: string): { validValues?: string[]; type: string } | undefined {
  const setVm = catalogue.cmdlets['Set-VM'];
  for (const set of setVm.parameterSets) for (const p of set.parameters) if (p.name === name) return p;
  return undefined;
}

describe('the VM settings table', () => {
  it('has a schema entry for every row, and the schema agrees with each simple setting (values, default)', () => {
    for (const row of VM_SETTINGS) {
      const key = row.schemaPath.split('/')[3]!;
      expect(vmProperties[key], row.schemaPath).toBeDefined();
    }
    for (const key of SIMPLE_SETTING_KEYS) {
      const r = SIMPLE_VM_SETTINGS[key];
      const entry = vmProperties[r.manifestKey];
      expect(entry.default, key).toBe(r.manifestDefault);
      if (r.values === 'boolean') expect(entry.type).toBe('boolean');
      else expect([...entry.enum].sort()).toEqual(Object.keys(r.values).sort());
    }
  });

  it('names real Set-VM parameters and only values the real cmdlet takes', () => {
    for (const key of SIMPLE_SETTING_KEYS) {
      const r = SIMPLE_VM_SETTINGS[key];
      const p = setVmParameter(r.parameter);
      expect(p, r.parameter).toBeDefined();
      if (r.values === 'boolean') expect(p!.type).toMatch(/bool/i);
      else for (const hyperV of Object.values(r.values)) expect(p!.validValues).toContain(hyperV);
    }
  });

  it('round-trips every value: manifest -> Set-VM parameter -> what Get-VM reports -> the same value', () => {
    for (const key of SIMPLE_SETTING_KEYS) {
      const r = SIMPLE_VM_SETTINGS[key];
      const values: unknown[] = r.values === 'boolean' ? [true, false] : Object.keys(r.values);
      for (const value of values) {
        const parameters = simpleSettingParameters({ [key]: value });
        const reported = { [r.parameter]: String(parameters[r.parameter]) };
        expect(simpleSettingsFromHyperV(reported)[key], `${key}=${String(value)}`).toBe(value);
      }
    }
  });

  it('fills manifest defaults, maps manifest keys to labform names, and reads unknown Hyper-V values as its default', () => {
    const spec = simpleSettingsFromManifest({});
    const settings = simpleSettingsOfSpec(spec);
    for (const key of SIMPLE_SETTING_KEYS)
      expect(settings[key]).toBe(SIMPLE_VM_SETTINGS[key].manifestDefault);
    expect(simpleSettingsFromHyperV({ CheckpointType: 'ProductionOnly' }).checkpointType).toBe('production');
    expect(simpleSettingsFromHyperV(null)).toEqual(hyperVDefaultSettings());
  });

  it('answers requires-stop and forces-replace from the rows', () => {
    for (const p of [
      'processors',
      'memory.startup',
      'mmio',
      'mmio.low',
      'firmware',
      'assignDevices[2].locationPath',
      'guestControlledCacheTypes',
    ])
      expect(requiresStopPath(p), p).toBe(true);
    for (const p of [
      'memory',
      'memory.minimum',
      'notes',
      'network[0].vlan',
      'automaticStopAction',
      'checkpointType',
      'generation',
    ])
      expect(requiresStopPath(p), p).toBe(false);
    expect(forcesReplacePath('generation')).toBe(true);
    expect(forcesReplacePath('image')).toBe(true);
    expect(forcesReplacePath('processors')).toBe(false);
  });
});
