/**
 * `npm run e2e:hyperv` over every example and the manifests of test/e2e/manifests: each applied
 * through the CLI with the Hyper-V provider on the fake module in real pwsh (guest operations
 * included), planned again (nothing to do: --detailed-exitcode exits 0), destroyed, and the fake
 * hosts found back as seeded. The same code as the npm script (scripts/e2e-hyperv.js).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { describePwsh, pwshPath } from '../support/pwsh.js';

interface E2eResult {
  file: string;
  ok: boolean;
  steps: { name: string; code: number; ms: number }[];
  failure?: string;
}
const harness = (await import('../../scripts/e2e-hyperv.js' as string)) as {
  runE2eHyperV(options: { file: string; pwsh?: string }): Promise<E2eResult>;
  fakeInventory(lab: unknown): { hosts: Record<string, any>; shared: { vhds: { path: string }[] } };
  leftovers(seeded: unknown, now: unknown): string[];
  localCopyText(text: string, dir: string): string;
};

const yamlIn = (folder: string) =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(folder, f));
const MANIFESTS = [...yamlIn('examples'), ...yamlIn('test/e2e/manifests')];

// Two at a time: each run is a CLI process and one pwsh per host (Linux probes start a job process
// per guest); more at once only queues them behind the same cores.
const limit = pLimit(2);

describePwsh('npm run e2e:hyperv', () => {
  it.concurrent.each(MANIFESTS)(
    '%s: applies, plans nothing more, destroys back to the seeded hosts',
    async (file) => {
      const result = await limit(() => harness.runE2eHyperV({ file, pwsh: pwshPath() }));
      expect(result.failure).toBeUndefined();
      expect(result.steps.map((s) => [s.name, s.code])).toEqual([
        ['apply', 0],
        ['plan again', 0],
        ['destroy', 0],
      ]);
    },
    20 * 60_000,
  );
});

describe('the e2e harness', () => {
  it('finds what destroy left behind on a fake host', () => {
    const seeded = {
      vhds: [{ path: 'D:\\Images\\a.vhdx' }],
      hostAddresses: [{ address: '10.254.0.10' }],
      devices: [{ locationPath: 'PCIROOT(0)', dismounted: false }],
    };
    expect(harness.leftovers(seeded, { ...seeded, vms: [], switches: [], nats: [] })).toEqual([]);
    const problems = harness.leftovers(seeded, {
      ...seeded,
      vms: [{ name: 'dc01' }],
      switches: [],
      nats: [{ name: 'LabNat' }],
      vhds: [{ path: 'D:\\Images\\a.vhdx' }, { path: 'D:\\Labs\\x\\dc01.vhdx' }],
      devices: [{ locationPath: 'PCIROOT(0)', dismounted: true }],
    });
    expect(problems.join('\n')).toMatch(/VMs: .*dc01/);
    expect(problems.join('\n')).toMatch(/NATs: .*LabNat/);
    expect(problems.join('\n')).toMatch(/virtual hard disks: .*dc01\.vhdx/);
    expect(problems.join('\n')).toMatch(/assignable devices .*dismounted=true/);
  });

  it('runs every host locally, reads secrets from the original folder, records custom scripts', () => {
    const text = harness.localCopyText(
      [
        'hosts:',
        '  - name: hv01',
        '    connect: winrm://hv01',
        'credentials:',
        '  - { name: a, username: x, password: { fromFile: ./secrets/a.txt } }',
        'vms:',
        '  - name: lx',
        '    os: linux',
        '    roles:',
        '      - script: { run: yum install -y x, shell: bash }',
      ].join('\n'),
      '/labs/mine',
    );
    expect(text).toContain('connect: local');
    expect(text).toContain('fromFile: /labs/mine/secrets/a.txt');
    expect(text).toContain('touch /var/lib/labform-e2e/vm0-role0.ran');
    expect(text).toContain('test -f /var/lib/labform-e2e/vm0-role0.ran && echo true');
    expect(text).not.toContain('yum');
  });
});
