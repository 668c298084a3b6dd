import { describe, expect, it } from 'vitest';
import { guestTasks } from '../../src/roles/lab-guest-tasks.js';
import { dcRole, roleLab, memberRole, nic, roleVm } from '../support/lab-builder.js';
import { keysOf, task } from './find-task.js';

describe('guestClusters', () => {
  const l = roleLab({
    vms: [
      roleVm('dc01', { network: [nic('LabNet', '10.0.0.10')], roles: [dcRole()] }),
      roleVm('sql1', {
        network: [nic('LabNet', '10.0.0.31')],
        roles: [memberRole(), { kind: 'script', run: 'install sql', shell: 'powershell', reboots: true }],
      }),
      roleVm('sql2', { network: [nic('LabNet', '10.0.0.32')], roles: [memberRole()] }),
    ],
    guestClusters: [
      {
        name: 'sqlclu',
        nodes: ['sql1', 'sql2'],
        address: '10.0.0.40',
        witness: { disk: 'quorum' },
        sharedVolumes: ['cluster-data'],
      },
    ],
    disks: [
      {
        name: 'quorum',
        path: 'C:\\ClusterStorage\\Volume1\\quorum.vhdx',
        size: 2 * 1024 ** 3,
        format: 'vhdx',
        type: 'fixed',
        shared: true,
      },
      {
        name: 'cluster-data',
        path: 'C:\\ClusterStorage\\Volume1\\data.vhdx',
        size: 1024 ** 3,
        format: 'vhdx',
        type: 'fixed',
        shared: true,
      },
    ],
  });
  const tasks = guestTasks({ lab: l });

  it("installs Failover-Clustering on each node after all of that node's roles", () => {
    expect(keysOf(tasks, 'sql1').slice(-3)).toEqual([
      'script/run',
      'guestCluster.sqlclu/features.sql1',
      'guestCluster.sqlclu/create',
    ]);
    expect(keysOf(tasks, 'sql2').slice(-2)).toEqual([
      'domainMember/join',
      'guestCluster.sqlclu/features.sql2',
    ]);
    for (const node of ['sql1', 'sql2']) {
      const f = task(tasks, node, `guestCluster.sqlclu/features.${node}`);
      expect(f.operation).toEqual({ op: 'installFeatures', features: ['Failover-Clustering'] });
      expect(f.address).toBe('guestCluster.sqlclu');
    }
  });

  it('creates the cluster on the first node once every node has the feature', () => {
    const create = task(tasks, 'sql1', 'guestCluster.sqlclu/create');
    expect(create.operation).toEqual({
      op: 'createCluster',
      name: 'sqlclu',
      nodes: ['SQL1', 'SQL2'],
      address: '10.0.0.40',
      witness: { disk: 'quorum' },
      sharedVolumes: ['cluster-data'],
      // Sizes tell the guest which cluster disk is which lab disk.
      disks: [
        { name: 'quorum', size: 2 * 1024 ** 3 },
        { name: 'cluster-data', size: 1024 ** 3 },
      ],
    });
    expect(create.after).toEqual([
      { vm: 'sql1', key: 'guestCluster.sqlclu/features.sql1' },
      { vm: 'sql2', key: 'guestCluster.sqlclu/features.sql2' },
    ]);
    expect(create.address).toBe('guestCluster.sqlclu');
  });

  it('reaches DC nodes with the domain admin', () => {
    const withDc = {
      ...l,
      guestClusters: [{ name: 'dcclu', nodes: ['dc01', 'sql2'], address: '10.0.0.41', sharedVolumes: [] }],
    };
    const t = guestTasks({ lab: withDc });
    expect(task(t, 'dc01', 'guestCluster.dcclu/features.dc01').credential).toBe('corp-admin');
    expect(task(t, 'dc01', 'guestCluster.dcclu/create').operation).not.toHaveProperty('witness');
  });
});
