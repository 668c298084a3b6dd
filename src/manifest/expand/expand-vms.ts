import type {
  AdapterSpec,
  ClusterSpec,
  HostSpec,
  ImageSpec,
  MemorySpec,
  RoleSpec,
  VmDiskSpec,
  VmSpec,
} from '../lab.js';
import type { RawLab, RawMemory, RawVm } from '../raw-lab.js';
import { parseSize } from '../../model/units.js';
import { joinWindowsPath } from '../../model/windows-path.js';
import { normaliseMac } from '../../model/mac.js';
import { InternalError } from '../../errors.js';
import { simpleSettingsFromManifest } from '../../model/vm-settings.js';
import { defaultNetbiosName } from '../../model/hyperv-rules.js';

/** Hyper-V's own New-VM defaults, so an unspecified VM looks like one made by hand. */
export const VM_DEFAULTS = { processors: 1, memory: 1024 ** 3 } as const;

/** Expands `count` and applies defaults; addresses are assigned afterwards (they need every VM). */
export function expandVms(options: {
  raw: RawLab;
  hosts: HostSpec[];
  clusters: ClusterSpec[];
  images: ImageSpec[];
  labName: string;
}): VmSpec[] {
  const vms: VmSpec[] = [];
  // Unpinned VMs of a cluster are spread over its nodes in turn, as a balanced cluster would place them.
  const placed = new Map<string, number>();
  options.raw.vms.forEach((raw, index) => {
    const count = raw.count ?? 1;
    for (let n = 1; n <= count; n++) {
      const turn = raw.cluster !== undefined && raw.host === undefined ? (placed.get(raw.cluster) ?? 0) : 0;
      if (raw.cluster !== undefined && raw.host === undefined) placed.set(raw.cluster, turn + 1);
      vms.push(expandVm({ ...options, raw, index, n, turn }));
    }
  });
  return vms;
}

function expandVm(options: {
  raw: RawVm;
  index: number;
  n: number;
  turn: number;
  hosts: HostSpec[];
  clusters: ClusterSpec[];
  images: ImageSpec[];
  labName: string;
}): VmSpec {
  const { raw, n } = options;
  const withN = (text: string) => text.replaceAll('{n}', String(n));
  const name = withN(raw.name);
  const image = raw.image === undefined ? undefined : options.images.find((i) => i.name === raw.image);
  const os = raw.os ?? image?.os ?? 'windows';
  const generation = raw.generation ?? image?.generation ?? 2;
  const cluster =
    raw.cluster === undefined ? undefined : options.clusters.find((c) => c.name === raw.cluster);
  // One host in the lab: VMs go there unless told otherwise.
  const node = cluster && cluster.nodes.length > 0 ? cluster.nodes[options.turn % cluster.nodes.length]! : '';
  const host =
    raw.host ?? (raw.cluster !== undefined ? node : options.hosts.length === 1 ? options.hosts[0]!.name : '');
  const hostSpec = options.hosts.find((h) => h.name === host);
  const folder =
    raw.cluster !== undefined
      ? cluster
        ? joinWindowsPath(cluster.sharedVolume, options.labName)
        : ''
      : (hostSpec?.storagePath ?? '');
  const path = folder ? joinWindowsPath(folder, name) : '';
  let dataIndex = 0;
  const disks: VmDiskSpec[] = (raw.disks ?? []).map((d) =>
    'disk' in d
      ? { kind: 'disk', disk: d.disk }
      : {
          kind: 'new',
          size: parseSize(d.size),
          path: joinWindowsPath(path, `${name}-data${++dataIndex}.vhdx`),
        },
  );
  const network: AdapterSpec[] = (raw.network ?? []).map((a) => {
    const adapter: AdapterSpec = {
      network: a.network,
      ip: parseIp(a.ip),
      macAddressSpoofing: a.macAddressSpoofing ?? false,
    };
    if (a.mac !== undefined) adapter.mac = normaliseMac(a.mac);
    return adapter;
  });
  const secureBoot = raw.firmware?.secureBoot ?? generation === 2;
  const template =
    raw.firmware?.secureBootTemplate ??
    (secureBoot ? (os === 'linux' ? 'MicrosoftUEFICertificateAuthority' : 'MicrosoftWindows') : undefined);
  const vm: VmSpec = {
    name,
    host,
    computerName: withN(raw.computerName ?? raw.name),
    os,
    generation,
    processors: raw.processors ?? VM_DEFAULTS.processors,
    memory: expandMemory(raw.memory),
    path,
    disks,
    network,
    firmware: template === undefined ? { secureBoot } : { secureBoot, secureBootTemplate: template },
    tpm: raw.tpm ?? false,
    nestedVirtualization: raw.nestedVirtualization ?? false,
    assignDevices: (raw.assignDevices ?? []).map((d) => ({ locationPath: d.locationPath })),
    dvd: [...(raw.dvd ?? [])],
    files: (raw.files ?? []).map((f) => ({ from: f.from, to: f.to })),
    ...simpleSettingsFromManifest(raw),
    roles: (raw.roles ?? []).map((r) => expandRole(r, withN)),
    pointer: `/vms/${options.index}`,
  };
  if (raw.cluster !== undefined) vm.cluster = raw.cluster;
  if (raw.image !== undefined) {
    vm.image = raw.image;
    vm.osDiskPath = joinWindowsPath(path, `${name}-os.vhdx`);
  }
  if (raw.credential !== undefined) vm.credential = raw.credential;
  if (raw.mmio !== undefined) vm.mmio = { low: parseSize(raw.mmio.low), high: parseSize(raw.mmio.high) };
  return vm;
}

