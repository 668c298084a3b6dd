import { HOST_DEFAULT_FOLDER } from '../default-storage.js';
import { joinWindowsPath } from '../../model/windows-path.js';
import type {
  ClusterSpec,
  CredentialSpec,
  DiskSpec,
  GuestClusterSpec,
  HostConnection,
  HostSpec,
  ImageSpec,
  Lab,
  LabSettings,
  NetworkSpec,
} from '../lab.js';
import type { RawLab } from '../raw-lab.js';
import type { Reporter } from '../reporter.js';
import { parseDuration, parseSize } from '../../model/units.js';
import { expandVms } from './expand-vms.js';
import { assignAddresses } from './assign-addresses.js';
import { natGatewayAddress } from '../../model/hyperv-rules.js';

/** `images[].from.size` when the manifest gives none (the schema's documented default). */
const DEFAULT_IMAGE_SIZE = '40GB';

export const DEFAULTS = {
  parallelism: 8,
  perHostParallelism: 4,
  timeouts: { heartbeat: '10m', powershellDirect: '10m', adReady: '20m', step: '30m' },
  timeZone: 'UTC',
  domainJoin: 'auto',
  featureInstall: 'auto',
} as const;

/**
 * The schema-valid manifest -> the typed Lab: count expanded, defaults applied, sizes in bytes,
 * durations in ms, `{lab}` replaced, paths and addresses resolved. Unresolvable references are
 * left empty here; the rules report them.
 */
