/**
 * Guest failover clusters: the Failover-Clustering feature on each node once that node's roles
 * are done, then New-Cluster on the first node once every node has the feature.
 */
import type { GuestClusterSpec } from '../manifest/lab.js';
import type { GuestTask } from './guest-task.js';
import type { LabIndex } from './lab-index.js';
import { foreignTask, type RoleContext } from './role-context.js';
import { guestClusterAddress } from '../model/address.js';

/** The lab disks the witness and the shared volumes name, with their sizes (bytes). */
function clusterDisks(index: LabIndex, cluster: GuestClusterSpec): { name: string; size: number }[] {
  const names = [
    ...(cluster.witness && 'disk' in cluster.witness ? [cluster.witness.disk] : []),
    ...cluster.sharedVolumes,
  ];
  return names.flatMap((name) =>
    index.lab.disks.filter((d) => d.name === name).map((d) => ({ name: d.name, size: d.size })),
  );
}

/** Tasks per node (in cluster node order); the last task, on the first node, creates the cluster. */
export function guestClusterTasks(options: {
  index: LabIndex;
  cluster: GuestClusterSpec;
  joinMode: RoleContext['joinMode'];
}): GuestTask[] {
  const { index, cluster } = options;
  const nodes = cluster.nodes.map((n) => index.vm(n));
  const first = nodes[0]!;
  const prefix = guestClusterAddress(cluster.name);
  const ctx: RoleContext = {
    index,
    joinMode: options.joinMode,
    cursor: { vm: first, credential: index.finalCredential(first) },
    prefix,
    address: prefix,
    foreign: () => undefined,
  };
  const features = nodes.map((node) =>
    withKey(
      foreignTask(ctx, node, '', `install Failover-Clustering on ${node.name}`, {
        op: 'installFeatures',
        features: ['Failover-Clustering'],
      }),
      `${prefix}/features.${node.name}`,
    ),
  );
  const create = withKey(
    foreignTask(
      ctx,
      first,
      '',
      `create guest cluster ${cluster.name} (${cluster.address})`,
      {
        op: 'createCluster',
        name: cluster.name,
        nodes: nodes.map((n) => n.computerName),
        address: cluster.address,
        sharedVolumes: [...cluster.sharedVolumes],
        ...(cluster.witness ? { witness: cluster.witness } : {}),
        disks: clusterDisks(index, cluster),
      },
      { after: features.map((f) => ({ vm: f.vm, key: f.key })) },
    ),
    `${prefix}/create`,
  );
  return [...features, create];
}

// Cluster tasks belong to no VM's role, so their keys carry no `@owner`.
function withKey(task: GuestTask, key: string): GuestTask {
  return { ...task, key };
}
