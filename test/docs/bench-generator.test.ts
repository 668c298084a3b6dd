import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLab } from '../../src/manifest/load-lab.js';

// The plan-scale benchmark's generated manifests are valid labs of the size asked for.
const { generateLabYaml, hostOf, vmName } = (await import('../../bench/generate-lab.js' as string)) as {
  generateLabYaml: (o: { vms: number; hosts: number; drift?: Set<string> }) => string;
  hostOf: (i: number, hosts: number) => string;
  vmName: (i: number) => string;
};
const dir = mkdtempSync(path.join(tmpdir(), 'labform-bench-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench/generate-lab.js', () => {
  for (const [vms, hosts] of [
    [10, 1],
    [100, 5],
    [1000, 20],
  ] as const) {
    it(`${vms} VMs over ${hosts} hosts: valid, spread round-robin, drift applied`, async () => {
      const file = path.join(dir, `lab-${vms}-${hosts}.yaml`);
      writeFileSync(file, generateLabYaml({ vms, hosts, drift: new Set([vmName(0)]) }));
      const { lab, diagnostics } = await loadLab({ file });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(lab!.vms).toHaveLength(vms);
      expect(lab!.hosts).toHaveLength(hosts);
      expect(lab!.vms.filter((v) => v.host === hostOf(0, hosts))).toHaveLength(Math.ceil(vms / hosts));
      expect(lab!.vms[0]!.processors).not.toBe(lab!.vms[1]!.processors);
    }, 60_000);
  }
});
