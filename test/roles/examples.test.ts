import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/manifest/load-lab.js';
import type { Lab } from '../../src/manifest/lab.js';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { scheduleTasks } from '../../src/roles/task-graph.js';

const examples = path.resolve(import.meta.dirname, '../../examples');
const names = ['guarded-fabric', 'linux-cluster', 'nat-lab', 'gpu-passthrough'] as const;

async function load(name: string): Promise<Lab> {
  const result = await loadLab({ file: path.join(examples, `${name}.yaml`) });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.lab).toBeDefined();
  return result.lab!;
}

describe.each(names)('examples/%s.yaml', (name) => {
  it('points at the schema, validates, and has only demo secrets from committed files', async () => {
    const text = readFileSync(path.join(examples, `${name}.yaml`), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/lab.schema.json');
    const lab = await load(name);
    for (const c of lab.credentials) {
      expect(c.password).toHaveProperty('fromFile');
      expect(existsSync(path.resolve(examples, (c.password as { fromFile: string }).fromFile))).toBe(true);
    }
  });

  it('gives guest tasks without cycles', async () => {
    const tasks = guestTasks({ lab: await load(name) });
    expect(scheduleTasks({ tasks }).makespanS).toBeGreaterThan(0);
  });
});

describe('example contents', () => {
  it('guarded-fabric: fabric DC with DHCP and shares, HGS with AD attestation, VMM scripts, two nested guarded hosts', async () => {
    const lab = await load('guarded-fabric');
    const kinds = (vm: string) => lab.vms.find((v) => v.name === vm)!.roles.map((r) => r.kind);
    expect(kinds('dc01')).toEqual(['domainController', 'dhcpServer', 'fileServer']);
    expect(lab.vms.find((v) => v.name === 'hgs01')!.roles[0]).toMatchObject({
      kind: 'hostGuardianService',
      attestation: 'ad',
      domain: 'hgs.lab',
    });
    expect(kinds('vmm01')).toEqual(['domainMember', 'script', 'script']);
    const hosts = lab.vms.filter((v) => v.roles.some((r) => r.kind === 'guardedHost'));
    expect(hosts.map((h) => h.name)).toEqual(['gh01', 'gh02']);
    for (const h of hosts) {
      expect(h).toMatchObject({ tpm: true, nestedVirtualization: true, memory: { dynamic: false } });
      expect(h.network[0]).toMatchObject({ macAddressSpoofing: true, ip: { kind: 'static' } });
    }
    expect(new Set(lab.vms.flatMap((v) => v.network.map((a) => a.network)))).toEqual(new Set(['FabricNet']));
    expect(lab.networks[0]!.type).toBe('internal');
  });

  it('linux-cluster: five CentOS guests on the host cluster sharing the data and quorum disks', async () => {
    const lab = await load('linux-cluster');
    expect(lab.vms).toHaveLength(5);
    for (const v of lab.vms) {
      expect(v).toMatchObject({
        os: 'linux',
        generation: 2,
        cluster: 'hvclu',
        firmware: { secureBootTemplate: 'MicrosoftUEFICertificateAuthority' },
      });
      expect(v.disks).toEqual([
        { kind: 'disk', disk: 'cluster-data' },
        { kind: 'disk', disk: 'quorum' },
      ]);
      expect(v.roles.every((r) => r.kind === 'script' && r.shell === 'bash')).toBe(true);
    }
    expect(lab.disks.map((d) => [d.size, d.shared])).toEqual([
      [100 * 1024 ** 3, true],
      [1024 ** 3, true],
    ]);
  });

  it('nat-lab: a DC and members with automatic addresses, members pointed at the DC', async () => {
    const lab = await load('nat-lab');
    const nat = lab.networks[0]!;
    expect(nat.type).toBe('nat');
    expect(nat.portMappings.length).toBeGreaterThan(0);
    for (const v of lab.vms) expect(v.network[0]!.ip).toMatchObject({ kind: 'static', auto: true });
    const dc = lab.vms.find((v) => v.name === 'corp-dc01')!;
    const dcAddress = (dc.network[0]!.ip as { address: string }).address;
    const join = guestTasks({ lab }).find((t) => t.vm === 'member1' && t.key === 'domainMember/join')!;
    expect(join.operation).toMatchObject({ dns: [dcAddress] });
  });

  it('gpu-passthrough: generation 2, a device, MMIO, guest-controlled cache types, turn off, static memory', async () => {
    const lab = await load('gpu-passthrough');
    expect(lab.vms[0]).toMatchObject({
      generation: 2,
      assignDevices: [{ locationPath: 'PCIROOT(0)#PCI(0300)#PCI(0000)' }],
      mmio: { low: 3000 * 1024 ** 2, high: 33000 * 1024 ** 2 },
      guestControlledCacheTypes: true,
      automaticStopAction: 'turnOff',
      memory: { dynamic: false },
    });
  });
});
