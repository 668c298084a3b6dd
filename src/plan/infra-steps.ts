import { formatSize } from '../model/units.js';
import type {
  DesiredDisk,
  DesiredNat,
  DesiredNetwork,
  DesiredPortMapping,
} from '../desired/desired-resource.js';
import type { PlannedChange } from '../diff/planned-change.js';
import type { StepGraph } from './step-graph.js';

const at = (base: string, host: string, multi: boolean) => (multi ? `${base}@${host}` : base);

/** Switch (per host), then the host address on its vEthernet adapter. */
export function networkSteps(g: StepGraph, pc: PlannedChange): void {
  const d = pc.desired as DesiredNetwork;
  const { action } = pc.change;
  const multi = d.hosts.length > 1;
  const ready: string[] = [];
  const removed: Record<string, string> = {};
  if (action === 'replace' && pc.live?.kind === 'switch') {
    for (const host of pc.live.hosts) {
      removed[host] = g.host({
        id: at(`${d.address}/remove-switch`, host, multi),
        address: d.address,
        host,
        title: `remove switch ${d.name} on ${host}`,
        operation: { op: 'removeSwitch', name: pc.live.switch.name },
      });
    }
  }
  // A renamed network: Rename-VMSwitch on each host it is on; what it is then is the new name.
  const renamed = pc.change.diff.find((x) => x.path === 'switchName');
  const renames: Record<string, string> = {};
  if (action === 'update' && renamed && pc.live?.kind === 'switch') {
    for (const host of pc.live.hosts) {
      renames[host] = g.host({
        id: at(`${d.address}/rename-switch`, host, multi),
        address: d.address,
        host,
        title: `rename switch ${String(renamed.before)} to ${d.name} on ${host}`,
        operation: { op: 'renameSwitch', name: String(renamed.before), newName: d.name },
      });
      ready.push(renames[host]);
    }
  }
  const createOn = action === 'create' || action === 'replace' ? d.hosts : (pc.missingHosts ?? []);
  for (const host of createOn) {
    ready.push(
      g.host({
        id: at(`${d.address}/create-switch`, host, multi),
        address: d.address,
        host,
        title: `create ${d.switchType} switch ${d.name} on ${host}`,
        operation: {
          op: 'createSwitch',
          name: d.name,
          type: d.switchType,
          notes: d.notes,
          adapter: d.adapter,
          allowManagementOS: d.allowManagementOS,
        },
        dependsOn: removed[host] ? [removed[host]] : [],
      }),
    );
  }
  if (
    action === 'update' &&
    pc.change.diff.some((x) => x.path === 'allowManagementOS') &&
    pc.live?.kind === 'switch'
  ) {
    // Set-VMSwitch has no typed operation here; recreating an external switch is the safe path.
    for (const host of pc.live.hosts) {
      const rm = g.host({
        id: at(`${d.address}/remove-switch`, host, multi),
        address: d.address,
        host,
        title: `remove switch ${d.name} on ${host}`,
        operation: { op: 'removeSwitch', name: d.name },
        dependsOn: renames[host] ? [renames[host]] : [],
      });
      ready.push(
        g.host({
          id: at(`${d.address}/create-switch`, host, multi),
          address: d.address,
          host,
          title: `create switch ${d.name} on ${host}`,
          operation: {
            op: 'createSwitch',
            name: d.name,
            type: d.switchType,
            notes: d.notes,
            adapter: d.adapter,
            allowManagementOS: d.allowManagementOS,
          },
          dependsOn: [rm],
        }),
      );
    }
  }
  const needsAddress =
    d.hostAddress &&
    (action === 'create' ||
      action === 'replace' ||
      pc.change.diff.some((x) => x.path === 'hostAddress' || x.path === 'allowManagementOS'));
  if (d.hostAddress && needsAddress) {
    const deps = [...ready];
    const old = pc.live?.kind === 'switch' ? pc.live.hostAddresses.filter((a) => a.host === d.host) : [];
    if (action === 'update') {
      for (const a of old) {
        deps.push(
          g.host({
            id: `${d.address}/remove-host-address-${a.address}`,
            address: d.address,
            host: d.host,
            title: `remove ${a.address} from vEthernet (${d.name})`,
            operation: { op: 'removeHostAddress', switchName: d.name, address: a.address },
            dependsOn: renames[d.host] ? [renames[d.host]] : [],
          }),
        );
      }
    }
    ready.push(
      g.host({
        id: `${d.address}/set-host-address`,
        address: d.address,
        host: d.host,
        title: `give ${d.host} address ${d.hostAddress.address}/${d.hostAddress.prefixLength} on vEthernet (${d.name})`,
        operation: {
          op: 'setHostAddress',
          switchName: d.name,
          address: d.hostAddress.address,
          prefixLength: d.hostAddress.prefixLength,
        },
        dependsOn: deps,
      }),
    );
  }
  g.ready.set(d.address, ready);
}

