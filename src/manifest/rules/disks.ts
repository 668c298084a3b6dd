import { joinPointer } from '../pointer.js';
import type { Rule } from './context.js';
import { sharedDiskLocationOk } from '../../model/hyperv-rules.js';

/** Shared VHDX / VHD Set constraints and single attachment of ordinary disks. */
export const checkDisks: Rule = (ctx) => {
  const { lab, report } = ctx;
  const users = new Map<string, { vm: string; pointer: string }[]>();
  for (const vm of lab.vms) {
    vm.disks.forEach((d, j) => {
      if (d.kind === 'disk')
        users.set(d.disk, [
          ...(users.get(d.disk) ?? []),
          { vm: vm.name, pointer: joinPointer(vm.pointer, 'disks', j, 'disk') },
        ]);
    });
  }
  lab.disks.forEach((disk, i) => {
    const at = (key: string) => `/disks/${i}/${key}`;
    const extension = /\.(vhdx|vhds|vhd)$/i.exec(disk.path)?.[1]?.toLowerCase();
    if (disk.shared && extension !== 'vhdx' && extension !== 'vhds') {
      report.error({
        rule: 'shared-disk-format',
        pointer: at('path'),
        message: `shared disk ${disk.name}: ${disk.path} is not a .vhdx or .vhds file`,
        hint: 'Hyper-V shares only VHDX (shared VHDX) and VHD Set (.vhds) disks',
      });
    } else if (!disk.shared && disk.format === 'vhds') {
      report.error({
        rule: 'shared-disk-format',
        pointer: `/disks/${i}`,
        message: `disk ${disk.name} is a VHD Set (vhds) but not shared`,
        hint: 'VHD Sets exist for guest clusters: set shared: true, or use format vhdx',
      });
    } else if (extension !== undefined && extension !== disk.format) {
      report.error({
        rule: 'disk-format',
        pointer: at('path'),
        message: `disk ${disk.name}: format ${disk.format} does not match the file extension .${extension}`,
        hint: `name the file .${disk.format}, or set format to match`,
      });
    } else if (extension === undefined) {
      report.error({
        rule: 'disk-format',
        pointer: at('path'),
        message: `disk ${disk.name}: ${disk.path} has no .vhdx or .vhds extension`,
        hint: 'Hyper-V picks the disk format from the extension',
      });
    }
    if (disk.shared && !sharedDiskLocationOk(disk.path)) {
      report.error({
        rule: 'shared-disk-location',
        pointer: at('path'),
        message: `shared disk ${disk.name}: ${disk.path} is neither on a cluster shared volume nor on an SMB share${/^[a-z]:[\\/]clusterstorage[\\/]/i.test(disk.path) ? ' (cluster shared volumes are linked under ClusterStorage on the system drive, C:)' : ''}`,
        hint: 'put it under C:\\ClusterStorage\\<volume>\\ or \\\\server\\share\\',
      });
    }
    const attached = users.get(disk.name) ?? [];
    const distinct = new Set(attached.map((u) => u.vm));
    // A cluster shared volume exists only on the nodes of its host cluster: every VM using a disk
    // there must run on a node of a declared cluster with that volume (else New-VHD fails at apply).
    const csv = /^([A-Za-z]:\\ClusterStorage\\[^\\]+)/i.exec(disk.path)?.[1];
    if (csv) {
      const volume = csv.toLowerCase();
      const serving = lab.clusters.filter(
        (c) => c.sharedVolume.replace(/[\\/]+$/, '').toLowerCase() === volume,
      );
      for (const u of attached) {
        const vm = lab.vms.find((v) => v.name === u.vm);
        if (!vm || serving.some((c) => c.nodes.includes(vm.host))) continue;
        report.error({
          rule: 'shared-disk-cluster',
          pointer: u.pointer,
          message: `vm ${vm.name} uses disk ${disk.name} on cluster shared volume ${csv}, but its host ${vm.host} is ${serving.length ? `not a node of ${serving.map((c) => c.name).join(', ')}` : 'in no cluster of clusters: with that shared volume'}`,
          hint: serving.length
            ? `place the VM on ${serving[0]!.nodes.join(' or ')} (cluster: ${serving[0]!.name})`
            : `declare the host cluster: clusters: [{ name: ..., nodes: [${vm.host}], sharedVolume: ${csv} }]`,
        });
      }
    }
    if (disk.shared && distinct.size < 2) {
      report.error({
        rule: 'shared-disk-users',
        pointer: `/disks/${i}`,
        message: `shared disk ${disk.name} is attached to ${distinct.size === 0 ? 'no VM' : `only vm ${[...distinct][0]}`}; a shared disk serves two or more VMs`,
        hint: 'attach it to every node of the guest cluster, or set shared: false',
      });
    }
    if (!disk.shared && attached.length > 1) {
      const second = attached[1]!;
      report.error({
        rule: 'disk-attached-twice',
        pointer: second.pointer,
        message: `disk ${disk.name} is not shared but is attached to ${[...distinct].join(' and ')}${distinct.size === 1 ? ' twice' : ''}`,
        hint: 'a disk file can be open in one VM only; set shared: true on the disk for a guest cluster',
      });
    }
  });
};
