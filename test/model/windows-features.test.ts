import { describe, expect, it } from 'vitest';
import { featureRestarts, windowsFeature, WINDOWS_FEATURES } from '../../src/model/windows-features.js';

describe('the table of Windows features', () => {
  it('cites Microsoft documentation for every feature, with 0, 1 or 2 restarts', () => {
    for (const [name, feature] of Object.entries(WINDOWS_FEATURES)) {
      expect(feature.source, name).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      expect([0, 1, 2], name).toContain(feature.restarts);
    }
  });

  it('finds features without regard to case, and counts the most restarts of a set', () => {
    expect(windowsFeature('hyper-v')).toBe(WINDOWS_FEATURES['Hyper-V']);
    expect(windowsFeature('No-Such-Feature')).toBeUndefined();
    expect(featureRestarts(['Web-Server', 'Failover-Clustering'])).toBe(0);
    expect(featureRestarts(['Web-Server', 'HostGuardianServiceRole'])).toBe(1);
    expect(featureRestarts(['Containers', 'Hyper-V'])).toBe(2);
    expect(featureRestarts([])).toBe(0);
  });
});