export function natSteps(g: StepGraph, pc: PlannedChange): void {
  const d = pc.desired as DesiredNat;
  if (pc.change.action === 'noop') {
    g.ready.set(d.address, []);
    return;
  }
  const deps: string[] = [];
  if (pc.change.action === 'replace')
    deps.push(
      g.host({
        id: `${d.address}/remove`,
        address: d.address,
        host: d.host,
        title: `remove NAT ${d.name}`,
        operation: { op: 'removeNat', name: d.name },
      }),
    );
  const id = g.host({
    id: `${d.address}/create`,
    address: d.address,
    host: d.host,
    title: `create NAT ${d.name} for ${d.internalPrefix}`,
    operation: { op: 'createNat', name: d.name, internalPrefix: d.internalPrefix },
    dependsOn: deps,
  });
  g.ready.set(d.address, [id]);
}

export function mappingSteps(g: StepGraph, pc: PlannedChange): void {
  const d = pc.desired as DesiredPortMapping;
  if (pc.change.action === 'noop') return;
  const deps: string[] = [];
  if (pc.change.action === 'update' || pc.change.action === 'replace') {
    deps.push(
      g.host({
        id: `${d.address}/remove`,
        address: d.address,
        host: d.host,
        title: `remove port mapping ${d.protocol}/${d.externalPort}`,
        operation: { op: 'removeNatMapping', nat: d.nat, protocol: d.protocol, externalPort: d.externalPort },
      }),
    );
  }
  g.host({
    id: `${d.address}/add`,
    address: d.address,
    host: d.host,
    title: `map ${d.protocol}/${d.externalPort} to ${d.internalAddress}:${d.internalPort}`,
    operation: {
      op: 'addNatMapping',
      nat: d.nat,
      protocol: d.protocol,
      externalPort: d.externalPort,
      internalAddress: d.internalAddress,
      internalPort: d.internalPort,
    },
    dependsOn: deps,
  });
}

export function diskSteps(g: StepGraph, pc: PlannedChange): void {
  const d = pc.desired as DesiredDisk;
  if (pc.change.action === 'noop') {
    g.ready.set(d.address, []);
    return;
  }
  if (pc.change.action === 'update') {
    const size = pc.change.diff.find((x) => x.path === 'size');
    const id = g.host({
      id: `${d.address}/resize`,
      address: d.address,
      host: d.host,
      title: `grow disk ${d.path} to ${formatSize(d.size)}`,
      operation: { op: 'resizeVhd', path: d.path, size: Number(size?.after ?? d.size) },
    });
    g.ready.set(d.address, [id]);
    return;
  }
  const deps: string[] = [];
  if (pc.change.action === 'replace')
    deps.push(
      g.host({
        id: `${d.address}/remove`,
        address: d.address,
        host: d.host,
        title: `remove disk ${d.path}`,
        operation: { op: 'removeVhd', path: d.path },
      }),
    );
  const id = g.host({
    id: `${d.address}/create`,
    address: d.address,
    host: d.host,
    title: `create ${d.type} ${d.format} disk ${d.path}`,
    operation: { op: 'createVhd', path: d.path, size: d.size, format: d.format, type: d.type },
    dependsOn: deps,
  });
  g.ready.set(d.address, [id]);
}
