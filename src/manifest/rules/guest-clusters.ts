import type { Rule } from './context.js';

/** Guest cluster nodes are configurable Windows VMs; their disks are shared and attached to every node. */
export const checkGuestClusters: Rule = (ctx) => {
  ctx.lab.guestClusters.forEach((g, i) => {
    g.nodes.forEach((node, j) => {
      const vm = ctx.vmByName.get(node);
      if (vm && (vm.os !== 'windows' || vm.image === undefined))
        ctx.report.error({
          rule: 'guest-cluster-node',
          pointer: `/guestClusters/${i}/nodes/${j}`,
          message: `guest cluster ${g.name}: node ${node} ${vm.os !== 'windows' ? 'is not a Windows VM' : 'has no image, so labform cannot configure it'}`,
          hint: 'guest cluster nodes are Windows VMs with an image',
        });
    });
    const disks: [string, string][] = g.sharedVolumes.map((d, j) => [
      d,
      `/guestClusters/${i}/sharedVolumes/${j}`,
    ]);
    if (g.witness && 'disk' in g.witness) disks.push([g.witness.disk, `/guestClusters/${i}/witness/disk`]);
    for (const [name, pointer] of disks) {
      const disk = ctx.lab.disks.find((d) => d.name === name);
      if (!disk) continue;
      const missing = g.nodes.filter((n) => {
        const vm = ctx.vmByName.get(n);
        return vm && !vm.disks.some((d) => d.kind === 'disk' && d.disk === name);
      });
      if (!disk.shared || missing.length > 0) {
        ctx.report.error({
          rule: 'guest-cluster-disk',
          pointer,
          message: `guest cluster ${g.name}: disk ${name} ${!disk.shared ? 'is not shared' : `is not attached to ${missing.join(', ')}`}`,
          hint: 'cluster disks are shared disks (shared: true) attached to every node',
        });
      }
    }
  });
};
