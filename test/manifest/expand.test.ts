import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { load, manifest } from './helpers.js';

const basic = readFileSync(new URL('../fixtures/manifest/valid/basic.yaml', import.meta.url), 'utf8');

describe('expansion', () => {
  it('expands count with {n} and keeps the entry pointer', () => {
    const { lab } = load(basic);
    const nodes = lab!.vms.filter((v) => v.name.startsWith('node'));
    expect(nodes.map((v) => v.name)).toEqual(['node1', 'node2', 'node3']);
    expect(nodes.map((v) => v.computerName)).toEqual(['node1', 'node2', 'node3']);
    expect(new Set(nodes.map((v) => v.pointer))).toEqual(new Set(['/vms/2']));
  });

  it('applies settings defaults', () => {
    const { lab } = load(manifest());
    expect(lab!.settings).toEqual({
      storagePath: 'D:\\Labs\\t',
      parallelism: 8,
      perHostParallelism: 4,
      timeouts: { heartbeat: 600_000, powershellDirect: 600_000, adReady: 1_200_000, step: 1_800_000 },
      timeZone: 'UTC',
      domainJoin: 'auto',
      featureInstall: 'auto',
    });
  });

  it('takes settings.timeZone and settings.domainJoin', () => {
    const { lab } = load(
      manifest().replace(
        'settings:\n',
        'settings:\n  timeZone: W. Europe Standard Time\n  domainJoin: offline\n',
      ),
    );
    expect(lab!.settings.timeZone).toBe('W. Europe Standard Time');
    expect(lab!.settings.domainJoin).toBe('offline');
  });

  it('resolves paths, generation and os from the image', () => {
    const { lab } = load(basic);
    const web = lab!.vms.find((v) => v.name === 'web01')!;
    expect(web.path).toBe('D:\\Labs\\basic\\web01');
    expect(web.osDiskPath).toBe('D:\\Labs\\basic\\web01\\web01-os.vhdx');
    expect(web.disks).toEqual([
      { kind: 'new', size: 40 * 1024 ** 3, path: 'D:\\Labs\\basic\\web01\\web01-data1.vhdx' },
    ]);
    expect(web.generation).toBe(2);
    expect(web.os).toBe('windows');
    expect(web.memory).toEqual({
      startup: 1024 ** 3,
      dynamic: true,
      minimum: 512 * 1024 ** 2,
      maximum: 4 * 1024 ** 3,
    });
    expect(lab!.vms[0]!.memory).toEqual({ startup: 2 * 1024 ** 3, dynamic: false });
    expect(web.firmware).toEqual({ secureBoot: true, secureBootTemplate: 'MicrosoftWindows' });
  });

  it('puts cluster VMs on the shared volume, spread over the nodes in turn unless pinned', () => {
    const text = manifest({
      extra: 'clusters:\n  - { name: clu, nodes: [hv01, hv02], sharedVolume: C:\\ClusterStorage\\Volume1 }',
      vms: '  - { name: a, cluster: clu }\n  - { name: b, cluster: clu, host: hv01 }\n  - { name: "c{n}", cluster: clu, count: 3 }',
    }).replace('  - name: hv01\n', '  - name: hv01\n  - name: hv02\n');
    const { lab, diagnostics } = load(text);
    expect(diagnostics).toEqual([]);
    expect(lab!.vms.map((v) => [v.name, v.host, v.path])).toEqual([
      ['a', 'hv01', 'C:\\ClusterStorage\\Volume1\\t\\a'],
      ['b', 'hv01', 'C:\\ClusterStorage\\Volume1\\t\\b'],
      ['c1', 'hv02', 'C:\\ClusterStorage\\Volume1\\t\\c1'],
      ['c2', 'hv01', 'C:\\ClusterStorage\\Volume1\\t\\c2'],
      ['c3', 'hv02', 'C:\\ClusterStorage\\Volume1\\t\\c3'],
    ]);
  });

  it('assigns auto addresses in manifest order, skipping gateway, reserve, static, dhcp scopes and host address', () => {
    const { lab } = load(basic);
    const ips = lab!.vms.map((v) => (v.network[0]!.ip.kind === 'static' ? v.network[0]!.ip.address : ''));
    // .1 gateway, .10 static (dc01), .128/25 reserved.
    expect(ips).toEqual(['192.168.50.10', '192.168.50.2', '192.168.50.3', '192.168.50.4', '192.168.50.5']);
    expect(lab!.networks[0]!.portMappings[0]!.internalAddress).toBe('192.168.50.2');

    const text = manifest({
      extra:
        'networks:\n  - { name: N, type: internal, prefix: 10.0.0.0/29, hostAddress: 10.0.0.1, reserve: [10.0.0.3] }',
      vms: '  - { name: s, image: ws, credential: admin, network: [{ network: N, ip: 10.0.0.2 }], roles: [{ dhcpServer: { scopes: [{ network: N, start: 10.0.0.5, end: 10.0.0.5 }] } }] }\n  - name: n{n}\n    count: 2\n    image: ws\n    credential: admin\n    network: [{ network: N, ip: auto }]',
    });
    const result = load(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.lab!.vms.slice(1).map((v) => v.network[0]!.ip)).toEqual([
      { kind: 'static', address: '10.0.0.4', prefixLength: 29, auto: true },
      { kind: 'static', address: '10.0.0.6', prefixLength: 29, auto: true },
    ]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(load(basic).lab)).toBe(JSON.stringify(load(basic).lab));
  });

  it('fills role defaults and converts iscsi sizes', () => {
    const { lab, diagnostics } = load(
      manifest({
        vms: '  - name: a\n    image: ws\n    credential: admin\n    roles:\n      - hostGuardianService: { domain: hgs.lab, attestation: tpm }\n      - script: { run: hostname }\n      - iscsiTarget: { disks: [{ name: q, size: 1GB }] }',
      }),
    );
    expect(diagnostics).toEqual([]);
    expect(lab!.vms[0]!.roles).toEqual([
      { kind: 'hostGuardianService', domain: 'hgs.lab', attestation: 'tpm', serviceName: 'hgs' },
      { kind: 'script', run: 'hostname', shell: 'powershell', reboots: false },
      { kind: 'iscsiTarget', disks: [{ name: 'q', size: 1024 ** 3 }], initiators: [] },
    ]);
  });

  it('keeps a position for every node', () => {
    const { lab } = load(basic);
    expect(lab!.positions['/vms/1/memory/maximum']).toEqual({ line: 38, column: 69 });
    expect(lab!.positions['/networks/0/portMappings/0/vm']).toBeDefined();
  });

  it('parses host connections', () => {
    const text = manifest().replace(
      '  - name: hv01\n',
      '  - name: hv01\n    connect: ssh://admin@hv01.lab:2222\n    shell: pwsh\n',
    );
    expect(load(text).lab!.hosts[0]).toMatchObject({
      connect: { kind: 'ssh', user: 'admin', host: 'hv01.lab', port: 2222 },
      shell: 'pwsh',
    });
  });

  it('validates 1000 VMs quickly enough to notice a regression', () => {
    const vms = Array.from(
      { length: 1000 },
      (_, i) =>
        `  - { name: vm${i}, image: ws, credential: admin, network: [{ network: N, ip: auto }], roles: [{ domainMember: { domain: c.lab, joinCredential: admin } }] }`,
    ).join('\n');
    const text = manifest({
      extra: 'networks:\n  - { name: N, type: nat, prefix: 10.0.0.0/16 }',
      vms: `  - { name: dc, image: ws, credential: admin, network: [{ network: N, ip: 10.0.0.10 }], roles: [{ domainController: { domain: c.lab, safeModePassword: admin, domainAdmin: admin } }] }\n${vms}`,
    });
    const { lab, diagnostics } = load(text);
    expect(diagnostics).toEqual([]);
    expect(lab!.vms).toHaveLength(1001);
  });
});
