import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/cli-harness.js';

const SIM = ['--sim', '--sim-speed', '500'];

describe('labform show: everything the lab owns, and inventories', () => {
  it('linux-cluster: CPU, memory, uptime, disks with parents, shared disks and who has them, the host cluster; --json carries the same; inventories', async () => {
    const FILE = path.resolve('examples/linux-cluster.yaml');
    const stateDir = await tempDir('labform-show-');
    const run = (...args: string[]) => cli(['show', ...SIM, '--state-dir', stateDir, FILE, ...args]);
    expect((await cli(['apply', ...SIM, '--state-dir', stateDir, FILE, '-y'])).code).toBe(0);
    const text = await run();
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^VM\s+HOST\s+STATE\s+HEARTBEAT\s+UPTIME\s+CPU\s+MEMORY\s+ADDRESSES\s+CHECKPOINTS$/m,
    );
    expect(text.stdout).toMatch(
      /^centos1\s+hyperv01\s+Running\s+OK\s+(\d+[hms])+\s+2\s+4GB\s+10\.254\.0\.\d+\s+-$/m,
    );
    expect(text.stdout).toMatch(
      /centos1\s+SCSI 0:0\s+C:\\ClusterStorage\\Volume1\\linux-cluster\\centos1\\centos1-os\.vhdx\s+40GB\s+-\s+differencing\s+C:\\ClusterStorage\\Volume1\\Images\\CentOS-7-x86_64\.vhdx/,
    );
    expect(text.stdout).toContain(
      'quorum C:\\ClusterStorage\\Volume1\\Shared\\1GB-quorum.vhdx 1GB vhdx: present, attached to centos1, centos2, centos3, centos4, centos5',
    );
    expect(text.stdout).toContain('hvclu (hyperv01, hyperv02), volume C:\\ClusterStorage\\Volume1: present');
    const json = JSON.parse((await run('--json')).stdout);
    expect(Object.keys(json)).toEqual([
      'lab',
      'vms',
      'networks',
      'nats',
      'portMappings',
      'sharedDisks',
      'hostClusters',
      'guestClusters',
    ]);
    const centos1 = json.vms.find((v: { name: string }) => v.name === 'centos1');
    expect(centos1).toMatchObject({
      os: 'linux',
      processors: 2,
      memory: { startup: 4 * 2 ** 30, dynamic: false },
      clustered: true,
      state: 'Running',
    });
    expect(centos1.disks.filter((d: { shared: boolean }) => d.shared)).toHaveLength(2);
    const hosts = (await run('--format', 'hosts')).stdout.split('\n');
    expect(hosts[0]).toBe('# labform lab linux-cluster');
    expect(hosts.filter((l) => /^10\.254\.0\.\d+\tcentos\d$/.test(l))).toHaveLength(5);
    const ssh = (await run('--format', 'ssh-config')).stdout;
    expect(ssh).toMatch(/^Host centos3\n {2}HostName 10\.254\.0\.\d+\n {2}User \S+$/m);
    expect((await run('--format', 'xml')).code).toBe(1);
  }, 120_000);

  it('gpu-passthrough: assigned devices with MMIO space; ansible inventory groups by OS and role', async () => {
    const FILE = path.resolve('examples/gpu-passthrough.yaml');
    const stateDir = await tempDir('labform-show-');
    expect((await cli(['apply', ...SIM, '--state-dir', stateDir, FILE, '-y'])).code).toBe(0);
    const text = (await cli(['show', ...SIM, '--state-dir', stateDir, FILE])).stdout;
    expect(text).toMatch(/Assigned devices:\n {2}\S+ \(MMIO low 3000MB, high 33000MB\): PCIROOT\(/);
    const ansible = (await cli(['show', ...SIM, '--state-dir', stateDir, FILE, '--format', 'ansible']))
      .stdout;
    expect(ansible).toMatch(/^all:\n {2}vars:\n {4}labform_lab: /);
    expect(ansible).toContain('ansible_connection: winrm');
    expect(ansible).not.toMatch(/password/i);
  }, 120_000);
});
