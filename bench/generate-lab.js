// Generates a plan-scale manifest: `vms` VMs spread round-robin over `hosts` hosts, each host
// with one internal network, every VM with a data disk and an adapter on its host's network.
// VMs boot a Windows image with a local credential (password from BENCH_LAB_PASSWORD), so
// built VMs are running guests the plan probes, as in a real lab.
import { stringify } from 'yaml';

/** The VM's index-th name, zero-padded so names sort like their numbers. */
export function vmName(index) {
  return `vm${String(index + 1).padStart(4, '0')}`;
}

/** Host of the index-th VM. */
export function hostOf(index, hosts) {
  return `hv${String((index % hosts) + 1).padStart(2, '0')}`;
}

/**
 * A manifest object. `drift`: names of VMs whose wanted processors and memory differ from
 * what an earlier apply built (an update that requires a stop).
 */
export function generateLab({ name = 'scale', vms, hosts, drift = new Set() }) {
  const hostList = Array.from({ length: hosts }, (_, i) => ({
    name: `hv${String(i + 1).padStart(2, '0')}`,
    connect: 'local',
  }));
  return {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name,
    description: `plan-scale benchmark: ${vms} VMs over ${hosts} hosts`,
    settings: { storagePath: 'D:\\Labs\\{lab}', parallelism: 64, perHostParallelism: 16 },
    hosts: hostList,
    images: [{ name: 'ws2022', path: 'D:\\Images\\WS2022.vhdx', os: 'windows', generation: 2 }],
    credentials: [{ name: 'admin', username: 'Administrator', password: { fromEnv: 'BENCH_LAB_PASSWORD' } }],
    networks: hostList.map((h, i) => ({
      name: `net-${h.name}`,
      type: 'internal',
      host: h.name,
      prefix: `10.${i}.0.0/16`,
    })),
    vms: Array.from({ length: vms }, (_, i) => {
      const vm = vmName(i);
      const host = hostOf(i, hosts);
      const drifted = drift.has(vm);
      return {
        name: vm,
        host,
        image: 'ws2022',
        credential: 'admin',
        processors: drifted ? 4 : 2,
        memory: drifted ? '2GB' : '1GB',
        disks: [{ size: '20GB' }],
        network: [{ network: `net-${host}` }],
      };
    }),
  };
}

export function generateLabYaml(options) {
  return stringify(generateLab(options));
}