export function expandMemory(raw: RawMemory | undefined): MemorySpec {
  if (raw === undefined) return { startup: VM_DEFAULTS.memory, dynamic: false };
  if (typeof raw !== 'object') return { startup: parseSize(raw), dynamic: false };
  const memory: MemorySpec = { startup: parseSize(raw.startup), dynamic: raw.dynamic ?? false };
  if (raw.minimum !== undefined) memory.minimum = parseSize(raw.minimum);
  if (raw.maximum !== undefined) memory.maximum = parseSize(raw.maximum);
  return memory;
}

/** `auto` becomes a static address later (assignAddresses); until then it is a placeholder. */
function parseIp(ip: string | undefined): AdapterSpec['ip'] {
  if (ip === undefined) return { kind: 'none' };
  if (ip === 'dhcp') return { kind: 'dhcp' };
  if (ip === 'auto') return { kind: 'static', address: '', prefixLength: 0, auto: true };
  const [address, length] = ip.split('/');
  return {
    kind: 'static',
    address: address!,
    prefixLength: length === undefined ? -1 : Number(length),
    auto: false,
  };
}

function expandRole(raw: Record<string, unknown>, withN: (text: string) => string): RoleSpec {
  const [kind, value] = Object.entries(raw)[0]!;
  const p = (value ?? {}) as Record<string, any>;
  switch (kind) {
    case 'domainController':
      return {
        kind,
        domain: p.domain,
        netbios: p.netbios ?? defaultNetbiosName(p.domain),
        safeModePassword: p.safeModePassword,
        domainAdmin: p.domainAdmin,
      };
    case 'domainMember':
      return p.ou === undefined
        ? { kind, domain: p.domain, joinCredential: p.joinCredential }
        : { kind, domain: p.domain, joinCredential: p.joinCredential, ou: p.ou };
    case 'hostGuardianService':
      return p.join === undefined
        ? { kind, domain: p.domain, attestation: p.attestation, serviceName: p.serviceName ?? 'hgs' }
        : {
            kind,
            domain: p.domain,
            attestation: p.attestation,
            serviceName: p.serviceName ?? 'hgs',
            join: withN(p.join),
          };
    case 'guardedHost':
      return { kind, hgs: withN(p.hgs) };
    case 'hyperV':
      return { kind };
    case 'fileServer':
      return {
        kind,
        shares: (p.shares as any[]).map((s) => ({
          name: s.name,
          path: s.path,
          fullAccess: [...(s.fullAccess ?? [])],
        })),
      };
    case 'dhcpServer':
      return { kind, scopes: (p.scopes as any[]).map((s) => ({ ...s })) };
    case 'iscsiTarget':
      return {
        kind,
        disks: (p.disks as any[]).map((d) => ({ name: d.name, size: parseSize(d.size) })),
        initiators: ((p.initiators ?? []) as string[]).map(withN),
      };
    case 'script': {
      const role: RoleSpec = {
        kind,
        run: p.run,
        shell: p.shell ?? 'powershell',
        reboots: p.reboots ?? false,
      };
      if (p.test !== undefined) role.test = p.test;
      if (p.credential !== undefined) role.credential = p.credential;
      return role;
    }
    default:
      throw new InternalError(`unknown role ${kind} passed the schema`);
  }
}