export function expandLab(options: {
  raw: RawLab;
  file: string;
  positions: ReadonlyMap<string, { line: number; column: number }>;
  reporter: Reporter;
}): Lab {
  const { raw, file } = options;
  const withLab = (text: string) => text.replaceAll('{lab}', raw.name);
  const timeouts = { ...DEFAULTS.timeouts, ...raw.settings?.timeouts };
  const settings: LabSettings = {
    parallelism: raw.settings?.parallelism ?? DEFAULTS.parallelism,
    perHostParallelism: raw.settings?.perHostParallelism ?? DEFAULTS.perHostParallelism,
    timeouts: {
      heartbeat: parseDuration(timeouts.heartbeat),
      powershellDirect: parseDuration(timeouts.powershellDirect),
      adReady: parseDuration(timeouts.adReady),
      step: parseDuration(timeouts.step),
    },
    timeZone: raw.settings?.timeZone ?? DEFAULTS.timeZone,
    domainJoin: raw.settings?.domainJoin ?? DEFAULTS.domainJoin,
    featureInstall: raw.settings?.featureInstall ?? DEFAULTS.featureInstall,
  };
  if (raw.settings?.storagePath !== undefined) settings.storagePath = withLab(raw.settings.storagePath);
  const hosts: HostSpec[] = raw.hosts.map((h) => ({
    name: h.name,
    connect: withCredential(parseConnect(h.connect ?? 'local'), h.credential),
    shell: h.shell ?? 'powershell',
    storagePath:
      h.storagePath !== undefined
        ? withLab(h.storagePath)
        : (settings.storagePath ?? joinWindowsPath(HOST_DEFAULT_FOLDER, raw.name)),
    ...(h.storagePath === undefined && settings.storagePath === undefined
      ? { storagePathDefault: true }
      : {}),
  }));
  const clusters: ClusterSpec[] = (raw.clusters ?? []).map((c) => ({
    name: c.name,
    nodes: [...c.nodes],
    sharedVolume: c.sharedVolume,
  }));
  const images: ImageSpec[] = (raw.images ?? []).map((i) => ({
    name: i.name,
    path: withLab(i.path),
    os: i.os ?? 'windows',
    generation: i.generation ?? 2,
    cloudInit: (i.os ?? 'windows') === 'linux' && i.cloudInit !== false,
    ...(i.from
      ? {
          from: {
            iso: withLab(i.from.iso),
            edition: i.from.edition,
            size: parseSize(i.from.size ?? DEFAULT_IMAGE_SIZE),
            updates: (i.from.updates ?? []).map(withLab),
          },
        }
      : {}),
  }));
  const credentials: CredentialSpec[] = (raw.credentials ?? []).map((c) => ({
    name: c.name,
    username: c.username,
    // A literal password never enters the Lab: the literal-password rule rejects the manifest.
    password: typeof c.password === 'string' ? { fromEnv: '' } : { ...c.password },
  }));
  const disks: DiskSpec[] = (raw.disks ?? []).map((d) => {
    const path = withLab(d.path);
    return {
      name: d.name,
      path,
      size: parseSize(d.size),
      format: d.format ?? (/\.vhds$/i.test(path) ? 'vhds' : 'vhdx'),
      type: d.type ?? 'dynamic',
      shared: d.shared ?? false,
    };
  });
  const guestClusters: GuestClusterSpec[] = (raw.guestClusters ?? []).map((g) => ({
    name: g.name,
    nodes: [...g.nodes],
    address: g.address,
    ...(g.witness ? { witness: { ...g.witness } } : {}),
    sharedVolumes: [...(g.sharedVolumes ?? [])],
  }));
  const vms = expandVms({ raw, hosts, clusters, images, labName: raw.name });
  // Which hosts each network has VMs on, in one pass over the VMs (not once per network and host).
  const attached = new Set(vms.flatMap((vm) => vm.network.map((a) => `${vm.host}\n${a.network}`)));
  const networks: NetworkSpec[] = (raw.networks ?? []).map((n) => {
    const attachedHosts = hosts.map((h) => h.name).filter((h) => attached.has(`${h}\n${n.name}`));
    const network: NetworkSpec = {
      name: n.name,
      type: n.type,
      // Without host/hosts: where its VMs run (or every host when none is attached yet).
      hosts:
        n.host !== undefined
          ? [n.host]
          : n.hosts !== undefined
            ? [...n.hosts]
            : attachedHosts.length > 0
              ? attachedHosts
              : hosts.map((h) => h.name),
      dns: [...(n.dns ?? [])],
      reserve: [...(n.reserve ?? [])],
      portMappings: (n.portMappings ?? []).map((m) => ({ ...m, internalAddress: '' })),
    };
    if (n.prefix !== undefined) network.prefix = n.prefix;
    if (n.gateway !== undefined) network.gateway = n.gateway;
    else if (n.type === 'nat' && n.prefix !== undefined)
      network.gateway = natGatewayAddress({ prefix: n.prefix });
    if (n.hostAddress !== undefined) network.hostAddress = n.hostAddress;
    if (n.vlan !== undefined) network.vlan = n.vlan;
    if (n.adapter !== undefined) network.adapter = n.adapter;
    if (n.type === 'external') network.allowManagementOS = n.allowManagementOS ?? true;
    return network;
  });
  const networksByName = new Map(networks.map((n) => [n.name, n]));
  for (const vm of vms) {
    for (const adapter of vm.network) {
      const vlan = networksByName.get(adapter.network)?.vlan;
      if (vlan !== undefined) adapter.vlan = vlan;
    }
  }
  const lab: Lab = {
    apiVersion: 'labform/v1',
    kind: 'Lab',
    name: raw.name,
    file,
    settings,
    hosts,
    clusters,
    images,
    credentials,
    networks,
    disks,
    vms,
    guestClusters,
    positions: Object.fromEntries(options.positions),
  };
  if (raw.description !== undefined) lab.description = raw.description;
  assignAddresses({ lab, reporter: options.reporter });
  const vmsByName = new Map(vms.map((v) => [v.name, v]));
  for (const network of networks) {
    for (const mapping of network.portMappings) {
      const vm = vmsByName.get(mapping.vm);
      const adapter = vm?.network.find((a) => a.network === network.name && a.ip.kind === 'static');
      if (adapter?.ip.kind === 'static') mapping.internalAddress = adapter.ip.address;
    }
  }
  return lab;
}

export function parseConnect(text: string): HostConnection {
  if (text === 'local') return { kind: 'local' };
  const ssh = /^ssh:\/\/(?:([^@]+)@)?([^:]+)(?::([0-9]+))?$/.exec(text);
  if (ssh) {
    const connection: HostConnection = { kind: 'ssh', host: ssh[2]! };
    if (ssh[1] !== undefined) connection.user = ssh[1];
    if (ssh[3] !== undefined) connection.port = Number(ssh[3]);
    return connection;
  }
  const winrm = /^winrm(s?):\/\/(?:([^@]+)@)?([^:]+)(?::([0-9]+))?$/.exec(text);
  const connection: HostConnection = {
    kind: 'winrm',
    host: winrm ? winrm[3]! : text.replace(/^winrms?:\/\//, ''),
  };
  if (winrm?.[1]) connection.https = true;
  if (winrm?.[2] !== undefined) connection.user = winrm[2];
  if (winrm?.[4] !== undefined) connection.port = Number(winrm[4]);
  return connection;
}

/** A host's `credential` travels with its winrm connection (rules refuse it on other kinds). */
function withCredential(connection: HostConnection, credential: string | undefined): HostConnection {
  return connection.kind === 'winrm' && credential !== undefined ? { ...connection, credential } : connection;
}
