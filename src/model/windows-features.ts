/**
 * Windows features labform knows (Get-WindowsFeature names) and how many restarts installing each
 * takes: one table, windows-features.json (each entry cites Microsoft's documentation), read here
 * for the simulator and the role estimates and by the fake Hyper-V module for its
 * Install-WindowsFeature (RestartNeeded when restarts > 0). test/contract/feature-restarts.test.ts
 * holds the simulator and the fake to it.
 */
import table from './windows-features.json' with { type: 'json' };

export interface WindowsFeature {
  /** Restarts the install takes: 0 (RestartNeeded No), 1, or 2 (Hyper-V finishes in a second boot). */
  restarts: number;
  /** Where Microsoft documents the install (and its restart). */
  source: string;
}

export const WINDOWS_FEATURES: Readonly<Record<string, WindowsFeature>> = table.features;

const BY_LOWER = new Map(Object.entries(WINDOWS_FEATURES).map(([name, f]) => [name.toLowerCase(), f]));

/** The feature of this name (Windows compares names without case), or undefined when unknown. */
export function windowsFeature(name: string): WindowsFeature | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/** How many restarts installing these features takes (the most any one of them needs). */
export function featureRestarts(features: readonly string[]): number {
  return Math.max(0, ...features.map((f) => windowsFeature(f)?.restarts ?? 0));
}
